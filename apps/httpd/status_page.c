/*
 * The status page in its two forms. Both list the same figures in the same order,
 * so that one can be checked against the other.
 */
#include "lib/vsnprintf.h"
#include "apps/httpd/status_page.h"

/*
 * Both pages show the same figures in the same order: only the text around them
 * differs, so both formats take this one argument list.
 */
static size_t render(char *buf, size_t size, const char *format, const struct status *st)
{
    const struct net_status *net = &st->net;
    const struct server_stats *srv = &st->server;
    int n = snprintf(
        buf, size, format, (unsigned long long)(st->uptime_ms / 1000),
        (unsigned long long)(st->uptime_ms % 1000), st->pages_total, st->pages_free,
        st->pages_total - st->pages_free, st->threads,
        (unsigned long long)(st->vcpu_running_ms / 1000),
        (unsigned long long)(st->vcpu_running_ms % 1000),
        (unsigned long long)(st->vcpu_waiting_ms / 1000),
        (unsigned long long)(st->vcpu_waiting_ms % 1000),
        (unsigned long long)(st->vcpu_blocked_ms / 1000),
        (unsigned long long)(st->vcpu_blocked_ms % 1000), (unsigned long long)st->event_upcalls,
        (unsigned long long)st->events_unhandled, (unsigned long long)st->events_deferred,
        net->interfaces, (unsigned long long)net->rx_packets, (unsigned long long)net->rx_bytes,
        (unsigned long long)net->rx_dropped, (unsigned long long)net->tx_packets,
        (unsigned long long)net->tx_bytes, (unsigned long long)net->tx_errors, srv->open,
        (unsigned long long)srv->accepted, (unsigned long long)srv->refused,
        (unsigned long long)srv->timed_out, (unsigned long long)srv->requests);

    return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

size_t status_page_html(char *buf, size_t size, const struct status *st)
{
    return render(buf, size,
                  "<!DOCTYPE html>\n<html><head><title>Mini-OS status</title></head><body>\n"
                  "<h1>Mini-OS status</h1>\n<table>\n"
                  "<tr><th>uptime</th><td>%llu.%03llu s</td></tr>\n"
                  "<tr><th>pages</th><td>%lu total, %lu free, %lu used</td></tr>\n"
                  "<tr><th>threads</th><td>%u</td></tr>\n"
                  "<tr><th>vCPU</th><td>running %llu.%03llu s, waiting for a CPU %llu.%03llu s, "
                  "blocked %llu.%03llu s</td></tr>\n"
                  "<tr><th>event upcalls</th><td>%llu (%llu unhandled, %llu deferred)</td></tr>\n"
                  "<tr><th>interfaces</th><td>%u</td></tr>\n"
                  "<tr><th>received</th><td>%llu packets, %llu bytes, %llu dropped</td></tr>\n"
                  "<tr><th>sent</th><td>%llu packets, %llu bytes, %llu errors</td></tr>\n"
                  "<tr><th>connections</th><td>%u open, %llu accepted, %llu refused, %llu timed "
                  "out</td></tr>\n"
                  "<tr><th>requests</th><td>%llu</td></tr>\n"
                  "</table>\n<p><a href=\"/status.json\">as JSON</a></p>\n</body></html>\n",
                  st);
}

size_t status_page_json(char *buf, size_t size, const struct status *st)
{
    return render(buf, size,
                  "{\"uptime_s\": %llu.%03llu,\n"
                  " \"pages\": {\"total\": %lu, \"free\": %lu, \"used\": %lu},\n"
                  " \"threads\": %u,\n"
                  " \"vcpu\": {\"running_s\": %llu.%03llu, \"waiting_s\": %llu.%03llu, "
                  "\"blocked_s\": %llu.%03llu},\n"
                  " \"events\": {\"upcalls\": %llu, \"unhandled\": %llu, \"deferred\": %llu},\n"
                  " \"net\": {\"interfaces\": %u,\n"
                  "   \"rx\": {\"packets\": %llu, \"bytes\": %llu, \"dropped\": %llu},\n"
                  "   \"tx\": {\"packets\": %llu, \"bytes\": %llu, \"errors\": %llu}},\n"
                  " \"httpd\": {\"connections_open\": %u, \"connections_accepted\": %llu,\n"
                  "   \"connections_refused\": %llu, \"connections_timed_out\": %llu,\n"
                  "   \"requests\": %llu}}\n",
                  st);
}
