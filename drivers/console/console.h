/*
 * Console input for threads: block until the user (or, in a test, the toolstack)
 * types something. Output is printk's business (xen/xencons.c).
 */
#ifndef DRIVERS_CONSOLE_CONSOLE_H
#define DRIVERS_CONSOLE_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Read at least one byte and at most size, waiting until some has arrived or system
 * time reaches deadline_ns (0: no deadline). Returns the count, or -ETIMEDOUT.
 */
int console_read(char *buf, size_t size, uint64_t deadline_ns);

/*
 * Read one line, ended by "\n" or "\r" (a "\r\n" pair counts once), into buf
 * without its ending, NUL-terminated. Returns its length; -ETIMEDOUT, with what was
 * typed of the line so far left unread for the next call; or -E2BIG for a line
 * longer than size - 1 (or than the 255 bytes held back), which is discarded.
 */
int console_read_line(char *buf, size_t size, uint64_t deadline_ns);

#endif
