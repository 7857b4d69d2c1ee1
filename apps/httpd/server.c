/*
 * The socket loop. Sockets are never left to block: poll says which can move,
 * and recv and send are called with MSG_DONTWAIT, so that one slow client holds up
 * nobody (in the kernel, threads are cooperative: a blocked call would stall every
 * connection, not only its own). Bytes a session does not take yet (a request
 * that arrives while the one before is answered) wait in the connection's buffer.
 */
#include "lib/string.h"
#include "lib/vsnprintf.h"
#include "apps/httpd/deadline.h"
#include "apps/httpd/session.h"
#include "apps/httpd/sock.h"
#include "apps/httpd/server.h"

#define CONNECTION_IN_SIZE 2048
/*
 * A request body (an upload) is read in pieces of up to this much, straight to the
 * session, not through a connection's buffer: through the buffer it took a poll and a
 * recv for every 2 KiB, ten thousand of each for 20 MB (now under 400).
 */
#define BODY_READ_SIZE (64 * 1024)
/* A burst of clients, as many as may be open at once, waits rather than retries. */
#define LISTEN_BACKLOG SERVER_MAX_CONNECTIONS
#define RETRY_SEND_MS  50
/* "[ffff:...:ffff]:65535" and its NUL. */
#define PEER_TEXT_MAX 64

struct connection {
    int fd; /* -1: the slot is free */
    bool peer_closed;
    int error;                /* errno of the call that failed, 0 if none did */
    char peer[PEER_TEXT_MAX]; /* "10.0.0.1:41234", "[fd00::1]:41234" */
    bool fill_segments;       /* TCP_NODELAY off: connection_fill_segments */
    uint64_t moved_ms;        /* when a byte last moved either way */
    uint64_t head_ms;         /* when the head being read began */
    uint64_t body_ms;         /* when the body being read began */
    size_t in_len;
    char in[CONNECTION_IN_SIZE];
    struct session session;
};

static struct connection connections[SERVER_MAX_CONNECTIONS];
/* fds[0] is the listening socket; fds[1 + i] is polled_connections[i]'s. */
static struct pollfd fds[1 + SERVER_MAX_CONNECTIONS];
static struct connection *polled_connections[SERVER_MAX_CONNECTIONS];
static struct server_stats stats;
static uint64_t requests_of_closed; /* answered on connections now closed */
static uint64_t timeout;            /* ms; 0: none */
/* One for all connections: the loop serves them one at a time, and a session takes
 * all of a body it is given. */
static char body_in[BODY_READ_SIZE];

/* A socket of family listening at addr (len bytes), or -1. */
static int listen_at(int family, const void *addr, socklen_t len)
{
    int fd = socket(family, SOCK_STREAM, 0), one = 1, zero = 0;

    if (fd < 0)
        return -1;
    /* So that a restarted server need not wait out the old one's connections. */
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    /* An IPv6 socket takes IPv4 too, whatever the system's default (server.h). */
    if ((family == AF_INET6 &&
         setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) < 0) ||
        bind(fd, addr, len) < 0 || listen(fd, LISTEN_BACKLOG) < 0) {
        sock_close(fd);
        return -1;
    }
    return fd;
}

int server_listen(unsigned int port, bool *ipv6)
{
    struct sockaddr_in any4;
    struct sockaddr_in6 any6;
    int fd;

    memset(&any6, 0, sizeof(any6)); /* the address :: */
    any6.sin6_family = AF_INET6;
    any6.sin6_port = htons(port);
    fd = listen_at(AF_INET6, &any6, sizeof(any6));
    *ipv6 = fd >= 0;
    if (fd >= 0)
        return fd;
    memset(&any4, 0, sizeof(any4));
    any4.sin_family = AF_INET;
    any4.sin_port = htons(port);
    any4.sin_addr.s_addr = htonl(INADDR_ANY);
    return listen_at(AF_INET, &any4, sizeof(any4));
}

void server_stats(struct server_stats *out)
{
    *out = stats;
    out->requests = requests_of_closed;
    for (unsigned int i = 0; i < SERVER_MAX_CONNECTIONS; i++)
        if (connections[i].fd >= 0)
            out->requests += connections[i].session.requests;
}

static bool would_block(void)
{
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

/* The peer's address and port as the log shows them. */
static void peer_text(const struct sockaddr_storage *addr, char *buf, size_t size)
{
    const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)addr;
    const struct sockaddr_in *a4 = (const struct sockaddr_in *)addr;
    char ip[INET6_ADDRSTRLEN];

    if (addr->ss_family == AF_INET6 && sock_ntop(AF_INET6, &a6->sin6_addr, ip, sizeof(ip)))
        snprintf(buf, size, "[%s]:%u", ip, ntohs(a6->sin6_port));
    else if (addr->ss_family == AF_INET && sock_ntop(AF_INET, &a4->sin_addr, ip, sizeof(ip)))
        snprintf(buf, size, "%s:%u", ip, ntohs(a4->sin_port));
    else
        snprintf(buf, size, "?");
}

