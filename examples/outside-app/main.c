/*
 * An application that lives outside the kernel's tree: built either by the kernel's
 * makefile (make APP=examples/outside-app) or by this folder's own Makefile against
 * the installed kernel library (make install).
 */
#include "kernel/app.h"
#include "lib/printk.h"

int app_main(void)
{
    printk("Hello from an application outside the tree.\n");
    return 0;
}
