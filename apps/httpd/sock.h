/*
 * The BSD socket calls the server uses, from lwIP (lwip/sockets.h) in the kernel, and from
 * the C library when the host tests build the same server (-DHTTPD_HOST_SOCKETS).
 * Only what both provide: socket, bind, listen, accept, recv and send (with
 * MSG_DONTWAIT), setsockopt, poll, and errno's EAGAIN/EWOULDBLOCK/EINTR.
 */
#ifndef APPS_HTTPD_SOCK_H
#define APPS_HTTPD_SOCK_H

#ifdef HTTPD_HOST_SOCKETS
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#define sock_close close
#else
#include "lwip/sockets.h"
/* lwIP gives its calls their usual names only to whoever asks (net/lwipopts.h keeps
 * LWIP_COMPAT_SOCKETS off for the rest of the kernel): the server asks here. */
#define socket     lwip_socket
#define bind       lwip_bind
#define listen     lwip_listen
#define accept     lwip_accept
#define recv       lwip_recv
#define send       lwip_send
#define setsockopt lwip_setsockopt
#define poll       lwip_poll
#define sock_close lwip_close
#endif

#endif
