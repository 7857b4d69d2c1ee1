/*
 * log-pump: the full rig's pump, one process per scenario that is the one writer of
 * its lines to dom0's console (tools/rig/log-pump.sh starts and stops it, and
 * documents the files it reads). It copies what the scenario script prints and the
 * console log of each domain the script follows, each line as
 *
 *   @rig NAME TIME TEXT
 *
 * on stdout (dom0's console), TIME being dom0's time as tools/rig/clock.sh's rig_now
 * gives it: the real-time clock in microseconds plus $RIG_CLOCK_OFFSET_US, printed
 * "seconds.milliseconds". When a domain's console first shows output it also writes
 * "rig: time first-output TIME".
 *
 *   log-pump NAME STATE_DIR CONSOLE_DIR
 *
 * It sleeps in inotify until one of its files changes, so that it costs dom0's one
 * vCPU nothing while nothing is written, and stamps a line as soon as it is written.
 * A look every second copies whatever inotify did not report (a file replaced, a
 * full event queue), and, should inotify not be there at all, it looks every 20 ms
 * instead. Exits 0 once STATE_DIR/stop exists and everything is copied, 1 with a
 * message on its own output on a failure.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* How long it sleeps when inotify reports nothing, and without inotify. */
#define SAFETY_LOOK_MS 1000
#define NO_INOTIFY_MS  20
#define MAX_FOLLOWED   64
#define READ_CHUNK     65536
#define FOLLOW_DONE    ".done"

/* One file copied line by line: the script's output, or a domain's console log. */
struct source {
    char key[NAME_MAX + 1]; /* "out", or the follow file's N.NAME */
    int fd;                 /* -1 until the console log exists */
    bool first_pending;     /* no byte of the console seen yet */
    bool listed;            /* its follow file is still there */
    char *part;             /* the line read so far, without its newline */
    size_t part_len, part_cap;
};

static const char *scenario;
static const char *state_dir;
static const char *console_dir;
static long long clock_offset_us;
static struct source out;
static struct source followed[MAX_FOLLOWED];
/* Whether the current round copied anything. */
static bool got;

/* dom0's time as rig_now prints it. */
static void stamp(char *buf, size_t size)
{
    struct timespec ts;
    long long us;

    clock_gettime(CLOCK_REALTIME, &ts);
    us = ts.tv_sec * 1000000LL + ts.tv_nsec / 1000 + clock_offset_us;
    snprintf(buf, size, "%lld.%03lld", us / 1000000, us / 1000 % 1000);
}

/* One line for tools/xen-rig; a guest's "\r\n" loses its "\r". */
static void emit(const char *text, size_t len)
{
    char now[32];

    if (len > 0 && text[len - 1] == '\r')
        len--;
    stamp(now, sizeof(now));
    printf("@rig %s %s ", scenario, now);
    if (len > 0)
        fwrite(text, 1, len, stdout);
    putchar('\n');
}

/* Says what failed, as a line of the scenario's log. Returns -1. */
static int fail(const char *what, const char *path)
{
    char text[PATH_MAX + 128];
    int n = snprintf(text, sizeof(text), "rig: error: log-pump: %s %s: %s", what, path,
                     strerror(errno));

    emit(text, n < (int)sizeof(text) ? (size_t)n : sizeof(text) - 1);
    fflush(stdout);
    return -1;
}

static int part_add(struct source *s, char c)
{
    if (s->part_len == s->part_cap) {
        size_t cap = s->part_cap ? 2 * s->part_cap : 256;
        char *p = realloc(s->part, cap);

        if (!p)
            return -1;
        s->part = p;
        s->part_cap = cap;
    }
    s->part[s->part_len++] = c;
    return 0;
}

/* Emits the line left without its newline, if any. */
static void part_flush(struct source *s)
{
    if (s->part_len > 0)
        emit(s->part, s->part_len);
    s->part_len = 0;
}

/*
 * Copies the complete lines that wait in the source and keeps a partial one for
 * later. NUL bytes are dropped, as the shell's read did. Returns -1 on a failure.
 */
