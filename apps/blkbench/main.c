/*
 * blkbench: the kernel's side of make bench's block section (tools/bench-block). It
 * runs the rows the Linux domU runs with fio (tools/rig/linux-domu-init) on the same
 * disk, the same way: from one thread, `depth` requests kept in flight through
 * blk_submit, each one refilled as soon as the I/O thread says it is done; requests
 * run for the ramp, then are counted for the runtime. One line per row:
 *
 *   blkbench: ROW iops=N mbps=N.N
 *
 * (MB/s in 10^6 bytes a second), or "blkbench: ROW failed: WHY", and a line that says
 * where the row's time went ("blkbench: ROW costs: ..."); then the domain powers off.
 * ROW is PATTERN-SIZE-qdDEPTH as fio takes them: read, randread, write or randwrite; a
 * size in k or m (KiB, MiB); the queue depth. There is no cache to bypass: every
 * request reaches the backend, as fio's with O_DIRECT do.
 *
 * Settings, on the command line (xl's `extra`), named as the Linux domU's:
 *   blkbench-disk=NAME      the disk (default xvda)
 *   blkbench-rows=R,R,...   the rows, in order (default: the six of tools/bench-block)
 *   blkbench-runtime=SEC    how long each row measures (default 10)
 *   blkbench-ramp=SEC       how long each row runs before it measures (default 2)
 */
#include "kernel/app.h"
#include "kernel/cmdline.h"
#include "kernel/sched.h"
#include "kernel/semaphore.h"
#include "lib/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "xen/events.h"
#include "xen/time.h"
#include "drivers/blkfront/blkfront.h"

#define MAX_DEPTH         32
#define MAX_SIZE          (1024 * 1024)
#define WAIT_FOR_DISKS_NS (60 * NSEC_PER_SEC)

static char disk_name[16] = "xvda";
KERNEL_PARAM_STRING(disk_name, "blkbench-disk", "the disk to measure");
static char rows[256] =
    "randread-4k-qd1,randread-4k-qd32,read-1m-qd1,read-1m-qd32,write-1m-qd1,write-1m-qd32";
KERNEL_PARAM_STRING(rows, "blkbench-rows", "the rows to run, comma-separated");
static unsigned long runtime_s = 10;
KERNEL_PARAM_ULONG(runtime_s, "blkbench-runtime", "seconds each row measures");
static unsigned long ramp_s = 2;
KERNEL_PARAM_ULONG(ramp_s, "blkbench-ramp", "seconds each row runs before it measures");

struct row {
    char name[48];
    enum blk_op op;
    bool random;
    size_t size;
    unsigned int depth;
};

/* "randread-4k-qd32" (s[0..len)) into a row; false if it is not one. */
static bool parse_row(const char *s, size_t len, struct row *r)
{
    char *pattern = r->name, *size, *depth;
    size_t size_len;
    unsigned long number, unit;

    if (len >= sizeof(r->name))
        return false;
    memcpy(r->name, s, len);
    r->name[len] = '\0';
    size = strchr(pattern, '-');
    depth = size ? strchr(size + 1, '-') : NULL;
    if (!depth || strncmp(depth, "-qd", 3) != 0)
        return false;
    size_len = (size_t)(depth - size - 1);
    r->random = strncmp(pattern, "rand", 4) == 0;
    if (r->random)
        pattern += 4;
    if (size - pattern == 4 && strncmp(pattern, "read", 4) == 0)
        r->op = BLK_READ;
    else if (size - pattern == 5 && strncmp(pattern, "write", 5) == 0)
        r->op = BLK_WRITE;
    else
        return false;
    if (size_len < 2)
        return false;
    unit = size[size_len] == 'k' ? 1024 : size[size_len] == 'm' ? 1024 * 1024 : 0;
    if (!unit || parse_ulong(size + 1, size_len - 1, 10, &number) || number > MAX_SIZE / unit)
        return false;
    r->size = number * unit;
    if (parse_ulong(depth + 3, strlen(depth + 3), 10, &number) || number > MAX_DEPTH)
        return false;
    r->depth = (unsigned int)number;
    return r->size > 0 && r->depth > 0;
}