static void connection_close(struct connection *c)
{
    if (c->error) {
        char line[128];

        snprintf(line, sizeof(line), "httpd: connection from %s ended: %s", c->peer,
                 errno_name(c->error));
        sock_log(line);
    }
    sock_close(c->fd);
    c->fd = -1;
    stats.open--;
    requests_of_closed += c->session.requests;
}

static void connection_accept(int listen_fd)
{
    struct sockaddr_storage addr;
    socklen_t len = sizeof(addr);
    int fd = accept(listen_fd, (struct sockaddr *)&addr, &len), one = 1;
    struct connection *c = NULL;

    if (fd < 0)
        return;
    for (unsigned int i = 0; i < SERVER_MAX_CONNECTIONS && !c; i++)
        if (connections[i].fd < 0)
            c = &connections[i];
    if (!c) {
        stats.refused++;
        sock_close(fd);
        return;
    }
    /* Responses are written whole; each should leave at once, not wait for an ACK. */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    c->fill_segments = false;
    c->fd = fd;
    c->peer_closed = false;
    c->error = 0;
    peer_text(&addr, c->peer, sizeof(c->peer));
    c->moved_ms = sock_now_ms();
    c->in_len = 0;
    session_init(&c->session);
    stats.accepted++;
    stats.open++;
}

/*
 * Take what the socket has, up to size bytes into buf; the number taken, or 0 if
 * none (the peer closed, or nothing came), or -1 if the connection failed.
 */
static ssize_t connection_recv(struct connection *c, char *buf, size_t size)
{
    ssize_t n = recv(c->fd, buf, size, MSG_DONTWAIT);

    if (n > 0) {
        c->moved_ms = sock_now_ms();
        return n;
    }
    if (n == 0) {
        c->peer_closed = true;
    } else if (!would_block()) {
        c->error = errno;
        return -1;
    }
    return 0;
}

/* Take what the socket has; false if the connection failed. */
static bool connection_read(struct connection *c)
{
    uint64_t body_left = session_body_left(&c->session);
    ssize_t n;

    /* Body bytes with nothing before them in the buffer: to the session directly, and
     * no more than the body, so that nothing is left over for the buffer. */
    if (c->in_len == 0 && body_left > 0) {
        n = connection_recv(c, body_in, body_left < sizeof(body_in) ? body_left : sizeof(body_in));
        if (n > 0)
            session_receive(&c->session, body_in, n);
        return n >= 0;
    }
    n = connection_recv(c, c->in + c->in_len, sizeof(c->in) - c->in_len);
    if (n > 0)
        c->in_len += n;
    return n >= 0;
}

/*
 * While a response goes on past what is being sent, let the stack hold a short last
 * segment until the next send fills it (Nagle's algorithm: TCP_NODELAY off, as
 * TCP_CORK on Linux). A large body then leaves in full segments, which the frontend
 * merges into frames of up to 64 KiB (session.c sizes the sends to fill one); with
 * TCP_NODELAY each send's short last segment left at once, and dom0 pays per frame.
 * The response's last bytes go with TCP_NODELAY back on, at once.
 */
static void connection_fill_segments(struct connection *c, bool fill)
{
    int nodelay = !fill;

    if (c->fill_segments == fill)
        return;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, sizeof(nodelay));
    c->fill_segments = fill;
}

/*
 * Hand buffered input to the session and send what it has, until neither moves;
 * false once the connection is to be closed.
 */
static bool connection_progress(struct connection *c)
{
    struct session *s = &c->session;
    bool moved = true;

    while (moved) {
        const char *out;
        size_t len, used = 0;

        moved = false;
        if (c->in_len && session_wants_input(s)) {
            bool idle = session_idle(s), in_body = session_body_left(s) > 0;

            used = session_receive(s, c->in, c->in_len);
            if (idle && !session_idle(s))
                c->head_ms = sock_now_ms();
            /* A body begins where its head ends, here: heads come through the buffer. */
            if (!in_body && session_body_left(s) > 0)
                c->body_ms = sock_now_ms();
        }
        if (used) {
            memmove(c->in, c->in + used, c->in_len - used);
            c->in_len -= used;
            moved = true;
        }
        len = session_output(s, &out);
        if (len) {
            connection_fill_segments(c, session_output_continues(s, len));
            ssize_t n = send(c->fd, out, len, MSG_DONTWAIT);

            if (n < 0 && !would_block()) {
                c->error = errno;
                return false;
            }
            /*
             * Refused with nothing of ours waiting for the client: the stack had no
             * buffer, all of them held by other connections, and the client is not
             * what stops this one. Such a wait is not idleness: under 100 transfers
             * at once on a slow host, connections sat on their headers for the whole
             * timeout and were closed.
             */
            if (n < 0 && sock_send_queue_empty(c->fd))
                c->moved_ms = sock_now_ms();
            if (n > 0) {
                session_sent(s, n);
                c->moved_ms = sock_now_ms();
                moved = true;
            }
        }
        if (session_finished(s))
            return false;
    }
    /* The client has sent all it will, and nothing of it is left to answer. */
    return !(c->peer_closed && session_wants_input(s));
}

