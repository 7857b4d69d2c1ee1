/*
 * Host tests for drivers/netfront/net_ring.c: the test plays the backend, writing
 * responses (honest and crafted) straight into the shared pages, and checks that every
 * violation is caught, named, and leaves the ring broken with nothing else consumed.
 */

/* Declare ours under the lib_ names, then let the standard names mean glibc's. */
#include "lib/tests/host_names.h"
#include "lib/errno.h"
#include "drivers/netfront/net_ring.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include <stdlib.h>
#include "lib/tests/unit.h"

static netif_tx_sring_t *tx_sring;
static netif_rx_sring_t *rx_sring;
static struct net_tx_ring tx;
static struct net_rx_ring rx;

/* What the tx done callback saw, in order, and whether it keeps the ids. */
static unsigned int tx_done_count;
static uint16_t tx_done_ids[512];
static int tx_done_status[512];
static bool keep_ids;

/* What the rx frame callback saw. */
static unsigned int frames;
static unsigned int frame_slots[64];
static struct net_rx_slot frame_first[64];
static unsigned int frame_flags[64];
static int frame_status[64];

static bool record_tx(void *arg, uint16_t id, int status)
{
    (void)arg;
    tx_done_ids[tx_done_count] = id;
    tx_done_status[tx_done_count] = status;
    tx_done_count++;
    return !keep_ids;
}

static void record_frame(void *arg, const struct net_rx_slot *slots, unsigned int n,
                         unsigned int flags, int status)
{
    (void)arg;
    if (frames < 64) {
        frame_slots[frames] = n;
        frame_first[frames] = slots[0];
        frame_flags[frames] = flags;
        frame_status[frames] = status;
    }
    frames++;
}

/* A frame callback that posts the frame's buffers again at once, as the driver does. */
static void repost_frame(void *arg, const struct net_rx_slot *slots, unsigned int n,
                         unsigned int flags, int status)
{
    record_frame(arg, slots, n, flags, status);
    for (unsigned int i = 0; i < n; i++)
        CHECK(net_rx_post(&rx, slots[i].id, 100 + slots[i].id));
}

static void setup(void)
{
    free(tx_sring);
    free(rx_sring);
    tx_sring = aligned_alloc(4096, NET_RING_BYTES);
    rx_sring = aligned_alloc(4096, NET_RING_BYTES);
    net_tx_init(&tx, tx_sring);
    net_rx_init(&rx, rx_sring);
    tx_done_count = 0;
    frames = 0;
    keep_ids = false;
}

static uint16_t start_tx(void)
{
    uint16_t id = 0xffff;
    netif_tx_request_t *req = net_tx_start(&tx, &id);

    CHECK(req != NULL);
    net_tx_push(&tx);
    return id;
}

static void tx_respond(uint16_t id, int16_t status)
{
    netif_tx_response_t *rsp = RING_GET_RESPONSE(&tx.front, tx_sring->rsp_prod);

    rsp->id = id;
    rsp->status = status;
    tx_sring->rsp_prod++;
}

/* Post buffers 0..n-1. */
static void post_rx(unsigned int n)
{
    for (unsigned int i = 0; i < n; i++)
        CHECK(net_rx_post(&rx, (uint16_t)i, 100 + i));
    net_rx_push(&rx);
}

static void rx_respond(uint16_t id, uint16_t offset, uint16_t flags, int16_t status)
{
    netif_rx_response_t *rsp = RING_GET_RESPONSE(&rx.front, rx_sring->rsp_prod);

    rsp->id = id;
    rsp->offset = offset;
    rsp->flags = flags;
    rsp->status = status;
    rx_sring->rsp_prod++;
}

static void check_broken_with(const struct net_fault *f, const char *words)
{
    CHECK(f->broken);
    CHECK(strstr(f->reason, words) != NULL);
    if (!f->broken || !strstr(f->reason, words))
        printf("  reason: \"%s\", expected to contain \"%s\"\n", f->reason, words);
}

UNIT_TEST(rings_of_one_page_hold_256)
{
    CHECK_INT(NET_TX_RING_SIZE, 256);
    CHECK_INT(NET_RX_RING_SIZE, 256);
}

