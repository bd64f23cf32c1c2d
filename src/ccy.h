/* ccy - currency codes: ISO 4217 (generated at build time from Debian's
 * iso-codes, never hand-typed) and the alias table (rates/aliases.csv). */
#ifndef FX_CCY_H
#define FX_CCY_H

#include <stdbool.h>
#include <stddef.h>

/* Three upper-case ASCII letters and a NUL. */
typedef struct {
    char s[4];
} fx_ccy;

/* True for a syntactically valid code: exactly three bytes A-Z. */
bool fx_ccy_parse(const char *s, size_t len, fx_ccy *out);
/* True when s is in ISO 4217 (current or historic as iso-codes lists it). */
bool fx_ccy_is_iso(const fx_ccy *c);
bool fx_ccy_eq(fx_ccy a, fx_ccy b);

#endif
