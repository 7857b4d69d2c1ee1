/*
 * blktest: exercises every disk of the domain through drivers/blkfront/blkfront.h.
 * On each writable disk it writes a pattern over the whole disk with many requests in
 * flight from several threads, flushes, reads it all back and checks every byte,
 * measures 4 KiB random reads at depth 1 and 32, discards a stretch and prints the
 * SHA-256 of the whole disk's content, which dom0 can compare with `sha256sum` over
 * the backing file. A read-only disk must refuse a write; it is read and hashed.
 * Buffers are deliberately not page-aligned.
 *
 * blktest-rounds=N on the command line repeats the write and the check N times, to keep
 * a disk busy for longer (while dom0 detaches it, say).
 *
 * Result lines start with "blktest:"; the last one is "blktest: all passed" or
 * "blktest: FAILED ...". Without disks it says so and passes.
 */
#include "kernel/app.h"
#include "kernel/cmdline.h"
#include "kernel/semaphore.h"
#include "kernel/thread.h"
#include "lib/errno.h"
#include "lib/printk.h"
#include "lib/sha256.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "xen/time.h"
#include "drivers/blkfront/blkfront.h"

#define THREADS           4
#define DEPTH             8            /* requests each thread keeps in flight */
#define CHUNK             (384 * 1024) /* bytes a request asks for: split over ring requests */
#define HASH_CHUNK        (1024 * 1024)
#define DISCARD_LEN       (1024 * 1024)
#define WAIT_FOR_DISKS_NS (60 * NSEC_PER_SEC)

static unsigned long rounds = 1;
KERNEL_PARAM_ULONG(rounds, "blktest-rounds", "write and check each disk this many times");

