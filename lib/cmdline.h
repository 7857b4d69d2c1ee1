/*
 * Tokenizer for the kernel command line (start_info.cmd_line for a PV guest). Tokens are
 * separated by spaces or tabs and are either `key` (a flag) or `key=value`.
 * A value may be double-quoted to hold blanks: msg="hello world" gives the
 * value `hello world`. Keys are made of [A-Za-z0-9_.-].
 *
 * Tokens point into the line: nothing is allocated or written, so the line
 * must stay alive while its tokens are used.
 */
#ifndef LIB_CMDLINE_H
#define LIB_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

struct cmdline_cursor {
    const char *pos; /* the next byte to read */
    const char *end; /* the line's NUL, or its maxlen bound */
};

struct cmdline_token {
    const char *key;
    size_t key_len;
    const char *value; /* without its quotes; valid only if has_value */
    size_t value_len;
    bool has_value;   /* `key=` has an empty value, `key` none */
    const char *text; /* the whole raw token, for messages */
    size_t text_len;
    /*
     * 0, or -EINVAL for a malformed token: an empty key (`=x`), a character
     * outside [A-Za-z0-9_.-] in the key, an unterminated quote, or quotes that
     * do not wrap the whole value (`a=x"y"`). Then only text is meaningful.
     */
    int error;
};

/*
 * Start reading line, which ends at its first NUL or after maxlen bytes,
 * whichever comes first (cmd_line is a fixed array that may be full). A NULL
 * line reads as empty.
 */
void cmdline_start(struct cmdline_cursor *c, const char *line, size_t maxlen);

/*
 * Fill *tok with the next token and return 1, or return 0 at the end of the
 * line. A malformed token is still returned, with tok->error set, and the
 * cursor moves past it; an unterminated quote runs to the end of the line.
 */
int cmdline_next(struct cmdline_cursor *c, struct cmdline_token *tok);

/* Whether t is a well-formed token whose key is exactly key. */
bool cmdline_token_is(const struct cmdline_token *t, const char *key);

#endif
