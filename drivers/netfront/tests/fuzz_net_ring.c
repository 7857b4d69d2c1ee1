/*
 * libFuzzer target for drivers/netfront/net_ring.c: the input plays the backend, which
 * may write any response anywhere on either ring and move either producer anywhere,
 * while the frontend starts transmits, posts buffers and takes responses. Each input
 * byte picks one move (the first says which GSO types the frontend asked for). After
 * every move: the tx ids in flight are exactly those started and not yet answered, each
 * answered at most once; every rx frame names only buffers that were posted, each
 * within its page, in at most NET_RX_MAX_SLOTS data slots and NET_RX_MAX_EXTRAS
 * extra-info slots, with a GSO type only of those asked for; and neither consumer
 * passes what we requested. The ring pages are their own allocations, so
 * AddressSanitizer catches any access outside them.
 *
 * tests/fuzz.mk builds it with clang -fsanitize=fuzzer,address,undefined.
 */

/* Declare ours under the lib_ names, then let the standard names mean glibc's. */
#include "lib/tests/host_names.h"
#include "lib/errno.h"
#include "drivers/netfront/net_ring.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include <stdlib.h>
#include <string.h>
#include "lib/tests/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Our own record of what is in flight and posted, to hold the rings to. */
static bool tx_started[NET_TX_RING_SIZE];
static bool rx_posted[NET_RX_RING_SIZE];
/* The GSO types this input's frontend asked for (its first byte says). */
static unsigned int gso_types;

static bool check_tx_done(void *arg, uint16_t id, int status)
{
    (void)arg;
    REQUIRE(id < NET_TX_RING_SIZE);
    REQUIRE(tx_started[id]);
    REQUIRE(status == 0 || status == -EIO);
    tx_started[id] = false;
    return true;
}

