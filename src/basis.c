/* basis - rate bases and their calendar periods (SPEC 3). A period is a
 * calendar month, quarter or year of the proleptic Gregorian calendar;
 * its start is found from the day's year and month, never by counting. */
#include "basis.h"

#include <stdio.h>
#include <string.h>

static const char *const names[FX_BASIS_COUNT] = {
    [FX_BASIS_SPOT] = "spot",
    [FX_BASIS_MONTH] = "month-average",
    [FX_BASIS_QUARTER] = "quarter-average",
    [FX_BASIS_YEAR] = "year-average",
};
_Static_assert(sizeof names / sizeof names[0] == FX_BASIS_COUNT, "a name per basis");

const char *fx_basis_name(fx_basis b)
{
    return (unsigned)b < FX_BASIS_COUNT ? names[b] : "?";
}

bool fx_basis_parse(const char *s, size_t len, fx_basis *out)
{
    for (int i = 0; i < FX_BASIS_COUNT; i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0) {
            *out = (fx_basis)i;
            return true;
        }
    return false;
}

fx_day fx_basis_period_start(fx_basis b, fx_day day)
{
    int y, m, d;
    fx_date_to_ymd(day, &y, &m, &d);
    switch (b) {
    case FX_BASIS_MONTH:
        return fx_date_from_ymd(y, m, 1);
    case FX_BASIS_QUARTER:
        return fx_date_from_ymd(y, (m - 1) / 3 * 3 + 1, 1);
    case FX_BASIS_YEAR:
        return fx_date_from_ymd(y, 1, 1);
    case FX_BASIS_SPOT:
    case FX_BASIS_COUNT:
        break;
    }
    return day;
}

void fx_basis_period_name(fx_basis b, fx_day day, char out[FX_BASIS_PERIOD_MAX])
{
    int y, m, d;
    fx_date_to_ymd(day, &y, &m, &d);
    unsigned uy = y < 0 ? 0u : y > 9999 ? 9999u : (unsigned)y;
    unsigned um = m < 1 ? 1u : m > 12 ? 12u : (unsigned)m;
    switch (b) {
    case FX_BASIS_MONTH:
        snprintf(out, FX_BASIS_PERIOD_MAX, "%04u-%02u", uy, um);
        return;
    case FX_BASIS_QUARTER:
        snprintf(out, FX_BASIS_PERIOD_MAX, "%04u-Q%u", uy, (um - 1) / 3 + 1);
        return;
    case FX_BASIS_YEAR:
        snprintf(out, FX_BASIS_PERIOD_MAX, "%04u", uy);
        return;
    case FX_BASIS_SPOT:
    case FX_BASIS_COUNT:
        break;
    }
    fx_date_format(day, out);
}
