/*
 * Host tests for net/tx_offload.c: which frames it parses, the pseudo-header sum the
 * backend completes into the right checksum, which TCP segments merge into one large
 * segment, and the large segment's headers.
 */
#include "lib/tests/host_names.h"
#include "net/tx_offload.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include <string.h>
#include "lib/tests/unit.h"

#define MSS 1460

static uint8_t frame[8192];

static void put16(uint8_t *p, unsigned int v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static unsigned int get16(const uint8_t *p)
{
    return (unsigned int)p[0] << 8 | p[1];
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xffff);
}

/* The one's-complement sum of len bytes, folded (an odd last byte padded with 0). */
static unsigned int csum(const uint8_t *p, unsigned int len, uint32_t sum)
{
    for (unsigned int i = 0; i + 1 < len; i += 2)
        sum += get16(p + i);
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return sum;
}

/*
 * A TCP segment over IPv4 (or IPv6) from 10.0.0.2:80 to 10.0.0.1:40000: seq, payload
 * bytes (seq's low byte onwards), flags, IP id. Its length.
 */
static unsigned int tcp_frame(bool ipv6, uint32_t seq, unsigned int payload, uint8_t flags,
                              unsigned int id)
{
    unsigned int l4 = ipv6 ? 54 : 34;

    memset(frame, 0, sizeof(frame));
    memcpy(frame, "\x00\x16\x3e\x00\x00\x01\x00\x16\x3e\x00\x00\x02", 12);
    if (ipv6) {
        put16(frame + 12, 0x86dd);
        frame[14] = 0x60;
        put16(frame + 18, 20 + payload);
        frame[20] = 6;
        frame[21] = 64;
        frame[22] = 0xfe;
        frame[23] = 0x80;
        frame[37] = 2;
        frame[38] = 0xfe;
        frame[39] = 0x80;
        frame[53] = 1;
    } else {
        put16(frame + 12, 0x0800);
        frame[14] = 0x45;
        put16(frame + 16, 20 + 20 + payload);
        put16(frame + 18, id);
        put16(frame + 20, 0x4000); /* DF */
        frame[22] = 255;
        frame[23] = 6;
        memcpy(frame + 26, "\x0a\x00\x00\x02\x0a\x00\x00\x01", 8);
        put16(frame + 24, ~csum(frame + 14, 20, 0) & 0xffff);
    }
    put16(frame + l4, 80);
    put16(frame + l4 + 2, 40000);
    put32(frame + l4 + 4, seq);
    put32(frame + l4 + 8, 12345);
    frame[l4 + 12] = 5 << 4;
    frame[l4 + 13] = flags;
    put16(frame + l4 + 14, 8192);
    for (unsigned int i = 0; i < payload; i++)
        frame[l4 + 20 + i] = (uint8_t)(seq + i);
    return l4 + 20 + payload;
}

/* What the backend does with a blank checksum: the sum of the L4 bytes, complemented. */
static unsigned int completed(const uint8_t *l4, unsigned int len)
{
    return ~csum(l4, len, 0) & 0xffff;
}

/* The TCP/UDP checksum a sender computing it in full would have written. */
static unsigned int full_checksum(uint8_t *f, const struct tx_frame *t)
{
    uint8_t pseudo[40];
    unsigned int field = t->l4 + (t->proto == 6 ? 16 : 6), n, sum;

    if (t->ipv6) {
        memcpy(pseudo, f + 22, 32);
        n = 32;
    } else {
        memcpy(pseudo, f + 26, 8);
        n = 8;
    }
    put16(f + field, 0);
    sum = csum(pseudo, n, t->proto + t->l4_len);
    return ~csum(f + t->l4, t->l4_len, sum) & 0xffff;
}

UNIT_TEST(tcp_and_udp_over_both_ips_parse)
{
    struct tx_frame f;
    unsigned int len = tcp_frame(false, 1000, 100, 0x18, 1);

    CHECK(tx_offload_parse(frame, len, len, &f));
    CHECK(!f.ipv6);
    CHECK_INT(f.proto, 6);
    CHECK_INT(f.l4, 34);
    CHECK_INT(f.hdr_len, 54);
    CHECK_INT(f.l4_len, 120);
    CHECK_INT(f.payload, 100);
    CHECK_INT(f.seq, 1000);
    CHECK_INT(f.tcp_flags, 0x18);

    len = tcp_frame(true, 7, 0, 0x10, 0);
    CHECK(tx_offload_parse(frame, 54 + 20, len, &f));
    CHECK(f.ipv6);
    CHECK_INT(f.l4, 54);
    CHECK_INT(f.hdr_len, 74);
    CHECK_INT(f.payload, 0);

    /* UDP: a datagram of 8 + 10 bytes. */
    len = tcp_frame(false, 0, 10, 0, 1);
    frame[23] = 17;
    CHECK(tx_offload_parse(frame, len, len, &f));
    CHECK_INT(f.proto, 17);
    CHECK_INT(f.hdr_len, 34);
}