/* Whether a request has begun on c and not come whole: its head, or its body. */
static bool connection_mid_request(const struct connection *c)
{
    return session_head_partial(&c->session) || session_body_left(&c->session) > 0;
}

/* When c is closed unless it moves on (deadline.h): idle, a head, a body at its pace. */
static uint64_t connection_deadline(const struct connection *c)
{
    const struct session *s = &c->session;
    struct deadline_times t = {.moved_ms = c->moved_ms, .timeout_ms = timeout};

    if (session_head_partial(s)) {
        t.began_ms = c->head_ms;
        return deadline_at(DEADLINE_HEAD, &t);
    }
    if (session_body_left(s) > 0) {
        t.began_ms = c->body_ms;
        t.received = session_body_taken(s);
        return deadline_at(DEADLINE_BODY, &t);
    }
    return deadline_at(DEADLINE_IDLE, &t);
}

/* Close c if its time is up; a request that took too long is answered 408 first. */
static bool connection_expire(struct connection *c, uint64_t now)
{
    if (!timeout || now < connection_deadline(c))
        return false;
    if (connection_mid_request(c)) {
        session_timed_out(&c->session);
        connection_progress(c); /* the 408, if the socket takes it now; no waiting */
    }
    stats.timed_out++;
    connection_close(c);
    return true;
}

/*
 * Fill fds with what each connection waits for; returns how many entries, in
 * *sending whether a connection has output waiting, and in *wait_ms how long poll
 * may wait before a connection's time is up (-1: no limit).
 */
static unsigned int poll_set(int listen_fd, bool *sending, int *wait_ms)
{
    unsigned int n = 1;
    uint64_t now = sock_now_ms();

    *sending = false;
    *wait_ms = -1;

    fds[0].fd = listen_fd;
    fds[0].events = POLLIN;
    fds[0].revents = 0;
    for (unsigned int i = 0; i < SERVER_MAX_CONNECTIONS; i++) {
        struct connection *c = &connections[i];
        const char *out;
        short events = 0;

        if (c->fd < 0 || connection_expire(c, now))
            continue;
        if (timeout) {
            uint64_t left = connection_deadline(c) - now;

            if (*wait_ms < 0 || left < (uint64_t)*wait_ms)
                *wait_ms = left > INT32_MAX ? INT32_MAX : (int)left;
        }
        if (!c->peer_closed && c->in_len < sizeof(c->in) && session_wants_input(&c->session))
            events |= POLLIN;
        if (session_output(&c->session, &out)) {
            events |= POLLOUT;
            *sending = true;
        }
        fds[n].fd = c->fd;
        fds[n].events = events;
        fds[n].revents = 0;
        polled_connections[n - 1] = c;
        n++;
    }
    return n;
}

int server_run(int listen_fd, uint64_t timeout_ms)
{
    timeout = timeout_ms;
    for (unsigned int i = 0; i < SERVER_MAX_CONNECTIONS; i++)
        connections[i].fd = -1;
    for (;;) {
        bool sending;
        int wait_ms;
        unsigned int n = poll_set(listen_fd, &sending, &wait_ms);

        /*
         * lwIP says a socket is writable again only once its own data is acknowledged:
         * a send it refused because other connections held every segment would wait
         * for ever. So while output waits, every connection tries again now and then.
         */
        if (sending && (wait_ms < 0 || wait_ms > RETRY_SEND_MS))
            wait_ms = RETRY_SEND_MS;
        if (poll(fds, n, wait_ms) < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        for (unsigned int i = 1; i < n; i++) {
            struct connection *c = polled_connections[i - 1];
            bool ok = true;

            if (fds[i].revents & (POLLIN | POLLHUP | POLLERR))
                ok = connection_read(c);
            if (!ok || !connection_progress(c))
                connection_close(c);
        }
        if (fds[0].revents & POLLIN)
            connection_accept(listen_fd);
    }
}
