/*
 * Start-up functions of the layers above the kernel core. A driver declares its own
 * with KERNEL_INIT; the main thread runs them all, in level order, before app_main.
 * This is how start_kernel starts the drivers without knowing them: the core never
 * includes a driver's header.
 *
 *   static int xenbus_start(void) { ... }
 *   KERNEL_INIT(1, xenbus_start);
 *
 * Levels are one digit (the linker sorts them as text): 1 for xenstore and the
 * console, 2 for what needs xenstore (frontends). A function returns 0 (also when
 * its device is absent here, which it says itself) or an error, which is printed;
 * the application starts either way and finds out from the driver's own calls.
 */
#ifndef KERNEL_INITCALL_H
#define KERNEL_INITCALL_H

struct kernel_init {
    const char *name;
    int (*fn)(void);
};

#define KERNEL_INIT(level, func)                                                                   \
    static const struct kernel_init kernel_init_##func                                             \
        __attribute__((used, section(".kernel_inits." #level), aligned(8))) = {#func, func}

/* Run every KERNEL_INIT function, lowest level first. In a thread: they may block. */
void kernel_inits_run(void);

#endif
