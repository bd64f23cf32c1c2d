/* explain - the best direct spot hypothesis among the audit's matching
 * rate dates (explain.h). Invariant: decided on the exact matches the
 * audit made; nothing here compares numbers. */
#include "explain.h"

#include <stdio.h>
#include <string.h>

#include "date.h"

/* The provider of the conversion's rate ("" for a currency in itself). */
static const char *provider_of(const fx_check *k)
{
    return k->rate.leg[0] ? k->rate.leg[0]->origin->provider : "";
}

fx_explanation fx_explain(const fx_check *k, fx_day valuation)
{
    fx_explanation e = {0};
    e.provider = "";
    if (!k->present || !k->priced || k->ndays == 0)
        return e;
    /* Fewest assumptions first, then the latest rate date: the latest
     * matching day is either not stale (no assumption) or, if it is,
     * every matching day is. */
    e.found = true;
    e.day = k->days[k->ndays - 1];
    e.age = (long)valuation - (long)e.day;
    e.stale = k->last_pub[1] != FX_DAY_NONE && e.day < k->last_pub[1];
    e.alternatives = k->ndays - 1;
    e.provider = provider_of(k);
    return e;
}

size_t fx_explanation_size(const fx_explanation *e)
{
    return strlen(e->provider ? e->provider : "") + 64; /* " YYYY-MM-DD spot, N days before" */
}

int fx_explanation_assumptions(const fx_explanation *e)
{
    return e->found && e->stale ? 1 : 0;
}

const char *fx_explanation_text(const fx_explanation *e, char *buf, size_t n)
{
    if (!e->found) {
        snprintf(buf, n, "unexplained");
        return buf;
    }
    char day[11];
    fx_date_format(e->day, day);
    const char *sep = *e->provider ? " " : ""; /* a currency in itself has no provider */
    if (e->stale)
        snprintf(buf, n, "%s%s%s spot, %ld day%s before", e->provider, sep, day, e->age,
                 e->age == 1 ? "" : "s");
    else
        snprintf(buf, n, "%s%s%s spot", e->provider, sep, day);
    return buf;
}