UNIT_TEST(tx_honest_responses_end_slots_in_any_order)
{
    uint16_t a, b, c;

    setup();
    a = start_tx();
    b = start_tx();
    c = start_tx();
    CHECK_INT(tx.in_flight_count, 3);
    tx_respond(b, NETIF_RSP_OKAY);
    tx_respond(a, NETIF_RSP_DROPPED);
    tx_respond(c, NETIF_RSP_ERROR);
    CHECK_INT(net_tx_take_responses(&tx, record_tx, NULL), 3);
    CHECK(!tx.fault.broken);
    CHECK_INT(tx_done_ids[0], b);
    CHECK_INT(tx_done_status[0], 0);
    CHECK_INT(tx_done_ids[1], a);
    CHECK_INT(tx_done_status[1], -EIO);
    CHECK_INT(tx_done_status[2], -EIO);
    CHECK_INT(tx.in_flight_count, 0);
    CHECK_INT(net_tx_room(&tx), 256);
    CHECK_INT(tx_sring->rsp_event, tx.front.rsp_cons + 1);
}

UNIT_TEST(tx_ids_kept_by_the_caller_are_not_reused_until_freed)
{
    uint16_t a;

    setup();
    a = start_tx();
    keep_ids = true;
    tx_respond(a, NETIF_RSP_OKAY);
    CHECK_INT(net_tx_take_responses(&tx, record_tx, NULL), 1);
    CHECK_INT(tx.in_flight_count, 0);
    CHECK_INT(net_tx_room(&tx), 255);
    net_tx_free_id(&tx, a);
    CHECK_INT(net_tx_room(&tx), 256);
}

UNIT_TEST(tx_producer_far_ahead_is_caught_before_anything_is_read)
{
    setup();
    start_tx();
    tx_sring->rsp_prod += 1000;
    CHECK_INT(net_tx_take_responses(&tx, record_tx, NULL), 0);
    check_broken_with(&tx.fault, "more than the ring's 256");
    CHECK_INT(tx_done_count, 0);
    CHECK_INT(tx.front.rsp_cons, 0);
    CHECK_INT(net_tx_room(&tx), 0);
    CHECK(net_tx_start(&tx, &(uint16_t){0}) == NULL);
}

UNIT_TEST(tx_producer_past_our_requests_is_caught)
{
    setup();
    start_tx();
    tx_respond(0, NETIF_RSP_OKAY);
    tx_respond(0, NETIF_RSP_OKAY);
    CHECK_INT(net_tx_take_responses(&tx, record_tx, NULL), 0);
    check_broken_with(&tx.fault, "past our last request");
}

UNIT_TEST(tx_bad_ids_and_statuses_are_caught)
{
    setup();
    start_tx();
    start_tx();
    tx_respond(300, NETIF_RSP_OKAY);
    CHECK_INT(net_tx_take_responses(&tx, record_tx, NULL), 0);
    check_broken_with(&tx.fault, "id 300, beyond the ring's 256");

    setup();
    start_tx();
    start_tx();
    tx_respond(0, NETIF_RSP_OKAY);
    tx_respond(0, NETIF_RSP_OKAY); /* a duplicate */
    CHECK_INT(net_tx_take_responses(&tx, record_tx, NULL), 1);
    check_broken_with(&tx.fault, "id 0, which has no request in flight");
    CHECK_INT(tx.front.rsp_cons, 1);

    setup();
    start_tx();
    tx_respond(0, NETIF_RSP_NULL);
    CHECK_INT(net_tx_take_responses(&tx, record_tx, NULL), 0);
    check_broken_with(&tx.fault, "no extra-info slot unanswered");
    net_tx_fail_in_flight(&tx, record_tx, NULL);
    CHECK_INT(tx_done_count, 1);
    CHECK_INT(tx_done_status[0], -EIO);
    CHECK_INT(tx.in_flight_count, 0);
}

