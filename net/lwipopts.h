/*
 * lwIP's configuration (lwip/opt.h includes "lwipopts.h"): what this kernel builds of
 * lwIP, and its sizes, each with its reason. A value equal to lwIP's default
 * (lwip/opt.h) is here only where the port depends on it; the rest is the default.
 */
#ifndef NET_LWIPOPTS_H
#define NET_LWIPOPTS_H

#include "mm/heap.h"

/* --- The system: threads, and the kernel's heap --- */

/* Threads and the sequential APIs (netconn, sockets): the kernel has both. */
#define NO_SYS 0
/* SYS_ARCH_PROTECT masks events (net/arch/sys_arch.c): cheap, and all it takes here. */
#define SYS_LIGHTWEIGHT_PROT 1
/* Socket calls take the core lock and run in the caller's thread instead of a round
 * trip through the tcpip thread's mailbox: half the thread switches per call. */
#define LWIP_TCPIP_CORE_LOCKING 1
/* The lock's release ends a burst of sending: net/core_lock.c. */
void net_core_lock(void);
void net_core_unlock(void);
/* lwIP's clock (sys_now), in milliseconds: read once per burst (net/core_lock.c). */
uint32_t net_core_now_ms(void);
#define LOCK_TCPIP_CORE()   net_core_lock()
#define UNLOCK_TCPIP_CORE() net_core_unlock()
/* lwIP's heap (PBUF_RAM, the loopback's copies) is the kernel's: one heap to size and
 * to watch, instead of a fixed array carved out at build time. */
#define MEM_LIBC_MALLOC              1
#define mem_clib_malloc(size)        xmalloc((size), 0)
#define mem_clib_free(ptr)           xfree(ptr)
#define mem_clib_calloc(count, size) xzalloc((size_t)(count) * (size), 0)
/* The heap aligns everything to 16; 8 is what lwIP's structures need on x86_64. */
#define MEM_ALIGNMENT 8
/* errno's numbers: lwIP's own list, which has the socket ones (EADDRINUSE...) that
 * lib/errno.h lacks; the values are Linux's in both. */
#define LWIP_PROVIDE_ERRNO 1

/* The tcpip thread runs all of TCP's input and timers: a kernel thread's usual stack. */
#define TCPIP_THREAD_STACKSIZE (8 * 4096)
#define TCPIP_THREAD_NAME      "tcpip"
/* Room for a burst of received frames before input drops: a window of segments (see
 * TCP_WND) when the backend sends them one by one. */
#define TCPIP_MBOX_SIZE          1024
#define DEFAULT_THREAD_STACKSIZE (8 * 4096)
/* A connection's queue of received segments: a whole window of them (see TCP_WND). */
#define DEFAULT_TCP_RECVMBOX_SIZE 512
#define DEFAULT_UDP_RECVMBOX_SIZE 64
#define DEFAULT_RAW_RECVMBOX_SIZE 16
/* Connections accepted by TCP that the server has yet to take: lwIP resets one that
 * finds this queue full (api_msg.c:accept_function), so a burst of 100 clients
 * connecting at once was refused past the 16th. Room for as many as httpd serves. */
#define DEFAULT_ACCEPTMBOX_SIZE 128

/* --- Protocols --- */

#define LWIP_IPV4 1
#define LWIP_IPV6 1
/* A vif with no ip= setting and none on the command line asks the network (net/net.c). */
#define LWIP_DHCP 1
/* Link-local IPv4 (169.254/16) is for networks with no DHCP server: not Xen's bridges. */
#define LWIP_AUTOIP 0
/* Stateless autoconfiguration from router advertisements, beside the link-local
 * address net/net.c always makes. */
#define LWIP_IPV6_AUTOCONFIG 1
/* No resolver: the kernel has no DNS server to ask (none of its configurations give one). */
#define LWIP_DNS 0
/* Not reassembling fragments keeps memory bounded; TCP never needs it (MSS below). */
#define IP_REASSEMBLY   0
#define IP_FRAG         0
#define LWIP_IPV6_FRAG  0
#define LWIP_IPV6_REASS 0

/* --- TCP sizes --- */

/* An Ethernet MTU of 1500 less 40 bytes of IPv4 and TCP headers. */
#define TCP_MSS 1460
/* Window scaling: without it a window stops at 64 KiB, which on a bridge between
 * domains (a fraction of a millisecond round trip, gigabits) is what limits a stream. */
#define LWIP_WND_SCALE 1
#define TCP_RCV_SCALE  4
/*
 * 512 KiB both ways. Domains on one host share its CPUs: on the rig's one CPU dom0 and
 * the domain run in turns, and the more a window holds, the more frames each handles
 * per turn and the fewer turns a megabyte takes. Measured in the rig (tools/bench-net,
 * two runs each): with 128 KiB, 380-455 Mbit/s into the domain and 235-275 out; with a
 * 512 KiB send buffer, 310-360 out; with both at 512 KiB, 550-660 in. A window is a
 * bound, not memory taken: an idle connection holds none of it.
 */
