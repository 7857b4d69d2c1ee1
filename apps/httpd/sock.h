/*
 * What the server needs of the system it runs on: from lwIP (lwip/sockets.h) and the
 * kernel, or from the C library when the host tests build the same server
 * (-DHTTPD_HOST_SOCKETS). Only what both provide: socket, bind, listen, accept, recv
 * and send (with MSG_DONTWAIT), setsockopt, getsockname, poll, errno's
 * EAGAIN/EWOULDBLOCK/EINTR,
 * and in both the same names for these:
 *
 *   sock_close(fd)
 *   sock_ntop(af, addr, buf, size)   inet_ntop, IPv6 in lowercase in both
 *   sock_now_ms()                    a clock in milliseconds that only goes forward
 *   sock_log(line)                   one line to the log (the console, or stderr)
 *   errno_name(err)                  "ECONNRESET" (lib/errno.c: the numbers are Linux's)
 *   sock_send_queue_empty(fd)        nothing sent on fd waits to be sent or acknowledged
 *                                    (lwIP's pcb; Linux's SIOCOUTQ)
 */
#ifndef APPS_HTTPD_SOCK_H
#define APPS_HTTPD_SOCK_H

#include <stdint.h>

#ifdef HTTPD_HOST_SOCKETS
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <linux/sockios.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include "lib/string.h"
#define sock_close close
#define sock_ntop  inet_ntop

/* lib/errno.h's own, whose names would clash with <errno.h>'s. */
const char *errno_name(int err);

static inline uint64_t sock_now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static inline bool sock_send_queue_empty(int fd)
{
    int queued;

    return ioctl(fd, SIOCOUTQ, &queued) == 0 && queued == 0;
}

static inline void sock_log(const char *line)
{
    if (write(2, line, strlen(line)) < 0 || write(2, "\n", 1) < 0)
        return; /* nowhere else to say it */
}
#else
#include "lib/errno.h"
#include "lib/printk.h"
#include "lwip/sockets.h"
#include "net/addr_text.h"
#include "net/socket_queue.h"
#include "xen/time.h"
/* lwIP gives its calls their usual names only to whoever asks (net/lwipopts.h keeps
 * LWIP_COMPAT_SOCKETS off for the rest of the kernel): the server asks here. */
#define socket                lwip_socket
#define bind                  lwip_bind
#define listen                lwip_listen
#define accept                lwip_accept
#define recv                  lwip_recv
#define send                  lwip_send
#define setsockopt            lwip_setsockopt
#define getsockname           lwip_getsockname
#define poll                  lwip_poll
#define sock_close            lwip_close
#define sock_ntop             net_inet_ntop
#define sock_send_queue_empty net_socket_send_queue_empty

static inline uint64_t sock_now_ms(void)
{
    return xen_system_time_ns() / NSEC_PER_MSEC;
}

static inline void sock_log(const char *line)
{
    printk("%s\n", line);
}
#endif

#endif
