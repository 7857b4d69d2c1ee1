/*
 * httpd: an HTTP/1.1 server on the domain's network, for looking at a running
 * domain (its status page at /, /status.json) and for moving data both ways
 * (/bytes?n=N from it, POST /upload to it, checked by SHA-256).
 *
 *   httpd-port=8080    listen on another port than 80
 *
 * The TCP/IP stack is started and given an address here; everything after that
 * is plain BSD sockets (server.c).
 */
#include "lib/printk.h"
#include "kernel/cmdline.h"
#include "kernel/app.h"
#include "net/net.h"
#include "apps/httpd/server.h"

static unsigned long port = SERVER_DEFAULT_PORT;
KERNEL_PARAM_ULONG(port, "httpd-port", "TCP port the HTTP server listens on");

int app_main(void)
{
    int fd;

    if (port == 0 || port > 65535) {
        printk("httpd: port %lu is not a TCP port\n", port);
        return 1;
    }
    if (net_start() != 0) {
        printk("httpd: the network did not start\n");
        return 1;
    }
    net_wait_for_address();
    fd = server_listen(port);
    if (fd < 0) {
        printk("httpd: cannot listen on port %lu\n", port);
        return 1;
    }
    printk("httpd: listening on port %lu\n", port);
    server_run(fd);
    printk("httpd: poll failed; stopping\n");
    return 1;
}
