/*
 * Grant tables, version 1 (xen/grant_table.h).
 *
 * The table is an array of struct grant_entry_v1 (flags, domid, frame) in frames Xen
 * owns and shares with us: GNTTABOP_setup_table returns their MFNs and the kernel
 * maps each into its virtual areas. Entries below GNTTAB_NR_RESERVED_ENTRIES belong
 * to the toolstack (console, xenstore); the others are handed out from a free list.
 * The table starts small and grows, a few frames at a time, when the free list runs
 * out, up to the limit Xen sets for the domain (GNTTABOP_query_size's max_nr_frames).
 *
 * Xen reads an entry while the peer maps or copies, and sets GTF_reading and
 * GTF_writing in its flags while it uses the page, so the order of writes matters:
 * domid and frame first, a barrier, then flags; and revoking is a compare-exchange
 * of flags to 0 that must fail while either busy bit is set.
 */
#include "arch/cpu.h"
#include "arch/hypercall.h"
#include "lib/errno.h"
#include "lib/printk.h"
#include "mm/heap.h"
#include "mm/vmap.h"
#include "xen/gnttab.h"

/* Frames asked for at set-up, and added at each growth: 2,048 references each time. */
#define GNTTAB_GROWTH_FRAMES 4
#define ENTRIES_PER_FRAME    (PAGE_SIZE / sizeof(struct grant_entry_v1))
#define FREE_LIST_END        0 /* reference 0 is reserved, so never free */

/* frames[f]: the table's frame f, mapped on its own; max_frames entries. */
static struct grant_entry_v1 **frames;
static unsigned int nr_frames, max_frames;
static unsigned int capacity;
/* free_next[ref]: the next free reference after ref. */
static grant_ref_t *free_next;
static grant_ref_t free_head = FREE_LIST_END;
static unsigned int free_count;

/* GNTST_* (xen/grant_table.h) as the kernel's error numbers. */
static int status_to_errno(int16_t status)
{
    switch (status) {
    case GNTST_okay:
        return 0;
    case GNTST_bad_domain:
    case GNTST_bad_gntref:
    case GNTST_bad_handle:
    case GNTST_bad_copy_arg:
        return -EINVAL;
    case GNTST_bad_virt_addr:
    case GNTST_bad_page:
        return -EFAULT;
    case GNTST_permission_denied:
        return -EACCES;
    case GNTST_eagain:
        return -EAGAIN;
    case GNTST_no_space:
        return -ENOSPC;
    default:
        return -EIO;
    }
}

/*
 * The free list is used by threads, which are cooperative, so it needs no lock;
 * event handlers do not grant (they only mark and wake).
 */
static void ref_put(grant_ref_t ref)
{
    free_next[ref] = free_head;
    free_head = ref;
    free_count++;
}

static struct grant_entry_v1 *entry(grant_ref_t ref)
{
    return &frames[ref / ENTRIES_PER_FRAME][ref % ENTRIES_PER_FRAME];
}

/*
 * Grow the table to `nr` frames (GNTTABOP_setup_table: Xen adds frames and returns the
 * MFNs of all of them), map the new ones and put their references on the free list.
 */
static int table_grow(unsigned int nr)
{
    struct gnttab_setup_table setup = {.dom = DOMID_SELF, .nr_frames = nr};
    xen_pfn_t *mfns = xmalloc(nr * sizeof(*mfns), 0);
    grant_ref_t *next = xrealloc(free_next, nr * ENTRIES_PER_FRAME * sizeof(*free_next), 0);
    unsigned int first = nr_frames * ENTRIES_PER_FRAME, ref;
    int rc;

    if (next)
        free_next = next;
    if (!mfns || !next) {
        xfree(mfns);
        return -ENOMEM;
    }
    set_xen_guest_handle(setup.frame_list, mfns);
    rc = hypercall_grant_table_op(GNTTABOP_setup_table, &setup, 1);
    if (rc == 0)
        rc = status_to_errno(setup.status);
    for (; rc == 0 && nr_frames < nr; nr_frames++) {
        mfn_t mfn = mfns[nr_frames];

        frames[nr_frames] = vmap_map_mfns(&mfn, 1);
        if (!frames[nr_frames])
            rc = -ENOMEM;
    }
    xfree(mfns);
    if (nr_frames * ENTRIES_PER_FRAME == first)
        return rc ? rc : -ENOSPC;
    capacity = nr_frames * ENTRIES_PER_FRAME;
    /* Pushed from the top down: the lowest free reference is handed out first. */
    for (ref = capacity - 1; ref >= first && ref >= GNTTAB_NR_RESERVED_ENTRIES; ref--)
        ref_put(ref);
    return 0;
}