#define TCP_WND     (512 * 1024)
#define TCP_SND_BUF (512 * 1024)
/* Writers wake (select, poll) when this much of the send buffer is free: lwIP keeps
 * it in 16 bits, at least 4 MSS below 64 KiB. */
#define TCP_SNDLOWAT     (32 * 1024)
#define TCP_SND_QUEUELEN ((4 * TCP_SND_BUF + TCP_MSS - 1) / TCP_MSS)
/* Segments queued for sending, for several connections with full send buffers. */
#define MEMP_NUM_TCP_SEG 2048
/* Keep segments that arrive out of order instead of asking for them again. */
#define TCP_QUEUE_OOSEQ 1
/* Connections at once (plus listeners), and sockets over them: a server such as
 * apps/httpd keeps up to 128 clients (100 at once in its tests), with room for an
 * iperf session and the domain's own connections. Each costs under 300 bytes idle. */
#define MEMP_NUM_TCP_PCB        160
#define MEMP_NUM_TCP_PCB_LISTEN 8
#define MEMP_NUM_UDP_PCB        16
#define MEMP_NUM_NETCONN        168
#define MEMP_NUM_NETBUF         64
/* Buffers that point at data elsewhere (ROM and REF pbufs, 24 bytes each): a sender that
 * does not copy (lwiperf) takes one per write, so a full send buffer at the MSS takes
 * 360. With 256, lwiperf's writes failed some 10,000 times in a 10 s run out of the
 * domain; a failed write waits for the next ACK, or, with nothing left in flight, for
 * lwiperf's poll a second later (one such run sent 27 Mbit/s, its vCPU blocked 86% of
 * the time). */
#define MEMP_NUM_PBUF 512
/* Messages to the tcpip thread in flight: received frames and API calls. */
#define MEMP_NUM_TCPIP_MSG_INPKT 1024
#define MEMP_NUM_TCPIP_MSG_API   64
/* Received frames land in pool buffers of one MSS-sized frame each (a large TCP
 * segment of 64 KiB in a chain of 45): a full window (360 of them) and room for more
 * arriving. Past that a frame is dropped and TCP sends it again. 512 of them are
 * 800 KiB; twice as many measured no faster. */
#define PBUF_POOL_SIZE 512

/* --- Checksums --- */

/* Computed and checked in software (lwip/opt.h's CHECKSUM_* defaults, all on), and
 * switched per interface: a received frame whose TCP or UDP checksum the network
 * frontend's backend vouches for skips its check (net/netif_input.h), since large
 * TCP segments from dom0 come with a blank one and checking the others twice costs a
 * pass over every byte; and the TCP and UDP checksums of what a vif sends are left
 * to the backend (net/netif_netfront.c turns their generation off on that
 * interface): a pass over every byte sent saved. */
#define LWIP_CHECKSUM_CTRL_PER_NETIF 1

/* --- Interfaces --- */

/* The loopback interface (127.0.0.1, ::1): the stack's tests run over it without a vif. */
#define LWIP_HAVE_LOOPIF    1
#define LWIP_NETIF_LOOPBACK 1
/* Addresses are reported as they come up (net/net.c). */
#define LWIP_NETIF_EXT_STATUS_CALLBACK 1

/* --- The socket API --- */

#define LWIP_NETCONN 1
#define LWIP_SOCKET  1
/* lwip_socket, lwip_send... by those names: no macro turns a word such as close or read
 * into lwIP's in the files that include lwip/sockets.h. */
#define LWIP_COMPAT_SOCKETS         0
#define LWIP_POSIX_SOCKETS_IO_NAMES 0
/* Timeouts on receive and send (SO_RCVTIMEO, SO_SNDTIMEO), and SO_REUSEADDR for servers. */
#define LWIP_SO_RCVTIMEO 1
#define LWIP_SO_SNDTIMEO 1
#define SO_REUSE         1
/*
 * Debian's lwIP (its patch "port", written for the Hurd) has sockets.c ask the port
 * how a socket address records its length. lwIP's own struct sockaddr, used here, has
 * a length byte, which these fill and read as upstream's sockets.c does.
 */
#define IP4ADDR_SOCKADDR_SET_LEN(sin)  ((sin)->sin_len = sizeof(struct sockaddr_in))
#define IP6ADDR_SOCKADDR_SET_LEN(sin6) ((sin6)->sin6_len = sizeof(struct sockaddr_in6))
#define IPADDR_SOCKADDR_GET_LEN(addr)  ((socklen_t)(addr)->sa.sa_len)
/* select and poll on sockets. */
#define LWIP_SOCKET_SELECT 1
#define LWIP_SOCKET_POLL   1

/* --- Hooks --- */

/* Where lwIP calls the port back: TIME-WAIT and slow start (net/lwip_hooks.h). */
#define LWIP_HOOK_FILENAME "net/lwip_hooks.h"

/* --- Statistics and debugging --- */

/* Counters cost a few instructions a packet; nothing in the kernel reads them. */
#define LWIP_STATS 0

#endif
