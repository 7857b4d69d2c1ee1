/*
 * The TCP/IP stack (lwIP and its port, net/): the port's mailboxes and timed waits,
 * then the socket API between threads of this domain over the loopback interface
 * (127.0.0.1). Needs no vif, so it runs in every domain. Each test picks its own port, so that a
 * connection of an earlier test still closing (TIME_WAIT) is never in the way.
 */
#include "kernel/semaphore.h"
#include "kernel/test.h"
#include "kernel/thread.h"
#include "lib/string.h"
#include "lwip/sockets.h"
#include "lwip/sys.h"
#include "mm/heap.h"
#include "net/stack.h"
#include "xen/time.h"

#define STREAM_BYTES (1024 * 1024)
#define CONNECTIONS  4
#define ECHO_BYTES   (128 * 1024)
#define ECHO_CHUNK   (8 * 1024)

KERNEL_TEST(net_port_mailbox_is_bounded_and_waits_time_out)
{
    int a = 1, b = 2, c = 3;
    void *msg = NULL;
    sys_mbox_t mbox;
    sys_sem_t sem;
    TEST_ASSERT_EQ(sys_mbox_new(&mbox, 2), ERR_OK);
    TEST_ASSERT_EQ(sys_mbox_trypost(&mbox, &a), ERR_OK);
    TEST_ASSERT_EQ(sys_mbox_trypost(&mbox, &b), ERR_OK);
    TEST_ASSERT_EQ(sys_mbox_trypost(&mbox, &c), ERR_MEM); /* full: refused, not queued */
    TEST_ASSERT(sys_arch_mbox_fetch(&mbox, &msg, 1000) != SYS_ARCH_TIMEOUT);
    TEST_ASSERT(msg == &a);
    TEST_ASSERT_EQ(sys_arch_mbox_tryfetch(&mbox, &msg), 0);
    TEST_ASSERT(msg == &b);
    TEST_ASSERT_EQ(sys_arch_mbox_tryfetch(&mbox, &msg), SYS_MBOX_EMPTY);
    uint64_t start = xen_system_time_ns();
    TEST_ASSERT_EQ(sys_arch_mbox_fetch(&mbox, &msg, 30), SYS_ARCH_TIMEOUT);
    TEST_ASSERT(xen_system_time_ns() - start >= 30 * NSEC_PER_MSEC);
    sys_mbox_free(&mbox);
    TEST_ASSERT(!sys_mbox_valid(&mbox));

    TEST_ASSERT_EQ(sys_sem_new(&sem, 1), ERR_OK);
    TEST_ASSERT(sys_arch_sem_wait(&sem, 1000) != SYS_ARCH_TIMEOUT);
    start = xen_system_time_ns();
    TEST_ASSERT_EQ(sys_arch_sem_wait(&sem, 30), SYS_ARCH_TIMEOUT);
    TEST_ASSERT(xen_system_time_ns() - start >= 30 * NSEC_PER_MSEC);
    sys_sem_free(&sem);
}

/* The byte at offset i of the stream with this seed: a shift or a loss shows. */
static uint8_t pattern_byte(size_t i, unsigned int seed)
{
    return (uint8_t)((i * 7 + i / 251 + seed) & 0xff);
}

static void fill_pattern(uint8_t *buf, size_t len, size_t offset, unsigned int seed)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = pattern_byte(offset + i, seed);
}

static bool matches_pattern(const uint8_t *buf, size_t len, size_t offset, unsigned int seed)
{
    for (size_t i = 0; i < len; i++)
        if (buf[i] != pattern_byte(offset + i, seed))
            return false;
    return true;
}

static struct sockaddr_in loopback(uint16_t port)
{
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof(addr));
    addr.sin_len = sizeof(addr);
    addr.sin_family = AF_INET;
    addr.sin_port = lwip_htons(port);
    addr.sin_addr.s_addr = lwip_htonl(INADDR_LOOPBACK);
    return addr;
}

