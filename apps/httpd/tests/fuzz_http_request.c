/*
 * Fuzz target for apps/httpd/http_request.c: any bytes, split between reads as the
 * input's first byte says, must give what they give in one piece, and the parser must
 * keep its promises: never take more than it was given, take all of it while it
 * wants more, refuse with one of its status codes, and leave a target that is a
 * string starting with '/'.
 */
#include "lib/tests/host_names.h"
#include "apps/httpd/http_request.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include <string.h>
#include "lib/tests/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct http_parser whole, pieces;

static enum http_parse_result feed(struct http_parser *p, const char *text, size_t len,
                                   size_t *taken)
{
    size_t used = 0;
    enum http_parse_result r = http_parser_feed(p, text, len, &used);

    REQUIRE(used <= len);
    REQUIRE(r != HTTP_PARSE_MORE || used == len);
    *taken += used;
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t piece, taken_whole = 0, taken_pieces = 0;
    enum http_parse_result r_whole, r_pieces = HTTP_PARSE_MORE;
    const char *text;

    if (size < 1)
        return 0;
    piece = data[0] % 16 + 1;
    text = (const char *)data + 1;
    size--;

    http_parser_init(&whole);
    r_whole = feed(&whole, text, size, &taken_whole);
    http_parser_init(&pieces);
    for (size_t at = 0; at < size && r_pieces == HTTP_PARSE_MORE; at += piece)
        r_pieces = feed(&pieces, text + at, size - at < piece ? size - at : piece, &taken_pieces);

    REQUIRE(r_whole == r_pieces);
    REQUIRE(taken_whole == taken_pieces);
    REQUIRE(memcmp(&whole.req, &pieces.req, sizeof(whole.req)) == 0);
    REQUIRE(whole.req.target[HTTP_TARGET_MAX] == '\0');
    if (r_whole == HTTP_PARSE_ERROR) {
        int s = whole.status;

        REQUIRE(s == pieces.status);
        REQUIRE(s == 400 || s == 414 || s == 431 || s == 501 || s == 505);
    }
    if (r_whole == HTTP_PARSE_DONE) {
        REQUIRE(whole.req.target[0] == '/');
        REQUIRE(taken_whole <= HTTP_HEAD_MAX);
        REQUIRE(!whole.req.keep_alive || whole.req.minor >= 1);
    }
    return 0;
}
