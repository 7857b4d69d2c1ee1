/*
 * Host tests for drivers/blkfront/blk_ring.c: the test plays the backend, writing
 * responses (honest and crafted) straight into the shared page, and checks that
 * every violation is caught, named, and leaves the ring broken with nothing else
 * consumed.
 */

/* Declare ours under the lib_ names, then let the standard names mean glibc's. */
#include "lib/tests/host_names.h"
#include "lib/errno.h"
#include "drivers/blkfront/blk_ring.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include <stdlib.h>
#include "lib/tests/unit.h"

#define RING_BYTES 4096

static blkif_sring_t *sring;
static struct blk_ring ring;
static struct blk_slot *slots;
/* What done saw, in order. */
static unsigned int done_count;
static uint16_t done_ids[512];
static int done_status[512];

static void record_done(void *arg, uint16_t id, int status)
{
    (void)arg;
    done_ids[done_count] = id;
    done_status[done_count] = status;
    done_count++;
}

static void setup(void)
{
    free(sring);
    free(slots);
    sring = aligned_alloc(4096, RING_BYTES);
    slots = calloc(blk_ring_entries(RING_BYTES), sizeof(*slots));
    blk_ring_init(&ring, sring, RING_BYTES, slots);
    done_count = 0;
}

static uint16_t start(uint8_t op)
{
    uint16_t id = 0xffff;
    blkif_request_t *req = blk_ring_start_request(&ring, op, &id);

    CHECK(req != NULL);
    if (req)
        req->operation = op;
    blk_ring_push(&ring);
    return id;
}

/* The backend's answer at its next producer slot, published at once. */
static void respond(uint64_t id, uint8_t op, int16_t status)
{
    blkif_response_t *rsp = RING_GET_RESPONSE(&ring.front, sring->rsp_prod);

    rsp->id = id;
    rsp->operation = op;
    rsp->status = status;
    sring->rsp_prod++;
}

static void check_broken_with(const char *words)
{
    CHECK(ring.broken);
    CHECK(strstr(ring.broken_reason, words) != NULL);
    if (!ring.broken || !strstr(ring.broken_reason, words))
        printf("  reason: \"%s\", expected to contain \"%s\"\n", ring.broken_reason, words);
    CHECK(!blk_ring_has_room(&ring));
}

UNIT_TEST(ring_of_one_page_holds_32)
{
    CHECK_INT(blk_ring_entries(4096), 32);
    CHECK_INT(blk_ring_entries(4 * 4096), 128);
}

