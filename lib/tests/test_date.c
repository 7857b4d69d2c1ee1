/*
 * Host tests for lib/date.c: date_from_unix against glibc's gmtime_r, which
 * uses the same proleptic Gregorian calendar without leap seconds. Every day
 * from 1600 to 2500 is compared (each at one time of day and at a random
 * second), then random seconds over ranges reaching far before 1970 and far
 * past 2038, then a few dates known by heart and the ends of int64_t.
 */
#include <time.h>

#include "lib/date.h"
#include "lib/tests/unit.h"

/* gmtime_r's answer in struct date's terms; 0 if it has none (year past int). */
static int reference(int64_t seconds, struct date *d)
{
    time_t t = (time_t)seconds;
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL)
        return 0;
    d->year = (int64_t)tm.tm_year + 1900;
    d->month = (unsigned int)tm.tm_mon + 1;
    d->day = (unsigned int)tm.tm_mday;
    d->hour = (unsigned int)tm.tm_hour;
    d->minute = (unsigned int)tm.tm_min;
    d->second = (unsigned int)tm.tm_sec;
    d->weekday = (unsigned int)tm.tm_wday;
    return 1;
}

static int same_date(const struct date *a, const struct date *b)
{
    return a->year == b->year && a->month == b->month && a->day == b->day && a->hour == b->hour &&
           a->minute == b->minute && a->second == b->second && a->weekday == b->weekday;
}

static void print_date(const char *what, const struct date *d)
{
    printf("  %s %lld-%02u-%02u %02u:%02u:%02u weekday %u\n", what, (long long)d->year, d->month,
           d->day, d->hour, d->minute, d->second, d->weekday);
}

/* Compare one time with gmtime_r; print the first few differences in full. */
static unsigned long mismatches_shown;

static int agrees(int64_t seconds)
{
    struct date got, want;

    if (!reference(seconds, &want))
        return 1; /* nothing to compare with */
    memset(&got, 0xa5, sizeof(got));
    date_from_unix(seconds, &got);
    if (same_date(&got, &want))
        return 1;
    if (mismatches_shown++ < 5) {
        printf("  date_from_unix(%lld):\n", (long long)seconds);
        print_date("got     ", &got);
        print_date("expected", &want);
    }
    return 0;
}

#define SECONDS_PER_DAY 86400

/* 1600-01-01 and 2501-01-01 00:00:00 UTC. */
#define START_1600 (-11676096000LL)
#define END_2500   16756761600LL

UNIT_TEST(test_range_ends)
{
    struct date d;

    /* Pin the loop bounds below to the dates they claim to be. */
    CHECK(reference(START_1600, &d));
    CHECK_INT(d.year, 1600);
    CHECK_INT(d.month, 1);
    CHECK_INT(d.day, 1);
    CHECK(reference(END_2500, &d));
    CHECK_INT(d.year, 2501);
    CHECK_INT(d.month, 1);
    CHECK_INT(d.day, 1);
    CHECK_INT(d.hour, 0);
}

UNIT_TEST(test_every_day_1600_to_2500)
{
    unsigned long days = 0, bad = 0;

    unit_rng_seed(1600);
    mismatches_shown = 0;
    for (int64_t day = START_1600; day < END_2500; day += SECONDS_PER_DAY) {
        /* A time of day that moves through the day, and a random second. */
        if (!agrees(day + (days * 3607) % SECONDS_PER_DAY))
            bad++;
        if (!agrees(day + (int64_t)unit_rng_below(SECONDS_PER_DAY)))
            bad++;
        days++;
    }
    CHECK_INT(days, 329084); /* 901 years: 365 * 901 + 219 leap days */
    CHECK_INT(bad, 0);
}

UNIT_TEST(test_day_boundaries)
{
    unsigned long bad = 0;

    /* The first and last second of days around 1970 and around the era starts. */
    mismatches_shown = 0;
    for (int64_t day = -800; day <= 800; day++) {
        int64_t t = day * SECONDS_PER_DAY;

        bad += !agrees(t) + !agrees(t - 1) + !agrees(t + 1);
    }
    /* 0000-03-01 and 2000-03-01 start the calendar's 400-year eras. */
    for (int64_t day = -3; day <= 3; day++) {
        int64_t t = day * SECONDS_PER_DAY;

        bad += !agrees(-62162035200LL + t) + !agrees(-62162035200LL + t - 1);
        bad += !agrees(951868800LL + t) + !agrees(951868800LL + t - 1);
        bad += !agrees(-62162035200LL - 146097LL * SECONDS_PER_DAY + t - 1);
    }
    CHECK_INT(bad, 0);
}

