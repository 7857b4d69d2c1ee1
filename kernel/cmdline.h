/*
 * Kernel command-line options. Any file declares the options it reads with
 * KERNEL_PARAM_*; start_kernel applies the domain's command line to all of them once,
 * early.
 *
 *   static bool verbose;
 *   KERNEL_PARAM_FLAG(verbose, "verbose", "print more at boot");
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

enum param_kind {
    PARAM_FLAG,   /* `name` alone sets a bool */
    PARAM_STRING, /* `name=value` copies value into a char array */
    PARAM_ULONG,  /* `name=number` (decimal, 0x hex, 0 octal) into an unsigned long */
};

struct kernel_param {
    const char *name;
    enum param_kind kind;
    void *value;
    size_t size; /* PARAM_STRING: the array's size, NUL included */
    const char *help;
};

#define KERNEL_PARAM_DEFINE(var, pname, pkind, psize, phelp)                                       \
    static const struct kernel_param kernel_param_##var                                            \
        __attribute__((used, section(".kernel_params"), aligned(8))) = {                           \
            .name = (pname), .kind = (pkind), .value = &(var), .size = (psize), .help = (phelp)}

#define KERNEL_PARAM_FLAG(var, name, help) KERNEL_PARAM_DEFINE(var, name, PARAM_FLAG, 0, help)
#define KERNEL_PARAM_STRING(var, name, help)                                                       \
    KERNEL_PARAM_DEFINE(var, name, PARAM_STRING, sizeof(var), help)
#define KERNEL_PARAM_ULONG(var, name, help) KERNEL_PARAM_DEFINE(var, name, PARAM_ULONG, 0, help)

/*
 * Apply a command line to the options in [first, last). Each problem (malformed,
 * unknown, missing or unexpected value, bad number, value too long) is printed with
 * the option's text and skipped. Returns the number of problems.
 */
int params_apply(const char *line, size_t maxlen, const struct kernel_param *first,
                 const struct kernel_param *last);

/* The same, for every option linked into the kernel. */
int params_apply_all(const char *line, size_t maxlen);

#endif
