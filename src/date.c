/* date - proleptic Gregorian days since 1970-01-01 and strict ISO 8601
 * "YYYY-MM-DD". Pure integer arithmetic (Howard Hinnant's civil-day
 * algorithms): no time.h, no time zone, no locale. */
#include "date.h"

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const unsigned char n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : n[m - 1];
}

/* Two ASCII digits at s, or -1. */
static int digits2(const char *s)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return -1;
    return (s[0] - '0') * 10 + (s[1] - '0');
}

bool fx_date_parse(const char *s, size_t len, fx_day *out)
{
    if (!s || len != 10 || s[4] != '-' || s[7] != '-')
        return false;
    int hi = digits2(s), lo = digits2(s + 2), m = digits2(s + 5), d = digits2(s + 8);
    if (hi < 0 || lo < 0 || m < 0 || d < 0)
        return false;
    int y = hi * 100 + lo;
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return false;
    *out = fx_date_from_ymd(y, m, d);
    return true;
}

/* days_from_civil: eras of 400 years (146097 days) starting on March 1,
 * so the leap day is the last day of a "year". */
fx_day fx_date_from_ymd(int y, int m, int d)
{
    long yy = (long)y - (m <= 2);
    long era = (yy >= 0 ? yy : yy - 399) / 400;
    long yoe = yy - era * 400;                                   /* [0, 399] */
    long doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            /* [0, 146096] */
    return (fx_day)(era * 146097 + doe - 719468);
}

void fx_date_to_ymd(fx_day day, int *y, int *m, int *d)
{
    long z = (long)day + 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;                                       /* [0, 146096] */
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    long mp = (5 * doy + 2) / 153;                                     /* [0, 11] */
    int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = mm;
    *d = dd;
}

void fx_date_format(fx_day day, char out[11])
{
    int y, m, d;
    fx_date_to_ymd(day, &y, &m, &d);
    /* Years outside 0..9999 cannot come from fx_date_parse; clamp the
     * digits rather than overflow the buffer. */
    unsigned uy = y < 0 ? 0u : y > 9999 ? 9999u : (unsigned)y;
    out[0] = (char)('0' + uy / 1000);
    out[1] = (char)('0' + uy / 100 % 10);
    out[2] = (char)('0' + uy / 10 % 10);
    out[3] = (char)('0' + uy % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

int fx_date_weekday(fx_day day)
{
    /* 1970-01-01 was a Thursday (3 with Monday = 0). */
    long w = ((long)day + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}