/* A random time in [-span, span). */
static int64_t random_within(int64_t span)
{
    return (int64_t)(unit_rng_next() % (2 * (uint64_t)span)) - span;
}

UNIT_TEST(test_random_seconds)
{
    /* Up to a century, ten thousand years, and some 1.9 billion years from 1970. */
    static const int64_t spans[] = {3155760000LL, 315576000000LL, 60000000000000000LL};
    unsigned long bad = 0, compared = 0;

    unit_rng_seed(0x64617465);
    mismatches_shown = 0;
    for (size_t s = 0; s < UNIT_COUNT(spans); s++) {
        for (int i = 0; i < 200000; i++) {
            int64_t t = random_within(spans[s]);
            struct date unused;

            if (reference(t, &unused))
                compared++;
            if (!agrees(t))
                bad++;
        }
    }
    CHECK_INT(bad, 0);
    CHECK_INT(compared, 600000); /* glibc answered for all of them */
}

static void check_known(int64_t seconds, int64_t year, unsigned int month, unsigned int day,
                        unsigned int hour, unsigned int minute, unsigned int second,
                        unsigned int weekday)
{
    struct date d;

    memset(&d, 0xa5, sizeof(d));
    date_from_unix(seconds, &d);
    CHECK_INT(d.year, year);
    CHECK_INT(d.month, month);
    CHECK_INT(d.day, day);
    CHECK_INT(d.hour, hour);
    CHECK_INT(d.minute, minute);
    CHECK_INT(d.second, second);
    CHECK_INT(d.weekday, weekday);
}

UNIT_TEST(test_known_dates)
{
    check_known(0, 1970, 1, 1, 0, 0, 0, 4);                 /* a Thursday */
    check_known(-1, 1969, 12, 31, 23, 59, 59, 3);           /* a Wednesday */
    check_known(951782400, 2000, 2, 29, 0, 0, 0, 2);        /* a leap day, Tuesday */
    check_known(1795718923, 2026, 11, 26, 18, 48, 43, 4);   /* a Thursday */
    check_known(2147483647, 2038, 1, 19, 3, 14, 7, 2);      /* 32-bit time_t's last */
    check_known(4107542400LL, 2100, 3, 1, 0, 0, 0, 1);      /* 2100 has no 29 February */
    check_known(-11644473600LL, 1601, 1, 1, 0, 0, 0, 1);    /* the Windows epoch */
    check_known(-62135596800LL, 1, 1, 1, 0, 0, 0, 1);       /* 0001-01-01, a Monday */
    check_known(-62162035200LL, 0, 3, 1, 0, 0, 0, 3);       /* the first era's start */
    check_known(-62162035201LL, 0, 2, 29, 23, 59, 59, 2);   /* year 0 is a leap year */
    check_known(-62167219200LL, 0, 1, 1, 0, 0, 0, 6);       /* 0000-01-01, a Saturday */
    check_known(-62167219201LL, -1, 12, 31, 23, 59, 59, 5); /* year -1 */
}

UNIT_TEST(test_int64_ends)
{
    /* The largest time; glibc refuses it (the year does not fit an int). */
    check_known(INT64_MAX, 292277026596LL, 12, 4, 15, 30, 7, 0);
    /* The earliest whole day, and the smallest time, which is 55,808 s before it. */
    check_known(INT64_MIN + 55808, -292277022657LL, 1, 28, 0, 0, 0, 1);
    check_known(INT64_MIN, -292277022657LL, 1, 27, 8, 29, 52, 0);
    check_known(INT64_MIN + 1, -292277022657LL, 1, 27, 8, 29, 53, 0);
}

static const struct unit_test tests[] = {
    UNIT_ENTRY(test_range_ends),     UNIT_ENTRY(test_every_day_1600_to_2500),
    UNIT_ENTRY(test_day_boundaries), UNIT_ENTRY(test_random_seconds),
    UNIT_ENTRY(test_known_dates),    UNIT_ENTRY(test_int64_ends),
};

int main(void)
{
    return unit_main(tests, UNIT_COUNT(tests));
}