/* The pattern: each 8-byte word of the disk is a function of its offset (splitmix64). */
static uint64_t pattern_word(uint64_t offset)
{
    uint64_t z = offset / 8 + 0x9e3779b97f4a7c15ull;

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void fill_pattern(uint8_t *buf, uint64_t offset, size_t len)
{
    for (size_t i = 0; i < len; i += 8) {
        uint64_t w = pattern_word(offset + i);

        memcpy(buf + i, &w, 8);
    }
}

/* Bytes that differ from the pattern, and the first of them. */
static size_t check_pattern(const uint8_t *buf, uint64_t offset, size_t len, uint64_t *first)
{
    size_t bad = 0;

    for (size_t i = 0; i < len; i += 8) {
        uint64_t w = pattern_word(offset + i);

        if (memcmp(buf + i, &w, 8) != 0 && bad++ == 0)
            *first = offset + i;
    }
    return bad;
}

struct slot {
    struct blk_request req;
    uint8_t *mem; /* the allocation; buf is 8 bytes into it, so never page-aligned */
    bool finished;
    struct worker *w;
};

struct worker {
    struct blk_disk *disk;
    enum blk_op op;
    unsigned int first, stride, nr_chunks;
    struct semaphore finished;
    struct slot slots[DEPTH];
    unsigned int failed_requests, bad_chunks;
    int first_error;
    uint64_t first_bad;
};

/* Runs in the disk's I/O thread: only wakes the worker. */
static void slot_done(struct blk_request *req)
{
    struct slot *s = req->arg;

    s->finished = true;
    semaphore_up(&s->w->finished);
}

static void note_error(struct worker *w, int rc)
{
    if (w->failed_requests++ == 0)
        w->first_error = rc;
}

static bool start_chunk(struct worker *w, struct slot *s, unsigned int chunk)
{
    const struct blk_info *info = blk_info(w->disk);
    uint64_t offset = (uint64_t)chunk * CHUNK;
    size_t len = info->size - offset < CHUNK ? (size_t)(info->size - offset) : CHUNK;
    int rc;

    s->req = (struct blk_request){
        .op = w->op, .offset = offset, .buf = s->mem + 8, .len = len, .done = slot_done, .arg = s};
    s->finished = false;
    if (w->op == BLK_WRITE)
        fill_pattern(s->req.buf, offset, len);
    rc = blk_submit(w->disk, &s->req);
    if (rc)
        note_error(w, rc);
    return rc == 0;
}

static void finish_chunk(struct worker *w, struct slot *s)
{
    s->finished = false;
    if (s->req.status) {
        note_error(w, s->req.status);
        return;
    }
    if (w->op == BLK_READ) {
        uint64_t first;

        if (check_pattern(s->req.buf, s->req.offset, s->req.len, &first) && w->bad_chunks++ == 0)
            w->first_bad = first;
    }
}

static void worker_main(void *arg)
{
    struct worker *w = arg;
    unsigned int next = w->first, in_flight = 0;

    for (unsigned int i = 0; i < DEPTH && next < w->nr_chunks; i++, next += w->stride)
        in_flight += start_chunk(w, &w->slots[i], next);
    while (in_flight) {
        semaphore_down(&w->finished);
        for (unsigned int i = 0; i < DEPTH; i++) {
            struct slot *s = &w->slots[i];

            if (!s->finished)
                continue;
            finish_chunk(w, s);
            in_flight--;
            if (next < w->nr_chunks) {
                in_flight += start_chunk(w, s, next);
                next += w->stride;
            }
        }
    }
}

/* One pass over the whole disk by THREADS threads; false if anything failed. */
static bool whole_disk_pass(struct blk_disk *disk, enum blk_op op)
{
    const struct blk_info *info = blk_info(disk);
    unsigned int nr_chunks = (unsigned int)((info->size + CHUNK - 1) / CHUNK);
    struct worker *w = xzalloc(THREADS * sizeof(*w), 0);
    struct thread *t[THREADS];
    uint64_t start = xen_system_time_ns(), ns;
    unsigned int failed = 0, bad = 0;
    bool ok = w != NULL;

    for (unsigned int i = 0; ok && i < THREADS; i++) {
        w[i] = (struct worker){
            .disk = disk, .op = op, .first = i, .stride = THREADS, .nr_chunks = nr_chunks};
        semaphore_init(&w[i].finished, 0);
        for (unsigned int j = 0; j < DEPTH; j++) {
            w[i].slots[j].w = &w[i];
            w[i].slots[j].mem = xmalloc(CHUNK + 8, 0);
            ok &= w[i].slots[j].mem != NULL;
        }
    }
    for (unsigned int i = 0; ok && i < THREADS; i++) {
        t[i] = thread_create("blktest", worker_main, &w[i]);
        ok &= t[i] != NULL;
    }
    if (!ok) {
        printk("blktest: %s: no memory for the pass\n", info->name);
        return false; /* a test program: what was allocated stays */
    }
    for (unsigned int i = 0; i < THREADS; i++)
        thread_join(t[i]);
    ns = xen_system_time_ns() - start;
    for (unsigned int i = 0; i < THREADS; i++) {
        failed += w[i].failed_requests;
        bad += w[i].bad_chunks;
        if (w[i].failed_requests)
            printk("blktest: %s: %u requests failed, the first with %s\n", info->name,
                   w[i].failed_requests, errno_name(w[i].first_error));
        if (w[i].bad_chunks)
            printk("blktest: %s: %u chunks differ from the pattern, the first at byte %llu\n",
                   info->name, w[i].bad_chunks, (unsigned long long)w[i].first_bad);
        for (unsigned int j = 0; j < DEPTH; j++)
            xfree(w[i].slots[j].mem);
    }
    xfree(w);
    printk("blktest: %s: %s %llu bytes in %u requests, %u threads x %u deep: %s, %llu ms, "
           "%llu KiB/s\n",
           info->name, op == BLK_WRITE ? "wrote" : "read and checked",
           (unsigned long long)info->size, nr_chunks, THREADS, DEPTH,
           failed || bad ? "FAILED" : "ok", (unsigned long long)(ns / NSEC_PER_MSEC),
           (unsigned long long)(ns ? info->size * 1000000 / ns : 0));
    return failed == 0 && bad == 0;
}

#define RANDOM_DEPTH_MAX 32
#define RANDOM_READ_NS   NSEC_PER_SEC

struct random_reads {
    struct semaphore finished;
    struct blk_request req[RANDOM_DEPTH_MAX];
    bool ended[RANDOM_DEPTH_MAX];
    int error;
};

/* Runs in the disk's I/O thread: only wakes the reader. */
static void random_done(struct blk_request *req)
{
    struct random_reads *r = req->arg;

    r->ended[req - r->req] = true;
    semaphore_up(&r->finished);
}

/*
 * 4 KiB reads at random places for a second, `depth` in flight: a figure to set beside
 * Linux's (shared/design.md quotes a Linux PV domU in the same rig).
 */
static void random_read_rate(struct blk_disk *disk, unsigned int depth)
{
    const struct blk_info *info = blk_info(disk);
    uint64_t blocks = info->size / 4096, seed = 1, start = xen_system_time_ns(), done = 0;
    uint64_t end = start + RANDOM_READ_NS;
    struct random_reads *r = xzalloc(sizeof(*r), 0);
    uint8_t *bufs = xmalloc((size_t)depth * 4096, 0);
    unsigned int in_flight = 0;

    if (!r || !bufs || blocks == 0 || info->sector_size > 4096) {
        xfree(r);
        xfree(bufs);
        return;
    }
    semaphore_init(&r->finished, 0);
    for (unsigned int i = 0; i < depth; i++)
        r->ended[i] = true;
    for (;;) {
        for (unsigned int i = 0; i < depth; i++) {
            if (!r->ended[i])
                continue;
            if (r->req[i].done) { /* a read that has come back */
                done++;
                in_flight--;
                if (r->req[i].status && !r->error)
                    r->error = r->req[i].status;
            }
            r->ended[i] = false;
            if (xen_system_time_ns() >= end || r->error) {
                r->req[i].done = NULL;
                continue;
            }
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            r->req[i] = (struct blk_request){.op = BLK_READ,
                                             .offset = (seed >> 33) % blocks * 4096,
                                             .buf = bufs + (size_t)i * 4096,
                                             .len = 4096,
                                             .done = random_done,
                                             .arg = r};
            if (blk_submit(disk, &r->req[i]) == 0) {
                in_flight++;
            } else {
                r->error = -EIO;
                r->req[i].done = NULL;
            }
        }
        if (in_flight == 0)
            break;
        semaphore_down(&r->finished);
    }
    printk("blktest: %s: 4 KiB random reads at depth %u: %llu IOPS%s%s\n", info->name, depth,
           (unsigned long long)(done * NSEC_PER_SEC / (xen_system_time_ns() - start)),
           r->error ? ", stopped by " : "", r->error ? errno_name(r->error) : "");
    xfree(r);
    xfree(bufs);
}

/* The SHA-256 of the whole disk, read in order; false if a read failed. */
static bool hash_disk(struct blk_disk *disk)
{
    const struct blk_info *info = blk_info(disk);
    uint8_t *buf = xmalloc(HASH_CHUNK + 8, 0);
    struct sha256 s;
    char hex[65];
    int rc = 0;

    if (!buf)
        return false;
    sha256_init(&s);
    for (uint64_t off = 0; rc == 0 && off < info->size; off += HASH_CHUNK) {
        size_t len = info->size - off < HASH_CHUNK ? (size_t)(info->size - off) : HASH_CHUNK;

        rc = blk_read(disk, off, buf + 8, len);
        if (rc == 0)
            sha256_update(&s, buf + 8, len);
    }
    xfree(buf);
    if (rc) {
        printk("blktest: %s: reading for the checksum failed: %s\n", info->name, errno_name(rc));
        return false;
    }
    sha256_final_hex(&s, hex);
    printk("blktest: %s: sha256 %s over %llu bytes\n", info->name, hex,
           (unsigned long long)info->size);
    return true;
}

static bool test_flush(struct blk_disk *disk)
{
    int rc = blk_flush(disk);

    printk("blktest: %s: flush: %s%s\n", blk_info(disk)->name, rc ? errno_name(rc) : "ok",
           blk_info(disk)->flush ? "" : " (the backend has no cache to flush)");
    return rc == 0;
}

/*
 * Discard the last stretch of the disk (aligned to the backend's granularity) and
 * say what reads back there: zeros, or still the pattern (a backend may keep data).
 */
static bool test_discard(struct blk_disk *disk)
{
    const struct blk_info *info = blk_info(disk);
    uint64_t gran = info->discard_granularity > info->sector_size ? info->discard_granularity
                                                                  : info->sector_size;
    uint64_t len = DISCARD_LEN < info->size / 2 ? DISCARD_LEN : info->size / 2;
    uint64_t offset;
    uint8_t *buf;
    size_t zeros = 0, pattern_bad;
    uint64_t first;
    int rc;

    if (!info->discard) {
        printk("blktest: %s: discard: not offered by the backend\n", info->name);
        return true;
    }
    len -= len % gran;
    offset = (info->size - len) - (info->size - len) % gran;
    if (len == 0) {
        printk("blktest: %s: discard: the disk is smaller than the granularity\n", info->name);
        return true;
    }
    rc = blk_discard(disk, offset, len);
    if (rc) {
        printk("blktest: %s: discard of %llu bytes at %llu: %s\n", info->name,
               (unsigned long long)len, (unsigned long long)offset, errno_name(rc));
        return false;
    }
    buf = xmalloc(len, 0);
    if (!buf)
        return false;
    rc = blk_read(disk, offset, buf, len);
    for (uint64_t i = 0; rc == 0 && i < len; i++)
        zeros += buf[i] == 0;
    pattern_bad = rc ? 0 : check_pattern(buf, offset, len, &first);
    xfree(buf);
    printk("blktest: %s: discard of %llu bytes at %llu: ok, reads back as %s\n", info->name,
           (unsigned long long)len, (unsigned long long)offset,
           rc                 ? errno_name(rc)
           : zeros == len     ? "zeros"
           : pattern_bad == 0 ? "the old data"
                              : "other data");
    return rc == 0;
}

static bool test_readonly(struct blk_disk *disk)
{
    static uint8_t sector[4096];
    int rc = blk_write(disk, 0, sector, blk_info(disk)->sector_size);

    printk("blktest: %s: a write to the read-only disk gets %s: %s\n", blk_info(disk)->name,
           rc ? errno_name(rc) : "0", rc == -EROFS ? "ok" : "FAILED");
    return rc == -EROFS;
}

static bool test_disk(struct blk_disk *disk)
{
    const struct blk_info *info = blk_info(disk);
    bool ok = true;

    printk("blktest: %s: %llu bytes, %u-byte sectors, %s\n", info->name,
           (unsigned long long)info->size, info->sector_size, info->readonly ? "ro" : "rw");
    if (info->readonly)
        return test_readonly(disk) & hash_disk(disk);
    for (unsigned long r = 0; ok && r < rounds; r++) {
        ok &= whole_disk_pass(disk, BLK_WRITE);
        ok &= test_flush(disk);
        ok &= whole_disk_pass(disk, BLK_READ);
    }
    if (!blk_is_usable(disk)) {
        printk("blktest: %s: the disk went away during the test\n", info->name);
        return false;
    }
    random_read_rate(disk, 1);
    random_read_rate(disk, RANDOM_DEPTH_MAX);
    ok &= test_discard(disk);
    ok &= hash_disk(disk);
    return ok;
}

int app_main(void)
{
    unsigned int n = blk_wait_ready(xen_system_time_ns() + WAIT_FOR_DISKS_NS), failed = 0;

    printk("blktest: %u disks\n", n);
    if (n == 0) {
        printk("blktest: no disks: nothing to test\nblktest: all passed\n");
        return 0;
    }
    for (unsigned int i = 0; i < n; i++) {
        struct blk_disk *disk = blk_get(i);

        if (!disk || !test_disk(disk))
            failed++;
    }
    /* Say goodbye to the backends before the domain ends. */
    if (blk_close_all(xen_system_time_ns() + 10 * NSEC_PER_SEC))
        printk("blktest: a disk did not close in time\n");
    printk("blktest: pages withheld from backends: %lu\n", blk_pages_withheld());
    if (failed)
        printk("blktest: FAILED on %u of %u disks\n", failed, n);
    else
        printk("blktest: all passed\n");
    return failed ? 1 : 0;
}
