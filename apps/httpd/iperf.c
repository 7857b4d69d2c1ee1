/*
 * The throughput service beside the HTTP server: an iperf 2 server (lwIP's lwiperf,
 * port 5001) that dom0's `iperf -c` measures, one direction or both (-r). lwiperf
 * runs on lwIP's raw API, in the stack's own thread: it is started under the core
 * lock, and its report comes from there.
 *
 * One listener for both IP versions, as the HTTP server has one socket (server.h):
 * bound to IP_ANY_TYPE, lwiperf's pcb keeps the type IPADDR_TYPE_ANY it was made
 * with, and lwIP gives each connection it accepts the version of the SYN. That is the
 * listener lwIP makes of the HTTP server's socket too.
 *
 * Each report also says where the vCPU's time went since the previous one (or since
 * the start): with -r, dom0's client sends, and the domain connects back the moment
 * that ends, so the second report's figures are its sending alone. A slow run then
 * shows whether the vCPU ran out of work, waited for a physical CPU, or sat blocked.
 */
#include "lib/printk.h"
#include "lwip/apps/lwiperf.h"
#include "lwip/ip_addr.h"
#include "lwip/tcpip.h"
#include "xen/time.h"
#include "net/addr_text.h"
#include "apps/httpd/iperf.h"

static const char *const report_names[] = {
    [LWIPERF_TCP_DONE_SERVER] = "received",
    [LWIPERF_TCP_DONE_CLIENT] = "sent",
    [LWIPERF_TCP_ABORTED_LOCAL] = "aborted here",
    [LWIPERF_TCP_ABORTED_LOCAL_DATAERROR] = "aborted: data not as sent",
    [LWIPERF_TCP_ABORTED_LOCAL_TXERROR] = "aborted: cannot send",
    [LWIPERF_TCP_ABORTED_REMOTE] = "aborted by the peer",
};

/* The vCPU's times at the previous report; only lwIP's thread touches them. */
static struct xen_vcpu_times last_times;

static unsigned int ms_since(uint64_t now_ns, uint64_t then_ns)
{
    return (unsigned int)((now_ns - then_ns) / NSEC_PER_MSEC);
}

static void report(void *arg, enum lwiperf_report_type type, const ip_addr_t *local_addr,
                   u16_t local_port, const ip_addr_t *remote_addr, u16_t remote_port, u32_t bytes,
                   u32_t ms, u32_t kbit_per_s)
{
    (void)arg;
    (void)local_addr;
    (void)local_port;
    (void)remote_port;
    char text[NET_ADDR_TEXT_MAX];
    struct xen_vcpu_times now;

    printk("iperf: %s %u bytes in %u ms (%u kbit/s) with %s\n",
           type < sizeof(report_names) / sizeof(report_names[0]) ? report_names[type] : "?",
           (unsigned int)bytes, (unsigned int)ms, (unsigned int)kbit_per_s,
           net_addr_text(remote_addr, text, sizeof(text)));
    if (xen_vcpu_times(&now) != 0)
        return;
    printk("iperf: since the last report the vCPU ran %u ms, waited for a CPU %u ms, was "
           "blocked %u ms\n",
           ms_since(now.running_ns, last_times.running_ns),
           ms_since(now.runnable_ns, last_times.runnable_ns),
           ms_since(now.blocked_ns, last_times.blocked_ns));
    last_times = now;
}

bool iperf_start(void)
{
    void *session;

    LOCK_TCPIP_CORE();
    xen_vcpu_times(&last_times);
    session = lwiperf_start_tcp_server(IP_ANY_TYPE, IPERF_PORT, report, NULL);
    UNLOCK_TCPIP_CORE();
    return session != NULL;
}
