/*
 * panic: print the reason, then hand over to the registered handler.
 */
#include <stdarg.h>

#include "lib/panic.h"
#include "lib/vsnprintf.h"
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
        char reason[400];
        int len;

        va_start(ap, fmt);
        len = vsnprintf(reason, sizeof(reason), fmt, ap);
        va_end(ap);
        /* One printk: the line reaches the console whole, whatever else prints. */
        printk("\n*** PANIC: %s%s", reason, len >= (int)sizeof(reason) ? "[...]\n" : "");
        if (panic_handler)
            panic_handler();
    }
    for (;;)
        ;
}