UNIT_TEST(what_does_not_parse)
{
    struct tx_frame f;
    unsigned int len = tcp_frame(false, 0, 100, 0x10, 1);

    CHECK(!tx_offload_parse(frame, 50, len, &f));      /* the TCP header is not all there */
    CHECK(!tx_offload_parse(frame, len, len - 1, &f)); /* IP says more than the frame has */
    put16(frame + 20, 0x2000);                         /* a first fragment */
    CHECK(!tx_offload_parse(frame, len, len, &f));
    tcp_frame(false, 0, 100, 0x10, 1);
    put16(frame + 12, 0x0806); /* ARP */
    CHECK(!tx_offload_parse(frame, len, len, &f));
    tcp_frame(false, 0, 100, 0x10, 1);
    frame[23] = 1; /* ICMP */
    CHECK(!tx_offload_parse(frame, len, len, &f));
    tcp_frame(false, 0, 100, 0x10, 1);
    frame[34 + 12] = 4 << 4; /* a TCP header shorter than 20 */
    CHECK(!tx_offload_parse(frame, len, len, &f));
    len = tcp_frame(true, 0, 100, 0x10, 1);
    frame[20] = 0; /* a hop-by-hop extension header */
    CHECK(!tx_offload_parse(frame, len, len, &f));
    CHECK(!tx_offload_parse(frame, 10, 10, &f));
}

UNIT_TEST(the_backend_completes_the_pseudo_sum_into_the_full_checksum)
{
    for (int v6 = 0; v6 < 2; v6++) {
        for (unsigned int payload = 0; payload < 40; payload += 13) {
            struct tx_frame f;
            unsigned int len = tcp_frame(v6, 0xfffffff0u + payload, payload, 0x18, 9), expected;

            CHECK(tx_offload_parse(frame, len, len, &f));
            expected = full_checksum(frame, &f);
            tx_offload_set_pseudo_sum(frame, &f, f.l4_len);
            CHECK_INT(completed(frame + f.l4, f.l4_len), expected);
        }
    }
}

static struct tx_merge m;

/* Parse the frame in frame[] and offer it to m. */
static bool offer(unsigned int len)
{
    struct tx_frame f;

    CHECK(tx_offload_parse(frame, len, len, &f));
    CHECK(tx_merge_candidate(&f));
    return tx_merge_add(&m, frame, &f);
}

UNIT_TEST(only_data_with_ack_and_psh_is_a_candidate)
{
    struct tx_frame f;
    unsigned int len = tcp_frame(false, 0, 0, 0x10, 1);

    CHECK(tx_offload_parse(frame, len, len, &f));
    CHECK(!tx_merge_candidate(&f)); /* a bare ACK */
    const uint8_t flags[] = {0x11 /* FIN */, 0x12 /* SYN */,    0x14 /* RST */,
                             0x30 /* URG */, 0x08 /* no ACK */, 0x50 /* ECE */};
    for (unsigned int i = 0; i < sizeof(flags); i++) {
        len = tcp_frame(false, 0, 10, flags[i], 1);
        CHECK(tx_offload_parse(frame, len, len, &f));
        CHECK(!tx_merge_candidate(&f));
    }
    len = tcp_frame(false, 0, 10, 0x18, 1);
    CHECK(tx_offload_parse(frame, len, len, &f));
    CHECK(tx_merge_candidate(&f));
    frame[23] = 17;
    CHECK(tx_offload_parse(frame, len, len, &f));
    CHECK(!tx_merge_candidate(&f));
}

UNIT_TEST(contiguous_segments_of_one_stream_merge)
{
    tx_merge_reset(&m);
    CHECK(offer(tcp_frame(false, 100, MSS, 0x10, 1)));
    CHECK(offer(tcp_frame(false, 100 + MSS, MSS, 0x18, 2))); /* PSH in the middle: fine */
    CHECK(offer(tcp_frame(false, 100 + 2 * MSS, 500, 0x10, 3)));
    CHECK_INT(m.frames, 3);
    CHECK_INT(m.seg_size, MSS);
    CHECK_INT(m.payload, 2 * MSS + 500);
    /* After a short one, nothing more: cut again, it would not be last. */
    CHECK(!offer(tcp_frame(false, 100 + 2 * MSS + 500, MSS, 0x10, 4)));
    CHECK_INT(m.frames, 3);
}

