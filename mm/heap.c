/*
 * The kernel heap (see heap.h for the contract).
 *
 * Small objects: eight size classes, 16 to 2048 bytes, each a power of two.
 * A class takes single pages ("slabs") from the page allocator. A slab starts
 * with a 64-byte struct heap_slab, and its objects follow, each aligned to
 * its class size, so no small object ever starts at offset 0 of its page.
 * The header's bitmap says which objects are allocated, so frees are checked
 * against it and nothing is ever read from a free object. Slabs with a free
 * object are on their class's list. A slab that becomes empty goes back to the
 * page allocator unless it is its class's only slab with room, so each class keeps
 * at most one empty page; heap_trim gives those back too.
 *
 * Large objects (over 2048 bytes, or aligned to more than 2048) are whole
 * blocks from alloc_pages, whose natural alignment serves any alignment up to
 * the block's size. They carry no header: a page-aligned pointer is always a
 * large object, and pages_allocated_order gives back its order.
 *
 * What a bad pointer check cannot catch: a pointer that was freed and whose
 * page has since been reused by the heap looks valid if it lands on a live
 * object; and a large object's address freed by someone who got that block
 * from alloc_pages directly looks like the heap's own.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/errno.h"
#include "lib/list.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/page_alloc.h"

#define PAGE_BYTES       PAGE_ALLOC_PAGE_SIZE
#define CLASS_MIN_SHIFT  4  /* 16 bytes */
#define CLASS_MAX_SHIFT  11 /* 2048 bytes */
#define NR_CLASSES       (CLASS_MAX_SHIFT - CLASS_MIN_SHIFT + 1)
#define SLAB_HEADER      64
#define SLAB_BITMAP_BITS 256
/* A slab's check word is this XOR its own address, so stale or copied data rarely matches. */
#define SLAB_MAGIC ((uintptr_t)0x5a1bc0de5a1bc0deULL)

struct heap_slab {
    uintptr_t check;                      /* SLAB_MAGIC ^ (uintptr_t)this */
    struct list_node link;                /* on its class's list while it has a free object */
    uint64_t used[SLAB_BITMAP_BITS / 64]; /* bit set: allocated, or past the last object */
    uint16_t nr_objects;
    uint16_t nr_free;
    uint8_t shift; /* the class: objects of 1 << shift bytes */
};

BUILD_BUG_ON(sizeof(struct heap_slab) > SLAB_HEADER);
/* The smallest class has the most objects per slab; the bitmap must cover them. */
BUILD_BUG_ON((PAGE_BYTES - SLAB_HEADER) >> CLASS_MIN_SHIFT > SLAB_BITMAP_BITS);

/* What an object pointer resolves to: a slab object, or a large block. */
struct heap_object {
    struct heap_slab *slab; /* NULL for a large block */
    unsigned int index;     /* in the slab */
    unsigned int order;     /* of the large block */
    size_t size;            /* usable bytes */
};

/* Each class's slabs with a free object, most recently listed first. */
static struct list_node partial[NR_CLASSES] = {
    LIST_HEAD_INIT(partial[0]), LIST_HEAD_INIT(partial[1]), LIST_HEAD_INIT(partial[2]),
    LIST_HEAD_INIT(partial[3]), LIST_HEAD_INIT(partial[4]), LIST_HEAD_INIT(partial[5]),
    LIST_HEAD_INIT(partial[6]), LIST_HEAD_INIT(partial[7]),
};
BUILD_BUG_ON(NR_CLASSES != 8); /* one initialiser per class above */
static struct heap_stats stats;

void heap_get_stats(struct heap_stats *s)
{
    *s = stats;
}

/* Objects start at the first multiple of the class size past the header. */
static size_t slab_first_offset(unsigned int shift)
{
    return (1UL << shift) > SLAB_HEADER ? (1UL << shift) : SLAB_HEADER;
}

static struct list_node *partial_list(unsigned int shift)
{
    return &partial[shift - CLASS_MIN_SHIFT];
}