static void check_frame(void *arg, const struct net_rx_frame *f)
{
    unsigned int data_slots = 0;

    (void)arg;
    REQUIRE(f->n >= 1 && f->n <= NET_RX_MAX_FRAME_SLOTS);
    REQUIRE(!(f->flags & ~(unsigned int)(NETRXF_csum_blank | NETRXF_data_validated)));
    REQUIRE(f->status == 0 || f->status == -EIO);
    REQUIRE(f->gso_type == XEN_NETIF_GSO_TYPE_NONE ||
            ((gso_types & (1u << f->gso_type)) && f->gso_size > 0));
    for (unsigned int i = 0; i < f->n; i++) {
        REQUIRE(f->slots[i].id < NET_RX_RING_SIZE);
        REQUIRE(rx_posted[f->slots[i].id]);
        REQUIRE((unsigned int)f->slots[i].offset + f->slots[i].len <= NET_PAGE_BYTES);
        rx_posted[f->slots[i].id] = false;
        data_slots += f->slots[i].len > 0;
    }
    REQUIRE(data_slots <= NET_RX_MAX_SLOTS);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    netif_tx_sring_t *tx_sring = aligned_alloc(4096, NET_RING_BYTES);
    netif_rx_sring_t *rx_sring = aligned_alloc(4096, NET_RING_BYTES);
    static struct net_tx_ring tx;
    static struct net_rx_ring rx;
    struct fuzz_input in;

    fuzz_input_init(&in, data, size);
    net_tx_init(&tx, tx_sring);
    net_rx_init(&rx, rx_sring);
    memset(tx_started, 0, sizeof(tx_started));
    memset(rx_posted, 0, sizeof(rx_posted));
    gso_types = fuzz_input_left(&in) ? (fuzz_u8(&in) & 3u) << XEN_NETIF_GSO_TYPE_TCPV4 : 0;
    rx.gso_types = gso_types;
    while (fuzz_input_left(&in)) {
        uint8_t move = fuzz_u8(&in);
        unsigned int count = 0;

        switch (move % 8) {
        case 0: { /* the frontend starts a transmit slot, maybe with an extra-info slot */
            uint16_t id;

            if (net_tx_start(&tx, &id)) {
                REQUIRE(id < NET_TX_RING_SIZE && !tx_started[id]);
                tx_started[id] = true;
                if (move & 8)
                    net_tx_start_extra(&tx);
                net_tx_push(&tx);
            }
            break;
        }
        case 1: { /* the frontend posts a buffer */
            uint16_t id = fuzz_u8(&in);
            bool was = rx_posted[id];

            if (net_rx_post(&rx, id, id)) {
                REQUIRE(!was);
                rx_posted[id] = true;
                net_rx_push(&rx);
            }
            break;
        }
        case 2: { /* the backend answers a tx slot */
            netif_tx_response_t *rsp = RING_GET_RESPONSE(&tx.front, tx_sring->rsp_prod);

            rsp->id = move & 8 ? fuzz_u8(&in) : (uint16_t)fuzz_u32(&in);
            rsp->status = move & 16 ? (int16_t) - (fuzz_u8(&in) % 3) : (int16_t)fuzz_u32(&in);
            tx_sring->rsp_prod++;
            break;
        }
        case 3: { /* the backend fills an rx buffer */
            netif_rx_response_t *rsp = RING_GET_RESPONSE(&rx.front, rx_sring->rsp_prod);

            rsp->id = move & 8 ? fuzz_u8(&in) : (uint16_t)fuzz_u32(&in);
            rsp->offset = move & 16 ? fuzz_u8(&in) : (uint16_t)fuzz_u32(&in);
            rsp->flags = move & 32 ? (fuzz_u8(&in) & (NETRXF_more_data | NETRXF_extra_info))
                                   : (uint16_t)fuzz_u32(&in);
            rsp->status = move & 64 ? (int16_t)(fuzz_u8(&in) * 16) : (int16_t)fuzz_u32(&in);
            rx_sring->rsp_prod++;
            break;
        }
        case 7: { /* the backend writes an extra-info slot: mostly GSO, sometimes anything */
            struct netif_extra_info *extra =
                (void *)RING_GET_RESPONSE(&rx.front, rx_sring->rsp_prod);

            extra->type = move & 8 ? XEN_NETIF_EXTRA_TYPE_GSO : fuzz_u8(&in);
            extra->flags = move & 16 ? 0 : fuzz_u8(&in);
            extra->u.gso.type = move & 32 ? fuzz_u8(&in) % 3 : fuzz_u8(&in);
            extra->u.gso.size = move & 64 ? 1448 : (uint16_t)fuzz_u32(&in);
            rx_sring->rsp_prod++;
            break;
        }
        case 4: /* the backend moves a producer anywhere */
            if (move & 8)
                tx_sring->rsp_prod += fuzz_u32(&in);
            else
                rx_sring->rsp_prod += fuzz_u32(&in);
            break;
        case 5:
            net_tx_take_responses(&tx, check_tx_done, NULL);
            break;
        case 6:
            net_rx_take_responses(&rx, check_frame, NULL);
            break;
        }
        for (unsigned int id = 0; id < NET_TX_RING_SIZE; id++) {
            REQUIRE(tx.in_flight[id] == tx_started[id]);
            count += tx_started[id];
        }
        REQUIRE(tx.in_flight_count == count);
        REQUIRE(tx.in_flight_count + tx.extras_unanswered <=
                (RING_IDX)(tx.front.req_prod_pvt - tx.front.rsp_cons));
        REQUIRE((RING_IDX)(tx.front.req_prod_pvt - tx.front.rsp_cons) <= NET_TX_RING_SIZE);
        REQUIRE((RING_IDX)(rx.front.req_prod_pvt - rx.front.rsp_cons) <= NET_RX_RING_SIZE);
        REQUIRE(rx.chain_len < NET_RX_MAX_FRAME_SLOTS || rx.fault.broken);
        REQUIRE(rx.chain_data <= NET_RX_MAX_SLOTS && rx.chain_extras <= NET_RX_MAX_EXTRAS);
        if (tx.fault.broken)
            REQUIRE(net_tx_room(&tx) == 0 && tx.fault.reason[0] != '\0');
        if (rx.fault.broken)
            REQUIRE(rx.fault.reason[0] != '\0');
    }
    if (tx.fault.broken) {
        net_tx_fail_in_flight(&tx, check_tx_done, NULL);
        for (unsigned int id = 0; id < NET_TX_RING_SIZE; id++)
            REQUIRE(!tx_started[id]);
    }
    free(tx_sring);
    free(rx_sring);
    return 0;
}
