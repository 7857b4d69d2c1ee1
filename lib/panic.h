/*
 * panic() for conditions the kernel cannot continue from, and the assertions that
 * state the kernel's own invariants. Never use them on data from another domain.
 */
#ifndef LIB_PANIC_H
#define LIB_PANIC_H

/*
 * What runs after the panic message: the architecture registers one that prints a
 * backtrace and shuts the domain down as crashed (arch/x86/shutdown.c).
 */
typedef void (*panic_handler_fn)(void);
void panic_set_handler(panic_handler_fn fn);

void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#define ASSERT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond))                                                                               \
            panic("ASSERT(%s) failed at %s:%d\n", #cond, __FILE__, __LINE__);                      \
    } while (0)

#define BUG_ON(cond)                                                                               \
    do {                                                                                           \
        if (cond)                                                                                  \
            panic("BUG_ON(%s) at %s:%d\n", #cond, __FILE__, __LINE__);                             \
    } while (0)

#define BUILD_BUG_ON(cond) _Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")")

#endif
