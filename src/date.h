/* date - proleptic Gregorian calendar days; ISO 8601 YYYY-MM-DD only. */
#ifndef FX_DATE_H
#define FX_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01 (may be negative). */
typedef int32_t fx_day;
/* No day (before any date this program can parse). */
#define FX_DAY_NONE INT32_MIN

/* Strict: exactly 10 bytes "YYYY-MM-DD", a date that exists, year 1000-9999. */
bool fx_date_parse(const char *s, size_t len, fx_day *out);
/* Writes "YYYY-MM-DD" and a NUL (11 bytes). */
void fx_date_format(fx_day d, char out[11]);
fx_day fx_date_from_ymd(int y, int m, int d);
void fx_date_to_ymd(fx_day day, int *y, int *m, int *d);
/* 0 = Monday ... 6 = Sunday */
int fx_date_weekday(fx_day d);

#endif
