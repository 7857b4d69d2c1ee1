/*
 * blkbench: the block frontend's figures for `make bench` (tools/bench-block), the
 * rows a Linux PV domU measures with fio on the same disk: 4 KiB random reads and
 * 1 MiB sequential reads and writes, at queue depth 1 and 32. For each row it keeps
 * that many requests in flight from one thread (their callbacks only wake it), runs
 * blkbench_ramp seconds, then counts what ends in the next blkbench_runtime seconds,
 * and prints the line the Linux domU prints:
 *
 *   blkbench: ROW iops=N mbps=N.N
 *
 * or "blkbench: ROW failed: WHY". The writes overwrite the disk.
 */
#include "kernel/app.h"
#include "kernel/cmdline.h"
#include "kernel/semaphore.h"
#include "lib/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "xen/time.h"
#include "drivers/blkfront/blkfront.h"

#define MAX_DEPTH 32

static char rows[160] = "randread-4k-qd1,randread-4k-qd32,read-1m-qd1,read-1m-qd32,"
                        "write-1m-qd1,write-1m-qd32";
static char disk_name[16] = "xvda";
static unsigned long runtime_s = 10, ramp_s = 2;
KERNEL_PARAM_STRING(rows, "blkbench_rows", "the rows to run, comma-separated");
KERNEL_PARAM_STRING(disk_name, "blkbench_disk", "the disk to measure");
KERNEL_PARAM_ULONG(runtime_s, "blkbench_runtime", "seconds each row measures");
KERNEL_PARAM_ULONG(ramp_s, "blkbench_ramp", "seconds each row runs before it measures");

struct row {
    enum blk_op op;
    bool random;
    size_t size;
    unsigned int depth;
};

static const struct {
    const char *prefix;
    enum blk_op op;
    bool random;
} patterns[] = {
    {"randread-", BLK_READ, true}, {"read-", BLK_READ, false}, {"write-", BLK_WRITE, false}};

/* "randread-4k-qd1" and the like; false for a row this program does not know. */
static bool parse_row(const char *name, struct row *r)
{
    const char *rest = NULL;
    unsigned long depth;

    for (size_t i = 0; !rest && i < sizeof(patterns) / sizeof(patterns[0]); i++) {
        size_t n = strlen(patterns[i].prefix);

        if (strncmp(name, patterns[i].prefix, n) == 0) {
            *r = (struct row){.op = patterns[i].op, .random = patterns[i].random};
            rest = name + n;
        }
    }
    if (!rest)
        return false;
    if (strncmp(rest, "4k-qd", 5) == 0)
        r->size = 4096;
    else if (strncmp(rest, "1m-qd", 5) == 0)
        r->size = 1024 * 1024;
    else
        return false;
    rest += 5;
    if (parse_ulong(rest, strlen(rest), 10, &depth) || depth == 0 || depth > MAX_DEPTH)
        return false;
    r->depth = (unsigned int)depth;
    return true;
}

struct bench {
    struct semaphore ended;
    struct blk_request req[MAX_DEPTH];
    bool done[MAX_DEPTH];
};

/* Runs in the disk's I/O thread: only wakes the bench. */
static void request_ended(struct blk_request *req)
{
    struct bench *b = req->arg;

    b->done[req - b->req] = true;
    semaphore_up(&b->ended);
}

static void run_row(struct blk_disk *disk, const char *name)
{
    const struct blk_info *info = blk_info(disk);
    struct row r;
    struct bench *b;
    uint8_t *bufs;
    uint64_t slots, next = 0, seed = 88172645463325252ull, ios = 0;
    uint64_t start = xen_system_time_ns(), measure = start + ramp_s * NSEC_PER_SEC;
    uint64_t end = measure + runtime_s * NSEC_PER_SEC, elapsed;
    unsigned int in_flight = 0;
    int error = 0;

    if (!parse_row(name, &r)) {
        printk("blkbench: %s failed: no such row\n", name);
        return;
    }
    slots = info->size / r.size;
    b = xzalloc(sizeof(*b), 0);
    bufs = xmalloc(r.depth * r.size, 0);
    if (!b || !bufs || slots == 0) {
        printk("blkbench: %s failed: %s\n", name, slots ? "no memory" : "the disk is too small");
        xfree(b);
        xfree(bufs);
        return;
    }
    memset(bufs, 0x5a, r.depth * r.size);
    semaphore_init(&b->ended, 0);
    for (unsigned int i = 0; i < r.depth; i++)
        b->done[i] = true;
    for (;;) {
        uint64_t now = xen_system_time_ns();

        for (unsigned int i = 0; i < r.depth; i++) {
            uint64_t slot;

            if (!b->done[i])
                continue;
            b->done[i] = false;
            if (b->req[i].done) { /* one that has ended */
                in_flight--;
                if (b->req[i].status && !error)
                    error = b->req[i].status;
                if (now >= measure && now < end)
                    ios++;
                b->req[i].done = NULL;
            }
            if (now >= end || error)
                continue;
            seed ^= seed << 13; /* xorshift64 */
            seed ^= seed >> 7;
            seed ^= seed << 17;
            slot = r.random ? seed % slots : next++ % slots;
            b->req[i] = (struct blk_request){.op = r.op,
                                             .offset = slot * r.size,
                                             .buf = bufs + i * r.size,
                                             .len = r.size,
                                             .done = request_ended,
                                             .arg = b};
            error = blk_submit(disk, &b->req[i]);
            if (error)
                b->req[i].done = NULL;
            else
                in_flight++;
        }
        if (in_flight == 0)
            break;
        semaphore_down(&b->ended);
    }
    elapsed = xen_system_time_ns() - measure;
    if (elapsed > runtime_s * NSEC_PER_SEC)
        elapsed = runtime_s * NSEC_PER_SEC;
    if (error || elapsed == 0) {
        printk("blkbench: %s failed: %s\n", name, errno_name(error));
    } else {
        uint64_t iops = ios * NSEC_PER_SEC / elapsed;
        uint64_t tenths = ios * r.size * 10 * 1000 / elapsed; /* MB/s (10^6 B) times 10 */

        printk("blkbench: %s iops=%llu mbps=%llu.%llu\n", name, (unsigned long long)iops,
               (unsigned long long)(tenths / 10), (unsigned long long)(tenths % 10));
    }
    xfree(b);
    xfree(bufs);
}

int app_main(void)
{
    struct blk_disk *disk;
    char *row = rows;

    blk_wait_ready(xen_system_time_ns() + 30 * NSEC_PER_SEC);
    disk = blk_find(disk_name);
    if (!disk) {
        printk("blkbench: no disk %s\n", disk_name);
        return 1;
    }
    printk("blkbench: %s has %llu bytes; %lu s ramp + %lu s a row\n", disk_name,
           (unsigned long long)blk_info(disk)->size, ramp_s, runtime_s);
    while (*row) {
        char *comma = strchr(row, ',');

        if (comma)
            *comma = '\0';
        run_row(disk, row);
        row = comma ? comma + 1 : row + strlen(row);
    }
    blk_close_all(xen_system_time_ns() + 10 * NSEC_PER_SEC);
    return 0;
}
