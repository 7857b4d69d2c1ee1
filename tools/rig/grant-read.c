/*
 * grant-read: map a page that a guest granted to dom0, read-only, and print the text
 * at its start. Rig scenarios use it to check what a domU shares through its grant
 * table, and (with --hold) what the domU does while dom0 still has its page mapped.
 *
 *   grant-read DOMID REF [--hold FILE]
 *
 * Prints one line, "grant-read: TEXT", where TEXT is the page's leading NUL-terminated
 * text (at most 4095 bytes), with \\, \n, \r, \t and \xHH escapes for anything that
 * is not printable ASCII. With --hold, the page stays mapped until FILE exists; then
 * it is unmapped. Exits 0 on success, 1 with a message on stderr on any failure.
 *
 * Built on the host against libxengnttab (libxen-dev); runs in the rig's dom0, where
 * the xen-gntdev module provides /dev/xen/gntdev.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <xengnttab.h>

#define PAGE_BYTES 4096
#define TEXT_MAX   (PAGE_BYTES - 1)
/* How often --hold looks for its file: often enough not to slow a scenario down. */
#define HOLD_POLL_NS (10 * 1000 * 1000L)

static void usage(void)
{
    fprintf(stderr, "usage: grant-read DOMID REF [--hold FILE]\n");
}

/* Decimal or 0x-prefixed hex, the whole string, within 32 bits. */
static int parse_u32(const char *s, uint32_t *out)
{
    char *end;
    unsigned long long v;

    if (*s == '\0' || *s == '-')
        return -1;
    errno = 0;
    v = strtoull(s, &end, 0);
    if (errno != 0 || *end != '\0' || v > UINT32_MAX)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* The guest's bytes are input: everything unprintable is escaped, one line only. */
static void print_text(const unsigned char *text, size_t len)
{
    size_t i;

    fputs("grant-read: ", stdout);
    for (i = 0; i < len; i++) {
        unsigned char c = text[i];

        if (c == '\\')
            fputs("\\\\", stdout);
        else if (c == '\n')
            fputs("\\n", stdout);
        else if (c == '\r')
            fputs("\\r", stdout);
        else if (c == '\t')
            fputs("\\t", stdout);
        else if (c < 0x20 || c > 0x7e)
            printf("\\x%02x", c);
        else
            putchar(c);
    }
    putchar('\n');
    fflush(stdout);
}

static void wait_for_file(const char *path)
{
    const struct timespec poll = {0, HOLD_POLL_NS};

    while (access(path, F_OK) != 0)
        nanosleep(&poll, NULL);
}

int main(int argc, char **argv)
{
    const char *hold = NULL;
    unsigned char copy[PAGE_BYTES];
    uint32_t domid, ref;
    xengnttab_handle *xgt;
    void *page;
    size_t len;
    int rc = 0;

    if (argc == 5 && strcmp(argv[3], "--hold") == 0)
        hold = argv[4];
    else if (argc != 3) {
        usage();
        return 1;
    }
    if (parse_u32(argv[1], &domid) != 0 || domid > 0x7fef) {
        fprintf(stderr, "grant-read: error: bad domain id '%s'\n", argv[1]);
        return 1;
    }
    if (parse_u32(argv[2], &ref) != 0) {
        fprintf(stderr, "grant-read: error: bad grant reference '%s'\n", argv[2]);
        return 1;
    }

    xgt = xengnttab_open(NULL, 0);
    if (!xgt) {
        fprintf(stderr, "grant-read: error: cannot open the grant device: %s\n", strerror(errno));
        return 1;
    }
    page = xengnttab_map_grant_ref(xgt, domid, ref, PROT_READ);
    if (!page) {
        fprintf(stderr, "grant-read: error: cannot map grant %u of domain %u: %s\n", ref, domid,
                strerror(errno));
        xengnttab_close(xgt);
        return 1;
    }

    /* One copy: the guest may change the page while we look at it. */
    memcpy(copy, page, sizeof(copy));
    len = strnlen((const char *)copy, TEXT_MAX);
    print_text(copy, len);

    if (hold)
        wait_for_file(hold);
    if (xengnttab_unmap(xgt, page, 1) != 0) {
        fprintf(stderr, "grant-read: error: cannot unmap grant %u of domain %u: %s\n", ref, domid,
                strerror(errno));
        rc = 1;
    }
    xengnttab_close(xgt);
    return rc;
}
