/*
 * Applying the command line Xen hands over (start_info.cmd_line for a PV guest) to
 * the options the kernel's files declare (kernel/cmdline.h). A bad option never
 * stops the boot: it is reported by name and ignored. The name is printed escaped
 * (lib/escape.h): the line comes from whoever configured the domain, and may hold
 * terminal control bytes.
 */
#include <stdint.h>

#include "lib/cmdline.h"
#include "lib/errno.h"
#include "lib/escape.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "kernel/cmdline.h"

extern const struct kernel_param __start_kernel_params[], __stop_kernel_params[];

static const struct kernel_param *param_find(const struct kernel_param *first,
                                             const struct kernel_param *last,
                                             const struct cmdline_token *tok)
{
    const struct kernel_param *p;

    for (p = first; p < last; p++)
        if (cmdline_token_is(tok, p->name))
            return p;
    return NULL;
}

/* Returns NULL on success, or what was wrong with the token. */
static const char *param_set(const struct kernel_param *p, const struct cmdline_token *tok)
{
    unsigned long number;

    switch (p->kind) {
    case PARAM_FLAG:
        if (tok->has_value)
            return "is a flag and takes no value";
        *(bool *)p->value = true;
        return NULL;
    case PARAM_STRING:
        if (!tok->has_value)
            return "needs a value";
        if (tok->value_len >= p->size)
            return "value is too long";
        memcpy(p->value, tok->value, tok->value_len);
        ((char *)p->value)[tok->value_len] = '\0';
        return NULL;
    case PARAM_ULONG:
        if (!tok->has_value)
            return "needs a value";
        if (parse_ulong(tok->value, tok->value_len, 0, &number) != 0)
            return "needs a number";
        *(unsigned long *)p->value = number;
        return NULL;
    }
    return "has an unknown kind";
}

int params_apply(const char *line, size_t maxlen, const struct kernel_param *first,
                 const struct kernel_param *last)
{
    struct cmdline_cursor cursor;
    struct cmdline_token tok;
    int problems = 0;
    char shown[80]; /* a long token ends in "..." */

    cmdline_start(&cursor, line, maxlen);
    while (cmdline_next(&cursor, &tok)) {
        const struct kernel_param *p;
        const char *why;

        if (tok.error) {
            printk("cmdline: malformed option '%s' ignored\n",
                   escape_text(shown, sizeof(shown), tok.text, tok.text_len));
            problems++;
            continue;
        }
        p = param_find(first, last, &tok);
        if (!p) {
            printk("cmdline: unknown option '%s' ignored\n",
                   escape_text(shown, sizeof(shown), tok.key, tok.key_len));
            problems++;
            continue;
        }
        why = param_set(p, &tok);
        if (why) {
            printk("cmdline: option '%s' %s; ignored\n",
                   escape_text(shown, sizeof(shown), tok.text, tok.text_len), why);
            problems++;
        }
    }
    return problems;
}

int params_apply_all(const char *line, size_t maxlen)
{
    return params_apply(line, maxlen, __start_kernel_params, __stop_kernel_params);
}