/* A large segment as netback answers it: the request's id, then NETIF_RSP_NULL. */
UNIT_TEST(tx_extra_info_slots_take_a_place_but_no_id)
{
    uint16_t a = 0xffff, b;
    netif_tx_request_t *req;
    netif_extra_info_t *extra;
    netif_tx_response_t *rsp;

    setup();
    req = net_tx_start(&tx, &a);
    CHECK(req != NULL);
    extra = net_tx_start_extra(&tx);
    CHECK(extra != NULL);
    extra->type = XEN_NETIF_EXTRA_TYPE_GSO;
    b = start_tx();
    CHECK_INT(tx.front.req_prod_pvt, 3);
    CHECK_INT(tx.free_ids, 254);
    CHECK_INT(net_tx_room(&tx), 253);
    /* netback answers the request and writes only the status of the slot after it. */
    tx_respond(a, NETIF_RSP_OKAY);
    rsp = RING_GET_RESPONSE(&tx.front, tx_sring->rsp_prod);
    rsp->status = NETIF_RSP_NULL;
    tx_sring->rsp_prod++;
    tx_respond(b, NETIF_RSP_OKAY);
    CHECK_INT(net_tx_take_responses(&tx, record_tx, NULL), 2);
    CHECK(!tx.fault.broken);
    CHECK_INT(tx_done_count, 2);
    CHECK_INT(tx_done_ids[0], a);
    CHECK_INT(tx_done_ids[1], b);
    CHECK_INT(tx.extras_unanswered, 0);
    CHECK_INT(net_tx_room(&tx), 256);

    /* A second NETIF_RSP_NULL for the one extra slot is a lie. */
    setup();
    net_tx_start(&tx, &a);
    net_tx_start_extra(&tx);
    net_tx_start(&tx, &b);
    net_tx_push(&tx);
    tx_respond(a, NETIF_RSP_OKAY);
    tx_respond(0, NETIF_RSP_NULL);
    tx_respond(0, NETIF_RSP_NULL);
    CHECK_INT(net_tx_take_responses(&tx, record_tx, NULL), 1);
    check_broken_with(&tx.fault, "no extra-info slot unanswered");
}

UNIT_TEST(tx_extra_info_slot_needs_a_place)
{
    uint16_t id;

    setup();
    for (unsigned int i = 0; i < NET_TX_RING_SIZE; i++)
        CHECK(net_tx_start(&tx, &id) != NULL);
    CHECK(net_tx_start_extra(&tx) == NULL);
    CHECK_INT(tx.extras_unanswered, 0);
}

UNIT_TEST(rx_frames_of_one_and_several_slots_are_delivered)
{
    setup();
    post_rx(8);
    CHECK_INT(rx.posted_count, 8);
    rx_respond(3, 10, NETRXF_data_validated, 60);
    rx_respond(0, 0, NETRXF_csum_blank | NETRXF_more_data, 4096);
    rx_respond(1, 0, NETRXF_more_data, 4096);
    rx_respond(2, 0, 0, 822);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 2);
    CHECK(!rx.fault.broken);
    CHECK_INT(frame_slots[0], 1);
    CHECK_INT(frame_first[0].id, 3);
    CHECK_INT(frame_first[0].offset, 10);
    CHECK_INT(frame_first[0].len, 60);
    CHECK_INT(frame_flags[0], NETRXF_data_validated);
    CHECK_INT(frame_slots[1], 3);
    CHECK_INT(frame_flags[1], NETRXF_csum_blank);
    CHECK_INT(rx.posted_count, 4);
    /* Each buffer is the caller's again, to post once more. */
    CHECK(net_rx_post(&rx, 3, 103));
    CHECK(!net_rx_post(&rx, 3, 103));
}

UNIT_TEST(rx_buffers_can_be_posted_again_from_the_frame_callback)
{
    setup();
    post_rx(256);
    for (unsigned int round = 0; round < 3; round++) {
        for (unsigned int i = 0; i < 256; i += 2) {
            rx_respond((uint16_t)i, 0, NETRXF_more_data, 4096);
            rx_respond((uint16_t)(i + 1), 0, 0, 100);
        }
        CHECK_INT(net_rx_take_responses(&rx, repost_frame, NULL), 128);
        CHECK_INT(rx.posted_count, 256);
        net_rx_push(&rx);
    }
    CHECK(!rx.fault.broken);
    CHECK_INT(frames, 384);
}

UNIT_TEST(rx_frame_split_across_two_calls_is_kept_until_whole)
{
    setup();
    post_rx(4);
    rx_respond(0, 0, NETRXF_more_data, 4096);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 0);
    CHECK_INT(rx.front.rsp_cons, 1);
    rx_respond(1, 0, 0, 100);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 1);
    CHECK_INT(frame_slots[0], 2);
}