static int drain(struct source *s)
{
    static char buf[READ_CHUNK];
    ssize_t n;

    while ((n = read(s->fd, buf, sizeof(buf))) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return fail("cannot read", s->key);
        }
        got = true;
        if (s->first_pending) {
            char line[64], now[32];

            s->first_pending = false;
            stamp(now, sizeof(now));
            emit(line, (size_t)snprintf(line, sizeof(line), "rig: time first-output %s", now));
        }
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n') {
                emit(s->part, s->part_len);
                s->part_len = 0;
            } else if (buf[i] != '\0' && part_add(s, buf[i]) < 0)
                return fail("out of memory for a line of", s->key);
        }
        fflush(stdout);
    }
    return 0;
}

/* The console log of the domain a follow key N.NAME names. */
static void console_path(const struct source *s, char *path, size_t size)
{
    const char *domain = strchr(s->key, '.');

    snprintf(path, size, "%s/guest-%s.log", console_dir, domain ? domain + 1 : s->key);
}

/* Opens the console log of a followed domain, once xenconsoled has made it. */
static void open_console(struct source *s)
{
    char path[PATH_MAX];

    console_path(s, path, sizeof(path));
    s->fd = open(path, O_RDONLY | O_CLOEXEC);
    s->first_pending = true;
    s->part_len = 0;
}

/*
 * A console log replaced under the same name (removed and made again) is read from
 * the new file, once the old one is copied to its end. Returns whether it was.
 */
static bool follow_replaced(struct source *s)
{
    char path[PATH_MAX];
    struct stat now, open_one;
    int fd;

    console_path(s, path, sizeof(path));
    if (stat(path, &now) < 0 || fstat(s->fd, &open_one) < 0 ||
        (now.st_dev == open_one.st_dev && now.st_ino == open_one.st_ino))
        return false;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    part_flush(s);
    close(s->fd);
    s->fd = fd;
    return true;
}

static struct source *followed_find(const char *key)
{
    struct source *free_one = NULL;

    for (int i = 0; i < MAX_FOLLOWED; i++) {
        if (followed[i].key[0] && !strcmp(followed[i].key, key))
            return &followed[i];
        if (!followed[i].key[0] && !free_one)
            free_one = &followed[i];
    }
    if (free_one) {
        snprintf(free_one->key, sizeof(free_one->key), "%s", key);
        free_one->fd = -1;
        free_one->part_len = 0;
    }
    return free_one;
}

