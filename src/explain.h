/* explain - SPEC 5.1's answer to "how did the source get its number?",
 * over the hypotheses the audit already tests: the loaded rates of the
 * conversion's own pair, spot, a direct base, the nearest reading. The
 * best is the latest matching rate date (a stale one is an assumption);
 * the others are counted. The wider search of 5.1 (average bases, chained
 * bases, truncated readings, every provider) replaces this module's body,
 * not its interface. */
#ifndef FX_EXPLAIN_H
#define FX_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "audit.h"

typedef struct {
    bool found;          /* false: unexplained */
    fx_day day;          /* the best hypothesis's rate date */
    long age;            /* calendar days before the valuation date */
    bool stale;          /* before the provider's latest two rate dates on or before D */
    size_t alternatives; /* other hypotheses that also explain the figure */
    const char *provider;
} fx_explanation;

/* Only for k->present && k->priced; otherwise not found. */
fx_explanation fx_explain(const fx_check *k, fx_day valuation);
/* The bytes fx_explanation_text needs, its NUL included: a provider's
 * name is a curator's text, as long as a cell allows. */
size_t fx_explanation_size(const fx_explanation *e);
/* "ECB 2025-01-22 spot", "ECB 2025-01-22 spot, 2 days before", or
 * "unexplained"; returns buf (n: fx_explanation_size, or it is cut). */
const char *fx_explanation_text(const fx_explanation *e, char *buf, size_t n);
/* The number of assumptions the best hypothesis makes. */
int fx_explanation_assumptions(const fx_explanation *e);

#endif
