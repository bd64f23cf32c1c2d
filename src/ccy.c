/* ccy - currency codes. ISO 4217 membership is a binary search of the
 * table generated from Debian's iso-codes (sorted with LC_ALL=C, i.e. by
 * byte, which is the order memcmp gives). */
#include "ccy.h"

#include <string.h>

#include "ccy_iso.h"

bool fx_ccy_parse(const char *s, size_t len, fx_ccy *out)
{
    if (!s || len != 3)
        return false;
    for (size_t i = 0; i < 3; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return false;
    memcpy(out->s, s, 3);
    out->s[3] = '\0';
    return true;
}

bool fx_ccy_is_iso(const fx_ccy *c)
{
    size_t lo = 0, hi = fx_iso4217_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = memcmp(fx_iso4217_codes[mid], c->s, 3);
        if (r == 0)
            return true;
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

bool fx_ccy_eq(fx_ccy a, fx_ccy b)
{
    return memcmp(a.s, b.s, 3) == 0;
}
