/*
 * Frames made ready for the network frontend's transmit offloads (tx_offload.h).
 * Header fields are read and written byte by byte, in network order: the code does
 * not depend on alignment or on the host's byte order.
 */
#include "net/tx_offload.h"

#include "lib/string.h"

#define IP_PROTO_TCP 6
#define IP_PROTO_UDP 17
#define TCP_FLAG_PSH 0x08
#define TCP_FLAG_ACK 0x10
/* IPv4's more-fragments bit and fragment offset, in its 16-bit field at offset 6. */
#define IP4_FRAGMENT_MASK 0x3fff

static unsigned int get16(const uint8_t *p)
{
    return (unsigned int)p[0] << 8 | p[1];
}

static void put16(uint8_t *p, unsigned int v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The one's-complement sum of len bytes (len even), added to sum, not folded. */
static uint32_t sum16(const uint8_t *p, unsigned int len, uint32_t sum)
{
    for (unsigned int i = 0; i < len; i += 2)
        sum += get16(p + i);
    return sum;
}

static unsigned int fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return sum;
}

/* The checksum field's offset within the TCP or UDP header. */
static unsigned int checksum_field(uint8_t proto)
{
    return proto == IP_PROTO_TCP ? 16 : 6;
}

static bool parse_ipv4(const uint8_t *ip, unsigned int avail, unsigned int frame_len,
                       struct tx_frame *f)
{
    unsigned int ihl = (ip[0] & 0xf) * 4u, total;

    if (avail < 20 || ihl < 20 || ihl > avail)
        return false;
    total = get16(ip + 2);
    if (total < ihl || TX_ETH_HLEN + total > frame_len || (get16(ip + 6) & IP4_FRAGMENT_MASK))
        return false;
    f->ipv6 = false;
    f->proto = ip[9];
    f->l4 = TX_ETH_HLEN + ihl;
    f->l4_len = total - ihl;
    return true;
}

static bool parse_ipv6(const uint8_t *ip, unsigned int avail, unsigned int frame_len,
                       struct tx_frame *f)
{
    unsigned int plen;

    if (avail < 40)
        return false;
    plen = get16(ip + 4);
    if (TX_ETH_HLEN + 40 + plen > frame_len)
        return false;
    f->ipv6 = true;
    f->proto = ip[6]; /* extension headers are not followed: they are "another protocol" */
    f->l4 = TX_ETH_HLEN + 40;
    f->l4_len = plen;
    return true;
}

bool tx_offload_parse(const uint8_t *hdr, unsigned int avail, unsigned int frame_len,
                      struct tx_frame *f)
{
    unsigned int type, l4_avail;
    bool ok;

    memset(f, 0, sizeof(*f));
    if (avail > frame_len)
        avail = frame_len;
    if (avail < TX_ETH_HLEN + 1)
        return false;
    type = get16(hdr + 12);
    if (type == 0x0800 && hdr[TX_ETH_HLEN] >> 4 == 4)
        ok = parse_ipv4(hdr + TX_ETH_HLEN, avail - TX_ETH_HLEN, frame_len, f);
    else if (type == 0x86dd && hdr[TX_ETH_HLEN] >> 4 == 6)
        ok = parse_ipv6(hdr + TX_ETH_HLEN, avail - TX_ETH_HLEN, frame_len, f);
    else
        ok = false;
    if (!ok)
        return false;
    l4_avail = avail - f->l4;
    if (f->proto == IP_PROTO_UDP) {
        f->hdr_len = f->l4;
        return f->l4_len >= 8 && l4_avail >= 8;
    }
    if (f->proto != IP_PROTO_TCP || f->l4_len < 20 || l4_avail < 20)
        return false;
    unsigned int tcp_len = (hdr[f->l4 + 12] >> 4) * 4u;
    if (tcp_len < 20 || tcp_len > f->l4_len || tcp_len > l4_avail)
        return false;
    f->hdr_len = f->l4 + tcp_len;
    f->payload = f->l4_len - tcp_len;
    f->seq = get32(hdr + f->l4 + 4);
    f->tcp_flags = hdr[f->l4 + 13];
    return true;
}