/* The requests of a row and what they have done. */
struct run {
    struct semaphore ended; /* one up for each request the I/O thread ends */
    struct blk_request req[MAX_DEPTH];
    bool finished[MAX_DEPTH];
    uint64_t submitted_at[MAX_DEPTH], ended_at[MAX_DEPTH];
    uint8_t *bufs; /* MAX_DEPTH buffers of MAX_SIZE */
    uint64_t next_offset, seed;
};

/* Runs in the disk's I/O thread: it may not sleep, so it only wakes the submitter. */
static void request_done(struct blk_request *req)
{
    struct run *run = req->arg;

    run->ended_at[req - run->req] = xen_system_time_ns();
    run->finished[req - run->req] = true;
    semaphore_up(&run->ended);
}

/* Where a row's next request goes: the next block, or one at random (as fio's). */
static uint64_t next_offset(struct run *run, const struct row *r, uint64_t disk_size)
{
    uint64_t blocks = disk_size / r->size, offset;

    if (r->random) {
        run->seed = run->seed * 6364136223846793005ull + 1442695040888963407ull;
        return (run->seed >> 33) % blocks * r->size;
    }
    offset = run->next_offset;
    run->next_offset = offset + r->size < blocks * r->size ? offset + r->size : 0;
    return offset;
}

/*
 * Where a row's time goes, over the requests it counted: the time blk_submit took (the
 * driver's bounce pages and grants, and a write's copy into them), the time from
 * submit to done (the backend, the event round trip, a read's copy back), and the
 * events, thread switches and blocks of the vCPU (idle, waiting for Xen) per request.
 */
struct costs {
    uint64_t submit_ns, latency_ns;
    struct evtchn_stats events; /* at the start of the runtime, then what it took */
    struct sched_stats sched;
};

static void costs_start(struct costs *c)
{
    *c = (struct costs){0};
    evtchn_get_stats(&c->events);
    sched_get_stats(&c->sched);
}

static void costs_stop(struct costs *c)
{
    struct evtchn_stats events;
    struct sched_stats sched;

    evtchn_get_stats(&events);
    sched_get_stats(&sched);
    c->events.upcalls = events.upcalls - c->events.upcalls;
    c->sched.switches = sched.switches - c->sched.switches;
    c->sched.idle_blocks = sched.idle_blocks - c->sched.idle_blocks;
}

static void costs_print(const struct costs *c, const struct row *r, uint64_t counted)
{
    if (counted == 0)
        return;
    printk("blkbench: %s costs: %lu pages a request, submit %llu us, submit to done %llu us; "
           "a hundred requests take %llu events, %llu switches, %llu idle blocks\n",
           r->name, (unsigned long)((r->size + 4095) / 4096),
           (unsigned long long)(c->submit_ns / counted / 1000),
           (unsigned long long)(c->latency_ns / counted / 1000),
           (unsigned long long)(c->events.upcalls * 100 / counted),
           (unsigned long long)(c->sched.switches * 100 / counted),
           (unsigned long long)(c->sched.idle_blocks * 100 / counted));
}

