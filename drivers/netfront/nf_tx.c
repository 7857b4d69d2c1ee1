/*
 * A vif's transmit path (nf_tx.h). Threads are cooperative and nothing here sleeps
 * between taking ring slots and publishing them, so the ring needs no lock; the event
 * handler only sets a flag and wakes the interface's thread.
 */
#include "arch/boot_info.h"
#include "arch/page.h"
#include "lib/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/page_alloc.h"
#include "xen/events.h"
#include "xen/gnttab.h"
#include "drivers/netfront/nf_tx.h"
#include "drivers/xenbus/xenbus_grant.h"

/* One slot of a frame being put on the ring: where its bytes are, and what lends them. */
struct tx_piece {
    const uint8_t *data; /* in place, or the copy's source */
    unsigned int len;
    bool copied; /* carried in a page of ours */
    void *copy;  /* that page, once taken */
    grant_ref_t gref;
};

/*
 * Whether [p, p + len) lies in the direct map of the domain's own frames, which can be
 * granted as they are; a virtual area (a peer's page mapped here, say) cannot.
 */
static bool grantable_in_place(const void *p, unsigned int len)
{
    pfn_t first = virt_to_pfn(p), last = virt_to_pfn((const uint8_t *)p + len - 1);

    return first < boot_nr_pages() && last < boot_nr_pages();
}

/*
 * Split the frame into slots: in place at page boundaries where it can be, in fresh
 * pages of ours where not. The number of slots, or 0 when they would be more than
 * max (the caller then copies the whole frame).
 */
static unsigned int plan_pieces(const struct netfront_tx *tx, struct tx_piece *pieces,
                                unsigned int max, unsigned int *copied)
{
    unsigned int n = 0;

    *copied = 0;
    for (unsigned int s = 0; s < tx->nsegs; s++) {
        const uint8_t *p = tx->segs[s].data;
        unsigned int left = tx->segs[s].len;
        bool in_place = left == 0 || grantable_in_place(p, left);

        *copied += !in_place;
        while (left) {
            unsigned int room = in_place ? PAGE_SIZE - ((uintptr_t)p & (PAGE_SIZE - 1)) : PAGE_SIZE;
            unsigned int len = left < room ? left : room;

            if (n == max)
                return 0;
            pieces[n++] = (struct tx_piece){.data = p, .len = len, .copied = !in_place};
            p += len;
            left -= len;
        }
    }
    return n;
}

/* The whole frame copied, page by page, into pages of ours. */
static unsigned int plan_copy(unsigned int len, struct tx_piece *pieces)
{
    unsigned int n = (len + PAGE_SIZE - 1) / PAGE_SIZE;

    for (unsigned int i = 0; i < n; i++)
        pieces[i] =
            (struct tx_piece){.len = i + 1 < n ? PAGE_SIZE : len - i * PAGE_SIZE, .copied = true};
    return n;
}

/* Gather the whole frame into the copy pages of pieces[0..n) (plan_copy's). */
static void copy_frame(const struct netfront_tx *tx, struct tx_piece *pieces)
{
    unsigned int piece = 0, at = 0;

    for (unsigned int s = 0; s < tx->nsegs; s++) {
        const uint8_t *p = tx->segs[s].data;
        unsigned int left = tx->segs[s].len;

        while (left) {
            unsigned int n = PAGE_SIZE - at < left ? PAGE_SIZE - at : left;

            memcpy((uint8_t *)pieces[piece].copy + at, p, n);
            p += n;
            left -= n;
            at += n;
            if (at == PAGE_SIZE) {
                piece++;
                at = 0;
            }
        }
    }
}

/* Give back what lend_pieces took for pieces[0..n), none of it published. */
static void unlend_pieces(struct tx_piece *pieces, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++) {
        gnttab_end_access(pieces[i].gref); /* never published: the backend cannot hold it */
        if (pieces[i].copy)
            free_page(pieces[i].copy);
    }
}

/*
 * Take a page for each piece to be copied and grant every piece, read-only: 0, or
 * -ENOMEM / -ENOSPC with nothing taken.
 */
static int lend_pieces(struct netfront *nf, const struct netfront_tx *tx, struct tx_piece *pieces,
                       unsigned int n, bool whole_copy)
{
    for (unsigned int i = 0; i < n; i++) {
        struct tx_piece *pc = &pieces[i];
        const void *frame;

        pc->copy = NULL;
        if (pc->copied) {
            pc->copy = alloc_page();
            if (!pc->copy) {
                unlend_pieces(pieces, i);
                return -ENOMEM;
            }
            if (!whole_copy)
                memcpy(pc->copy, pc->data, pc->len);
        }
        frame = pc->copy ? pc->copy : pc->data;
        if (gnttab_grant_access(nf->xb.backend_id, pfn_to_mfn(virt_to_pfn(frame)), true,
                                &pc->gref)) {
            if (pc->copy)
                free_page(pc->copy);
            unlend_pieces(pieces, i);
            return -ENOSPC;
        }
    }
    if (whole_copy)
        copy_frame(tx, pieces);
    return 0;
}

