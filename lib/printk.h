/*
 * printk: formatted kernel messages, written to every registered console sink.
 *
 * lib/ knows no console: the layer that owns one registers a sink at init
 * (xen/xencons.c registers console_io or the console ring).
 */
#ifndef LIB_PRINTK_H
#define LIB_PRINTK_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*printk_sink_fn)(const char *text, size_t len);

#define PRINTK_MAX_SINKS 4

/* Returns 0, or -ENOSPC when PRINTK_MAX_SINKS sinks are registered already. */
int printk_add_sink(printk_sink_fn fn);
void printk_remove_sink(printk_sink_fn fn);

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Unformatted, for text that may contain '%'. */
void printk_write(const char *text, size_t len);

#endif
