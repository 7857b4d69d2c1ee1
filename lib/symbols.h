/*
 * Looking up an address in a table of symbols sorted by address.
 */
#ifndef LIB_SYMBOLS_H
#define LIB_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

/* The layout tools/gen-symbols emits. */
struct symbol {
    uint64_t addr;
    const char *name;
};

/*
 * The symbol with the greatest address <= addr, and addr's offset from it; NULL
 * when addr is below the first symbol or the table is empty.
 */
const char *symbols_find(const struct symbol *table, size_t count, uint64_t addr, uint64_t *offset);

#endif
