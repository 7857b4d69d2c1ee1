/*
 * Host tests for apps/httpd/session.c, with bytes moved by hand: the routes, keep-alive
 * and close, requests that arrive together, bodies hashed or dropped, and the
 * /bytes pattern sent in pieces.
 */
#include "lib/tests/host_names.h"
#include "apps/httpd/session.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include <stdlib.h>
#include "lib/tests/unit.h"

static struct session session;
static char output[1 << 20];
static size_t output_len;

/* Take everything the session sends, at most piece bytes at a time. */
static void drain(size_t piece)
{
    const char *data;
    size_t n;

    while ((n = session_output(&session, &data)) > 0) {
        if (n > piece)
            n = piece;
        if (output_len + n < sizeof(output)) {
            memcpy(output + output_len, data, n);
            output_len += n;
        }
        session_sent(&session, n);
    }
    output[output_len] = '\0';
}

/* Give text to a fresh session, answering as it goes; returns the bytes left untaken. */
static size_t exchange(const char *text, size_t len)
{
    size_t used;

    session_init(&session);
    output_len = 0;
    while (len && session_wants_input(&session)) {
        used = session_receive(&session, text, len);
        text += used;
        len -= used;
        drain(1000);
    }
    drain(1000);
    return len;
}

static size_t exchange_text(const char *text)
{
    return exchange(text, strlen(text));
}

