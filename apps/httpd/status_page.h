/*
 * The status page, as HTML for a browser (/) and as JSON for scripts (/status.json).
 * Each writes the whole page into buf and returns its length, or 0 if it does not
 * fit in size bytes.
 */
#ifndef APPS_HTTPD_STATUS_PAGE_H
#define APPS_HTTPD_STATUS_PAGE_H

#include <stddef.h>

#include "apps/httpd/status.h"

#define STATUS_PAGE_MAX 2048 /* either page, whatever the figures */

size_t status_page_html(char *buf, size_t size, const struct status *st);
size_t status_page_json(char *buf, size_t size, const struct status *st);

#endif
