/*
 * printk: format into a buffer on the stack, then hand the text to each sink, in one
 * call per message.
 */
#include "lib/errno.h"
#include "lib/vsnprintf.h"
#include "lib/printk.h"
#include "lib/string.h"

/* Longer messages are cut, and the cut is marked. */
#define PRINTK_BUFFER 512

static printk_sink_fn sinks[PRINTK_MAX_SINKS];

int printk_add_sink(printk_sink_fn fn)
{
    size_t i;

    for (i = 0; i < PRINTK_MAX_SINKS; i++) {
        if (sinks[i] == fn)
            return 0;
        if (!sinks[i]) {
            sinks[i] = fn;
            return 0;
        }
    }
    return -ENOSPC;
}

void printk_remove_sink(printk_sink_fn fn)
{
    size_t i;

    for (i = 0; i < PRINTK_MAX_SINKS; i++)
        if (sinks[i] == fn)
            sinks[i] = NULL;
}

void printk_write(const char *text, size_t len)
{
    size_t i;

    for (i = 0; i < PRINTK_MAX_SINKS; i++)
        if (sinks[i])
            sinks[i](text, len);
}

int vprintk(const char *fmt, va_list ap)
{
    static const char cut[] = "[...]\n";
    char buf[PRINTK_BUFFER];
    int len = vsnprintf(buf, sizeof(buf), fmt, ap);

    if (len < 0)
        return len;
    /* One message, one call of each sink: a sink keeps what it gets in one call whole. */
    if ((size_t)len < sizeof(buf)) {
        printk_write(buf, len);
    } else {
        memcpy(buf + sizeof(buf) - sizeof(cut), cut, sizeof(cut));
        printk_write(buf, sizeof(buf) - 1);
    }
    return len;
}

int printk(const char *fmt, ...)
{
    va_list ap;
    int len;

    va_start(ap, fmt);
    len = vprintk(fmt, ap);
    va_end(ap);
    return len;
}
