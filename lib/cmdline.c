/*
 * Kernel command line tokenizer (see lib/cmdline.h). A token runs to the first
 * blank outside double quotes; it is then split at its first '=' into key and
 * value, and checked.
 */
#include <stdbool.h>
#include <stddef.h>
#include "lib/cmdline.h"
#include "lib/errno.h"
#include "lib/string.h"

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

static bool contains_quote(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            return true;
    }
    return false;
}

/* Strip the quotes around t's value; only a whole-value quote is allowed. */
static int cmdline_unquote_value(struct cmdline_token *t)
{
    const char *v = t->value;
    size_t n = t->value_len;

    if (n == 0 || v[0] != '"')
        return contains_quote(v, n) ? -EINVAL : 0;
    if (n < 2 || v[n - 1] != '"' || contains_quote(v + 1, n - 2))
        return -EINVAL;
    t->value = v + 1;
    t->value_len = n - 2;
    return 0;
}

/* Split t->text into key and value and check both; return 0 or -EINVAL. */
static int cmdline_split_token(struct cmdline_token *t)
{
    size_t i = 0;

    while (i < t->text_len && t->text[i] != '=')
        i++;
    t->key = t->text;
    t->key_len = i;
    if (i < t->text_len) {
        t->has_value = true;
        t->value = t->text + i + 1;
        t->value_len = t->text_len - i - 1;
    }

    if (t->key_len == 0)
        return -EINVAL;
    for (i = 0; i < t->key_len; i++) {
        if (!is_key_char(t->key[i]))
            return -EINVAL;
    }
    return t->has_value ? cmdline_unquote_value(t) : 0;
}

void cmdline_start(struct cmdline_cursor *c, const char *line, size_t maxlen)
{
    c->pos = line;
    c->end = line ? line + strnlen(line, maxlen) : line;
}

int cmdline_next(struct cmdline_cursor *c, struct cmdline_token *tok)
{
    const char *p = c->pos;
    const char *start;
    bool in_quotes = false;

    /* Compare with != only: pos and end may both be NULL for an empty line. */
    while (p != c->end && is_blank(*p))
        p++;
    if (p == c->end) {
        c->pos = p;
        return 0;
    }

    /*
     * Quotes decide where the token ends even when the token turns out to be
     * malformed, so `"a b"` is reported as one bad token, not two.
     */
    start = p;
    for (; p != c->end && (in_quotes || !is_blank(*p)); p++) {
        if (*p == '"')
            in_quotes = !in_quotes;
    }
    c->pos = p;

    *tok = (struct cmdline_token){.text = start, .text_len = (size_t)(p - start)};
    tok->error = cmdline_split_token(tok);
    if (in_quotes)
        tok->error = -EINVAL;
    return 1;
}

bool cmdline_token_is(const struct cmdline_token *t, const char *key)
{
    size_t len = strlen(key);

    return !t->error && t->key_len == len && memcmp(t->key, key, len) == 0;
}
