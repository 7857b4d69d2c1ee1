/*
 * The start of an HTTP/1.1 response: the status line and the headers, written into
 * a buffer. The body follows it, exactly content_length bytes (none for HEAD, whose
 * headers still give the length a GET would have).
 */
#ifndef APPS_HTTPD_HTTP_RESPONSE_H
#define APPS_HTTPD_HTTP_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct http_response {
    int status;
    const char *content_type; /* NULL: no body type (no Content-Type header) */
    uint64_t content_length;
    bool keep_alive;   /* false: Connection: close, and the server closes after it */
    const char *allow; /* for 405: the methods the target takes, "GET, HEAD" */
};

/* The reason phrase for status ("Not Found"), or "Unknown" for one not listed. */
const char *http_reason(int status);

/*
 * Write the status line and headers of r, ending with the blank line, into buf.
 * Returns their length, or 0 if they do not fit in size bytes.
 */
size_t http_response_head(char *buf, size_t size, const struct http_response *r);

/* The interim "100 Continue" that lets a client waiting on Expect send its body. */
#define HTTP_CONTINUE "HTTP/1.1 100 Continue\r\n\r\n"

#endif