UNIT_TEST(segments_that_do_not_continue_the_stream_do_not_merge)
{
    unsigned int len;

    tx_merge_reset(&m);
    CHECK(offer(tcp_frame(false, 100, MSS, 0x10, 1)));
    CHECK(!offer(tcp_frame(false, 100 + 2 * MSS, MSS, 0x10, 2))); /* a hole */
    CHECK(!offer(tcp_frame(false, 100, MSS, 0x10, 2)));           /* a resend */
    CHECK(!offer(tcp_frame(false, 100 + MSS, MSS + 1, 0x10, 2))); /* longer than the first */
    len = tcp_frame(false, 100 + MSS, MSS, 0x10, 2);
    put32(frame + 34 + 8, 99999); /* another ack */
    CHECK(!offer(len));
    len = tcp_frame(false, 100 + MSS, MSS, 0x10, 2);
    put16(frame + 34 + 14, 1); /* another window */
    CHECK(!offer(len));
    len = tcp_frame(false, 100 + MSS, MSS, 0x10, 2);
    put16(frame + 34, 81); /* another connection */
    CHECK(!offer(len));
    len = tcp_frame(false, 100 + MSS, MSS, 0x10, 2);
    frame[29] = 3; /* another peer */
    CHECK(!offer(len));
    CHECK(!offer(tcp_frame(true, 100 + MSS, MSS, 0x10, 2))); /* IPv6 */
    CHECK_INT(m.frames, 1);
    CHECK(offer(tcp_frame(false, 100 + MSS, MSS, 0x10, 2)));
    CHECK_INT(m.frames, 2);
}

UNIT_TEST(a_merged_frame_stays_within_the_rings_16_bit_size)
{
    unsigned int n = 0;

    tx_merge_reset(&m);
    while (offer(tcp_frame(false, n * MSS, MSS, 0x10, n)))
        n++;
    CHECK_INT(n, (65535 - 54) / MSS);
    CHECK(54 + m.payload <= 65535);

    tx_merge_reset(&m);
    n = 0;
    while (offer(tcp_frame(false, n * 100, 100, 0x10, n)))
        n++;
    CHECK_INT(n, TX_MERGE_MAX_FRAMES);
}

UNIT_TEST(the_merged_header)
{
    uint8_t out[TX_MAX_HEADER];
    struct tx_frame f;

    for (int v6 = 0; v6 < 2; v6++) {
        unsigned int l4 = v6 ? 54 : 34, len;

        tx_merge_reset(&m);
        for (unsigned int i = 0; i < 3; i++)
            CHECK(offer(tcp_frame(v6, 5000 + i * MSS, MSS, i == 1 ? 0x18 : 0x10, 7 + i)));
        tx_merge_header(&m, out);
        CHECK_INT(get16(out + 12), v6 ? 0x86dd : 0x0800);
        if (v6) {
            CHECK_INT(get16(out + 18), 20 + 3 * MSS);
        } else {
            CHECK_INT(get16(out + 16), 40 + 3 * MSS);
            CHECK_INT(get16(out + 18), 7); /* the first one's id */
            CHECK_INT(csum(out + 14, 20, 0), 0xffff);
        }
        CHECK_INT(out[l4 + 4] << 24 | out[l4 + 5] << 16 | get16(out + l4 + 6), 5000);
        CHECK_INT(out[l4 + 13], 0x18); /* PSH, as one of them had */
        /* The pseudo-header sum for the whole: what the backend then completes. */
        len = tcp_frame(v6, 5000, 3 * MSS, 0x18, 7);
        CHECK(tx_offload_parse(frame, len, len, &f));
        tx_offload_set_pseudo_sum(frame, &f, f.l4_len);
        CHECK_INT(get16(out + l4 + 16), get16(frame + l4 + 16));
        /* The backend's view of it parses back to the same segment. */
        memcpy(frame, out, l4 + 20);
        CHECK(tx_offload_parse(frame, l4 + 20, len, &f));
        CHECK_INT(f.payload, 3 * MSS);
    }
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(tcp_and_udp_over_both_ips_parse),
    UNIT_ENTRY(what_does_not_parse),
    UNIT_ENTRY(the_backend_completes_the_pseudo_sum_into_the_full_checksum),
    UNIT_ENTRY(only_data_with_ack_and_psh_is_a_candidate),
    UNIT_ENTRY(contiguous_segments_of_one_stream_merge),
    UNIT_ENTRY(segments_that_do_not_continue_the_stream_do_not_merge),
    UNIT_ENTRY(a_merged_frame_stays_within_the_rings_16_bit_size),
    UNIT_ENTRY(the_merged_header),
};

int main(void)
{
    return unit_main(tests, UNIT_COUNT(tests));
}
