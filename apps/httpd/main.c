/*
 * httpd: an HTTP/1.1 server on the domain's network, for looking at a running
 * domain (its status page at /, /status.json) and for moving data both ways
 * (/bytes?n=N from it, POST /upload to it, checked by SHA-256).
 *
 *   httpd-port=8080    listen on another port than 80
 *   httpd-timeout=60   close a connection idle for 60 s, not 30, and give a request
 *                      60 s for its head and as a grace period for its body (0: never)
 *
 * The TCP/IP stack is started and given an address here; everything after that
 * is plain BSD sockets (server.c), beside an iperf 2 server (iperf.c) for
 * throughput measurements.
 */
#include "lib/printk.h"
#include "kernel/cmdline.h"
#include "kernel/app.h"
#include "xen/time.h"
#include "net/net.h"
#include "apps/httpd/iperf.h"
#include "apps/httpd/server.h"

/* DHCP under a loaded host's QEMU answers in seconds; a minute says it never will. */
#define ADDRESS_TIMEOUT_NS (60 * NSEC_PER_SEC)

static unsigned long port = SERVER_DEFAULT_PORT;
KERNEL_PARAM_ULONG(port, "httpd-port", "TCP port the HTTP server listens on");
static unsigned long timeout_s = SERVER_DEFAULT_TIMEOUT;
KERNEL_PARAM_ULONG(
    timeout_s, "httpd-timeout",
    "seconds an HTTP connection may stay idle, take over a request head, or take as a "
    "grace period for a body that must then keep a minimum rate (0: no limit)");

int app_main(void)
{
    int listen_fd;
    bool ipv6;

    if (port == 0 || port > 65535) {
        printk("httpd: port %lu is not a TCP port\n", port);
        return 1;
    }
    if (net_start() == 0) {
        printk("httpd: the domain has no network interface\n");
        return 1;
    }
    if (!net_wait_address(xen_system_time_ns() + ADDRESS_TIMEOUT_NS)) {
        printk("httpd: no address after %u s\n", (unsigned int)(ADDRESS_TIMEOUT_NS / NSEC_PER_SEC));
        return 1;
    }
    listen_fd = server_listen(port, &ipv6);
    if (listen_fd < 0) {
        printk("httpd: cannot listen on port %lu\n", port);
        return 1;
    }
    printk("httpd: listening on port %lu, %s\n", port, ipv6 ? "IPv4 and IPv6" : "IPv4 only");
    if (iperf_start())
        printk("httpd: iperf 2 server on port %u, IPv4 and IPv6\n", IPERF_PORT);
    else
        printk("httpd: no room for the iperf 2 server\n");
    server_run(listen_fd, (uint64_t)timeout_s * 1000);
    printk("httpd: poll failed; stopping\n");
    return 1;
}
