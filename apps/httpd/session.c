/*
 * A connection's requests and responses. Each request is routed once its head is
 * whole and its body read (hashed for an upload, dropped otherwise), so that a
 * response never starts before the request it answers has been taken whole and the
 * connection can carry the next one.
 */
#include "lib/string.h"
#include "lib/vsnprintf.h"
#include "apps/httpd/http_response.h"
#include "apps/httpd/session.h"
#include "apps/httpd/status_page.h"

/*
 * What one send of a /bytes body carries at most: 44 segments of 1460 bytes, the most
 * one large TCP segment of the frontend carries (TCP over IPv4 on a 1500-byte MTU:
 * 44 segments and their headers come within 64 KiB, 45 do not). Each send is one
 * burst (net/core_lock.c), and a burst is cut into such frames: with sends of
 * 65,520 bytes, each left as a full frame and a frame of one segment, and dom0 paid
 * for half again as many frames. (With 4 KiB sends, a large body went out three
 * segments at a time.) A send seldom starts on a segment's boundary, but while a
 * response goes on, the stack holds its last short segment for the next send to fill
 * (server.c).
 */
#define SEND_MAX (44 * 1460)

/* Periods of the /bytes pattern, enough for a send of SEND_MAX from any offset in it,
 * so that its body is sent from here, with no copy into the session's buffer. */
static char pattern_run[SESSION_PATTERN_LEN *
                        ((SEND_MAX + 2 * SESSION_PATTERN_LEN - 2) / SESSION_PATTERN_LEN)];

void session_init(struct session *s)
{
    if (pattern_run[0] == '\0')
        for (size_t i = 0; i < sizeof(pattern_run); i += SESSION_PATTERN_LEN)
            memcpy(pattern_run + i, SESSION_PATTERN, SESSION_PATTERN_LEN);
    memset(s, 0, sizeof(*s));
    http_parser_init(&s->parser);
    s->state = SESSION_READING_HEAD;
}

/* Append to what is to be sent; false if it does not fit. */
static bool queue(struct session *s, const char *data, size_t len)
{
    if (len == 0)
        return true;
    if (s->out_start > 0) {
        memmove(s->out, s->out + s->out_start, s->out_end - s->out_start);
        s->out_end -= s->out_start;
        s->out_start = 0;
    }
    if (len > sizeof(s->out) - s->out_end)
        return false;
    memcpy(s->out + s->out_end, data, len);
    s->out_end += len;
    return true;
}

/* Queue a response with a body of body_len bytes, of which those in body are sent here. */
static void respond(struct session *s, const struct http_response *r, const char *body,
                    size_t body_len)
{
    char head[512];
    size_t n = http_response_head(head, sizeof(head), r);

    /* Both always fit: the head's parts are bounded, and bodies given here are short. */
    if (!n || !queue(s, head, n) ||
        (s->parser.req.method != HTTP_HEAD && !queue(s, body, body_len)))
        s->keep_alive = false;
    else
        s->keep_alive = r->keep_alive;
    s->requests++;
    s->state = SESSION_SENDING;
}

/* An error, as a short text body; keep_alive only if the request was taken whole. */
static void respond_error(struct session *s, int status, const char *allow, bool keep_alive)
{
    char body[64];
    size_t n = snprintf(body, sizeof(body), "%d %s\n", status, http_reason(status));
    struct http_response r = {
        .status = status,
        .content_type = "text/plain",
        .content_length = n,
        .keep_alive = keep_alive && s->parser.req.keep_alive,
        .allow = allow,
    };

    respond(s, &r, body, n);
}

/* Whether the request's target, its query left out, is path. */
static bool path_is(const struct http_request *req, const char *path)
{
    const char *query = strchr(req->target, '?');
    size_t len = query ? (size_t)(query - req->target) : strlen(req->target);

    return strlen(path) == len && memcmp(req->target, path, len) == 0;
}

/* n from the query "n=N" (among others split by &): digits, at most SESSION_BYTES_MAX. */
static bool query_n(const char *query, uint64_t *n)
{
    while (query && *query) {
        const char *end = strchr(query, '&');
        size_t len = end ? (size_t)(end - query) : strlen(query);

        if (len > 2 && query[0] == 'n' && query[1] == '=') {
            *n = 0;
            for (size_t i = 2; i < len; i++) {
                if (query[i] < '0' || query[i] > '9' || *n > SESSION_BYTES_MAX)
                    return false;
                *n = *n * 10 + (query[i] - '0');
            }
            return *n <= SESSION_BYTES_MAX;
        }
        query = end ? end + 1 : NULL;
    }
    return false;
}

static void respond_status(struct session *s, bool json)
{
    struct status st;
    char body[STATUS_PAGE_MAX];
    size_t n;
    struct http_response r = {
        .status = 200,
        .content_type = json ? "application/json" : "text/html; charset=utf-8",
        .keep_alive = s->parser.req.keep_alive,
    };

    status_gather(&st);
    n = json ? status_page_json(body, sizeof(body), &st)
             : status_page_html(body, sizeof(body), &st);
    if (!n) {
        respond_error(s, 500, NULL, true);
        return;
    }
    r.content_length = n;
    respond(s, &r, body, n);
}

static void respond_bytes(struct session *s, const char *query)
{
    struct http_response r = {
        .status = 200,
        .content_type = "application/octet-stream",
        .keep_alive = s->parser.req.keep_alive,
    };

    if (!query_n(query, &r.content_length)) {
        respond_error(s, 400, NULL, true);
        return;
    }
    respond(s, &r, NULL, 0);
    if (s->parser.req.method != HTTP_HEAD)
        s->pattern_left = r.content_length;
    s->pattern_offset = 0;
}

