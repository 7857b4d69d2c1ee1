/*
 * Host tests for lib/sha256.c: FIPS 180-4's example digests, and the same digest
 * whatever pieces the data arrives in (every split of a message that crosses the
 * padding's block boundary).
 */
#include "lib/tests/host_names.h"
#include "lib/sha256.h"
#define HOST_NAMES_RESTORE
#include "lib/tests/host_names.h"

#include "lib/tests/unit.h"

static const char *digest(const void *data, size_t len)
{
    static char hex[65];
    struct sha256 s;

    sha256_init(&s);
    sha256_update(&s, data, len);
    sha256_final_hex(&s, hex);
    return hex;
}

UNIT_TEST(known_digests)
{
    CHECK_STR(digest("", 0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK_STR(digest("abc", 3), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK_STR(digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

UNIT_TEST(a_million_a)
{
    static char a[1000];
    struct sha256 s;
    char hex[65];

    memset(a, 'a', sizeof(a));
    sha256_init(&s);
    for (int i = 0; i < 1000; i++)
        sha256_update(&s, a, sizeof(a));
    sha256_final_hex(&s, hex);
    CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

UNIT_TEST(any_split_gives_the_same_digest)
{
    char msg[130], whole[65], split[65];
    struct sha256 s;

    for (size_t i = 0; i < sizeof(msg); i++)
        msg[i] = (char)(i * 7 + 1);
    strcpy(whole, digest(msg, sizeof(msg)));
    for (size_t cut = 0; cut <= sizeof(msg); cut++) {
        sha256_init(&s);
        sha256_update(&s, msg, cut);
        sha256_update(&s, msg + cut, sizeof(msg) - cut);
        sha256_final_hex(&s, split);
        CHECK_STR(split, whole);
    }
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(known_digests),
    UNIT_ENTRY(a_million_a),
    UNIT_ENTRY(any_split_gives_the_same_digest),
};

int main(void)
{
    return unit_main(tests, UNIT_COUNT(tests));
}
