/*
 * Host tests for lib/list.h: each insertion and removal by hand, the empty and single-node
 * predicates, the iterators (removing while iterating with list_for_each_safe), a second
 * list_del being harmless, and a few thousand random operations checked against an array that
 * models the order. After every step the list is walked forwards and backwards, so a broken
 * prev link shows as well as a broken next.
 */
#include "lib/list.h"
#include "lib/tests/unit.h"

struct item {
    int id;
    struct list_node link;
    int after; /* something past the node, so container_of must subtract */
};

#define POOL 32

static struct item pool[POOL];

static void pool_init(void)
{
    for (int i = 0; i < POOL; i++) {
        pool[i].id = i;
        pool[i].after = -i;
        list_init(&pool[i].link);
    }
}

/*
 * Whether the list holds exactly the ids in want[0..n), in order, walked both
 * ways, with every prev matching the next before it.
 */
static int list_matches(const struct list_node *head, const int *want, int n)
{
    const struct list_node *pos = head;
    int i;

    for (i = 0; i < n; i++) {
        const struct list_node *next = pos->next;

        if (next == head || next->prev != pos)
            return 0;
        if (list_entry(next, struct item, link)->id != want[i])
            return 0;
        pos = next;
    }
    if (pos->next != head || head->prev != pos)
        return 0;
    pos = head;
    for (i = n - 1; i >= 0; i--) {
        pos = pos->prev;
        if (pos == head || list_entry(pos, struct item, link)->id != want[i])
            return 0;
    }
    return pos->prev == head;
}

static int points_at_itself(const struct list_node *node)
{
    return node->next == node && node->prev == node;
}

UNIT_TEST(test_init_and_empty)
{
    struct list_node head = LIST_HEAD_INIT(head);
    struct list_node other;

    CHECK(list_empty(&head));
    CHECK(points_at_itself(&head));
    list_init(&other);
    CHECK(list_empty(&other));
    CHECK(points_at_itself(&other));
    CHECK(list_matches(&head, NULL, 0));
}

UNIT_TEST(test_singular_is_exactly_one_node)
{
    struct list_node head = LIST_HEAD_INIT(head);

    pool_init();
    CHECK(!list_is_singular(&head));
    list_add(&head, &pool[1].link);
    CHECK(list_is_singular(&head));
    list_add_tail(&head, &pool[2].link);
    CHECK(!list_is_singular(&head));
    list_add_tail(&head, &pool[3].link);
    CHECK(!list_is_singular(&head));
    list_del(&pool[1].link);
    CHECK(!list_is_singular(&head));
    list_del(&pool[3].link);
    CHECK(list_is_singular(&head));
    list_del(&pool[2].link);
    CHECK(!list_is_singular(&head));
}

UNIT_TEST(test_add_is_first)
{
    struct list_node head = LIST_HEAD_INIT(head);

    pool_init();
    list_add(&head, &pool[1].link);
    CHECK(!list_empty(&head));
    CHECK(list_first_entry(&head, struct item, link) == &pool[1]);
    list_add(&head, &pool[2].link);
    list_add(&head, &pool[3].link);
    CHECK(list_first_entry(&head, struct item, link) == &pool[3]);
    CHECK(list_matches(&head, (const int[]){3, 2, 1}, 3));
}

UNIT_TEST(test_add_tail_is_last)
{
    struct list_node head = LIST_HEAD_INIT(head);

    pool_init();
    list_add_tail(&head, &pool[1].link);
    CHECK(list_first_entry(&head, struct item, link) == &pool[1]);
    list_add_tail(&head, &pool[2].link);
    list_add_tail(&head, &pool[3].link);
    CHECK(list_first_entry(&head, struct item, link) == &pool[1]);
    CHECK(list_entry(head.prev, struct item, link) == &pool[3]);
    CHECK(list_matches(&head, (const int[]){1, 2, 3}, 3));
    list_add(&head, &pool[0].link);
    CHECK(list_matches(&head, (const int[]){0, 1, 2, 3}, 4));
}

