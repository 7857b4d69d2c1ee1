/*
 * The whole server on the host: server.c's socket loop built against the C library's
 * sockets, run in a child process on a free localhost port, and driven by clients
 * written here: a keep-alive sequence, /bytes checked byte by byte and by SHA-256,
 * an upload, a malformed request answered 400 while the server serves on, and a
 * hundred connections at once, read in the reverse order of their requests, the same
 * over IPv6 (where the host has it), and the idle timeout: a kept connection closed,
 * a head and a body sent a byte at a time answered 408, a full house of idle clients
 * that keeps newcomers out only until it times out. Where curl is installed, it
 * checks the same as a client the test did not write would: a connection kept
 * between requests, /bytes and an upload against sha256sum.
 */
#include "lib/tests/host_names.h"
#include "lib/sha256.h"
#include "apps/httpd/server.h"
#include "apps/httpd/session.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "lib/tests/unit.h"

#define CONCURRENT 100
/* The idle timeout of the server the timeout tests talk to. */
#define TIMEOUT_MS 2000

static unsigned short port;       /* the server most tests talk to */
static unsigned short short_port; /* the same with TIMEOUT_MS, for the timeout tests */

struct client {
    int fd;
    char buf[16384];
    size_t len; /* bytes in buf not yet consumed */
};

struct response {
    int status;
    char head[4096];
    uint64_t length;
    bool closes;
    char hex[65];    /* SHA-256 of the body */
    bool pattern;    /* the body is the /bytes pattern */
    char start[128]; /* the body's first bytes, as a string */
};

static bool client_connect(struct client *c, int family, const void *addr, socklen_t len)
{
    struct timeval timeout = {.tv_sec = 20};

    c->len = 0;
    c->fd = socket(family, SOCK_STREAM, 0);
    setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    return c->fd >= 0 && connect(c->fd, addr, len) == 0;
}

static bool client_open_to(struct client *c, unsigned short to)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(to)};

    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return client_connect(c, AF_INET, &addr, sizeof(addr));
}

static bool client_open(struct client *c)
{
    return client_open_to(c, port);
}

/* Over IPv6's loopback address ::1. */
static bool client_open6(struct client *c)
{
    struct sockaddr_in6 addr = {.sin6_family = AF_INET6, .sin6_port = htons(port)};

    addr.sin6_addr = in6addr_loopback;
    return client_connect(c, AF_INET6, &addr, sizeof(addr));
}

static uint64_t now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static bool client_send(struct client *c, const void *data, size_t len)
{
    while (len) {
        ssize_t n = send(c->fd, data, len, 0);

        if (n <= 0)
            return false;
        data = (const char *)data + n;
        len -= n;
    }
    return true;
}

/* More bytes into c->buf; false at the end of the stream or on an error. */
static bool client_fill(struct client *c)
{
    /* One byte stays free, for the NUL that client_response puts after the bytes. */
    ssize_t n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len, 0);

    if (n <= 0)
        return false;
    c->len += n;
    return true;
}

static void client_consume(struct client *c, size_t n)
{
    memmove(c->buf, c->buf + n, c->len - n);
    c->len -= n;
}

/* Read one response; false if the stream ended or broke before it was whole. */
static bool client_response(struct client *c, bool head_only, struct response *r)
{
    char *end;
    const char *cl;
    size_t head_len;
    uint64_t at = 0;
    struct sha256 sha;

    memset(r, 0, sizeof(*r));
    for (;;) {
        c->buf[c->len] = '\0';
        end = c->len ? strstr(c->buf, "\r\n\r\n") : NULL;
        if (end)
            break;
        if (c->len == sizeof(c->buf) - 1 || !client_fill(c))
            return false;
    }
    head_len = end + 4 - c->buf;
    if (head_len >= sizeof(r->head))
        return false;
    memcpy(r->head, c->buf, head_len);
    client_consume(c, head_len);
    if (sscanf(r->head, "HTTP/1.1 %d ", &r->status) != 1)
        return false;
    cl = strstr(r->head, "Content-Length: ");
    if (cl)
        r->length = strtoull(cl + 16, NULL, 10);
    r->closes = strstr(r->head, "Connection: close\r\n") != NULL;
    if (r->status == 100)
        return true;
    r->pattern = true;
    sha256_init(&sha);
    while (!head_only && at < r->length) {
        size_t n;

        if (!c->len && !client_fill(c))
            return false;
        n = c->len < r->length - at ? c->len : r->length - at;
        sha256_update(&sha, c->buf, n);
        for (size_t i = 0; i < n; i++) {
            if (c->buf[i] != SESSION_PATTERN[(at + i) % SESSION_PATTERN_LEN])
                r->pattern = false;
            if (at + i < sizeof(r->start) - 1)
                r->start[at + i] = c->buf[i];
        }
        at += n;
        client_consume(c, n);
    }
    sha256_final_hex(&sha, r->hex);
    return true;
}

