/* explain - SPEC 5.1: how did the source get its number? For one audited
 * conversion, every hypothesis (provider x rate date x basis x base
 * figure x reading) that reproduces the printed figure is counted and
 * the best is named (docs/explanations.md has the rules where the SPEC
 * is silent). Decided on exact rationals: doubles only settle the clear
 * cases far from an interval's edge. The chained base figures come from
 * the caller (explain_run.h gathers them per claim). */
#ifndef FX_EXPLAIN_H
#define FX_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "convert.h"
#include "facts.h"
#include "rates.h"

/* A figure of the same claim printed in a third currency. */
typedef struct {
    fx_ccy ccy;
    const fx_dec *amount; /* value x 10^scale, exact */
    const char *fact_id;  /* the fact it is named after (docs/explanations.md) */
    bool reported;        /* that fact's reported_value, not its value */
    const char *shown;    /* "5.5 billion": the value as printed and its scale word */
    const char *source;
} fx_base;

typedef struct {
    fx_day valuation;
    fx_ccy from, to;            /* the fact's unit and the reported unit */
    const fx_dec *amount;       /* the fact's amount: the direct base */
    const fx_figure *reported;  /* read nearest or truncated; its qualifier plays no part */
    const fx_base *chained;     /* distinct (ccy, amount), neither from nor to */
    size_t nchained;
} fx_explain_in;

typedef struct {
    bool found;          /* false: unexplained */
    const char *provider; /* "" for a currency in itself */
    fx_day day;          /* R */
    long age;            /* D - R, calendar days */
    bool stale;          /* R before the provider's latest two rate dates on or before D */
    bool average;        /* month-average of R's month, to R */
    bool truncated;      /* the printed figure read as cut, not rounded */
    const fx_base *via;  /* a chained base (into the input's array), or NULL */
    size_t alternatives; /* other hypotheses that also explain the figure */
} fx_explanation;

typedef struct fx_explainer fx_explainer;

/* order: the --provider order that ranks providers (NULL/0: the default,
 * ECB when loaded); every other loaded provider ranks after it, by name.
 * window: --infer-window. t is borrowed and must outlive x. */
fx_explainer *fx_explainer_new(const fx_rate_table *t, const fx_lookup_opts *order, long window);
void fx_explainer_free(fx_explainer *x);
/* The search: *out is the best hypothesis and the count of the others. */
void fx_explain(fx_explainer *x, const fx_explain_in *in, fx_explanation *out);
/* Providers in ranking order (for the implied rate ranges' listing). */
size_t fx_explainer_providers(const fx_explainer *x);
const char *fx_explainer_provider(const fx_explainer *x, size_t i);

/* The number of assumptions the best hypothesis makes (chained, stale,
 * average, truncated). */
int fx_explanation_assumptions(const fx_explanation *e);
/* The bytes fx_explanation_text needs, its NUL included. */
size_t fx_explanation_size(const fx_explanation *e);
/* "ECB 2025-01-22 spot", "ECB 2025-01-22 spot, via USD 5.5 billion (mbw)",
 * "FED-H10 2025-01-23 month-average, truncated, 2 days before", or
 * "unexplained"; returns buf (n: fx_explanation_size, or it is cut). */
const char *fx_explanation_text(const fx_explanation *e, char *buf, size_t n);

#endif
