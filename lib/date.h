/*
 * Calendar dates from Unix time, for printing the wall clock (proleptic Gregorian,
 * UTC, no leap seconds: the Unix convention).
 */
#ifndef LIB_DATE_H
#define LIB_DATE_H

#include <stdint.h>

struct date {
    int64_t year;
    unsigned int month; /* 1-12 */
    unsigned int day;   /* 1-31 */
    unsigned int hour, minute, second;
    unsigned int weekday; /* 0 = Sunday */
};

void date_from_unix(int64_t seconds, struct date *d);

#endif