UNIT_TEST(honest_responses_complete_in_order)
{
    uint16_t a, b, c;

    setup();
    a = start(BLKIF_OP_READ);
    b = start(BLKIF_OP_WRITE);
    c = start(BLKIF_OP_FLUSH_DISKCACHE);
    CHECK_INT(ring.in_flight, 3);
    respond(b, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
    respond(a, BLKIF_OP_READ, BLKIF_RSP_ERROR);
    respond(c, BLKIF_OP_FLUSH_DISKCACHE, BLKIF_RSP_EOPNOTSUPP);
    CHECK_INT(blk_ring_take_responses(&ring, record_done, NULL), 3);
    CHECK(!ring.broken);
    CHECK_INT(done_count, 3);
    CHECK_INT(done_ids[0], b);
    CHECK_INT(done_status[0], 0);
    CHECK_INT(done_ids[1], a);
    CHECK_INT(done_status[1], -EIO);
    CHECK_INT(done_status[2], -ENOTSUP);
    CHECK_INT(ring.in_flight, 0);
    /* The response path asked for an event at the next response. */
    CHECK_INT(sring->rsp_event, ring.front.rsp_cons + 1);
}

UNIT_TEST(ids_are_reused_and_the_ring_fills)
{
    unsigned int n = 0;
    uint16_t id;

    setup();
    while (blk_ring_has_room(&ring)) {
        blkif_request_t *req = blk_ring_start_request(&ring, BLKIF_OP_READ, &id);

        CHECK(req != NULL && id < ring.size);
        n++;
    }
    CHECK_INT(n, 32);
    CHECK(blk_ring_start_request(&ring, BLKIF_OP_READ, &id) == NULL);
    blk_ring_push(&ring);
    respond(7, BLKIF_OP_READ, BLKIF_RSP_OKAY);
    CHECK_INT(blk_ring_take_responses(&ring, record_done, NULL), 1);
    CHECK(blk_ring_has_room(&ring));
    CHECK(blk_ring_start_request(&ring, BLKIF_OP_READ, &id) != NULL);
    CHECK_INT(id, 7);
}

UNIT_TEST(producer_far_ahead_is_caught_before_anything_is_read)
{
    setup();
    start(BLKIF_OP_READ);
    sring->rsp_prod += 1000;
    CHECK_INT(blk_ring_take_responses(&ring, record_done, NULL), 0);
    check_broken_with("more than the ring's 32");
    CHECK_INT(done_count, 0);
    CHECK_INT(ring.front.rsp_cons, 0);
}

UNIT_TEST(producer_past_our_requests_is_caught)
{
    setup();
    start(BLKIF_OP_READ);
    respond(0, BLKIF_OP_READ, BLKIF_RSP_OKAY);
    respond(0, BLKIF_OP_READ, BLKIF_RSP_OKAY);
    CHECK_INT(blk_ring_take_responses(&ring, record_done, NULL), 0);
    check_broken_with("past our last request");
}

UNIT_TEST(id_out_of_range_is_caught)
{
    setup();
    start(BLKIF_OP_READ);
    respond(32, BLKIF_OP_READ, BLKIF_RSP_OKAY);
    CHECK_INT(blk_ring_take_responses(&ring, record_done, NULL), 0);
    check_broken_with("id 32, beyond");
    setup();
    start(BLKIF_OP_READ);
    respond(UINT64_C(1) << 40, BLKIF_OP_READ, BLKIF_RSP_OKAY);
    blk_ring_take_responses(&ring, record_done, NULL);
    check_broken_with("beyond the ring");
    CHECK_INT(done_count, 0);
}

UNIT_TEST(id_not_in_flight_is_caught)
{
    setup();
    start(BLKIF_OP_READ); /* id 0 */
    respond(5, BLKIF_OP_READ, BLKIF_RSP_OKAY);
    CHECK_INT(blk_ring_take_responses(&ring, record_done, NULL), 0);
    check_broken_with("id 5, which has no request in flight");
    CHECK_INT(ring.in_flight, 1);
}

UNIT_TEST(duplicate_response_is_caught_after_the_first_is_taken)
{
    uint16_t a;

    setup();
    a = start(BLKIF_OP_WRITE);
    start(BLKIF_OP_WRITE);
    respond(a, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
    respond(a, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
    CHECK_INT(blk_ring_take_responses(&ring, record_done, NULL), 1);
    check_broken_with("no request in flight (a duplicate?)");
    CHECK_INT(done_count, 1);
    /* A broken ring takes nothing more, even honest responses. */
    respond(1, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
    CHECK_INT(blk_ring_take_responses(&ring, record_done, NULL), 0);
}

UNIT_TEST(wrong_operation_is_caught)
{
    uint16_t a;

    setup();
    a = start(BLKIF_OP_READ);
    respond(a, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
    CHECK_INT(blk_ring_take_responses(&ring, record_done, NULL), 0);
    check_broken_with("operation 1 to a request of operation 0");
}

UNIT_TEST(indirect_request_answers_with_its_indirect_operation)
{
    uint16_t id;
    blkif_request_t *req;

    setup();
    req = blk_ring_start_request(&ring, BLKIF_OP_WRITE, &id);
    req->operation = BLKIF_OP_INDIRECT;
    blk_ring_push(&ring);
    respond(id, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
    CHECK_INT(blk_ring_take_responses(&ring, record_done, NULL), 1);
    CHECK(!ring.broken);
}

UNIT_TEST(undefined_status_is_caught)
{
    static const int16_t bad[] = {1, -3, 0x7fff, -0x8000};

    for (size_t i = 0; i < UNIT_COUNT(bad); i++) {
        setup();
        start(BLKIF_OP_READ);
        respond(0, BLKIF_OP_READ, bad[i]);
        CHECK_INT(blk_ring_take_responses(&ring, record_done, NULL), 0);
        check_broken_with("does not define");
        CHECK_INT(done_count, 0);
    }
}

UNIT_TEST(broken_ring_fails_what_is_in_flight)
{
    setup();
    start(BLKIF_OP_READ);
    start(BLKIF_OP_READ);
    start(BLKIF_OP_READ);
    respond(1, BLKIF_OP_READ, BLKIF_RSP_OKAY);
    respond(9, BLKIF_OP_READ, BLKIF_RSP_OKAY);
    CHECK_INT(blk_ring_take_responses(&ring, record_done, NULL), 1);
    CHECK(ring.broken);
    done_count = 0;
    blk_ring_fail_in_flight(&ring, record_done, NULL);
    CHECK_INT(done_count, 2);
    CHECK_INT(done_status[0], -EIO);
    CHECK_INT(done_status[1], -EIO);
    CHECK_INT(ring.in_flight, 0);
    CHECK(!blk_ring_has_room(&ring));
}

UNIT_TEST(first_reason_is_kept)
{
    setup();
    blk_ring_break(&ring, "the backend closed");
    blk_ring_break(&ring, "something later");
    CHECK_STR(ring.broken_reason, "the backend closed");
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(ring_of_one_page_holds_32),
    UNIT_ENTRY(honest_responses_complete_in_order),
    UNIT_ENTRY(ids_are_reused_and_the_ring_fills),
    UNIT_ENTRY(producer_far_ahead_is_caught_before_anything_is_read),
    UNIT_ENTRY(producer_past_our_requests_is_caught),
    UNIT_ENTRY(id_out_of_range_is_caught),
    UNIT_ENTRY(id_not_in_flight_is_caught),
    UNIT_ENTRY(duplicate_response_is_caught_after_the_first_is_taken),
    UNIT_ENTRY(wrong_operation_is_caught),
    UNIT_ENTRY(indirect_request_answers_with_its_indirect_operation),
    UNIT_ENTRY(undefined_status_is_caught),
    UNIT_ENTRY(broken_ring_fails_what_is_in_flight),
    UNIT_ENTRY(first_reason_is_kept),
};

int main(void)
{
    int rc = unit_main(tests, UNIT_COUNT(tests));

    free(sring);
    free(slots);
    return rc;
}
