/*
 * panic: print the reason, then hand over to the registered handler.
 */
#include <stdarg.h>

#include "lib/panic.h"
#include "lib/printk.h"

static panic_handler_fn panic_handler;

void panic_set_handler(panic_handler_fn fn)
{
    panic_handler = fn;
}

void panic(const char *fmt, ...)
{
    static int nested;
    va_list ap;

    /* A panic inside the handler must not recurse forever. */
    if (nested++ == 0) {
        printk("\n*** PANIC: ");
        va_start(ap, fmt);
        vprintk(fmt, ap);
        va_end(ap);
        if (panic_handler)
            panic_handler();
    }
    for (;;)
        ;
}