static struct heap_slab *slab_create(unsigned int shift)
{
    struct heap_slab *s = alloc_page();
    unsigned int i;

    if (!s)
        return NULL;
    s->check = SLAB_MAGIC ^ (uintptr_t)s;
    s->shift = shift;
    s->nr_objects = (PAGE_BYTES - slab_first_offset(shift)) >> shift;
    s->nr_free = s->nr_objects;
    /* Bits past the last object stay set, so the search for a free one never finds them. */
    for (i = 0; i < SLAB_BITMAP_BITS; i++) {
        if (i % 64 == 0)
            s->used[i / 64] = 0;
        if (i >= s->nr_objects)
            s->used[i / 64] |= 1ULL << (i % 64);
    }
    list_add(partial_list(shift), &s->link);
    stats.pages_in_use++;
    return s;
}

static void *slab_alloc(unsigned int shift)
{
    struct list_node *list = partial_list(shift);
    struct heap_slab *s;
    unsigned int w, index;

    if (list_empty(list))
        s = slab_create(shift);
    else
        s = list_first_entry(list, struct heap_slab, link);
    if (!s)
        return NULL;
    /* A listed slab has a free object, so some word has a clear bit. */
    for (w = 0; s->used[w] == ~0ULL; w++)
        ;
    index = w * 64 + __builtin_ctzll(~s->used[w]);
    s->used[w] |= 1ULL << (index % 64);
    if (--s->nr_free == 0)
        list_del(&s->link);
    stats.allocations++;
    stats.bytes_in_use += 1UL << shift;
    return (char *)s + slab_first_offset(shift) + ((size_t)index << shift);
}

static void slab_destroy(struct heap_slab *s)
{
    list_del(&s->link);
    s->check = 0; /* a stale pointer into this page must not pass for a slab's */
    free_page(s);
    stats.pages_in_use--;
}

static void slab_release(struct heap_slab *s, unsigned int index)
{
    s->used[index / 64] &= ~(1ULL << (index % 64));
    stats.allocations--;
    stats.bytes_in_use -= 1UL << s->shift;
    if (s->nr_free++ == 0)
        list_add(partial_list(s->shift), &s->link);
    /*
     * An empty slab goes back to the page allocator unless it is its class's only
     * slab with room: a loop that allocates and frees one object must not build and
     * tear down a slab each time. So each class keeps at most one empty page.
     */
    if (s->nr_free == s->nr_objects && !list_is_singular(partial_list(s->shift)))
        slab_destroy(s);
}

void heap_trim(void)
{
    unsigned int c;

    for (c = 0; c < NR_CLASSES; c++) {
        struct list_node *pos, *next;

        list_for_each_safe(pos, next, &partial[c])
        {
            struct heap_slab *s = list_entry(pos, struct heap_slab, link);

            if (s->nr_free == s->nr_objects)
                slab_destroy(s);
        }
    }
}

static void *large_alloc(unsigned int order)
{
    void *p = alloc_pages(order);

    if (!p)
        return NULL;
    stats.allocations++;
    stats.bytes_in_use += PAGE_BYTES << order;
    stats.pages_in_use += 1UL << order;
    return p;
}

static void large_release(void *p, unsigned int order)
{
    free_pages(p, order);
    stats.allocations--;
    stats.bytes_in_use -= PAGE_BYTES << order;
    stats.pages_in_use -= 1UL << order;
}

/*
 * Where an object of size bytes aligned to align goes: sets *shift to its
 * class and returns true, or sets *order to its block size and returns false.
 */
static bool heap_place(size_t size, size_t align, unsigned int *shift, unsigned int *order)
{
    size_t need = size > align ? size : align;
    size_t pages = need / PAGE_BYTES + (need % PAGE_BYTES != 0);

    if (need <= (1UL << CLASS_MAX_SHIFT)) {
        *shift = CLASS_MIN_SHIFT;
        while ((1UL << *shift) < need)
            (*shift)++;
        return true;
    }
    /* Stops by order 52 at most, as pages < 2^52; alloc_pages refuses such orders. */
    *order = 0;
    while ((1UL << *order) < pages)
        (*order)++;
    return false;
}

