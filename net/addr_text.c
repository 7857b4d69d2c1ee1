/*
 * lwIP writes the text, then its hex letters are made lowercase: an IPv4 address has
 * none, so the same step serves both families.
 */
#include "net/addr_text.h"

static char *lowercase(char *text)
{
    for (char *c = text; *c; c++)
        if (*c >= 'A' && *c <= 'F')
            *c += 'a' - 'A';
    return text;
}

char *net_addr_text(const ip_addr_t *addr, char *buf, size_t size)
{
    if (ipaddr_ntoa_r(addr, buf, (int)size) == NULL && size > 0)
        buf[0] = '\0';
    return lowercase(buf);
}

const char *net_inet_ntop(int af, const void *src, char *buf, size_t size)
{
    if (lwip_inet_ntop(af, src, buf, (socklen_t)size) == NULL)
        return NULL;
    return lowercase(buf);
}