static unsigned int frame_length(const struct netfront_tx *tx)
{
    unsigned int len = 0;

    for (unsigned int s = 0; s < tx->nsegs; s++)
        len += tx->segs[s].len;
    return len;
}

/* The last hold on tx is gone: count it and end it. In the interface's thread only. */
static void end_tx(struct netfront *nf, struct netfront_tx *tx)
{
    if (tx->status == 0) {
        nf->stats.tx_packets++;
        nf->stats.tx_bytes += frame_length(tx);
    } else {
        nf->stats.tx_errors++;
    }
    tx->done(tx);
}

/* End tx from outside the interface's thread: the thread runs its done. */
static void end_elsewhere(struct netfront *nf, struct netfront_tx *tx, int status)
{
    tx->status = status;
    tx->next_done = nf->to_end;
    nf->to_end = tx;
    nf->io_event = true;
    wait_queue_wake_one(&nf->io_wq);
}

/*
 * A frame copied whole needs nothing of the caller's any more, so its transmit ends
 * at once and a stand-in the driver owns holds the slots until the backend answers.
 * The caller's buffers are free for reuse a round trip sooner, which matters to a
 * sender short of them: lwIP acknowledges a TCP segment when dom0's ACK comes, which
 * can be before netback gives back the slots that carried it, and a sender that found
 * no buffer then (lwiperf, out of lwIP's ROM buffers) waits for its next poll, a
 * second, with nothing in flight.
 */
struct nf_tx_stand_in {
    struct netfront_tx tx;
    struct netfront_seg seg; /* its length alone: what end_tx counts */
};

static void stand_in_done(struct netfront_tx *tx)
{
    xfree(tx->arg);
}

/* The stand-in for tx, a frame of len bytes; tx itself if there is no memory for one. */
static struct netfront_tx *stand_in_for(struct netfront_tx *tx, unsigned int len)
{
    struct nf_tx_stand_in *s = xmalloc(sizeof(*s), 0);

    if (s == NULL)
        return tx;
    s->seg = (struct netfront_seg){.data = NULL, .len = len};
    s->tx = (struct netfront_tx){
        .segs = &s->seg, .nsegs = 1, .flags = tx->flags, .done = stand_in_done, .arg = s};
    return &s->tx;
}

/* The GSO type of xen/io/netif.h that tx asks for, XEN_NETIF_GSO_TYPE_NONE if none. */
static uint8_t tx_gso_type(const struct netfront_tx *tx)
{
    if (tx->flags & NETFRONT_TX_GSO_TCPV4)
        return XEN_NETIF_GSO_TYPE_TCPV4;
    if (tx->flags & NETFRONT_TX_GSO_TCPV6)
        return XEN_NETIF_GSO_TYPE_TCPV6;
    return XEN_NETIF_GSO_TYPE_NONE;
}

/*
 * The extra-info slot of a large segment (xen/io/netif.h: XEN_NETIF_EXTRA_TYPE_GSO),
 * right after its first request; the room for it was waited for.
 */
static void put_gso_extra(struct netfront *nf, uint8_t type, unsigned int size)
{
    netif_extra_info_t *extra = net_tx_start_extra(&nf->tx);

    extra->type = XEN_NETIF_EXTRA_TYPE_GSO;
    extra->flags = 0; /* no extra slot follows */
    extra->u.gso.size = (uint16_t)size;
    extra->u.gso.type = type;
    extra->u.gso.features = 0;
}

