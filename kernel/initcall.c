/* Running the KERNEL_INIT functions that the linker gathered, level by level. */
#include "lib/errno.h"
#include "lib/printk.h"
#include "kernel/boot_report.h"
#include "kernel/initcall.h"

/* From the linker script: the .kernel_inits.* sections, sorted by name (level). */
extern const struct kernel_init __start_kernel_inits[], __stop_kernel_inits[];

void kernel_inits_run(void)
{
    const struct kernel_init *init;

    for (init = __start_kernel_inits; init < __stop_kernel_inits; init++) {
        int rc = init->fn();

        if (rc)
            printk("%s: failed: %s\n", init->name, errno_name(rc));
        boot_step_done(init->name);
    }
}
