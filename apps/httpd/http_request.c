/*
 * The request head, one byte at a time: each byte moves a small state machine, and
 * only the fields the server uses are copied out, so that no limit depends on how
 * the bytes were split between reads.
 */
#include "lib/string.h"
#include "apps/httpd/http_request.h"

enum state {
    S_LINE_START, /* before the request line: blank lines are skipped */
    S_METHOD,
    S_TARGET,
    S_VERSION,
    S_LINE_LF,     /* CR seen at the end of the request line */
    S_FIELD_START, /* a header line, or the blank line ending the head */
    S_NAME,
    S_VALUE,
    S_FIELD_LF, /* CR seen at the end of a header line */
    S_END_LF,   /* CR of the blank line seen */
    S_DONE,
    S_ERROR,
};

void http_parser_init(struct http_parser *p)
{
    memset(p, 0, sizeof(*p));
    p->state = S_LINE_START;
}

/* RFC 9110's tchar: what a method or a header name is made of. */
static bool is_tchar(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static unsigned char lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Whether text[0..len) is word, letters compared without case. */
static bool same_word(const char *text, size_t len, const char *word)
{
    size_t i;

    for (i = 0; i < len && word[i]; i++)
        if (lower(text[i]) != (unsigned char)word[i])
            return false;
    return i == len && word[i] == '\0';
}

static int fail(struct http_parser *p, int status)
{
    p->state = S_ERROR;
    p->status = status;
    return S_ERROR;
}

static int end_method(struct http_parser *p)
{
    static const struct {
        const char *name;
        enum http_method method;
    } known[] = {{"GET", HTTP_GET}, {"HEAD", HTTP_HEAD}, {"POST", HTTP_POST}, {"PUT", HTTP_PUT}};

    if (p->len == 0)
        return fail(p, 400);
    p->req.method = HTTP_OTHER_METHOD;
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (strcmp(p->method, known[i].name) == 0)
            p->req.method = known[i].method;
    p->len = 0;
    return S_TARGET;
}

/* "HTTP/1.x"; another major version is 505, anything else 400. */
static int end_version(struct http_parser *p)
{
    const char *v = p->version;

    if (p->len != 8 || memcmp(v, "HTTP/", 5) != 0 || v[5] < '0' || v[5] > '9' || v[6] != '.' ||
        v[7] < '0' || v[7] > '9')
        return fail(p, 400);
    if (v[5] != '1')
        return fail(p, 505);
    p->req.minor = v[7] - '0';
    return S_FIELD_START;
}

/* Content-Length: digits only; a repeat must say the same. */
static int take_content_length(struct http_parser *p, const char *v, size_t len)
{
    uint64_t n = 0;

    if (len == 0)
        return fail(p, 400);
    for (size_t i = 0; i < len; i++) {
        unsigned int digit = v[i] - '0';

        if (v[i] < '0' || v[i] > '9' || n > (UINT64_MAX - digit) / 10)
            return fail(p, 400);
        n = n * 10 + digit;
    }
    if (p->req.has_length && p->req.content_length != n)
        return fail(p, 400);
    p->req.has_length = true;
    p->req.content_length = n;
    return S_FIELD_START;
}

/* Connection: a list of tokens, of which "close" and "keep-alive" are the ones that matter. */
static void take_connection(struct http_parser *p, const char *v, size_t len)
{
    size_t start = 0;

    for (size_t i = 0; i <= len; i++) {
        if (i < len && v[i] != ',')
            continue;
        size_t a = start, b = i;
        while (a < b && (v[a] == ' ' || v[a] == '\t'))
            a++;
        while (b > a && (v[b - 1] == ' ' || v[b - 1] == '\t'))
            b--;
        if (same_word(v + a, b - a, "close"))
            p->close_token = true;
        else if (same_word(v + a, b - a, "keep-alive"))
            p->keep_alive_token = true;
        start = i + 1;
    }
}

/* A header line has ended: act on the few the server reads. */
static int end_field(struct http_parser *p)
{
    const char *name = p->name, *v = p->value;
    size_t len = p->value_trimmed;
    bool known = p->name_len <= HTTP_NAME_MAX;

    if (known && strcmp(name, "host") == 0) {
        if (p->has_host)
            return fail(p, 400);
        p->has_host = true;
    } else if (known && strcmp(name, "content-length") == 0) {
        if (p->value_len > HTTP_VALUE_MAX)
            return fail(p, 400);
        return take_content_length(p, v, len);
    } else if (known && strcmp(name, "connection") == 0) {
        if (p->value_len > HTTP_VALUE_MAX)
            return fail(p, 400);
        take_connection(p, v, len);
    } else if (known && strcmp(name, "expect") == 0) {
        p->req.expect_continue = same_word(v, len, "100-continue");
    } else if (known && strcmp(name, "transfer-encoding") == 0) {
        p->chunked = true;
    }
    return S_FIELD_START;
}

/* The blank line: the head is whole; check what only the whole head can show. */
static int end_head(struct http_parser *p)
{
    /* Bodies come with a Content-Length only: a chunked one cannot be framed here. */
    if (p->chunked)
        return fail(p, 501);
    if (p->req.minor >= 1 && !p->has_host)
        return fail(p, 400);
    /* HTTP/1.1 keeps a connection unless told to close; an HTTP/1.0 client asks for it
     * with "Connection: keep-alive" (RFC 7230, A.1.2), as ApacheBench's -k does. The
     * answer always has a Content-Length, so the client sees where it ends either way. */
    p->req.keep_alive = !p->close_token && (p->req.minor >= 1 || p->keep_alive_token);
    return S_DONE;
}

static int step(struct http_parser *p, unsigned char c)
{
    switch (p->state) {
    case S_LINE_START:
        if (c == '\r' || c == '\n')
            return S_LINE_START;
        /* fall through */
    case S_METHOD:
        if (c == ' ')
            return end_method(p);
        if (!is_tchar(c))
            return fail(p, 400);
        if (p->len < HTTP_METHOD_MAX)
            p->method[p->len] = c;
        else
            p->method[0] = '?'; /* too long to be one the server knows */
        p->len++;
        return S_METHOD;
    case S_TARGET:
        if (c == ' ') {
            if (p->len == 0 || p->req.target[0] != '/')
                return fail(p, 400);
            p->len = 0;
            return S_VERSION;
        }
        if (c <= ' ' || c >= 0x7f)
            return fail(p, 400);
        if (p->len == HTTP_TARGET_MAX)
            return fail(p, 414);
        p->req.target[p->len++] = c;
        return S_TARGET;
    case S_VERSION:
        if (c == '\r')
            return S_LINE_LF;
        if (c == '\n')
            return end_version(p);
        if (p->len == 8)
            return fail(p, 400);
        p->version[p->len++] = c;
        return S_VERSION;
    case S_LINE_LF:
        return c == '\n' ? end_version(p) : fail(p, 400);
    case S_FIELD_START:
        if (c == '\r')
            return S_END_LF;
        if (c == '\n')
            return end_head(p);
        /* A line folded onto the one before (obs-fold) is refused, as RFC 9112 allows. */
        if (!is_tchar(c))
            return fail(p, 400);
        memset(p->name, 0, sizeof(p->name));
        p->name_len = p->value_len = p->value_trimmed = 0;
        /* fall through */
    case S_NAME:
        if (c == ':')
            return p->name_len ? S_VALUE : fail(p, 400);
        if (!is_tchar(c))
            return fail(p, 400);
        if (p->name_len < HTTP_NAME_MAX)
            p->name[p->name_len] = lower(c);
        p->name_len++;
        return S_NAME;
    case S_VALUE:
        if (c == '\r')
            return S_FIELD_LF;
        if (c == '\n')
            return end_field(p);
        if (c != '\t' && (c < ' ' || c == 0x7f))
            return fail(p, 400);
        if (p->value_len == 0 && (c == ' ' || c == '\t'))
            return S_VALUE; /* leading white space */
        if (p->value_len < HTTP_VALUE_MAX)
            p->value[p->value_len] = c;
        p->value_len++;
        if (c != ' ' && c != '\t' && p->value_len <= HTTP_VALUE_MAX)
            p->value_trimmed = p->value_len;
        return S_VALUE;
    case S_FIELD_LF:
        return c == '\n' ? end_field(p) : fail(p, 400);
    case S_END_LF:
        return c == '\n' ? end_head(p) : fail(p, 400);
    default:
        return p->state;
    }
}

enum http_parse_result http_parser_feed(struct http_parser *p, const char *data, size_t len,
                                        size_t *used)
{
    size_t i = 0;

    while (i < len && p->state != S_DONE && p->state != S_ERROR) {
        if (p->head_len == HTTP_HEAD_MAX) {
            /* Over the limit within the request line, the target is what is too long. */
            fail(p, p->state == S_TARGET ? 414 : 431);
            break;
        }
        p->head_len++;
        p->state = step(p, (unsigned char)data[i++]);
    }
    *used = i;
    if (p->state == S_DONE)
        return HTTP_PARSE_DONE;
    return p->state == S_ERROR ? HTTP_PARSE_ERROR : HTTP_PARSE_MORE;
}