/* Whether the server closed the connection (nothing more arrives). */
static bool client_sees_close(struct client *c)
{
    return c->len == 0 && !client_fill(c);
}

static bool request(struct client *c, const char *text, bool head_only, struct response *r)
{
    return client_send(c, text, strlen(text)) && client_response(c, head_only, r);
}

/* SHA-256 of the first n bytes of the /bytes pattern. */
static void pattern_sha(uint64_t n, char hex[65])
{
    static char run[SESSION_PATTERN_LEN * 1024];
    struct sha256 sha;

    for (size_t i = 0; i < sizeof(run); i++)
        run[i] = SESSION_PATTERN[i % SESSION_PATTERN_LEN];
    sha256_init(&sha);
    for (; n > sizeof(run); n -= sizeof(run))
        sha256_update(&sha, run, sizeof(run));
    sha256_update(&sha, run, n);
    sha256_final_hex(&sha, hex);
}

UNIT_TEST(keep_alive_sequence)
{
    struct client c;
    struct response r;

    CHECK(client_open(&c));
    CHECK(request(&c, "GET / HTTP/1.1\r\nHost: t\r\n\r\n", false, &r));
    CHECK_INT(r.status, 200);
    CHECK(strstr(r.start, "<!DOCTYPE html>") == r.start);
    CHECK(request(&c, "GET /status.json HTTP/1.1\r\nHost: t\r\n\r\n", false, &r));
    CHECK_INT(r.status, 200);
    CHECK(strstr(r.start, "{\"uptime_s\": 12.345,") == r.start);
    CHECK(request(&c, "HEAD /bytes?n=5000 HTTP/1.1\r\nHost: t\r\n\r\n", true, &r));
    CHECK_INT(r.length, 5000);
    CHECK(request(&c, "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n", false, &r));
    CHECK_INT(r.status, 404);
    CHECK(!r.closes);
    CHECK(
        request(&c, "GET /bytes?n=10 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false, &r));
    CHECK_INT(r.status, 200);
    CHECK_STR(r.start, "0123456789");
    CHECK(r.closes);
    CHECK(client_sees_close(&c));
    close(c.fd);
}

UNIT_TEST(http_1_0_is_closed_after_one_response)
{
    struct client c;
    struct response r;

    CHECK(client_open(&c));
    CHECK(request(&c, "GET /status.json HTTP/1.0\r\n\r\n", false, &r));
    CHECK_INT(r.status, 200);
    CHECK(r.closes);
    CHECK(client_sees_close(&c));
    close(c.fd);
}

UNIT_TEST(bytes_with_a_checksum)
{
    const uint64_t n = 5 * 1000 * 1000 + 7;
    struct client c;
    struct response r;
    char expected[65];

    CHECK(client_open(&c));
    CHECK(request(&c, "GET /bytes?n=5000007 HTTP/1.1\r\nHost: t\r\n\r\n", false, &r));
    CHECK_INT(r.status, 200);
    CHECK_INT(r.length, n);
    CHECK(r.pattern);
    pattern_sha(n, expected);
    CHECK_STR(r.hex, expected);
    close(c.fd);
}

UNIT_TEST(upload_is_answered_with_its_sha256)
{
    const size_t n = 5 * 1000 * 1000;
    char *body = malloc(n), head[160], expected[65];
    struct client c;
    struct response r;
    struct sha256 sha;

    for (size_t i = 0; i < n; i++)
        body[i] = (char)(i * 31 + i / 4096);
    sha256_init(&sha);
    sha256_update(&sha, body, n);
    sha256_final_hex(&sha, expected);
    snprintf(head, sizeof(head),
             "PUT /upload HTTP/1.1\r\nHost: t\r\nContent-Length: %zu\r\n"
             "Expect: 100-continue\r\n\r\n",
             n);
    CHECK(client_open(&c));
    CHECK(client_send(&c, head, strlen(head)));
    CHECK(client_response(&c, false, &r));
    CHECK_INT(r.status, 100);
    CHECK(client_send(&c, body, n));
    CHECK(client_response(&c, false, &r));
    CHECK_INT(r.status, 200);
    CHECK(strncmp(r.start, expected, 64) == 0);
    close(c.fd);
    free(body);
}

/* A request sent right behind an upload's body, in the same write, is answered too. */
UNIT_TEST(request_right_behind_an_upload_is_answered)
{
    const size_t n = 300 * 1000;
    const char tail[] = "GET /bytes?n=10 HTTP/1.1\r\nHost: t\r\n\r\n";
    char head[128], expected[65];
    size_t head_len = (size_t)snprintf(
        head, sizeof(head), "PUT /upload HTTP/1.1\r\nHost: t\r\nContent-Length: %zu\r\n\r\n", n);
    char *all = malloc(head_len + n + sizeof(tail) - 1);
    struct client c;
    struct response r;
    struct sha256 sha;

    memcpy(all, head, head_len);
    for (size_t i = 0; i < n; i++)
        all[head_len + i] = (char)(i * 7 + i / 1000);
    memcpy(all + head_len + n, tail, sizeof(tail) - 1);
    sha256_init(&sha);
    sha256_update(&sha, all + head_len, n);
    sha256_final_hex(&sha, expected);
    CHECK(client_open(&c));
    CHECK(client_send(&c, all, head_len + n + sizeof(tail) - 1));
    CHECK(client_response(&c, false, &r));
    CHECK_INT(r.status, 200);
    CHECK(strncmp(r.start, expected, 64) == 0);
    CHECK(client_response(&c, false, &r));
    CHECK_INT(r.status, 200);
    CHECK_INT(r.length, 10);
    close(c.fd);
    free(all);
}

UNIT_TEST(malformed_request_gets_400_and_the_server_serves_on)
{
    struct client c;
    struct response r;

    CHECK(client_open(&c));
    CHECK(request(&c, "GET /\x01 HTTP/1.1\r\nHost: t\r\n\r\n", false, &r));
    CHECK_INT(r.status, 400);
    CHECK(r.closes);
    CHECK(client_sees_close(&c));
    close(c.fd);
    CHECK(client_open(&c));
    CHECK(request(&c, "GET / HTTP/1.1\r\n\r\n", false, &r)); /* no Host */
    CHECK_INT(r.status, 400);
    close(c.fd);
    CHECK(client_open(&c));
    CHECK(request(&c, "GET /bytes?n=1x HTTP/1.1\r\nHost: t\r\n\r\n", false, &r));
    CHECK_INT(r.status, 400);
    CHECK(request(&c, "GET / HTTP/1.1\r\nHost: t\r\n\r\n", false, &r));
    CHECK_INT(r.status, 200);
    close(c.fd);
}

UNIT_TEST(concurrent_connections)
{
    static struct client c[CONCURRENT];
    const char *start = "GET /bytes?n=100000 HTTP/1.1\r\n", *end = "Host: t\r\n\r\n";
    struct response r;
    int opened = 0, answered = 0;

    /* All open, each with half a request, before any is complete. */
    for (int i = 0; i < CONCURRENT; i++)
        opened += client_open(&c[i]) && client_send(&c[i], start, strlen(start));
    CHECK_INT(opened, CONCURRENT);
    for (int i = 0; i < CONCURRENT; i++)
        client_send(&c[i], end, strlen(end));
    /* Read last first: the server must not wait on the ones not yet read. */
    for (int i = CONCURRENT - 1; i >= 0; i--) {
        answered +=
            client_response(&c[i], false, &r) && r.status == 200 && r.pattern && r.length == 100000;
        close(c[i].fd);
    }
    CHECK_INT(answered, CONCURRENT);
}

UNIT_TEST(ipv6_is_served_on_the_same_port)
{
    struct client c;
    struct response r;
    int probe = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 loop = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};

    /* No IPv6 on this host (the server then listens on IPv4 only): nothing to check. */
    if (probe < 0 || bind(probe, (struct sockaddr *)&loop, sizeof(loop)) < 0) {
        printf("  the host has no IPv6 loopback: nothing checked\n");
        if (probe >= 0)
            close(probe);
        return;
    }
    close(probe);
    CHECK(client_open6(&c));
    CHECK(request(&c, "GET /bytes?n=10 HTTP/1.1\r\nHost: [::1]\r\n\r\n", false, &r));
    CHECK_INT(r.status, 200);
    CHECK_STR(r.start, "0123456789");
    close(c.fd);
}

UNIT_TEST(idle_connection_is_closed)
{
    struct client c;
    struct response r;
    uint64_t start;

    CHECK(client_open_to(&c, short_port));
    CHECK(request(&c, "GET /bytes?n=10 HTTP/1.1\r\nHost: t\r\n\r\n", false, &r));
    CHECK_INT(r.status, 200);
    start = now_ms();
    CHECK(client_sees_close(&c));
    CHECK(now_ms() - start >= TIMEOUT_MS - 100);
    CHECK(now_ms() - start < TIMEOUT_MS + 5000);
    close(c.fd);
}

/*
 * Send text, then a byte every 200 ms (each moves the connection, so the idle bound
 * never comes): the server must answer 408 once the timeout is over, and close.
 */
static void check_trickle_gets_408(const char *text)
{
    struct client c;
    struct response r;
    struct pollfd pfd;
    uint64_t start = now_ms();
    bool answered = false;

    CHECK(client_open_to(&c, short_port));
    CHECK(client_send(&c, text, strlen(text)));
    pfd.fd = c.fd;
    pfd.events = POLLIN;
    while (!answered && now_ms() - start < TIMEOUT_MS + 5000) {
        send(c.fd, "x", 1, MSG_NOSIGNAL);
        answered = poll(&pfd, 1, 200) > 0;
    }
    CHECK(answered);
    CHECK(now_ms() - start >= TIMEOUT_MS - 100);
    CHECK(client_response(&c, false, &r));
    CHECK_INT(r.status, 408);
    CHECK(r.closes);
    CHECK(client_sees_close(&c));
    close(c.fd);
}

UNIT_TEST(head_sent_a_byte_at_a_time_gets_408)
{
    /* Each byte is a header's, none ends the head. */
    check_trickle_gets_408("GET / HTTP/1.1\r\nHost: t\r\n");
}

UNIT_TEST(body_sent_a_byte_at_a_time_gets_408)
{
    /* 5 bytes a second, far below the minimum rate (deadline.h). */
    check_trickle_gets_408("PUT /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n");
}

UNIT_TEST(idle_clients_keep_newcomers_out_only_until_they_time_out)
{
    static struct client idle[SERVER_MAX_CONNECTIONS];
    struct client c;
    struct response r;
    const char *text, *timed_out;
    int opened = 0;

    for (int i = 0; i < SERVER_MAX_CONNECTIONS; i++)
        opened += client_open_to(&idle[i], short_port);
    CHECK_INT(opened, SERVER_MAX_CONNECTIONS);
    /* Let the server accept them all before the newcomer. */
    usleep(500 * 1000);
    CHECK(client_open_to(&c, short_port));
    CHECK(!request(&c, "GET / HTTP/1.1\r\nHost: t\r\n\r\n", false, &r));
    close(c.fd);
    usleep((TIMEOUT_MS + 1000) * 1000);
    CHECK(client_open_to(&c, short_port));
    CHECK(request(&c, "GET / HTTP/1.1\r\nHost: t\r\n\r\n", false, &r));
    CHECK_INT(r.status, 200);
    for (int i = 0; i < SERVER_MAX_CONNECTIONS; i++) {
        CHECK(client_sees_close(&idle[i]));
        close(idle[i].fd);
    }
    /* The status page counts them, with the earlier tests' on this server. */
    text = "GET /status.json HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    CHECK(client_send(&c, text, strlen(text)));
    while (client_fill(&c))
        ;
    c.buf[c.len] = '\0';
    timed_out = strstr(c.buf, "\"connections_timed_out\": ");
    CHECK(timed_out && atoi(timed_out + 25) >= SERVER_MAX_CONNECTIONS);
    close(c.fd);
}

/* Run a shell command and keep its output's first line; false if it failed. */
static bool shell(char *out, size_t size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
static bool shell(char *out, size_t size, const char *format, ...)
{
    char command[1024];
    va_list ap;
    FILE *f;
    bool ok;

    va_start(ap, format);
    vsnprintf(command, sizeof(command), format, ap);
    va_end(ap);
    f = popen(command, "r");
    if (!f)
        return false;
    out[0] = '\0';
    ok = fgets(out, size, f) != NULL;
    out[strcspn(out, "\n")] = '\0';
    return pclose(f) == 0 && ok;
}

UNIT_TEST(curl_agrees)
{
    char got[256], want[256], upload[] = "/tmp/httpd-upload-XXXXXX";
    int fd;

    if (system("command -v curl >/dev/null && command -v sha256sum >/dev/null") != 0) {
        printf("  curl or sha256sum is not installed: nothing checked\n");
        return;
    }
    /* Two URLs in one call share a connection when the first response keeps it. */
    CHECK(shell(got, sizeof(got),
                "curl -sS -o /dev/null -o /dev/null -w '%%{http_code}/%%{num_connects} ' "
                "http://127.0.0.1:%u/ http://127.0.0.1:%u/status.json",
                port, port));
    CHECK_STR(got, "200/1 200/0 ");
    CHECK(shell(got, sizeof(got), "curl -sS 'http://127.0.0.1:%u/bytes?n=3000001' | sha256sum",
                port));
    CHECK(shell(want, sizeof(want), "yes %.62s | head -c 3000001 | sha256sum", SESSION_PATTERN));
    CHECK_STR(got, want);
    /* From a file, so that curl sends its length: from a pipe it sends chunks (501). */
    fd = mkstemp(upload);
    CHECK(fd >= 0);
    close(fd);
    CHECK(shell(got, sizeof(got), "head -c 2000000 /dev/urandom > %s && echo written", upload));
    CHECK(shell(got, sizeof(got), "curl -sS -T %s http://127.0.0.1:%u/upload", upload, port));
    CHECK(shell(want, sizeof(want), "sha256sum < %s | cut -c1-64", upload));
    CHECK_STR(got, want);
    unlink(upload);
    CHECK(shell(got, sizeof(got),
                "curl -s -o /dev/null -w '%%{http_code}' -H 'Host:' http://127.0.0.1:%u/", port));
    CHECK_STR(got, "400");
    CHECK(shell(got, sizeof(got),
                "curl -s -o /dev/null -w '%%{http_code}' -X DELETE http://127.0.0.1:%u/", port));
    CHECK_STR(got, "405");
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(keep_alive_sequence),
    UNIT_ENTRY(http_1_0_is_closed_after_one_response),
    UNIT_ENTRY(bytes_with_a_checksum),
    UNIT_ENTRY(upload_is_answered_with_its_sha256),
    UNIT_ENTRY(request_right_behind_an_upload_is_answered),
    UNIT_ENTRY(malformed_request_gets_400_and_the_server_serves_on),
    UNIT_ENTRY(concurrent_connections),
    UNIT_ENTRY(curl_agrees),
    UNIT_ENTRY(ipv6_is_served_on_the_same_port),
    UNIT_ENTRY(idle_connection_is_closed),
    UNIT_ENTRY(head_sent_a_byte_at_a_time_gets_408),
    UNIT_ENTRY(body_sent_a_byte_at_a_time_gets_408),
    UNIT_ENTRY(idle_clients_keep_newcomers_out_only_until_they_time_out),
};

/* A server in a child process on a free port, with timeout_ms; its pid, or -1. */
static pid_t server_start(uint64_t timeout_ms, unsigned short *port_out)
{
    struct sockaddr_storage addr;
    socklen_t len = sizeof(addr);
    bool ipv6;
    int fd = server_listen(0, &ipv6);
    pid_t server;

    if (fd < 0 || getsockname(fd, (struct sockaddr *)&addr, &len) < 0) {
        perror("server_listen");
        return -1;
    }
    *port_out = ntohs(addr.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&addr)->sin6_port
                                                 : ((struct sockaddr_in *)&addr)->sin_port);
    server = fork();
    if (server == 0) {
        /* The server ends with this test, however the test ends. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        _exit(server_run(fd, timeout_ms) == 0 ? 0 : 2);
    }
    close(fd);
    return server;
}

int main(void)
{
    pid_t server, short_server;
    int rc;

    /* A client that goes away mid-response must not end the server. */
    signal(SIGPIPE, SIG_IGN);
    /* The kernel's timeout for most tests: some leave a connection unread for a while. */
    server = server_start(SERVER_DEFAULT_TIMEOUT * 1000, &port);
    short_server = server_start(TIMEOUT_MS, &short_port);
    if (server < 0 || short_server < 0)
        return 1;
    rc = unit_main(tests, UNIT_COUNT(tests));
    kill(server, SIGTERM);
    kill(short_server, SIGTERM);
    waitpid(server, NULL, 0);
    waitpid(short_server, NULL, 0);
    return rc;
}