/* A socket of type (SOCK_STREAM, SOCK_DGRAM) bound to 127.0.0.1:port, or -1. */
static int bound_to(int type, uint16_t port)
{
    struct sockaddr_in addr = loopback(port);
    int s = lwip_socket(AF_INET, type, 0);
    if (s >= 0 && lwip_bind(s, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
        lwip_close(s);
        return -1;
    }
    return s;
}

/* A TCP socket listening on 127.0.0.1:port, or -1. */
static int listen_on(uint16_t port, int backlog)
{
    int s = bound_to(SOCK_STREAM, port);
    if (s >= 0 && lwip_listen(s, backlog) != 0) {
        lwip_close(s);
        return -1;
    }
    return s;
}

/* A TCP socket connected to 127.0.0.1:port, or -1. */
static int connect_to(uint16_t port)
{
    struct sockaddr_in addr = loopback(port);
    int s = lwip_socket(AF_INET, SOCK_STREAM, 0);
    if (s >= 0 && lwip_connect(s, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
        lwip_close(s);
        return -1;
    }
    return s;
}

/* Send all len bytes; false if the connection failed first. */
static bool send_all(int s, const uint8_t *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = lwip_send(s, buf, len, 0);
        if (n <= 0)
            return false;
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

/* Receive exactly len bytes; false on an error or an early end of stream. */
static bool recv_all(int s, uint8_t *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = lwip_recv(s, buf, len, 0);
        if (n <= 0)
            return false;
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

/* Send STREAM_BYTES of the pattern with seed, in pieces of odd sizes. */
static bool send_stream(int s, uint8_t *buf, unsigned int seed)
{
    fill_pattern(buf, STREAM_BYTES, 0, seed);
    for (size_t off = 0; off < STREAM_BYTES;) {
        size_t piece = off % 3 == 0 ? 1000 : 7919;
        if (piece > STREAM_BYTES - off)
            piece = STREAM_BYTES - off;
        if (!send_all(s, buf + off, piece))
            return false;
        off += piece;
    }
    return true;
}

static bool recv_stream(int s, uint8_t *buf, unsigned int seed)
{
    memset(buf, 0, STREAM_BYTES);
    return recv_all(s, buf, STREAM_BYTES) && matches_pattern(buf, STREAM_BYTES, 0, seed);
}

/* The server of the stream test: takes 1 MiB, checks it, sends 1 MiB back. */
struct stream_server {
    int listener;
    struct semaphore done;
    bool ok;
};

static void stream_server_main(void *arg)
{
    struct stream_server *srv = arg;
    uint8_t *buf = xmalloc(STREAM_BYTES, 0);
    int s = lwip_accept(srv->listener, NULL, NULL);

    srv->ok = buf != NULL && s >= 0 && recv_stream(s, buf, 1) && send_stream(s, buf, 2);
    if (s >= 0)
        lwip_close(s);
    xfree(buf);
    semaphore_up(&srv->done);
}

KERNEL_TEST(net_tcp_moves_1mib_each_way_over_loopback)
{
    struct stream_server srv = {.ok = false};
    net_stack_start();
    srv.listener = listen_on(5001, 1);
    TEST_ASSERT(srv.listener >= 0);
    semaphore_init(&srv.done, 0);
    struct thread *t = thread_create("net-server", stream_server_main, &srv);
    TEST_ASSERT(t != NULL);
    thread_detach(t);

    uint8_t *buf = xmalloc(STREAM_BYTES, 0);
    int s = connect_to(5001);
    bool sent = s >= 0 && buf != NULL && send_stream(s, buf, 1);
    bool received = sent && recv_stream(s, buf, 2);
    /* After the whole stream, the server's close reads as the end of it. */
    uint8_t extra;
    bool ended = received && lwip_recv(s, &extra, 1, 0) == 0;
    if (s >= 0)
        lwip_close(s);
    xfree(buf);
    TEST_ASSERT(semaphore_down_until(&srv.done, TEST_DEADLINE_MS(30000)));
    lwip_close(srv.listener);
    TEST_ASSERT(s >= 0);
    TEST_ASSERT(sent);
    TEST_ASSERT(received);
    TEST_ASSERT(ended);
    TEST_ASSERT(srv.ok);
}

/* Several connections at once: each client sends a chunk and reads its echo. */
struct echo_client {
    unsigned int seed;
    struct semaphore *done;
    bool ok;
};

static void echo_connection_main(void *arg)
{
    int s = (int)(intptr_t)arg;
    uint8_t buf[1024];
    ssize_t n;
    while ((n = lwip_recv(s, buf, sizeof(buf), 0)) > 0)
        if (!send_all(s, buf, (size_t)n))
            break;
    lwip_close(s);
}

static void echo_server_main(void *arg)
{
    int listener = (int)(intptr_t)arg;
    for (unsigned int i = 0; i < CONNECTIONS; i++) {
        int s = lwip_accept(listener, NULL, NULL);
        if (s < 0)
            break;
        struct thread *t = thread_create("net-echo", echo_connection_main, (void *)(intptr_t)s);
        if (t == NULL) {
            lwip_close(s);
            continue;
        }
        thread_detach(t);
    }
}

static void echo_client_main(void *arg)
{
    struct echo_client *c = arg;
    uint8_t *out = xmalloc(ECHO_CHUNK, 0), *in = xmalloc(ECHO_CHUNK, 0);
    int s = connect_to(5002);
    bool ok = s >= 0 && out != NULL && in != NULL;

    for (size_t off = 0; ok && off < ECHO_BYTES; off += ECHO_CHUNK) {
        fill_pattern(out, ECHO_CHUNK, off, c->seed);
        ok = send_all(s, out, ECHO_CHUNK) && recv_all(s, in, ECHO_CHUNK) &&
             matches_pattern(in, ECHO_CHUNK, off, c->seed);
    }
    if (s >= 0)
        lwip_close(s);
    xfree(out);
    xfree(in);
    c->ok = ok;
    semaphore_up(c->done);
}

KERNEL_TEST(net_tcp_serves_several_connections_at_once)
{
    struct echo_client clients[CONNECTIONS];
    struct semaphore done;
    net_stack_start();
    int listener = listen_on(5002, CONNECTIONS);
    TEST_ASSERT(listener >= 0);
    semaphore_init(&done, 0);

    struct thread *server =
        thread_create("net-accept", echo_server_main, (void *)(intptr_t)listener);
    TEST_ASSERT(server != NULL);
    for (unsigned int i = 0; i < CONNECTIONS; i++) {
        clients[i] = (struct echo_client){.seed = 10 + i, .done = &done, .ok = false};
        struct thread *t = thread_create("net-client", echo_client_main, &clients[i]);
        TEST_ASSERT(t != NULL);
        thread_detach(t);
    }
    unsigned int finished = 0;
    while (finished < CONNECTIONS && semaphore_down_until(&done, TEST_DEADLINE_MS(30000)))
        finished++;
    thread_join(server);
    lwip_close(listener);
    TEST_ASSERT_EQ(finished, CONNECTIONS);
    for (unsigned int i = 0; i < CONNECTIONS; i++)
        TEST_ASSERT(clients[i].ok);
}

KERNEL_TEST(net_udp_keeps_datagrams_whole)
{
    static const size_t sizes[] = {1, 100, 1400};
    uint8_t out[1400], in[1500];
    net_stack_start();
    int rx = bound_to(SOCK_DGRAM, 5003), tx = bound_to(SOCK_DGRAM, 5004);
    TEST_ASSERT(rx >= 0 && tx >= 0);
    struct sockaddr_in to = loopback(5003);

    for (unsigned int i = 0; i < 3; i++) {
        fill_pattern(out, sizes[i], 0, i);
        TEST_ASSERT_EQ(lwip_sendto(tx, out, sizes[i], 0, (struct sockaddr *)&to, sizeof(to)),
                       sizes[i]);
    }
    for (unsigned int i = 0; i < 3; i++) {
        struct sockaddr_in from;
        socklen_t from_len = sizeof(from);
        ssize_t n = lwip_recvfrom(rx, in, sizeof(in), 0, (struct sockaddr *)&from, &from_len);
        TEST_ASSERT_EQ(n, sizes[i]);
        TEST_ASSERT(matches_pattern(in, sizes[i], 0, i));
        TEST_ASSERT_EQ(lwip_ntohs(from.sin_port), 5004);
        TEST_ASSERT_EQ(from.sin_addr.s_addr, lwip_htonl(INADDR_LOOPBACK));
    }
    lwip_close(rx);
    lwip_close(tx);
}

KERNEL_TEST(net_receive_timeout_expires)
{
    uint8_t byte;
    struct timeval timeout = {.tv_sec = 0, .tv_usec = 200 * 1000};
    net_stack_start();
    int s = bound_to(SOCK_DGRAM, 5005);
    TEST_ASSERT(s >= 0);
    TEST_ASSERT_EQ(lwip_setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)), 0);

    uint64_t start = xen_system_time_ns();
    ssize_t n = lwip_recv(s, &byte, 1, 0);
    int err = errno;
    uint64_t waited_ms = (xen_system_time_ns() - start) / NSEC_PER_MSEC;
    lwip_close(s);
    TEST_ASSERT_EQ(n, -1);
    TEST_ASSERT_EQ(err, EWOULDBLOCK);
    TEST_ASSERT(waited_ms >= 200);
    TEST_ASSERT(waited_ms < 5000);
}

KERNEL_TEST(net_select_and_poll_see_readiness)
{
    uint8_t byte = 42;
    net_stack_start();
    int rx = bound_to(SOCK_DGRAM, 5006), tx = bound_to(SOCK_DGRAM, 5007);
    TEST_ASSERT(rx >= 0 && tx >= 0);

    /* Nothing to read: select waits out its timeout, poll too. */
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(rx, &readable);
    struct timeval timeout = {.tv_sec = 0, .tv_usec = 50 * 1000};
    uint64_t start = xen_system_time_ns();
    TEST_ASSERT_EQ(lwip_select(rx + 1, &readable, NULL, NULL, &timeout), 0);
    TEST_ASSERT(xen_system_time_ns() - start >= 50 * NSEC_PER_MSEC);
    struct pollfd pfd = {.fd = rx, .events = POLLIN};
    TEST_ASSERT_EQ(lwip_poll(&pfd, 1, 50), 0);

    /* A datagram waiting: both say so at once. */
    struct sockaddr_in to = loopback(5006);
    TEST_ASSERT_EQ(lwip_sendto(tx, &byte, 1, 0, (struct sockaddr *)&to, sizeof(to)), 1);
    FD_ZERO(&readable);
    FD_SET(rx, &readable);
    timeout = (struct timeval){.tv_sec = 5, .tv_usec = 0};
    TEST_ASSERT_EQ(lwip_select(rx + 1, &readable, NULL, NULL, &timeout), 1);
    TEST_ASSERT(FD_ISSET(rx, &readable));
    pfd.revents = 0;
    TEST_ASSERT_EQ(lwip_poll(&pfd, 1, 5000), 1);
    TEST_ASSERT(pfd.revents & POLLIN);

    /* A listening socket is readable once a connection waits to be accepted. */
    int listener = listen_on(5008, 1);
    int client = connect_to(5008);
    TEST_ASSERT(listener >= 0 && client >= 0);
    struct pollfd lfd = {.fd = listener, .events = POLLIN};
    TEST_ASSERT_EQ(lwip_poll(&lfd, 1, 5000), 1);
    int accepted = lwip_accept(listener, NULL, NULL);
    TEST_ASSERT(accepted >= 0);
    lwip_close(accepted);
    lwip_close(client);
    lwip_close(listener);
    lwip_close(rx);
    lwip_close(tx);
}