int nf_tx_submit(struct netfront *nf, struct netfront_tx *tx)
{
    struct tx_piece pieces[NET_TX_MAX_SLOTS];
    struct netfront_tx *owner = tx; /* what the slots hold */
    unsigned int len = frame_length(tx), copied, n;
    unsigned int max = nf->info.sg ? NET_TX_MAX_SLOTS : 1;
    bool whole_copy = false;
    uint8_t gso_type;
    int rc;

    n = plan_pieces(tx, pieces, max, &copied);
    if (n == 0) {
        /* Too many pieces for the backend: one copy, in as few pages as it fills. */
        n = plan_copy(len, pieces);
        copied = tx->nsegs;
        whole_copy = true;
    }
    gso_type = tx_gso_type(tx);
    /* A large segment takes one slot more: its extra-info slot, after the first. */
    wait_event(&nf->room_wq, net_tx_room(&nf->tx) >= n + (gso_type != XEN_NETIF_GSO_TYPE_NONE) ||
                                 nf->state != NF_CONNECTED);
    if (nf->state != NF_CONNECTED)
        return -ENODEV;
    tx->holds = 0;
    tx->status = 0;
    tx->next_done = NULL;
    rc = lend_pieces(nf, tx, pieces, n, whole_copy);
    if (rc) {
        /* Accepted, but nothing to carry it with: it ends at once, as the backend dropping it
         * would. */
        end_elsewhere(nf, tx, -EIO);
        return 0;
    }
    nf->stats.tx_copied += copied;
    if (whole_copy)
        owner = stand_in_for(tx, len); /* its holds and status start at 0, as tx's did */
    for (unsigned int i = 0; i < n; i++) {
        uint16_t id;
        netif_tx_request_t *req = net_tx_start(&nf->tx, &id);
        struct nf_tx_shadow *sh = &nf->tx_shadows[id];
        const void *p = pieces[i].copy ? pieces[i].copy : pieces[i].data;

        sh->tx = owner;
        sh->copy = pieces[i].copy;
        sh->gref = pieces[i].gref;
        sh->kept = false;
        req->gref = pieces[i].gref;
        req->offset = (uint16_t)((uintptr_t)p & (PAGE_SIZE - 1));
        req->flags = i + 1 < n ? NETTXF_more_data : 0;
        /* Our own checksums are left out, so the data is as we sent it: valid. */
        if (i == 0 && (tx->flags & NETFRONT_TX_CSUM_BLANK))
            req->flags |= NETTXF_csum_blank | NETTXF_data_validated;
        /* xen/io/netif.h: the first slot's size is the whole frame's. */
        req->size = (uint16_t)(i == 0 ? len : pieces[i].len);
        owner->holds++;
        if (i == 0 && gso_type != XEN_NETIF_GSO_TYPE_NONE) {
            req->flags |= NETTXF_extra_info;
            put_gso_extra(nf, gso_type, tx->gso_size);
        }
    }
    if (net_tx_push(&nf->tx))
        evtchn_send(nf->tx_port);
    if (owner != tx)
        tx->done(tx); /* status 0: copied and on the ring */
    return 0;
}

/* A slot's grant is given back: free what it lent, drop its hold on the frame. */
static void slot_given_back(struct netfront *nf, struct nf_tx_shadow *sh)
{
    struct netfront_tx *tx = sh->tx;

    if (sh->copy)
        free_page(sh->copy);
    sh->copy = NULL;
    sh->tx = NULL;
    if (--tx->holds == 0)
        end_tx(nf, tx);
}

/* net_ring.c's done: the backend answered slot id (or the ring broke with it in flight). */
static bool slot_done(void *arg, uint16_t id, int status)
{
    struct netfront *nf = arg;
    struct nf_tx_shadow *sh = &nf->tx_shadows[id];

    if (status && sh->tx->status == 0)
        sh->tx->status = -EIO;
    if (!xenbus_end_grant(sh->gref, 0)) {
        /* Still mapped: keep the slot, its page and its frame until the grant comes back. */
        sh->kept = true;
        nf->tx_kept++;
        return false;
    }
    slot_given_back(nf, sh);
    return true;
}

/* Try again the grants the backend had kept; deadline_ns as xenbus_end_grant's. */
static void retry_kept(struct netfront *nf, uint64_t deadline_ns)
{
    for (unsigned int id = 0; nf->tx_kept && id < NET_TX_RING_SIZE; id++) {
        struct nf_tx_shadow *sh = &nf->tx_shadows[id];

        if (!sh->kept || !xenbus_end_grant(sh->gref, deadline_ns))
            continue;
        sh->kept = false;
        nf->tx_kept--;
        net_tx_free_id(&nf->tx, (uint16_t)id);
        slot_given_back(nf, sh);
    }
}

void nf_tx_poll(struct netfront *nf)
{
    net_tx_take_responses(&nf->tx, slot_done, nf);
    retry_kept(nf, 0);
    while (nf->to_end) {
        struct netfront_tx *tx = nf->to_end;

        nf->to_end = tx->next_done;
        end_tx(nf, tx);
    }
    wait_queue_wake_all(&nf->room_wq);
}

void nf_tx_fail_in_flight(struct netfront *nf)
{
    net_tx_fail_in_flight(&nf->tx, slot_done, nf);
    nf_tx_poll(nf);
}

void nf_tx_release(struct netfront *nf, uint64_t deadline_ns)
{
    retry_kept(nf, deadline_ns);
    for (unsigned int id = 0; id < NET_TX_RING_SIZE; id++) {
        struct nf_tx_shadow *sh = &nf->tx_shadows[id];

        if (!sh->kept)
            continue;
        if (sh->copy)
            nf->pages_withheld++;
        else
            printk("netfront: %s: the backend keeps a grant on a frame of the caller's: that "
                   "transmit never ends\n",
                   nf->info.name);
    }
}