static void respond_upload(struct session *s)
{
    char hex[65];
    struct http_response r = {
        .status = 200,
        .content_type = "text/plain",
        .content_length = 65,
        .keep_alive = s->parser.req.keep_alive,
    };

    sha256_final_hex(&s->sha, hex);
    hex[64] = '\n';
    respond(s, &r, hex, 65);
}

/* The request is whole (its body read): answer it. */
static void answer(struct session *s)
{
    const struct http_request *req = &s->parser.req;
    const char *query = strchr(req->target, '?');
    bool get = req->method == HTTP_GET || req->method == HTTP_HEAD;

    if (s->upload)
        respond_upload(s);
    else if (path_is(req, "/upload"))
        respond_error(s, 405, "POST, PUT", true);
    else if (!path_is(req, "/") && !path_is(req, "/status.json") && !path_is(req, "/bytes"))
        respond_error(s, 404, NULL, true);
    else if (!get)
        respond_error(s, 405, "GET, HEAD", true);
    else if (path_is(req, "/bytes"))
        respond_bytes(s, query ? query + 1 : NULL);
    else
        respond_status(s, path_is(req, "/status.json"));
}

/* The head is whole: see what body follows, and answer now if none does. */
static void head_done(struct session *s)
{
    const struct http_request *req = &s->parser.req;
    bool put = req->method == HTTP_POST || req->method == HTTP_PUT;

    if (put && path_is(req, "/upload")) {
        if (!req->has_length) {
            respond_error(s, 411, NULL, false);
            return;
        }
        if (req->content_length > SESSION_UPLOAD_MAX) {
            respond_error(s, 413, NULL, false);
            return;
        }
        s->upload = true;
        sha256_init(&s->sha);
    } else if (req->content_length > SESSION_DISCARD_MAX) {
        respond_error(s, 413, NULL, false);
        return;
    }
    s->body_left = req->content_length;
    if (s->body_left == 0) {
        answer(s);
        return;
    }
    if (req->expect_continue)
        queue(s, HTTP_CONTINUE, sizeof(HTTP_CONTINUE) - 1);
    s->state = SESSION_READING_BODY;
}

size_t session_receive(struct session *s, const char *data, size_t len)
{
    size_t used = 0, n;

    while (used < len) {
        if (s->state == SESSION_READING_HEAD) {
            enum http_parse_result r = http_parser_feed(&s->parser, data + used, len - used, &n);

            used += n;
            if (r == HTTP_PARSE_ERROR)
                respond_error(s, s->parser.status, NULL, false);
            else if (r == HTTP_PARSE_DONE)
                head_done(s);
        } else if (s->state == SESSION_READING_BODY) {
            n = len - used < s->body_left ? len - used : s->body_left;
            if (s->upload)
                sha256_update(&s->sha, data + used, n);
            s->body_left -= n;
            used += n;
            if (s->body_left == 0)
                answer(s);
        } else {
            break;
        }
    }
    return used;
}

size_t session_output(struct session *s, const char **data)
{
    size_t offset = s->pattern_offset % SESSION_PATTERN_LEN;
    size_t room = sizeof(pattern_run) - offset;

    if (s->out_start < s->out_end) {
        *data = s->out + s->out_start;
        return s->out_end - s->out_start;
    }
    if (s->state != SESSION_SENDING || s->pattern_left == 0)
        return 0;
    *data = pattern_run + offset;
    if (room > SEND_MAX)
        room = SEND_MAX;
    return s->pattern_left < room ? s->pattern_left : room;
}

bool session_output_continues(const struct session *s, size_t len)
{
    if (s->state != SESSION_SENDING)
        return false;
    if (s->out_start < s->out_end)
        return s->out_end - s->out_start > len || s->pattern_left > 0;
    return s->pattern_left > len;
}

void session_sent(struct session *s, size_t n)
{
    if (s->out_start < s->out_end) {
        s->out_start += n;
    } else {
        s->pattern_offset += n;
        s->pattern_left -= n;
    }
    if (s->out_start < s->out_end || s->state != SESSION_SENDING || s->pattern_left)
        return;
    s->out_start = s->out_end = 0;
    if (!s->keep_alive) {
        s->state = SESSION_FINISHED;
        return;
    }
    /* The next request, on a clean slate. */
    s->upload = false;
    s->body_left = 0;
    http_parser_init(&s->parser);
    s->state = SESSION_READING_HEAD;
}

bool session_finished(const struct session *s)
{
    return s->state == SESSION_FINISHED;
}

bool session_wants_input(const struct session *s)
{
    return s->state == SESSION_READING_HEAD || s->state == SESSION_READING_BODY;
}

uint64_t session_body_left(const struct session *s)
{
    return s->state == SESSION_READING_BODY ? s->body_left : 0;
}

uint64_t session_body_taken(const struct session *s)
{
    return s->state == SESSION_READING_BODY ? s->parser.req.content_length - s->body_left : 0;
}

bool session_idle(const struct session *s)
{
    return s->state == SESSION_READING_HEAD && s->parser.head_len == 0;
}

bool session_head_partial(const struct session *s)
{
    return s->state == SESSION_READING_HEAD && s->parser.head_len > 0;
}

void session_timed_out(struct session *s)
{
    respond_error(s, 408, NULL, false);
}