UNIT_TEST(test_add_before)
{
    struct list_node head = LIST_HEAD_INIT(head);

    pool_init();
    /* Before the head of an empty list: the only element. */
    list_add_before(&head, &pool[5].link);
    CHECK(list_matches(&head, (const int[]){5}, 1));
    /* Before the head again: last. */
    list_add_before(&head, &pool[7].link);
    CHECK(list_matches(&head, (const int[]){5, 7}, 2));
    /* Before the first element: first. */
    list_add_before(&pool[5].link, &pool[4].link);
    CHECK(list_matches(&head, (const int[]){4, 5, 7}, 3));
    CHECK(list_first_entry(&head, struct item, link) == &pool[4]);
    /* Before one in the middle. */
    list_add_before(&pool[7].link, &pool[6].link);
    CHECK(list_matches(&head, (const int[]){4, 5, 6, 7}, 4));
}

UNIT_TEST(test_del)
{
    struct list_node head = LIST_HEAD_INIT(head);

    pool_init();
    for (int i = 0; i < 5; i++)
        list_add_tail(&head, &pool[i].link);
    list_del(&pool[2].link); /* middle */
    CHECK(points_at_itself(&pool[2].link));
    CHECK(list_matches(&head, (const int[]){0, 1, 3, 4}, 4));
    list_del(&pool[0].link); /* first */
    CHECK(points_at_itself(&pool[0].link));
    CHECK(list_matches(&head, (const int[]){1, 3, 4}, 3));
    list_del(&pool[4].link); /* last */
    CHECK(list_matches(&head, (const int[]){1, 3}, 2));
    list_del(&pool[1].link);
    list_del(&pool[3].link);
    CHECK(list_empty(&head));
    CHECK(points_at_itself(&head));
    CHECK(points_at_itself(&pool[3].link));
    /* A removed node can go on a list again. */
    list_add(&head, &pool[3].link);
    CHECK(list_matches(&head, (const int[]){3}, 1));
}

UNIT_TEST(test_del_twice_is_harmless)
{
    struct list_node head = LIST_HEAD_INIT(head);

    pool_init();
    for (int i = 0; i < 3; i++)
        list_add_tail(&head, &pool[i].link);
    list_del(&pool[1].link);
    list_del(&pool[1].link);
    CHECK(points_at_itself(&pool[1].link));
    CHECK(list_matches(&head, (const int[]){0, 2}, 2));
    /* A node that was never on a list, too. */
    list_del(&pool[9].link);
    CHECK(points_at_itself(&pool[9].link));
    CHECK(list_matches(&head, (const int[]){0, 2}, 2));
}

UNIT_TEST(test_for_each)
{
    struct list_node head = LIST_HEAD_INIT(head);
    struct list_node *pos;
    int seen[POOL], n = 0;

    list_for_each(pos, &head)
    {
        n++;
    }
    CHECK_INT(n, 0);

    pool_init();
    for (int i = 0; i < 10; i++)
        list_add_tail(&head, &pool[i * 3 % 10].link);
    list_for_each(pos, &head)
    {
        if (n == POOL)
            break; /* a broken list could go round for ever */
        seen[n++] = list_entry(pos, struct item, link)->id;
    }
    CHECK_INT(n, 10);
    for (int i = 0; i < n; i++)
        CHECK_INT(seen[i], i * 3 % 10);
}

UNIT_TEST(test_for_each_safe_deleting)
{
    struct list_node head = LIST_HEAD_INIT(head);
    struct list_node *pos, *tmp;
    int n = 0;

    pool_init();
    for (int i = 0; i < 10; i++)
        list_add_tail(&head, &pool[i].link);
    /* Remove the even ids while walking: every node is still visited once. */
    list_for_each_safe(pos, tmp, &head)
    {
        struct item *it = list_entry(pos, struct item, link);

        if (n == POOL)
            break; /* a broken list could go round for ever */
        CHECK_INT(it->id, n);
        CHECK_INT(it->after, -n);
        if (it->id % 2 == 0)
            list_del(pos);
        n++;
    }
    CHECK_INT(n, 10);
    CHECK(list_matches(&head, (const int[]){1, 3, 5, 7, 9}, 5));
    for (int i = 0; i < 10; i += 2)
        CHECK(points_at_itself(&pool[i].link));

    /* Remove all of them. */
    n = 0;
    list_for_each_safe(pos, tmp, &head)
    {
        if (n == POOL)
            break;
        list_del(pos);
        n++;
    }
    CHECK_INT(n, 5);
    CHECK(list_empty(&head));
    CHECK(points_at_itself(&head));

    /* On an empty list the body never runs. */
    list_for_each_safe(pos, tmp, &head)
    {
        if (++n > POOL)
            break;
    }
    CHECK_INT(n, 5);
}