/* GNTTABOP_query_size for the limit, then the first frames. */
static int table_setup(void)
{
    struct gnttab_query_size query = {.dom = DOMID_SELF};
    int rc = hypercall_grant_table_op(GNTTABOP_query_size, &query, 1);

    if (rc || query.status != GNTST_okay)
        return rc ? rc : status_to_errno(query.status);
    if (query.max_nr_frames == 0)
        return -ENOSPC;
    frames = xzalloc(query.max_nr_frames * sizeof(*frames), 0);
    if (!frames)
        return -ENOMEM;
    max_frames = query.max_nr_frames;
    rc = table_grow(max_frames < GNTTAB_GROWTH_FRAMES ? max_frames : GNTTAB_GROWTH_FRAMES);
    if (rc) {
        xfree(frames);
        frames = NULL;
    }
    return rc;
}

/*
 * The free list is out: add frames while Xen allows. A failure is said once; the
 * caller gets -ENOSPC as from a full table.
 */
static int table_grow_for_more(void)
{
    static bool failure_reported;
    unsigned int nr = nr_frames + GNTTAB_GROWTH_FRAMES;
    int rc;

    if (nr_frames == max_frames)
        return -ENOSPC;
    rc = table_grow(nr < max_frames ? nr : max_frames);
    if (rc && !failure_reported) {
        printk("grant table: growing past %u frames failed: %s\n", nr_frames, errno_name(rc));
        failure_reported = true;
    }
    return rc ? -ENOSPC : 0;
}

static int ref_take(grant_ref_t *ref)
{
    if (free_head == FREE_LIST_END && table_grow_for_more())
        return -ENOSPC;
    *ref = free_head;
    free_head = free_next[free_head];
    free_count--;
    return 0;
}

/*
 * Set-up is left to the first caller: a kernel that never grants (most applications
 * that use no device) never pays for it, and one that does pays once, at the first
 * grant. Only threads call this, and nothing in table_setup blocks, so two threads
 * never set up at once. A failed set-up is reported once and tried again by the next
 * caller.
 */
int gnttab_setup(void)
{
    static bool failure_reported;
    int rc;

    if (frames)
        return 0;
    rc = table_setup();
    if (rc && !failure_reported) {
        printk("grant table: set-up failed: %s\n", errno_name(rc));
        failure_reported = true;
    }
    return rc;
}

unsigned int gnttab_free_count(void)
{
    return free_count;
}

unsigned int gnttab_capacity(void)
{
    return capacity;
}

unsigned int gnttab_max_capacity(void)
{
    return max_frames * ENTRIES_PER_FRAME;
}

int gnttab_grant_access(domid_t domid, mfn_t mfn, bool readonly, grant_ref_t *ref)
{
    struct grant_entry_v1 *e;
    int rc;

    /* A v1 entry holds a 32-bit frame number: anything larger would grant another frame. */
    if (mfn > UINT32_MAX)
        return -E2BIG;
    rc = gnttab_setup();
    if (rc)
        return rc;
    rc = ref_take(ref);
    if (rc)
        return rc;
    e = entry(*ref);
    e->domid = domid;
    e->frame = (uint32_t)mfn;
    wmb(); /* Xen must never see the flags before the domid and frame they permit */
    __atomic_store_n(&e->flags, GTF_permit_access | (readonly ? GTF_readonly : 0),
                     __ATOMIC_SEQ_CST);
    return 0;
}