static bool looks_like_slab(const void *page)
{
    const struct heap_slab *s = page;

    return s->check == (SLAB_MAGIC ^ (uintptr_t)s) && s->shift >= CLASS_MIN_SHIFT &&
           s->shift <= CLASS_MAX_SHIFT;
}

/*
 * Resolve ptr into *obj: 0, or -EINVAL if ptr is not a live object of the
 * heap as far as it can tell. The page allocator vouches for a page before
 * any of its memory is read, so a wild pointer is rejected without a fault.
 */
static int heap_find(void *ptr, struct heap_object *obj)
{
    uintptr_t addr = (uintptr_t)ptr;
    struct heap_slab *s = (struct heap_slab *)(addr & ~(PAGE_BYTES - 1));
    size_t offset = addr - (uintptr_t)s, first;
    int order = pages_allocated_order(s);

    if (order < 0)
        return -EINVAL;
    if (offset == 0) {
        if (looks_like_slab(s) || stats.pages_in_use < (1UL << order))
            return -EINVAL;
        obj->slab = NULL;
        obj->order = order;
        obj->size = PAGE_BYTES << order;
        return 0;
    }
    /* Slabs are single pages. */
    if (order != 0 || !looks_like_slab(s))
        return -EINVAL;
    first = slab_first_offset(s->shift);
    if (offset < first || (offset - first) & ((1UL << s->shift) - 1))
        return -EINVAL;
    obj->index = (offset - first) >> s->shift;
    if (obj->index >= s->nr_objects || !(s->used[obj->index / 64] & (1ULL << (obj->index % 64))))
        return -EINVAL;
    obj->slab = s;
    obj->size = 1UL << s->shift;
    return 0;
}

static void heap_release(void *ptr, const struct heap_object *obj)
{
    if (obj->slab)
        slab_release(obj->slab, obj->index);
    else
        large_release(ptr, obj->order);
}

static void heap_reject(const char *caller, const void *ptr)
{
    stats.rejected_frees++;
    printk("heap: %s(%p): not a live heap object; ignored\n", caller, ptr);
}

static bool align_is_valid(size_t align)
{
    return (align & (align - 1)) == 0;
}

void *xmalloc(size_t size, size_t align)
{
    unsigned int shift, order;

    if (!align_is_valid(align))
        return NULL;
    if (size == 0)
        size = 1;
    if (heap_place(size, align, &shift, &order))
        return slab_alloc(shift);
    return large_alloc(order);
}

void *xzalloc(size_t size, size_t align)
{
    void *p = xmalloc(size, align);

    if (p)
        memset(p, 0, size);
    return p;
}

void *xrealloc(void *ptr, size_t size, size_t align)
{
    struct heap_object obj;
    unsigned int shift, order;
    bool small;
    void *q;

    if (!ptr)
        return xmalloc(size, align);
    if (!align_is_valid(align))
        return NULL;
    if (heap_find(ptr, &obj)) {
        heap_reject("xrealloc", ptr);
        return NULL;
    }
    if (size == 0)
        size = 1;
    /* Same class or same block order: the object already fits and is aligned enough. */
    small = heap_place(size, align, &shift, &order);
    if (small ? obj.slab && obj.slab->shift == shift : !obj.slab && obj.order == order)
        return ptr;
    q = xmalloc(size, align);
    if (!q)
        return NULL;
    memcpy(q, ptr, size < obj.size ? size : obj.size);
    heap_release(ptr, &obj);
    return q;
}

void xfree(void *ptr)
{
    struct heap_object obj;

    if (!ptr)
        return;
    if (heap_find(ptr, &obj)) {
        heap_reject("xfree", ptr);
        return;
    }
    heap_release(ptr, &obj);
}
