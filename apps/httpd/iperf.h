#ifndef APPS_HTTPD_IPERF_H
#define APPS_HTTPD_IPERF_H

#include <stdbool.h>

/* Start the iperf 2 server on port 5001; false when lwIP has no room for it. */
bool iperf_start(void);

#endif
