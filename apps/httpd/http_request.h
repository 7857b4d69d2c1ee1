/*
 * An HTTP/1.x request head (RFC 9112), parsed incrementally as its bytes arrive, in
 * pieces of any size, with nothing kept but what the server acts on: the method,
 * the target, the version and a few headers. The rest is checked and dropped, so a
 * parser's size is fixed whatever a client sends; limits turn into the status code
 * the request is answered with.
 *
 *   http_parser_init(&p);
 *   r = http_parser_feed(&p, data, len, &used);    // again with more bytes while
 *                                                  // r is HTTP_PARSE_MORE
 *   if (r == HTTP_PARSE_DONE) ... p.req ...; data + used starts the body
 *   if (r == HTTP_PARSE_ERROR) ... answer p.status and close
 */
#ifndef APPS_HTTPD_HTTP_REQUEST_H
#define APPS_HTTPD_HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_TARGET_MAX 1024 /* longer: 414 URI Too Long */
#define HTTP_HEAD_MAX   8192 /* request line and headers together; more: 431 */
#define HTTP_VALUE_MAX  128  /* a header the server reads, longer: 400 */
#define HTTP_NAME_MAX   32   /* longer header names are none the server reads */
#define HTTP_METHOD_MAX 16

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_PUT, HTTP_OTHER_METHOD };

struct http_request {
    enum http_method method;
    char target[HTTP_TARGET_MAX + 1]; /* as sent: "/bytes?n=10" */
    unsigned int minor;               /* HTTP/1.minor */
    bool has_length;                  /* Content-Length was given */
    uint64_t content_length;
    bool keep_alive;      /* HTTP/1.1 without Connection: close */
    bool expect_continue; /* Expect: 100-continue */
};

enum http_parse_result { HTTP_PARSE_MORE, HTTP_PARSE_DONE, HTTP_PARSE_ERROR };

struct http_parser {
    struct http_request req;
    int status; /* after HTTP_PARSE_ERROR: the status code to answer with */
    /* The parser's own: */
    int state;
    size_t head_len; /* bytes of the head taken so far */
    size_t len;      /* bytes in the token being read */
    bool has_host, chunked, close_token, keep_alive_token;
    char method[HTTP_METHOD_MAX + 1];
    char version[9];
    char name[HTTP_NAME_MAX + 1];
    char value[HTTP_VALUE_MAX + 1];
    size_t name_len, value_len, value_trimmed;
};

void http_parser_init(struct http_parser *p);

/*
 * Take bytes of the head from data[0..len): *used says how many were taken. DONE
 * once the blank line ending the head is taken (the bytes after it are not); ERROR
 * when the head is malformed or over a limit, with p->status 400, 414, 431, 501 or
 * 505 (and every later call is ERROR too); MORE when all len bytes were taken and
 * the head goes on.
 */
enum http_parse_result http_parser_feed(struct http_parser *p, const char *data, size_t len,
                                        size_t *used);

#endif