/* One row: ramp, then measure; prints its line. */
static void run_row(struct blk_disk *disk, struct run *run, const struct row *r)
{
    const struct blk_info *info = blk_info(disk);
    uint64_t start = xen_system_time_ns(), measure_from = start + ramp_s * NSEC_PER_SEC;
    uint64_t end = measure_from + runtime_s * NSEC_PER_SEC, now = start, counted = 0, tenths;
    unsigned int in_flight = 0;
    struct costs costs = {0};
    bool measuring = false;
    int error = 0;

    if (r->size % info->sector_size || info->size < r->size) {
        printk("blkbench: %s failed: %lu-byte requests do not fit %s (%u-byte sectors, "
               "%llu bytes)\n",
               r->name, (unsigned long)r->size, info->name, info->sector_size,
               (unsigned long long)info->size);
        return;
    }
    if (r->op == BLK_WRITE && info->readonly) {
        printk("blkbench: %s failed: %s is read-only\n", r->name, info->name);
        return;
    }
    semaphore_init(&run->ended, 0);
    run->next_offset = 0;
    run->seed = 1;
    for (unsigned int i = 0; i < r->depth; i++)
        run->finished[i] = true;
    for (;;) {
        now = xen_system_time_ns();
        if (!measuring && now >= measure_from && now < end) {
            costs_start(&costs);
            measuring = true;
        } else if (measuring && now >= end) {
            costs_stop(&costs);
            measuring = false;
        }
        for (unsigned int i = 0; i < r->depth; i++) {
            struct blk_request *req = &run->req[i];
            int rc;

            if (!run->finished[i])
                continue;
            run->finished[i] = false;
            if (req->done) { /* a request that has come back */
                in_flight--;
                if (measuring) {
                    counted++;
                    costs.latency_ns += run->ended_at[i] - run->submitted_at[i];
                }
                if (req->status && !error)
                    error = req->status;
                req->done = NULL;
            }
            if (now >= end || error)
                continue;
            *req = (struct blk_request){.op = r->op,
                                        .offset = next_offset(run, r, info->size),
                                        .buf = run->bufs + (size_t)i * MAX_SIZE,
                                        .len = r->size,
                                        .done = request_done,
                                        .arg = run};
            run->submitted_at[i] = xen_system_time_ns();
            rc = blk_submit(disk, req);
            if (measuring)
                costs.submit_ns += xen_system_time_ns() - run->submitted_at[i];
            if (rc) {
                error = rc;
                req->done = NULL;
            } else {
                in_flight++;
            }
        }
        if (in_flight == 0)
            break;
        semaphore_down(&run->ended);
    }
    if (error) {
        printk("blkbench: %s failed: %s\n", r->name, errno_name(error));
        return;
    }
    /* Counted: the requests that ended within the runtime, as fio counts them. */
    tenths = (counted * r->size * 10 / runtime_s + 500000) / 1000000; /* of a MB/s */
    printk("blkbench: %s iops=%llu mbps=%llu.%llu\n", r->name,
           (unsigned long long)(counted / runtime_s), (unsigned long long)(tenths / 10),
           (unsigned long long)(tenths % 10));
    costs_print(&costs, r, counted);
}

int app_main(void)
{
    struct blk_disk *disk;
    struct run *run;
    struct row r;
    const char *s = rows;

    if (blk_wait_ready(xen_system_time_ns() + WAIT_FOR_DISKS_NS) == 0 ||
        !(disk = blk_find(disk_name))) {
        printk("blkbench: no disk %s\n", disk_name);
        return 1;
    }
    run = xzalloc(sizeof(*run), 0);
    if (runtime_s == 0 || !run || !(run->bufs = xzalloc((size_t)MAX_DEPTH * MAX_SIZE, 4096))) {
        printk("blkbench: no memory for %u requests of %u bytes, or no runtime\n", MAX_DEPTH,
               MAX_SIZE);
        return 1;
    }
    printk("blkbench: %s has %llu sectors; %lu s ramp, %lu s per row\n", disk_name,
           (unsigned long long)(blk_info(disk)->size / 512), ramp_s, runtime_s);
    while (*s) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);

        if (parse_row(s, len, &r))
            run_row(disk, run, &r);
        else
            printk("blkbench: %.*s failed: not PATTERN-SIZE-qdDEPTH\n", (int)len, s);
        s += comma ? len + 1 : len;
    }
    /* Say goodbye to the backend before the domain ends. */
    if (blk_close_all(xen_system_time_ns() + 10 * NSEC_PER_SEC))
        printk("blkbench: %s did not close in time\n", disk_name);
    return 0;
}
