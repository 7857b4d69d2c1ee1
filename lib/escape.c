/*
 * Escaping untrusted text for printing (lib/escape.h).
 */
#include <stdbool.h>

#include "lib/escape.h"

/* How one byte is printed: itself, or an escape of two or four characters. */
static size_t render_byte(unsigned char c, char out[4])
{
    static const char hex[] = "0123456789abcdef";

    if (c == '\\') {
        out[0] = out[1] = '\\';
        return 2;
    }
    if (c >= 0x20 && c < 0x7f) {
        out[0] = (char)c;
        return 1;
    }
    out[0] = '\\';
    out[1] = 'x';
    out[2] = hex[c >> 4];
    out[3] = hex[c & 0xf];
    return 4;
}

char *escape_text(char *buf, size_t size, const char *text, size_t len)
{
    static const char dots[] = "...";
    size_t room, used = 0, total = 0, i;
    char out[4];
    bool cut;

    if (size == 0)
        return buf;
    room = size - 1; /* for the NUL */
    for (i = 0; i < len && total <= room; i++)
        total += render_byte((unsigned char)text[i], out);
    cut = total > room;
    if (cut)
        room = room >= sizeof(dots) - 1 ? room - (sizeof(dots) - 1) : 0;
    for (i = 0; i < len; i++) {
        size_t n = render_byte((unsigned char)text[i], out);

        if (used + n > room)
            break;
        for (size_t k = 0; k < n; k++)
            buf[used++] = out[k];
    }
    if (cut)
        for (i = 0; i < sizeof(dots) - 1 && used < size - 1; i++)
            buf[used++] = dots[i];
    buf[used] = '\0';
    return buf;
}