/* The model: the ids on the list, in order. */
static int model[POOL], model_len;

static int model_index(int id)
{
    for (int i = 0; i < model_len; i++)
        if (model[i] == id)
            return i;
    return -1;
}

static void model_insert(int at, int id)
{
    memmove(&model[at + 1], &model[at], (size_t)(model_len - at) * sizeof(model[0]));
    model[at] = id;
    model_len++;
}

static void model_remove(int at)
{
    memmove(&model[at], &model[at + 1], (size_t)(model_len - at - 1) * sizeof(model[0]));
    model_len--;
}

UNIT_TEST(test_random_against_model)
{
    struct list_node head = LIST_HEAD_INIT(head);
    unsigned long mismatches = 0, empty_wrong = 0, detached_wrong = 0, empty = 0;
    int longest = 0;

    pool_init();
    model_len = 0;
    unit_rng_seed(0x6c697374);
    for (int step = 0; step < 5000; step++) {
        int id = (int)unit_rng_below(POOL);
        int at = model_index(id);
        int op = (int)unit_rng_below(4);

        /* Every other 500 steps mostly remove, so the list drains as well as fills. */
        if ((step / 500) % 2 && unit_rng_below(8) != 0)
            op = 3;
        switch (op) {
        case 0: /* add at the front, if not on the list */
            if (at < 0) {
                list_add(&head, &pool[id].link);
                model_insert(0, id);
            }
            break;
        case 1: /* add at the back */
            if (at < 0) {
                list_add_tail(&head, &pool[id].link);
                model_insert(model_len, id);
            }
            break;
        case 2: /* add before a random element, or before the head */
            if (at < 0) {
                int before = (int)unit_rng_below((unsigned long)model_len + 1);

                if (before == model_len)
                    list_add_before(&head, &pool[id].link);
                else
                    list_add_before(&pool[model[before]].link, &pool[id].link);
                model_insert(before, id);
            }
            break;
        default: /* remove, whether on the list or not */
            list_del(&pool[id].link);
            if (at >= 0)
                model_remove(at);
            if (!points_at_itself(&pool[id].link))
                detached_wrong++;
            break;
        }
        /* Once the list and the model part, later steps mean nothing: stop. */
        if (!list_matches(&head, model, model_len)) {
            printf("  the list and the model differ after step %d\n", step);
            mismatches++;
            break;
        }
        if (list_empty(&head) != (model_len == 0))
            empty_wrong++;
        if (model_len > 0 && list_first_entry(&head, struct item, link)->id != model[0])
            mismatches++;
        empty += model_len == 0;
        if (model_len > longest)
            longest = model_len;
    }
    CHECK_INT(mismatches, 0);
    CHECK_INT(empty_wrong, 0);
    CHECK_INT(detached_wrong, 0);
    /* Nodes not on the list must be untouched by it (pointing at themselves). */
    for (int i = 0; i < POOL; i++)
        if (model_index(i) < 0)
            CHECK(points_at_itself(&pool[i].link));
    /* The sequence did drain the list and fill most of the pool. */
    CHECK(empty > 0);
    CHECK(longest > POOL * 3 / 4);
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(test_init_and_empty),
    UNIT_ENTRY(test_singular_is_exactly_one_node),
    UNIT_ENTRY(test_add_is_first),
    UNIT_ENTRY(test_add_tail_is_last),
    UNIT_ENTRY(test_add_before),
    UNIT_ENTRY(test_del),
    UNIT_ENTRY(test_del_twice_is_harmless),
    UNIT_ENTRY(test_for_each),
    UNIT_ENTRY(test_for_each_safe_deleting),
    UNIT_ENTRY(test_random_against_model),
};

int main(void)
{
    return unit_main(tests, UNIT_COUNT(tests));
}
