/*
 * Host tests for apps/httpd/http_request.c: what a request head gives, what each
 * malformed or oversized head is answered with, and that no split of the bytes
 * between reads changes the outcome.
 */
#include "lib/tests/host_names.h"
#include "apps/httpd/http_request.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include <stdlib.h>
#include "lib/tests/unit.h"

static struct http_parser parser;

/* Parse text in one piece: the result, with *used the bytes taken. */
static enum http_parse_result parse_used(const char *text, size_t *used)
{
    http_parser_init(&parser);
    return http_parser_feed(&parser, text, strlen(text), used);
}

static enum http_parse_result parse(const char *text)
{
    size_t used;

    return parse_used(text, &used);
}

/* The status a head is refused with, or 0 if it parses (-1 if it is not whole). */
static int refused_with(const char *text)
{
    enum http_parse_result r = parse(text);

    return r == HTTP_PARSE_ERROR ? parser.status : r == HTTP_PARSE_DONE ? 0 : -1;
}

UNIT_TEST(a_simple_get)
{
    size_t used;
    const char *text = "GET /status.json HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\n\r\nNEXT";

    CHECK_INT(parse_used(text, &used), HTTP_PARSE_DONE);
    CHECK_INT(used, strlen(text) - 4);
    CHECK_INT(parser.req.method, HTTP_GET);
    CHECK_STR(parser.req.target, "/status.json");
    CHECK_INT(parser.req.minor, 1);
    CHECK(parser.req.keep_alive);
    CHECK(!parser.req.has_length);
    CHECK(!parser.req.expect_continue);
}

UNIT_TEST(methods)
{
    CHECK_INT(parse("HEAD / HTTP/1.0\r\n\r\n"), HTTP_PARSE_DONE);
    CHECK_INT(parser.req.method, HTTP_HEAD);
    CHECK_INT(parse("POST / HTTP/1.0\r\n\r\n"), HTTP_PARSE_DONE);
    CHECK_INT(parser.req.method, HTTP_POST);
    CHECK_INT(parse("PUT / HTTP/1.0\r\n\r\n"), HTTP_PARSE_DONE);
    CHECK_INT(parser.req.method, HTTP_PUT);
    CHECK_INT(parse("DELETE / HTTP/1.0\r\n\r\n"), HTTP_PARSE_DONE);
    CHECK_INT(parser.req.method, HTTP_OTHER_METHOD);
    CHECK_INT(parse("get / HTTP/1.0\r\n\r\n"), HTTP_PARSE_DONE);
    CHECK_INT(parser.req.method, HTTP_OTHER_METHOD);
    CHECK_INT(parse("GETGETGETGETGETGETGET / HTTP/1.0\r\n\r\n"), HTTP_PARSE_DONE);
    CHECK_INT(parser.req.method, HTTP_OTHER_METHOD);
}

UNIT_TEST(bare_line_feeds_and_leading_blank_lines)
{
    CHECK_INT(parse("\r\n\nGET / HTTP/1.1\nHost: x\n\n"), HTTP_PARSE_DONE);
    CHECK_STR(parser.req.target, "/");
}