void tx_offload_set_pseudo_sum(uint8_t *hdr, const struct tx_frame *f, unsigned int l4_len)
{
    const uint8_t *ip = hdr + TX_ETH_HLEN;
    uint32_t sum = f->proto + (l4_len & 0xffff) + (l4_len >> 16);

    /* The source and destination addresses, together in both IP versions. */
    sum = f->ipv6 ? sum16(ip + 8, 32, sum) : sum16(ip + 12, 8, sum);
    put16(hdr + f->l4 + checksum_field(f->proto), fold(sum));
}

bool tx_merge_candidate(const struct tx_frame *f)
{
    return f->proto == IP_PROTO_TCP && f->payload > 0 && (f->tcp_flags & TCP_FLAG_ACK) &&
           !(f->tcp_flags & ~(TCP_FLAG_ACK | TCP_FLAG_PSH));
}

void tx_merge_reset(struct tx_merge *m)
{
    m->frames = 0;
    m->payload = 0;
    m->full = false;
}

/* Whether byte i of the headers may differ between segments that merge. */
static bool may_differ(const struct tx_frame *f, unsigned int i)
{
    unsigned int ip = i - TX_ETH_HLEN, tcp = i - f->l4;

    if (i >= f->l4) /* sequence number, checksum */
        return (tcp >= 4 && tcp < 8) || tcp == 16 || tcp == 17;
    if (i < TX_ETH_HLEN)
        return false;
    if (f->ipv6) /* payload length */
        return ip == 4 || ip == 5;
    /* total length, id, header checksum */
    return ip == 2 || ip == 3 || ip == 4 || ip == 5 || ip == 10 || ip == 11;
}

static bool same_stream(const struct tx_merge *m, const uint8_t *hdr, const struct tx_frame *f)
{
    const struct tx_frame *first = &m->first;

    if (f->ipv6 != first->ipv6 || f->l4 != first->l4 || f->hdr_len != first->hdr_len)
        return false;
    for (unsigned int i = 0; i < f->hdr_len; i++) {
        uint8_t a = m->header[i], b = hdr[i];

        if (i == f->l4 + 13) { /* the flags: PSH may differ */
            a &= (uint8_t)~TCP_FLAG_PSH;
            b &= (uint8_t)~TCP_FLAG_PSH;
        }
        if (a != b && !may_differ(f, i))
            return false;
    }
    return true;
}

bool tx_merge_add(struct tx_merge *m, const uint8_t *hdr, const struct tx_frame *f)
{
    if (m->frames == 0) {
        memcpy(m->header, hdr, f->hdr_len);
        m->first = *f;
        m->seg_size = f->payload;
        m->payload = f->payload;
        m->next_seq = f->seq + f->payload;
        m->flags = f->tcp_flags;
        m->frames = 1;
        m->full = false;
        return true;
    }
    if (m->full || m->frames == TX_MERGE_MAX_FRAMES || f->seq != m->next_seq ||
        f->payload > m->seg_size ||
        m->first.hdr_len + m->payload + f->payload > TX_MERGE_MAX_FRAME || !same_stream(m, hdr, f))
        return false;
    m->payload += f->payload;
    m->next_seq += f->payload;
    m->flags |= f->tcp_flags;
    m->frames++;
    /* A short segment ends the stream: cut again, only the last may be short. */
    m->full = f->payload < m->seg_size;
    return true;
}

void tx_merge_header(const struct tx_merge *m, uint8_t *out)
{
    const struct tx_frame *f = &m->first;
    uint8_t *ip = out + TX_ETH_HLEN;
    unsigned int l4_len = f->hdr_len - f->l4 + m->payload;

    memcpy(out, m->header, f->hdr_len);
    if (f->ipv6) {
        put16(ip + 4, l4_len);
    } else {
        unsigned int ihl = f->l4 - TX_ETH_HLEN;

        put16(ip + 2, ihl + l4_len);
        put16(ip + 10, 0);
        put16(ip + 10, ~fold(sum16(ip, ihl, 0)) & 0xffff);
    }
    out[f->l4 + 13] = (uint8_t)((out[f->l4 + 13] & ~TCP_FLAG_PSH) | (m->flags & TCP_FLAG_PSH));
    tx_offload_set_pseudo_sum(out, f, l4_len);
}
