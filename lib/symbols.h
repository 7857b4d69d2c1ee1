/*
 * Looking up an address in a table of symbols sorted by address.
 */
#ifndef LIB_SYMBOLS_H
#define LIB_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

/*
 * The layout tools/gen-symbols emits, compact because every image carries it: symbol
 * i is at addrs[i] (ascending; the image lies in the low 4 GiB) and its name starts at
 * names + name_offsets[i].
 */
struct symbol_table {
    uint64_t count;
    const uint32_t *addrs;
    const uint16_t *name_offsets;
    const char *names;
};

/*
 * The symbol with the greatest address <= addr, and addr's offset from it; NULL
 * when addr is below the first symbol or the table is empty.
 */
const char *symbols_find(const struct symbol_table *table, uint64_t addr, uint64_t *offset);

#endif
