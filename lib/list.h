/*
 * Intrusive doubly linked lists: a struct list_node lives inside the object, and a
 * list is a head node whose next and prev close the circle. An empty list, or a node
 * on no list, points at itself, so removal never needs to know which list it was on.
 *
 *   struct thread { struct list_node run_link; ... };
 *   list_add_tail(&run_queue, &t->run_link);
 *   struct thread *t = list_first_entry(&run_queue, struct thread, run_link);
 */
#ifndef LIB_LIST_H
#define LIB_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_node {
    struct list_node *next, *prev;
};

#define LIST_HEAD_INIT(name)                                                                       \
    {                                                                                              \
        &(name), &(name)                                                                           \
    }

#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

static inline void list_init(struct list_node *node)
{
    node->next = node;
    node->prev = node;
}

static inline bool list_empty(const struct list_node *head)
{
    return head->next == head;
}

/* Whether the list holds exactly one node. */
static inline bool list_is_singular(const struct list_node *head)
{
    return !list_empty(head) && head->next == head->prev;
}

static inline void list_insert_between(struct list_node *node, struct list_node *prev,
                                       struct list_node *next)
{
    node->prev = prev;
    node->next = next;
    prev->next = node;
    next->prev = node;
}

/* Insert node right after head: the list's new first element. */
static inline void list_add(struct list_node *head, struct list_node *node)
{
    list_insert_between(node, head, head->next);
}

/* Insert node before head: the list's new last element. */
static inline void list_add_tail(struct list_node *head, struct list_node *node)
{
    list_insert_between(node, head->prev, head);
}

/* Insert node just before pos, which may be a head (then node becomes last). */
static inline void list_add_before(struct list_node *pos, struct list_node *node)
{
    list_insert_between(node, pos->prev, pos);
}

/* Take node off its list, if any, and leave it pointing at itself. */
static inline void list_del(struct list_node *node)
{
    node->prev->next = node->next;
    node->next->prev = node->prev;
    list_init(node);
}

#define list_entry(node, type, member)       container_of(node, type, member)
#define list_first_entry(head, type, member) list_entry((head)->next, type, member)

/* Iterate; `pos` may be removed from the list inside the body (tmp holds the next). */
#define list_for_each_safe(pos, tmp, head)                                                         \
    for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head);                               \
         (pos) = (tmp), (tmp) = (pos)->next)

#define list_for_each(pos, head) for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

#endif