int gnttab_end_access(grant_ref_t ref)
{
    struct grant_entry_v1 *e;
    uint16_t flags;

    if (ref < GNTTAB_NR_RESERVED_ENTRIES || ref >= capacity)
        return -EINVAL;
    e = entry(ref);
    flags = __atomic_load_n(&e->flags, __ATOMIC_SEQ_CST);
    do {
        if ((flags & GTF_type_mask) != GTF_permit_access)
            return -EINVAL;
        if (flags & (GTF_reading | GTF_writing)) {
            printk("grant table: ref %u is still in use by dom%u; its page must be kept\n", ref,
                   e->domid);
            return -EBUSY;
        }
    } while (!__atomic_compare_exchange_n(&e->flags, &flags, 0, false, __ATOMIC_SEQ_CST,
                                          __ATOMIC_SEQ_CST));
    ref_put(ref);
    return 0;
}

int gnttab_map(domid_t domid, grant_ref_t ref, bool readonly, struct gnttab_mapping *m)
{
    struct gnttab_map_grant_ref op;
    void *va = vmap_reserve_tables(1);
    int rc;

    if (!va)
        return -ENOMEM;
    op = (struct gnttab_map_grant_ref){
        .host_addr = (uint64_t)(uintptr_t)va,
        .flags = GNTMAP_host_map | (readonly ? GNTMAP_readonly : 0),
        .ref = ref,
        .dom = domid,
    };
    rc = hypercall_grant_table_op(GNTTABOP_map_grant_ref, &op, 1);
    if (rc == 0)
        rc = status_to_errno(op.status);
    if (rc) {
        /* Reserved above and left unmapped by the failed map: the release cannot be refused. */
        (void)vmap_release_tables(va, 1);
        return rc;
    }
    *m = (struct gnttab_mapping){.va = va, .handle = op.handle, .domid = domid, .ref = ref};
    return 0;
}

int gnttab_unmap(struct gnttab_mapping *m)
{
    struct gnttab_unmap_grant_ref op = {
        .host_addr = (uint64_t)(uintptr_t)m->va,
        .handle = m->handle,
    };
    int rc = hypercall_grant_table_op(GNTTABOP_unmap_grant_ref, &op, 1);

    if (rc == 0)
        rc = status_to_errno(op.status);
    if (rc) {
        /* Still mapped: the address must not be reused. */
        printk("grant table: unmapping dom%u's ref %u at %p failed: %s\n", m->domid, m->ref, m->va,
               errno_name(rc));
        return rc;
    }
    /* Xen has cleared the entry; a refusal (a mapping unmapped twice) is reported there. */
    (void)vmap_release_tables(m->va, 1);
    m->va = NULL;
    return 0;
}

int gnttab_copy(domid_t domid, grant_ref_t ref, unsigned int ref_offset, mfn_t mfn,
                unsigned int offset, unsigned int len, bool to_peer)
{
    struct gnttab_copy op = {
        .len = (uint16_t)len,
        .flags = to_peer ? GNTCOPY_dest_gref : GNTCOPY_source_gref,
    };
    /* One side names the peer's grant, the other our own frame. */
    struct gnttab_copy_ptr *peer = to_peer ? &op.dest : &op.source;
    struct gnttab_copy_ptr *ours = to_peer ? &op.source : &op.dest;
    int rc;

    if (len == 0 || len > PAGE_SIZE || ref_offset > PAGE_SIZE - len || offset > PAGE_SIZE - len)
        return -EINVAL;
    peer->u.ref = ref;
    peer->domid = domid;
    peer->offset = (uint16_t)ref_offset;
    ours->u.gmfn = mfn;
    ours->domid = DOMID_SELF;
    ours->offset = (uint16_t)offset;
    rc = hypercall_grant_table_op(GNTTABOP_copy, &op, 1);
    return rc ? rc : status_to_errno(op.status);
}
