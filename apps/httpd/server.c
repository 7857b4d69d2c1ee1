/*
 * The socket loop. Sockets are never left to block: poll says which can move,
 * and recv and send are called with MSG_DONTWAIT, so that one slow client holds up
 * nobody (in the kernel, threads are cooperative: a blocked call would stall every
 * connection, not only its own). Bytes a session does not take yet (a request
 * that arrives while the one before is answered) wait in the connection's buffer.
 */
#include "lib/string.h"
#include "apps/httpd/session.h"
#include "apps/httpd/sock.h"
#include "apps/httpd/server.h"

#define CONNECTION_IN_SIZE 2048
#define LISTEN_BACKLOG     16
#define RETRY_SEND_MS      50

struct connection {
    int fd; /* -1: the slot is free */
    bool peer_closed;
    size_t in_len;
    char in[CONNECTION_IN_SIZE];
    struct session session;
};

static struct connection connections[SERVER_MAX_CONNECTIONS];
/* fds[0] is the listening socket; fds[i] is polled_connections[i - 1]'s. */
static struct pollfd fds[SERVER_MAX_CONNECTIONS + 1];
static struct connection *polled_connections[SERVER_MAX_CONNECTIONS];
static struct server_stats stats;
static uint64_t requests_of_closed; /* answered on connections now closed */

int server_listen(unsigned int port)
{
    struct sockaddr_in addr;
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

    if (fd < 0)
        return -1;
    /* So that a restarted server need not wait out the old one's connections. */
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, LISTEN_BACKLOG) < 0) {
        sock_close(fd);
        return -1;
    }
    return fd;
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

static void connection_close(struct connection *c)
{
    sock_close(c->fd);
    c->fd = -1;
    stats.open--;
    requests_of_closed += c->session.requests;
}

static void connection_accept(int listen_fd)
{
    int fd = accept(listen_fd, NULL, NULL), one = 1;
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
    c->fd = fd;
    c->peer_closed = false;
    c->in_len = 0;
    session_init(&c->session);
    stats.accepted++;
    stats.open++;
}

/* Take what the socket has; false if the connection failed. */
static bool connection_read(struct connection *c)
{
    ssize_t n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, MSG_DONTWAIT);

    if (n > 0)
        c->in_len += n;
    else if (n == 0)
        c->peer_closed = true;
    return n >= 0 || would_block();
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
        if (c->in_len && session_wants_input(s))
            used = session_receive(s, c->in, c->in_len);
        if (used) {
            memmove(c->in, c->in + used, c->in_len - used);
            c->in_len -= used;
            moved = true;
        }
        len = session_output(s, &out);
        if (len) {
            ssize_t n = send(c->fd, out, len, MSG_DONTWAIT);

            if (n < 0 && !would_block())
                return false;
            if (n > 0) {
                session_sent(s, n);
                moved = true;
            }
        }
        if (session_finished(s))
            return false;
    }
    /* The client has sent all it will, and nothing of it is left to answer. */
    return !(c->peer_closed && session_wants_input(s));
}

/*
 * Fill fds with what each connection waits for; returns how many entries, and in
 * *sending whether a connection has output waiting.
 */
static unsigned int poll_set(int listen_fd, bool *sending)
{
    unsigned int n = 1;

    *sending = false;

    fds[0].fd = listen_fd;
    fds[0].events = POLLIN;
    for (unsigned int i = 0; i < SERVER_MAX_CONNECTIONS; i++) {
        struct connection *c = &connections[i];
        const char *out;
        short events = 0;

        if (c->fd < 0)
            continue;
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

int server_run(int listen_fd)
{
    for (unsigned int i = 0; i < SERVER_MAX_CONNECTIONS; i++)
        connections[i].fd = -1;
    for (;;) {
        bool sending;
        unsigned int n = poll_set(listen_fd, &sending);

        /*
         * lwIP says a socket is writable again only once its own data is acknowledged:
         * a send it refused because other connections held every segment would wait
         * for ever. So while output waits, every connection tries again now and then.
         */
        if (poll(fds, n, sending ? RETRY_SEND_MS : -1) < 0) {
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