static void followed_drop(struct source *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    s->key[0] = '\0';
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Copies the consoles the follow folder names, in name order; a KEY.done file has its
 * console copied to the end, let go, and removed. Returns -1 on a failure.
 */
static int copy_consoles(bool look_for_replaced)
{
    char dir[PATH_MAX], path[PATH_MAX + NAME_MAX + 8], *names[MAX_FOLLOWED];
    int count = 0, rc = 0;
    struct dirent *e;
    DIR *d;

    snprintf(dir, sizeof(dir), "%s/follow", state_dir);
    d = opendir(dir);
    if (!d)
        return fail("cannot list", dir);
    while ((e = readdir(d)) && rc == 0) {
        if (e->d_name[0] == '.')
            continue;
        if (count == MAX_FOLLOWED || !(names[count] = strdup(e->d_name))) {
            errno = count == MAX_FOLLOWED ? ENOSPC : ENOMEM;
            rc = fail("cannot take every file of", dir);
            break;
        }
        count++;
    }
    closedir(d);
    qsort(names, count, sizeof(names[0]), by_name);

    for (int i = 0; i < MAX_FOLLOWED; i++)
        followed[i].listed = false;
    for (int i = 0; i < count && rc == 0; i++) {
        char *key = names[i];
        size_t len = strlen(key), suffix = strlen(FOLLOW_DONE);
        bool done = len > suffix && !strcmp(key + len - suffix, FOLLOW_DONE);
        struct source *s;

        if (done)
            key[len - suffix] = '\0';
        s = followed_find(key);
        if (!s) {
            errno = ENOSPC;
            rc = fail("too many consoles to follow at", key);
            break;
        }
        s->listed = true;
        if (s->fd < 0)
            open_console(s);
        if (s->fd >= 0 && (rc = drain(s)) == 0 && look_for_replaced && follow_replaced(s))
            rc = drain(s);
        if (done) {
            part_flush(s);
            followed_drop(s);
            snprintf(path, sizeof(path), "%s/%s" FOLLOW_DONE, dir, key);
            unlink(path);
        }
    }
    /* A follow file removed by someone else: nothing more to copy from there. */
    for (int i = 0; i < MAX_FOLLOWED; i++)
        if (followed[i].key[0] && !followed[i].listed)
            followed_drop(&followed[i]);
    for (int i = 0; i < count; i++)
        free(names[i]);
    fflush(stdout);
    return rc;
}

/* Starts watching the folders whose files the pump copies; -1 without inotify. */
static int watch_start(void)
{
    char follow_dir[PATH_MAX];
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    uint32_t changes = IN_CREATE | IN_MODIFY | IN_MOVED_TO | IN_CLOSE_WRITE;

    if (fd < 0)
        return -1;
    snprintf(follow_dir, sizeof(follow_dir), "%s/follow", state_dir);
    if (inotify_add_watch(fd, state_dir, changes) < 0 ||
        inotify_add_watch(fd, follow_dir, changes) < 0 ||
        inotify_add_watch(fd, console_dir, changes) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/*
 * Sleeps until a watched folder reports a change or the time is up, and empties
 * the event queue: the round that follows looks at every file anyway.
 */
static void watch_wait(int fd, int timeout_ms)
{
    static char events[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    struct pollfd p = {.fd = fd, .events = POLLIN};

    if (fd < 0) {
        poll(NULL, 0, timeout_ms);
        return;
    }
    if (poll(&p, 1, timeout_ms) <= 0)
        return;
    while (read(fd, events, sizeof(events)) > 0)
        ;
}

static long long monotonic_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
    static char out_buf[READ_CHUNK];
    const char *offset = getenv("RIG_CLOCK_OFFSET_US");
    char path[PATH_MAX], *end;
    bool stopping = false;
    long long last_look = 0;
    int watch;

    if (argc != 4) {
        fprintf(stderr, "usage: log-pump NAME STATE_DIR CONSOLE_DIR\n");
        return 2;
    }
    scenario = argv[1];
    state_dir = argv[2];
    console_dir = argv[3];
    setvbuf(stdout, out_buf, _IOFBF, sizeof(out_buf));
    if (offset && *offset) {
        errno = 0;
        clock_offset_us = strtoll(offset, &end, 10);
        if (errno || *end) {
            errno = EINVAL;
            fail("bad RIG_CLOCK_OFFSET_US", offset);
            return 1;
        }
    }
    snprintf(out.key, sizeof(out.key), "out");
    snprintf(path, sizeof(path), "%s/out", state_dir);
    out.fd = open(path, O_RDONLY | O_CLOEXEC);
    if (out.fd < 0) {
        fail("cannot open", path);
        return 1;
    }
    /* Set up before the first round: what is written from then on wakes the pump. */
    watch = watch_start();
    snprintf(path, sizeof(path), "%s/stop", state_dir);

    for (;;) {
        long long now = monotonic_ms();
        bool look_for_replaced = now - last_look >= SAFETY_LOOK_MS;

        if (look_for_replaced)
            last_look = now;
        stopping = stopping || access(path, F_OK) == 0;
        got = false;
        /* The consoles first, so that a step's reaction to console output comes after it. */
        if (copy_consoles(look_for_replaced) < 0 || drain(&out) < 0)
            return 1;
        fflush(stdout);
        if (stopping) {
            if (got)
                continue;
            part_flush(&out);
            fflush(stdout);
            return 0;
        }
        watch_wait(watch, watch >= 0 ? SAFETY_LOOK_MS : NO_INOTIFY_MS);
    }
}