UNIT_TEST(rx_error_frames_come_back_with_their_buffers)
{
    setup();
    post_rx(2);
    rx_respond(1, 0, 0, NETIF_RSP_ERROR);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 1);
    CHECK_INT(frame_status[0], -EIO);
    CHECK_INT(rx.posted_count, 1);
}

UNIT_TEST(rx_producer_far_ahead_or_past_our_buffers_is_caught)
{
    setup();
    post_rx(4);
    rx_sring->rsp_prod = 0x80000000u;
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 0);
    check_broken_with(&rx.fault, "more than the ring's 256");
    CHECK_INT(rx.front.rsp_cons, 0);
    CHECK(!net_rx_post(&rx, 5, 1));

    setup();
    post_rx(1);
    rx_respond(0, 0, 0, 60);
    rx_respond(0, 0, 0, 60);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 0);
    check_broken_with(&rx.fault, "past our last request");
}

UNIT_TEST(rx_bad_ids_are_caught)
{
    setup();
    post_rx(4);
    rx_respond(999, 0, 0, 60);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 0);
    check_broken_with(&rx.fault, "id 999, beyond the ring's 256");

    setup();
    post_rx(4);
    rx_respond(2, 0, 0, 60);
    rx_respond(2, 0, 0, 60); /* its buffer is no longer posted */
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 1);
    check_broken_with(&rx.fault, "id 2, which has no buffer posted");
    CHECK_INT(rx.front.rsp_cons, 1);
}

UNIT_TEST(rx_slot_past_its_page_is_caught)
{
    setup();
    post_rx(4);
    rx_respond(0, 4000, 0, 200);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 0);
    check_broken_with(&rx.fault, "200 bytes at offset 4000: past its page's end");
    CHECK_INT(frames, 0);

    setup();
    post_rx(4);
    rx_respond(0, 5000, 0, 1);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 0);
    check_broken_with(&rx.fault, "past its page's end");

    /* A whole page is fine. */
    setup();
    post_rx(4);
    rx_respond(0, 0, 0, 4096);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 1);
}

UNIT_TEST(rx_extra_info_we_never_asked_for_is_caught)
{
    setup();
    post_rx(4);
    rx_respond(0, 0, NETRXF_extra_info, 60);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 0);
    check_broken_with(&rx.fault, "extra info we never asked for");
}

UNIT_TEST(rx_more_data_chain_is_bounded)
{
    setup();
    post_rx(64);
    for (unsigned int i = 0; i < 40; i++)
        rx_respond((uint16_t)i, 0, NETRXF_more_data, 1000);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 0);
    check_broken_with(&rx.fault, "more than 18 slots");
    CHECK_INT(frames, 0);
    CHECK_INT(rx.front.rsp_cons, 18);
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(rings_of_one_page_hold_256),
    UNIT_ENTRY(tx_honest_responses_end_slots_in_any_order),
    UNIT_ENTRY(tx_ids_kept_by_the_caller_are_not_reused_until_freed),
    UNIT_ENTRY(tx_producer_far_ahead_is_caught_before_anything_is_read),
    UNIT_ENTRY(tx_producer_past_our_requests_is_caught),
    UNIT_ENTRY(tx_bad_ids_and_statuses_are_caught),
    UNIT_ENTRY(tx_extra_info_slots_take_a_place_but_no_id),
    UNIT_ENTRY(tx_extra_info_slot_needs_a_place),
    UNIT_ENTRY(rx_frames_of_one_and_several_slots_are_delivered),
    UNIT_ENTRY(rx_buffers_can_be_posted_again_from_the_frame_callback),
    UNIT_ENTRY(rx_frame_split_across_two_calls_is_kept_until_whole),
    UNIT_ENTRY(rx_error_frames_come_back_with_their_buffers),
    UNIT_ENTRY(rx_producer_far_ahead_or_past_our_buffers_is_caught),
    UNIT_ENTRY(rx_bad_ids_are_caught),
    UNIT_ENTRY(rx_slot_past_its_page_is_caught),
    UNIT_ENTRY(rx_extra_info_we_never_asked_for_is_caught),
    UNIT_ENTRY(rx_more_data_chain_is_bounded),
};

int main(void)
{
    int rc = unit_main(tests, UNIT_COUNT(tests));

    free(tx_sring);
    free(rx_sring);
    return rc;
}
