/* rates_alias - aliases files (SPEC 3): `alias,code`, what curators type
 * in a unit column -> an ISO code. Checked across files by finish. */
#include <string.h>

#include "rates_int.h"
#include "xltext.h"

static bool claims(const fx_cell *c, size_t n)
{
    return n == 2 && fx_rates_cell_is(&c[0], "alias") && fx_rates_cell_is(&c[1], "code");
}

static fx_status header(fx_rates_loader *L, const fx_cell *c, size_t n)
{
    (void)c;
    (void)n;
    L->ncols = 2;
    L->t->has_aliases = true;
    return FX_OK;
}

static void row(fx_rates_loader *L, const fx_cell *c, size_t n)
{
    (void)n;
    fx_ccy code;
    bool ok = true;
    size_t stored = fx_xltext_len(c[0].text, c[0].len);
    if (c[0].len == 0) {
        fx_diag_error(L->d, c[0].at, "alias: empty");
        ok = false;
    } else if (fx_rates_is_unit_word(c[0].text, c[0].len)) {
        /* a fact's unit "percent" is the unit: such an alias would never apply */
        fx_diag_error(L->d, c[0].at,
                      "alias \"%s\" is a unit word (count, percent, days, months, years), "
                      "which a fact's unit always means as such; an alias cannot rename it",
                      fx_diag_show(c[0].text, c[0].len));
        ok = false;
    } else if (stored > FX_XLTEXT_MAX) { /* a fact's unit is written as typed */
        fx_diag_error(L->d, c[0].at,
                      "alias: %zu characters as a workbook stores them; a cell holds at most %d",
                      stored, FX_XLTEXT_MAX);
        ok = false;
    }
    ok &= fx_rates_parse_code(L, &c[1], "code", &code);
    if (!ok) {
        L->st = FX_E_DATA;
        return;
    }
    fx_rates_add_alias(L->t, c[0].text, c[0].len, code, c[0].at);
}

const fx_rates_reader fx_rates_alias = {claims, header, row, NULL, false};
