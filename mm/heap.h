/*
 * The kernel heap: objects of any size and power-of-two alignment, built on
 * the page allocator (mm/page_alloc.h). Objects up to 2048 bytes come from
 * size classes carved out of single pages; larger ones, or ones aligned to
 * more than 2048 bytes, are whole page blocks. Nothing panics: exhaustion
 * returns NULL. No locking inside, like the page allocator below it.
 */
#ifndef MM_HEAP_H
#define MM_HEAP_H

#include <stddef.h>

/*
 * size bytes aligned to align, which is 0 (meaning 16) or a power of two;
 * NULL for any other align or when memory runs out. Every object is aligned
 * to at least 16 bytes. size 0 is served as size 1: the result is a unique
 * pointer that must be passed to xfree like any other.
 */
void *xmalloc(size_t size, size_t align);

/* xmalloc, with the size bytes zeroed. */
void *xzalloc(size_t size, size_t align);

/*
 * Resize the object at ptr to size bytes aligned to align, keeping the first
 * min(old, new) bytes; it may move. NULL ptr is xmalloc(size, align); size 0
 * is served as size 1, like xmalloc. On failure (bad align, no memory, or a
 * ptr the heap never returned, which is reported) returns NULL and leaves ptr
 * valid and unchanged.
 */
void *xrealloc(void *ptr, size_t size, size_t align);

/*
 * Free an object from xmalloc, xzalloc or xrealloc; NULL is fine. A pointer
 * the heap never returned, or one already freed, is reported with printk and
 * ignored when the heap can tell (see heap.c for when it cannot).
 */
void xfree(void *ptr);

struct heap_stats {
    unsigned long allocations;    /* live objects */
    unsigned long bytes_in_use;   /* bytes of live objects, rounded up to their class or block */
    unsigned long pages_in_use;   /* pages held from the page allocator, partly used or not */
    unsigned long rejected_frees; /* bad xfree/xrealloc pointers reported and ignored, ever */
};

void heap_get_stats(struct heap_stats *s);

/* Give back the empty slab each size class keeps for reuse (mm/heap.c). */
void heap_trim(void);

#endif
