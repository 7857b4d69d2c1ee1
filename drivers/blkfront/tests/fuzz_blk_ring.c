/*
 * libFuzzer target for drivers/blkfront/blk_ring.c: the input plays the backend, which
 * may write any response anywhere on the ring and move rsp_prod anywhere, while the
 * frontend starts requests and takes responses. Each input byte picks one move. After
 * every move: the ids the ring calls in flight are exactly those started and not yet
 * completed, each completed at most once and with a status the header promises, and
 * rsp_cons never passes what we requested. The ring page is its own allocation, so
 * AddressSanitizer catches any access outside it.
 *
 * tests/fuzz.mk builds it with clang -fsanitize=fuzzer,address,undefined.
 */

/* Declare ours under the lib_ names, then let the standard names mean glibc's. */
#include "lib/tests/host_names.h"
#include "lib/errno.h"
#include "drivers/blkfront/blk_ring.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include <stdlib.h>
#include <string.h>
#include "lib/tests/fuzz.h"

#define RING_BYTES 4096
#define ENTRIES    32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Our own record of what is in flight, to hold the ring to. */
static bool started[ENTRIES];
static uint8_t started_op[ENTRIES];

static void check_done(void *arg, uint16_t id, int status)
{
    (void)arg;
    REQUIRE(id < ENTRIES);
    REQUIRE(started[id]);
    REQUIRE(status == 0 || status == -EIO || status == -ENOTSUP);
    started[id] = false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    blkif_sring_t *sring = aligned_alloc(4096, RING_BYTES);
    struct blk_slot slots[ENTRIES];
    struct blk_ring ring;
    struct fuzz_input in;

    fuzz_input_init(&in, data, size);
    blk_ring_init(&ring, sring, RING_BYTES, slots);
    memset(started, 0, sizeof(started));
    while (fuzz_input_left(&in)) {
        uint8_t move = fuzz_u8(&in);
        unsigned int count = 0;

        switch (move % 4) {
        case 0: { /* the frontend starts a request */
            uint16_t id;
            uint8_t op = move >> 2 & 7;
            blkif_request_t *req = blk_ring_start_request(&ring, op, &id);

            if (req) {
                REQUIRE(id < ENTRIES && !started[id]);
                started[id] = true;
                started_op[id] = op;
                req->operation = op;
                blk_ring_push(&ring);
            }
            break;
        }
        case 1: { /* the backend writes a response at its producer and publishes it */
            blkif_response_t *rsp = RING_GET_RESPONSE(&ring.front, sring->rsp_prod);
            uint8_t id = fuzz_u8(&in);

            rsp->id = move & 4 ? id : (uint64_t)fuzz_u32(&in) << 32 | id;
            rsp->operation = move & 8 ? started_op[id % ENTRIES] : fuzz_u8(&in);
            rsp->status = move & 16 ? (int16_t) - (fuzz_u8(&in) % 3) : (int16_t)fuzz_u32(&in);
            sring->rsp_prod++;
            break;
        }
        case 2: /* the backend moves rsp_prod anywhere */
            sring->rsp_prod += fuzz_u32(&in);
            break;
        default:
            blk_ring_take_responses(&ring, check_done, NULL);
            break;
        }
        for (unsigned int id = 0; id < ENTRIES; id++) {
            REQUIRE(slots[id].in_flight == started[id]);
            count += started[id];
        }
        REQUIRE(ring.in_flight == count);
        REQUIRE((RING_IDX)(ring.front.req_prod_pvt - ring.front.rsp_cons) <= ENTRIES);
        if (ring.broken)
            REQUIRE(!blk_ring_has_room(&ring) && ring.broken_reason[0] != '\0');
    }
    if (ring.broken) {
        blk_ring_fail_in_flight(&ring, check_done, NULL);
        for (unsigned int id = 0; id < ENTRIES; id++)
            REQUIRE(!started[id]);
    }
    free(sring);
    return 0;
}