UNIT_TEST(keep_alive_by_version_and_connection)
{
    CHECK_INT(parse("GET / HTTP/1.0\r\n\r\n"), HTTP_PARSE_DONE);
    CHECK(!parser.req.keep_alive);
    CHECK_INT(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"), HTTP_PARSE_DONE);
    CHECK(parser.req.keep_alive);
    CHECK_INT(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive, close\r\n\r\n"), HTTP_PARSE_DONE);
    CHECK(!parser.req.keep_alive);
    CHECK_INT(parse("GET / HTTP/1.0\r\nConnection: keep-alive-ish\r\n\r\n"), HTTP_PARSE_DONE);
    CHECK(!parser.req.keep_alive);
    CHECK_INT(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), HTTP_PARSE_DONE);
    CHECK(!parser.req.keep_alive);
    CHECK_INT(parse("GET / HTTP/1.1\r\nHost: x\r\nconnection:Keep-Alive , CLOSE \r\n\r\n"),
              HTTP_PARSE_DONE);
    CHECK(!parser.req.keep_alive);
    CHECK_INT(parse("GET / HTTP/1.1\r\nHost: x\r\nConnection: closed\r\n\r\n"), HTTP_PARSE_DONE);
    CHECK(parser.req.keep_alive);
    CHECK_INT(parse("GET / HTTP/1.2\r\nHost: x\r\n\r\n"), HTTP_PARSE_DONE);
    CHECK(parser.req.keep_alive);
}

UNIT_TEST(content_length_and_expect)
{
    CHECK_INT(parse("PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length:  123 \r\n"
                    "Expect: 100-Continue\r\n\r\n"),
              HTTP_PARSE_DONE);
    CHECK(parser.req.has_length);
    CHECK_INT(parser.req.content_length, 123);
    CHECK(parser.req.expect_continue);
    CHECK_INT(refused_with("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                           "Content-Length: 5\r\n\r\n"),
              0);
    CHECK_INT(refused_with("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                           "Content-Length: 6\r\n\r\n"),
              400);
    CHECK_INT(refused_with("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"), 400);
    CHECK_INT(refused_with("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1 2\r\n\r\n"), 400);
    CHECK_INT(refused_with("POST / HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n"), 400);
    CHECK_INT(refused_with("POST / HTTP/1.1\r\nHost: x\r\n"
                           "Content-Length: 18446744073709551615\r\n\r\n"),
              0);
    CHECK_INT(refused_with("POST / HTTP/1.1\r\nHost: x\r\n"
                           "Content-Length: 18446744073709551616\r\n\r\n"),
              400);
    CHECK_INT(refused_with("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"),
              501);
}

UNIT_TEST(bad_request_lines)
{
    CHECK_INT(refused_with("GET /\r\n\r\n"), 400);
    CHECK_INT(refused_with("GET  / HTTP/1.1\r\n\r\n"), 400);
    CHECK_INT(refused_with(" GET / HTTP/1.1\r\n\r\n"), 400);
    CHECK_INT(refused_with("GET foo HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
    CHECK_INT(refused_with("GET / HTTX/1.1\r\nHost: x\r\n\r\n"), 400);
    CHECK_INT(refused_with("GET / HTTP/1.1 \r\nHost: x\r\n\r\n"), 400);
    CHECK_INT(refused_with("GET / HTTP/1.10\r\nHost: x\r\n\r\n"), 400);
    CHECK_INT(refused_with("GET / HTTP/2.0\r\nHost: x\r\n\r\n"), 505);
    CHECK_INT(refused_with("GET /a\tb HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
    CHECK_INT(refused_with("GET /\x80 HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
    CHECK_INT(refused_with("G(T / HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
    CHECK_INT(refused_with("GET / HTTP/1.1\rHost: x\r\n\r\n"), 400);
}

UNIT_TEST(bad_headers)
{
    CHECK_INT(refused_with("GET / HTTP/1.1\r\n\r\n"), 400); /* no Host */
    CHECK_INT(refused_with("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
    CHECK_INT(refused_with("GET / HTTP/1.1\r\nHost : x\r\n\r\n"), 400);
    CHECK_INT(refused_with("GET / HTTP/1.1\r\n: x\r\nHost: x\r\n\r\n"), 400);
    CHECK_INT(refused_with("GET / HTTP/1.1\r\nHost: x\r\nA: b\r\n c\r\n\r\n"), 400);
    CHECK_INT(refused_with("GET / HTTP/1.1\r\nHost: x\r\nA: b\x01\r\n\r\n"), 400);
    CHECK_INT(refused_with("GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n"), 400);
    CHECK_INT(refused_with("GET / HTTP/1.1\r\nHost: x\r\nA: b\r\r\n\r\n"), 400);
    CHECK_INT(refused_with("GET / HTTP/1.1\r\nHost: x\r\n\rX"), 400);
    CHECK_INT(refused_with("GET / HTTP/1.1\r\nHost: x\r\nA: caf\xc3\xa9\r\n\r\n"), 0);
}

/* A head of size bytes in all, padded by one header X: aaaa... */
static char *head_of_size(size_t size)
{
    const char *start = "GET / HTTP/1.1\r\nHost: x\r\nX: ", *end = "\r\n\r\n";
    char *text = malloc(size + 1);

    memset(text, 'a', size);
    memcpy(text, start, strlen(start));
    memcpy(text + size - strlen(end), end, strlen(end) + 1);
    return text;
}

UNIT_TEST(limits)
{
    char target[HTTP_TARGET_MAX + 40], *text;

    snprintf(target, sizeof(target), "GET /%0*d HTTP/1.1\r\nHost: x\r\n\r\n", HTTP_TARGET_MAX - 1,
             0);
    CHECK_INT(refused_with(target), 0);
    snprintf(target, sizeof(target), "GET /%0*d HTTP/1.1\r\nHost: x\r\n\r\n", HTTP_TARGET_MAX, 0);
    CHECK_INT(refused_with(target), 414);
    text = head_of_size(HTTP_HEAD_MAX);
    CHECK_INT(refused_with(text), 0);
    free(text);
    text = head_of_size(HTTP_HEAD_MAX + 1);
    CHECK_INT(refused_with(text), 431);
    free(text);
    /* A long header the server reads is refused; one it does not read is not. */
    text = malloc(300);
    snprintf(text, 300, "GET / HTTP/1.1\r\nHost: x\r\nConnection: %0200d\r\n\r\n", 0);
    CHECK_INT(refused_with(text), 400);
    snprintf(text, 300, "GET / HTTP/1.1\r\nHost: x\r\nCookie: %0200d\r\n\r\n", 0);
    CHECK_INT(refused_with(text), 0);
    snprintf(text, 300, "GET / HTTP/1.1\r\nHost: x\r\nX-%0100d: y\r\n\r\n", 0);
    CHECK_INT(refused_with(text), 0);
    free(text);
}

UNIT_TEST(errors_stay_errors)
{
    size_t used = 99;

    CHECK_INT(parse("BAD\x01"), HTTP_PARSE_ERROR);
    CHECK_INT(http_parser_feed(&parser, "GET / HTTP/1.0\r\n\r\n", 18, &used), HTTP_PARSE_ERROR);
    CHECK_INT(used, 0);
    CHECK_INT(parser.status, 400);
}

/* Every way of cutting a head in three pieces gives what it gives in one. */
UNIT_TEST(any_split_gives_the_same_request)
{
    const char *text = "POST /upload?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 42\r\n"
                       "Connection: close\r\n\r\nbody";
    size_t len = strlen(text), head = len - 4;

    for (size_t a = 0; a <= len; a++) {
        for (size_t b = a; b <= len; b++) {
            size_t cuts[] = {0, a, b, len}, taken = 0, used;
            enum http_parse_result r = HTTP_PARSE_MORE;

            http_parser_init(&parser);
            for (int i = 0; i < 3 && r == HTTP_PARSE_MORE; i++) {
                r = http_parser_feed(&parser, text + cuts[i], cuts[i + 1] - cuts[i], &used);
                taken += used;
                if (r == HTTP_PARSE_MORE && used != cuts[i + 1] - cuts[i])
                    CHECK(!"MORE took fewer bytes than given");
            }
            CHECK_INT(r, HTTP_PARSE_DONE);
            CHECK_INT(taken, head);
            CHECK_INT(parser.req.content_length, 42);
            CHECK(!parser.req.keep_alive);
            CHECK_STR(parser.req.target, "/upload?x=1");
        }
    }
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(a_simple_get),
    UNIT_ENTRY(methods),
    UNIT_ENTRY(bare_line_feeds_and_leading_blank_lines),
    UNIT_ENTRY(keep_alive_by_version_and_connection),
    UNIT_ENTRY(content_length_and_expect),
    UNIT_ENTRY(bad_request_lines),
    UNIT_ENTRY(bad_headers),
    UNIT_ENTRY(limits),
    UNIT_ENTRY(errors_stay_errors),
    UNIT_ENTRY(any_split_gives_the_same_request),
};

int main(void)
{
    return unit_main(tests, UNIT_COUNT(tests));
}
