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

/* Both GSO types, as the driver asks for them over feature-sg. */
#define GSO_BOTH (1u << XEN_NETIF_GSO_TYPE_TCPV4 | 1u << XEN_NETIF_GSO_TYPE_TCPV6)

/* What the rx frame callback saw. */
static unsigned int frames;
static unsigned int frame_slots[64];
static struct net_rx_slot frame_first[64];
static unsigned int frame_flags[64];
static int frame_status[64];
static unsigned int frame_gso_type[64];
static unsigned int frame_gso_size[64];
static unsigned int frame_bytes[64];

static bool record_tx(void *arg, uint16_t id, int status)
{
    (void)arg;
    tx_done_ids[tx_done_count] = id;
    tx_done_status[tx_done_count] = status;
    tx_done_count++;
    return !keep_ids;
}

static void record_frame(void *arg, const struct net_rx_frame *f)
{
    (void)arg;
    if (frames < 64) {
        frame_slots[frames] = f->n;
        frame_first[frames] = f->slots[0];
        frame_flags[frames] = f->flags;
        frame_status[frames] = f->status;
        frame_gso_type[frames] = f->gso_type;
        frame_gso_size[frames] = f->gso_size;
        for (unsigned int i = 0; i < f->n; i++)
            frame_bytes[frames] += f->slots[i].len;
    }
    frames++;
}

/* A frame callback that posts the frame's buffers again at once, as the driver does. */
static void repost_frame(void *arg, const struct net_rx_frame *f)
{
    record_frame(arg, f);
    for (unsigned int i = 0; i < f->n; i++)
        CHECK(net_rx_post(&rx, f->slots[i].id, 100 + f->slots[i].id));
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
    memset(frame_bytes, 0, sizeof(frame_bytes));
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

/* A frontend that asked for both GSO types, with buffers 0..posted-1 posted. */
static void setup_gso(unsigned int posted)
{
    setup();
    rx.gso_types = GSO_BOTH;
    post_rx(posted);
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
    rx_respond(0, 10, NETRXF_data_validated, 60);
    rx_respond(1, 0, NETRXF_csum_blank | NETRXF_more_data, 4096);
    rx_respond(2, 0, NETRXF_more_data, 4096);
    rx_respond(3, 0, 0, 822);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 2);
    CHECK(!rx.fault.broken);
    CHECK_INT(frame_slots[0], 1);
    CHECK_INT(frame_first[0].id, 0);
    CHECK_INT(frame_first[0].offset, 10);
    CHECK_INT(frame_first[0].len, 60);
    CHECK_INT(frame_flags[0], NETRXF_data_validated);
    CHECK_INT(frame_slots[1], 3);
    CHECK_INT(frame_flags[1], NETRXF_csum_blank);
    CHECK_INT(frame_bytes[1], 4096 + 4096 + 822);
    CHECK_INT(frame_gso_type[1], XEN_NETIF_GSO_TYPE_NONE);
    CHECK_INT(rx.posted_count, 4);
    /* Each buffer is the caller's again, to post once more. */
    CHECK(net_rx_post(&rx, 0, 100));
    CHECK(!net_rx_post(&rx, 0, 100));
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
    rx_respond(0, 0, 0, NETIF_RSP_ERROR);
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
    rx_respond(0, 0, 0, 60);
    rx_respond(0, 0, 0, 60); /* its buffer is no longer posted */
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 1);
    check_broken_with(&rx.fault, "id 0, which has no buffer posted");
    CHECK_INT(rx.front.rsp_cons, 1);
}

UNIT_TEST(rx_response_out_of_its_requests_slot_is_caught)
{
    /* xen/io/netif.h: a response sits in its request's slot, even with the id posted. */
    setup();
    post_rx(4);
    rx_respond(2, 0, 0, 60);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 0);
    check_broken_with(&rx.fault, "id 2 in the ring slot of buffer 0");
    CHECK_INT(rx.front.rsp_cons, 0);
    CHECK_INT(rx.posted_count, 4);
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

    setup_gso(4);
    rx_respond(0, 0, NETRXF_gso_prefix, 60);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 0);
    check_broken_with(&rx.fault, "a GSO prefix we never asked for");
}

/* The extra-info slot of a large TCP segment, at the next response. */
static void rx_respond_extra(uint8_t type, uint8_t flags, uint8_t gso_type, uint16_t gso_size)
{
    struct netif_extra_info *extra = (void *)RING_GET_RESPONSE(&rx.front, rx_sring->rsp_prod);

    memset(extra, 0, sizeof(*extra));
    extra->type = type;
    extra->flags = flags;
    extra->u.gso.type = gso_type;
    extra->u.gso.size = gso_size;
    rx_sring->rsp_prod++;
}

/* A GSO frame of data_slots full pages but the last, its extra-info slot second. */
static void rx_respond_gso(unsigned int data_slots, uint16_t first_flags)
{
    uint16_t id = 0;

    rx_respond(id++, 0, first_flags | NETRXF_extra_info | (data_slots > 1 ? NETRXF_more_data : 0),
               4096);
    rx_respond_extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, XEN_NETIF_GSO_TYPE_TCPV4, 1448);
    id++;
    for (unsigned int i = 1; i < data_slots; i++, id++)
        rx_respond(id, 0, i + 1 < data_slots ? NETRXF_more_data : 0,
                   i + 1 < data_slots ? 4096 : 13);
}

