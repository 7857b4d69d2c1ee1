/*
 * Text from outside the kernel (the command line, xenstore values) made safe to print.
 * A console is often a terminal, and a control byte such as ESC in such text would
 * drive the terminal of whoever reads the log: move the cursor, rewrite lines, retitle
 * the window. escape_text renders such bytes visibly instead.
 */
#ifndef LIB_ESCAPE_H
#define LIB_ESCAPE_H

#include <stddef.h>

/*
 * Render len bytes of text (a NUL among them included) into buf[size]: printable ASCII
 * as itself, a backslash as `\\`, and every other byte (controls, DEL, bytes from 0x80)
 * as `\xNN`. The result always ends in a NUL when size > 0. When it does not fit, it
 * stops after the last whole character or escape that leaves room for "..." and ends
 * with it; the dots are cut short only when size is under 4. Returns buf, so that the
 * call can be a printk argument.
 */
char *escape_text(char *buf, size_t size, const char *text, size_t len);

/* The size of buf that holds any text of len bytes whole: four bytes each, and the NUL. */
#define ESCAPE_TEXT_SIZE(len) (4 * (len) + 1)

#endif
