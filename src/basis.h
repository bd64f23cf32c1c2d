/* basis - the rate bases of SPEC 3 (spot, month-, quarter-, year-average)
 * and their calendar periods: which period holds a day, where it starts,
 * what it is called ("2025-01", "2025-Q1", "2025"). Pure day arithmetic. */
#ifndef FX_BASIS_H
#define FX_BASIS_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"

typedef enum {
    FX_BASIS_SPOT,
    FX_BASIS_MONTH,   /* month-average */
    FX_BASIS_QUARTER, /* quarter-average */
    FX_BASIS_YEAR,    /* year-average */
    FX_BASIS_COUNT
} fx_basis;

/* "spot", "month-average", "quarter-average", "year-average". */
const char *fx_basis_name(fx_basis b);
/* The words above, exactly (case-sensitive, no trimming). */
bool fx_basis_parse(const char *s, size_t len, fx_basis *out);
/* The first day of the calendar period of basis b that holds day (a
 * month, a quarter from January, April, July or October, a year); spot:
 * day itself. */
fx_day fx_basis_period_start(fx_basis b, fx_day day);
/* The period's name: "2025-01", "2025-Q1", "2025"; spot: the day
 * "2025-01-22". out holds FX_BASIS_PERIOD_MAX bytes. */
#define FX_BASIS_PERIOD_MAX 11
void fx_basis_period_name(fx_basis b, fx_day day, char out[FX_BASIS_PERIOD_MAX]);

#endif