UNIT_TEST(rx_large_tcp_segment_with_its_gso_slot_is_delivered)
{
    /* 64 KiB and an Ethernet header: 17 pages, and the GSO slot. */
    setup_gso(32);
    rx_respond_gso(17, NETRXF_csum_blank | NETRXF_data_validated);
    CHECK_INT(net_rx_take_responses(&rx, repost_frame, NULL), 1);
    CHECK(!rx.fault.broken);
    CHECK_INT(frame_slots[0], 18);
    CHECK_INT(frame_bytes[0], 16 * 4096 + 13);
    CHECK_INT(frame_flags[0], NETRXF_csum_blank | NETRXF_data_validated);
    CHECK_INT(frame_gso_type[0], XEN_NETIF_GSO_TYPE_TCPV4);
    CHECK_INT(frame_gso_size[0], 1448);
    /* Every buffer came back, the GSO slot's included, and was posted again. */
    CHECK_INT(rx.posted_count, 32);

    /* A one-slot GSO frame ends after its extra-info slot; the next frame is plain. */
    setup_gso(4);
    rx_respond_gso(1, 0);
    rx_respond(2, 0, 0, 60);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 2);
    CHECK(!rx.fault.broken);
    CHECK_INT(frame_slots[0], 2);
    CHECK_INT(frame_gso_type[0], XEN_NETIF_GSO_TYPE_TCPV4);
    CHECK_INT(frame_slots[1], 1);
    CHECK_INT(frame_gso_type[1], XEN_NETIF_GSO_TYPE_NONE);
    CHECK_INT(frame_gso_size[1], 0);
    CHECK_INT(rx.posted_count, 1);

    /* A frame whose extra-info slot is not published yet waits for it. */
    setup_gso(4);
    rx_respond(0, 0, NETRXF_extra_info, 100);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 0);
    rx_respond_extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, XEN_NETIF_GSO_TYPE_TCPV6, 1428);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 1);
    CHECK_INT(frame_gso_type[0], XEN_NETIF_GSO_TYPE_TCPV6);
}

/*
 * A frame's first slot announces extra info and the next slot is this one, asked for
 * with gso_types: the ring breaks at the extra-info slot for a reason with words.
 */
static void check_extra_refused(unsigned int gso_types, uint8_t type, uint8_t gso_type,
                                uint16_t gso_size, const char *words)
{
    setup();
    rx.gso_types = gso_types;
    post_rx(4);
    rx_respond(0, 0, NETRXF_extra_info, 100);
    rx_respond_extra(type, 0, gso_type, gso_size);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 0);
    check_broken_with(&rx.fault, words);
    CHECK_INT(rx.front.rsp_cons, 1);
    CHECK_INT(frames, 0);
}

UNIT_TEST(rx_gso_slot_of_a_kind_we_never_asked_for_is_caught)
{
    check_extra_refused(1u << XEN_NETIF_GSO_TYPE_TCPV4, XEN_NETIF_EXTRA_TYPE_GSO,
                        XEN_NETIF_GSO_TYPE_TCPV6, 1428, "GSO of type 2, which we never asked for");
    check_extra_refused(GSO_BOTH, XEN_NETIF_EXTRA_TYPE_GSO, 200, 1428, "GSO of type 200");
    check_extra_refused(GSO_BOTH, XEN_NETIF_EXTRA_TYPE_HASH, 0, 0,
                        "extra-info slot of type 4: only GSO was asked for");
    check_extra_refused(GSO_BOTH, XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_GSO_TYPE_TCPV4, 0,
                        "GSO with segments of 0 bytes");
}

UNIT_TEST(rx_extra_info_chained_or_past_the_first_slot_is_caught)
{
    setup_gso(4);
    rx_respond(0, 0, NETRXF_extra_info, 100);
    rx_respond_extra(XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_EXTRA_FLAG_MORE, XEN_NETIF_GSO_TYPE_TCPV4,
                     1448);
    rx_respond_extra(XEN_NETIF_EXTRA_TYPE_GSO, 0, XEN_NETIF_GSO_TYPE_TCPV4, 1448);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 0);
    check_broken_with(&rx.fault, "past the frame's one GSO slot");

    setup_gso(4);
    rx_respond(0, 0, NETRXF_more_data, 4096);
    rx_respond(1, 0, NETRXF_extra_info, 100);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 0);
    check_broken_with(&rx.fault, "extra info we never asked for past a frame's first slot");
    CHECK_INT(rx.front.rsp_cons, 1);
}

UNIT_TEST(rx_gso_frame_of_too_many_slots_is_caught)
{
    /* 19 data slots: one more than any frame may take, the GSO slot aside. */
    setup_gso(32);
    rx_respond_gso(19, 0);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 0);
    check_broken_with(&rx.fault, "more than 18 slots");
    CHECK_INT(rx.front.rsp_cons, 19);

    /* 18 data slots and the GSO slot are fine. */
    setup_gso(32);
    rx_respond_gso(18, 0);
    CHECK_INT(net_rx_take_responses(&rx, record_frame, NULL), 1);
    CHECK_INT(frame_slots[0], 19);
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
    UNIT_ENTRY(rx_response_out_of_its_requests_slot_is_caught),
    UNIT_ENTRY(rx_slot_past_its_page_is_caught),
    UNIT_ENTRY(rx_extra_info_we_never_asked_for_is_caught),
    UNIT_ENTRY(rx_large_tcp_segment_with_its_gso_slot_is_delivered),
    UNIT_ENTRY(rx_gso_slot_of_a_kind_we_never_asked_for_is_caught),
    UNIT_ENTRY(rx_extra_info_chained_or_past_the_first_slot_is_caught),
    UNIT_ENTRY(rx_gso_frame_of_too_many_slots_is_caught),
    UNIT_ENTRY(rx_more_data_chain_is_bounded),
};

int main(void)
{
    int rc = unit_main(tests, UNIT_COUNT(tests));

    free(tx_sring);
    free(rx_sring);
    return rc;
}