static int count_of(const char *haystack, const char *needle)
{
    int n = 0;

    for (const char *p = haystack; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

UNIT_TEST(status_pages)
{
    exchange_text("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(strncmp(output, "HTTP/1.1 200 OK\r\n", 17) == 0);
    CHECK(strstr(output, "Content-Type: text/html") != NULL);
    CHECK(strstr(output, "Connection: keep-alive\r\n") != NULL);
    CHECK(strstr(output, "<th>threads</th><td>3</td>") != NULL);
    CHECK(strstr(output, "<td>running 1.500 s, waiting for a CPU 0.020 s, blocked 10.825 s</td>") !=
          NULL);
    CHECK(session_wants_input(&session));
    exchange_text("GET /status.json HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(strstr(output, "Content-Type: application/json\r\n") != NULL);
    CHECK(strstr(output, "\"pages\": {\"total\": 32768, \"free\": 30000, \"used\": 2768}") != NULL);
    CHECK(strstr(output,
                 "\"vcpu\": {\"running_s\": 1.500, \"waiting_s\": 0.020, \"blocked_s\": 10.825}") !=
          NULL);
}

UNIT_TEST(content_length_matches_the_body)
{
    const char *body;
    unsigned long len;

    exchange_text("GET /status.json HTTP/1.1\r\nHost: x\r\n\r\n");
    body = strstr(output, "\r\n\r\n") + 4;
    CHECK(sscanf(strstr(output, "Content-Length: "), "Content-Length: %lu", &len) == 1);
    CHECK_INT(strlen(body), len);
}

UNIT_TEST(head_has_no_body)
{
    exchange_text("HEAD /status.json HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(strstr(output, "HTTP/1.1 200 OK") == output);
    CHECK_STR(strstr(output, "\r\n\r\n"), "\r\n\r\n");
    exchange_text("HEAD /bytes?n=100000 HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(strstr(output, "Content-Length: 100000\r\n") != NULL);
    CHECK_STR(strstr(output, "\r\n\r\n"), "\r\n\r\n");
    CHECK(session_wants_input(&session));
}

UNIT_TEST(errors)
{
    exchange_text("GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(strstr(output, "HTTP/1.1 404 Not Found\r\n") == output);
    CHECK(session_wants_input(&session)); /* a 404 keeps the connection */
    exchange_text("DELETE / HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(strstr(output, "HTTP/1.1 405 Method Not Allowed\r\n") == output);
    CHECK(strstr(output, "Allow: GET, HEAD\r\n") != NULL);
    exchange_text("GET /upload HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(strstr(output, "Allow: POST, PUT\r\n") != NULL);
    exchange_text("GET / HTTP/1.1\r\n\r\n");
    CHECK(strstr(output, "HTTP/1.1 400 Bad Request\r\n") == output);
    CHECK(strstr(output, "Connection: close\r\n") != NULL);
    CHECK(session_finished(&session));
    exchange_text("POST /upload HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(strstr(output, "HTTP/1.1 411 Length Required\r\n") == output);
    CHECK(session_finished(&session));
    exchange_text("PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999\r\n\r\n");
    CHECK(strstr(output, "HTTP/1.1 413 Content Too Large\r\n") == output);
    CHECK(session_finished(&session));
    exchange_text("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 9999999\r\n\r\n");
    CHECK(strstr(output, "HTTP/1.1 413 ") == output);
    exchange_text("GET / HTTP/3.0\r\nHost: x\r\n\r\n");
    CHECK(strstr(output, "HTTP/1.1 505 ") == output);
}

UNIT_TEST(bad_n)
{
    const char *bad[] = {"/bytes",
                         "/bytes?",
                         "/bytes?n=",
                         "/bytes?n=x",
                         "/bytes?n=1x",
                         "/bytes?n=-1",
                         "/bytes?m=1",
                         "/bytes?n=1099511627777",
                         "/bytes?n=99999999999999999999999"};

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char req[128];

        snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", bad[i]);
        exchange_text(req);
        CHECK(strstr(output, "HTTP/1.1 400 ") == output);
        CHECK(session_wants_input(&session));
    }
    exchange_text("GET /bytes?a=b&n=0 HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(strstr(output, "HTTP/1.1 200 OK\r\n") == output);
    CHECK(strstr(output, "Content-Length: 0\r\n") != NULL);
}

UNIT_TEST(bytes_follow_the_pattern)
{
    const char *body;
    size_t sizes[] = {1, 62, 63, 64, 4031, 4032, 4033, 100000};

    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        char req[128];

        snprintf(req, sizeof(req), "GET /bytes?n=%zu HTTP/1.1\r\nHost: x\r\n\r\n", sizes[i]);
        exchange_text(req);
        body = strstr(output, "\r\n\r\n") + 4;
        CHECK_INT(output + output_len - body, sizes[i]);
        for (size_t j = 0; j < sizes[i]; j++)
            if (body[j] != SESSION_PATTERN[j % SESSION_PATTERN_LEN]) {
                CHECK_INT(j, -1);
                break;
            }
    }
}

/* Every piece of a response but its last says the response goes on. */
UNIT_TEST(output_says_whether_the_response_goes_on)
{
    const char *req = "GET /bytes?n=100000 HTTP/1.1\r\nHost: x\r\n\r\n", *data;
    size_t n, pieces = 0, sent = 0;

    session_init(&session);
    CHECK(!session_output_continues(&session, 0));
    CHECK_INT(session_receive(&session, req, strlen(req)), strlen(req));
    while ((n = session_output(&session, &data)) > 0) {
        bool more = session_output_continues(&session, n);
        bool more_after_half = session_output_continues(&session, n / 2);

        sent += n;
        pieces++;
        CHECK(more_after_half || n == 1);
        session_sent(&session, n);
        /* The last piece alone is followed by nothing. */
        CHECK(more == (session_output(&session, &data) > 0));
    }
    CHECK(pieces >= 3); /* the head, then the body in runs of the pattern */
    CHECK(sent > 100000);
    /* A page sent whole in one piece goes on past nothing. */
    session_init(&session);
    req = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    session_receive(&session, req, strlen(req));
    n = session_output(&session, &data);
    CHECK(n > 0 && !session_output_continues(&session, n));
    CHECK(session_output_continues(&session, n - 1));
}

UNIT_TEST(pipelined_requests_are_answered_in_order)
{
    const char *text = "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"
                       "GET /bytes?n=5 HTTP/1.1\r\nHost: x\r\n\r\n"
                       "HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                       "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    const char *first, *second, *third;

    CHECK_INT(exchange_text(text), strlen("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    first = strstr(output, "404 Not Found");
    second = strstr(output, "\r\n\r\n01234HTTP/1.1 200");
    third = strstr(output, "Connection: close");
    CHECK(first && second && third && first < second && second < third);
    CHECK_INT(count_of(output, "HTTP/1.1 "), 3);
    CHECK(session_finished(&session));
    CHECK_INT(session.requests, 3);
}

UNIT_TEST(http_1_0_closes)
{
    exchange_text("GET /bytes?n=3 HTTP/1.0\r\n\r\n");
    CHECK(strstr(output, "Connection: close\r\n") != NULL);
    CHECK(session_finished(&session));
}

UNIT_TEST(upload_is_hashed)
{
    const char *text = "PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                       "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n";

    exchange_text("PUT /upload?name=x HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
    CHECK(strstr(output,
                 "\r\n\r\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n") !=
          NULL);
    exchange_text(text);
    CHECK(strstr(output,
                 "\r\n\r\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n"
                 "HTTP/1.1 200") != NULL);
    CHECK(strstr(output, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n") !=
          NULL);
    CHECK(session_wants_input(&session));
}

UNIT_TEST(expect_continue_comes_first)
{
    exchange_text("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                  "Expect: 100-continue\r\n\r\nabc");
    CHECK(strstr(output, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n") == output);
}

UNIT_TEST(bodies_of_other_requests_are_dropped)
{
    exchange_text("POST /nothing HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nGET /"
                  "GET /bytes?n=2 HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(strstr(output, "HTTP/1.1 404 ") == output);
    CHECK(strstr(output, "\r\n\r\n01") != NULL);
    CHECK_INT(count_of(output, "HTTP/1.1 "), 2);
}

UNIT_TEST(input_waits_while_a_response_is_sent)
{
    const char *text = "GET /bytes?n=10000 HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\n";
    size_t used;

    session_init(&session);
    used = session_receive(&session, text, strlen(text));
    CHECK_INT(used, strlen("GET /bytes?n=10000 HTTP/1.1\r\nHost: x\r\n\r\n"));
    CHECK(!session_wants_input(&session));
    CHECK_INT(session_receive(&session, text + used, strlen(text) - used), 0);
    output_len = 0;
    drain(7);
    CHECK(session_wants_input(&session));
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(status_pages),
    UNIT_ENTRY(content_length_matches_the_body),
    UNIT_ENTRY(head_has_no_body),
    UNIT_ENTRY(errors),
    UNIT_ENTRY(bad_n),
    UNIT_ENTRY(bytes_follow_the_pattern),
    UNIT_ENTRY(output_says_whether_the_response_goes_on),
    UNIT_ENTRY(pipelined_requests_are_answered_in_order),
    UNIT_ENTRY(http_1_0_closes),
    UNIT_ENTRY(upload_is_hashed),
    UNIT_ENTRY(expect_continue_comes_first),
    UNIT_ENTRY(bodies_of_other_requests_are_dropped),
    UNIT_ENTRY(input_waits_while_a_response_is_sent),
};

int main(void)
{
    return unit_main(tests, UNIT_COUNT(tests));
}
