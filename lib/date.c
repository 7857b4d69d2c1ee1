/*
 * Unix time to a civil date. Days are counted in 400-year eras of 146,097 days,
 * each starting on 1 March so that the leap day falls at the end of a year: then
 * the day of the year maps to a month with one linear formula (153 days per five
 * months, from March on).
 */
#include "lib/date.h"

#define SECONDS_PER_DAY 86400
#define DAYS_PER_ERA    146097 /* 400 years */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void date_from_unix(int64_t seconds, struct date *d)
{
    /* Divide first and borrow a day for a negative remainder: never overflows. */
    int64_t days = seconds / SECONDS_PER_DAY;
    int64_t secs = seconds % SECONDS_PER_DAY;

    if (secs < 0) {
        secs += SECONDS_PER_DAY;
        days--;
    }
    /* Days since 0000-03-01, which is 719,468 days before 1970-01-01. */
    int64_t z = days + 719468;
    int64_t era = floor_div(z, DAYS_PER_ERA);
    int64_t day_of_era = z - era * DAYS_PER_ERA;
    int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / (DAYS_PER_ERA - 1)) /
        365;
    int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    int64_t month_from_march = (5 * day_of_year + 2) / 153;

    d->day = (unsigned int)(day_of_year - (153 * month_from_march + 2) / 5 + 1);
    d->month = (unsigned int)(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
    d->year = year_of_era + era * 400 + (d->month <= 2);
    d->hour = (unsigned int)(secs / 3600);
    d->minute = (unsigned int)(secs / 60 % 60);
    d->second = (unsigned int)(secs % 60);
    /* 1970-01-01 was a Thursday. */
    d->weekday = (unsigned int)(days - floor_div(days + 4, 7) * 7 + 4);
}
