/*
 * Binary search in a sorted symbol table: O(log n) per lookup.
 */
#include "lib/symbols.h"

const char *symbols_find(const struct symbol_table *table, uint64_t addr, uint64_t *offset)
{
    size_t lo = 0, hi = table->count;

    /* Invariant: every symbol below lo is <= addr, every symbol from hi on is > addr. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (table->addrs[mid] <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    if (offset)
        *offset = addr - table->addrs[lo - 1];
    return table->names + table->name_offsets[lo - 1];
}
