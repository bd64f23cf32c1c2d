/* sheet_comparison - the Comparison sheet: a row per claim in the audit's
 * order (disagree first, then by spread, then claim id), its verdict and
 * spread beside the claim id, min and max, the sources outside the range
 * most sources share, then each source's figure (its first fact, with its
 * qualifier) and interval. Invariant: written from the audit's claim
 * rows; at most XL_COLS columns (further sources are counted, not shown). */
#include "book_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { K_CLAIM, K_VERDICT, K_SPREAD, K_KIND, K_UNIT, K_FACTS, K_SOURCES, K_MIN, K_MAX, K_OUTSIDE,
       K_ENTITY, K_N };
static const fx_col_spec lead[K_N] = {
    {"claim", 12, false},   {"verdict", 0, false}, {"spread", 0, true},  {"kind", 0, false},
    {"unit", 0, false},     {"facts", 0, true},    {"sources", 0, true}, {"min", 0, true},
    {"max", 0, true},       {"outside the shared range", 0, false},     {"entity", 12, false},
};
enum { SLOT_SOURCE, SLOT_VALUE, SLOT_INTERVAL, SLOT_N };
#define SLOTS_MAX ((XL_COLS - K_N - 1) / SLOT_N)

/* The number format of a normalized value: money in bn or m where that is
 * its size, a percent with its sign, a qualifier in front ("\u2265 "). */
static lxw_format *value_format(fx_book *b, fx_kind kind, double v, int places, fx_qual q)
{
    static const char *const prefix[] = {"", "\"~ \"", "\"\u2265 \"", "\"\u2264 \""};
    char num[96], body[32] = "#,##0";
    const char *suffix = "";
    double m = fabs(v);
    if (kind == FX_KIND_MONEY && m >= 1e9) {
        snprintf(body, sizeof body, "#,##0.000,,,");
        suffix = "\" bn\"";
    } else if (kind == FX_KIND_MONEY && m >= 1e6) {
        snprintf(body, sizeof body, "#,##0.000,,");
        suffix = "\" m\"";
    } else {
        int p = places < 0 ? 0 : places > 6 ? 6 : places;
        if (p > 0) {
            size_t n = strlen(body);
            body[n++] = '.';
            for (int i = 0; i < p; i++)
                body[n++] = '0';
            body[n] = '\0';
        }
        if (kind == FX_KIND_PERCENT)
            suffix = "\"%\"";
    }
    snprintf(num, sizeof num, "%s%s%s", (unsigned)q < 4 ? prefix[q] : "", body, suffix);
    return fx_sheet_format(b, num);
}

/* The fewest decimals (at most 6) that show v as it is. */
static int places_needed(double v)
{
    double x = fabs(v);
    for (int p = 0; p < 6; p++, x *= 10)
        if (x == floor(x))
            return p;
    return 6;
}

static void bound_words(const fx_claim *cl, double v, char *buf, size_t n)
{
    char num[64];
    fx_findings_human(v, 6, num, sizeof num);
    snprintf(buf, n, "%.60s%s", num, cl->kind == FX_KIND_PERCENT ? "%" : "");
}

/* "[5.45 bn, 5.55 bn]", "[20.594 bn, \u221e)"; with "; +2 more: a, b" when
 * the source has more facts on the claim. */
static void interval_text(fx_book *b, const fx_claim *cl, const fx_claim_source *cs)
{
    char lo[64] = "-\u221e", hi[64] = "\u221e";
    if (cs->span.has_lo)
        bound_words(cl, cs->span.lo, lo, sizeof lo);
    if (cs->span.has_hi)
        bound_words(cl, cs->span.hi, hi, sizeof hi);
    size_t n = 160;
    for (size_t i = 1; i < cs->nids; i++)
        n += strlen(cs->ids[i]) + 2;
    char *t = fx_sheet_grow(&b->sbuf, &b->scap, n);
    int k = snprintf(t, n, "%s%s, %s%s", cs->span.has_lo ? "[" : "(", lo, hi,
                     cs->span.has_hi ? "]" : ")");
    size_t more = cs->nids + cs->more - 1;
    if (more > 0 && k > 0) {
        k += snprintf(t + k, n - (size_t)k, "; +%zu more (Facts):", more);
        for (size_t i = 1; i < cs->nids; i++)
            k += snprintf(t + k, n - (size_t)k, "%s %s", i > 1 ? "," : "", cs->ids[i]);
        if (cs->more)
            snprintf(t + k, n - (size_t)k, ", ...");
    }
}

static int dcmp(const void *pa, const void *pb)
{
    double x = *(const double *)pa, y = *(const double *)pb;
    return x < y ? -1 : x > y;
}

/* The point most sources' intervals hold; the sources whose interval does
 * not hold it are named ("twn"), at most 8 then "and N more". */
static void outside(fx_book *b, const fx_claim *cl, lxw_worksheet *ws, lxw_row_t r)
{
    size_t n = cl->nsources;
    if (n < 3 || cl->verdict != FX_C_DISAGREE)
        return; /* with two, neither is "outside" the other */
    double *lo = fx_xcalloc(n, sizeof *lo), *hi = fx_xcalloc(n, sizeof *hi);
    for (size_t i = 0; i < n; i++) {
        const fx_span *s = &cl->by_source[i].span;
        lo[i] = s->has_lo ? s->lo : -INFINITY;
        hi[i] = s->has_hi ? s->hi : INFINITY;
    }
    qsort(lo, n, sizeof *lo, dcmp);
    qsort(hi, n, sizeof *hi, dcmp);
    size_t best = 0, j = 0;
    double at = lo[0];
    for (size_t i = 0; i < n; i++) { /* candidates: each start; ends before it drop out */
        while (j < n && hi[j] < lo[i])
            j++;
        if (i + 1 - j > best) {
            best = i + 1 - j;
            at = lo[i];
        }
    }
    free(lo);
    free(hi);
    char *t = fx_sheet_grow(&b->sbuf, &b->scap, 1024);
    size_t k = 0, named = 0, left = n - best;
    t[0] = '\0';
    for (size_t i = 0; i < n && k < 900; i++) {
        const fx_claim_source *cs = &cl->by_source[i];
        bool in = (!cs->span.has_lo || cs->span.lo <= at) && (!cs->span.has_hi || at <= cs->span.hi);
        if (in)
            continue;
        if (named == 8) {
            snprintf(t + k, 1024 - k, " and %zu more", left - named);
            break;
        }
        k += (size_t)snprintf(t + k, 1024 - k, "%s%.60s", named ? ", " : "",
                              fx_audit_source(b->audit, cs->source)->source);
        named++;
    }
    fx_sheet_put_str(b, ws, r, K_OUTSIDE, t, NULL);
}

void fx_sheet_comparison_write(fx_book *b, fx_audit *a)
{
    size_t widest = 0;
    if (!fx_sheet_claims_rewind(b, a))
        return;
    const fx_claim *cl;
    while ((cl = fx_audit_next(a)))
        widest = cl->nsources > widest ? cl->nsources : widest;
    fx_sheet_claims_done(b, a);
    size_t slots = widest < SLOTS_MAX ? widest : SLOTS_MAX;
    size_t ncols = K_N + SLOT_N * slots + (widest > slots);
    fx_col_spec *cols = fx_xcalloc(ncols, sizeof *cols);
    memcpy(cols, lead, sizeof lead);
    for (size_t i = 0; i < slots; i++) {
        char name[48];
        snprintf(name, sizeof name, "source %zu", i + 1);
        cols[K_N + SLOT_N * i + SLOT_SOURCE] =
            (fx_col_spec){fx_arena_strndup(b->strings, name, strlen(name)), 0, false};
        snprintf(name, sizeof name, "figure %zu", i + 1);
        cols[K_N + SLOT_N * i + SLOT_VALUE] =
            (fx_col_spec){fx_arena_strndup(b->strings, name, strlen(name)), 0, true};
        snprintf(name, sizeof name, "interval %zu", i + 1);
        cols[K_N + SLOT_N * i + SLOT_INTERVAL] =
            (fx_col_spec){fx_arena_strndup(b->strings, name, strlen(name)), 0, false};
    }
    if (widest > slots)
        cols[ncols - 1] = (fx_col_spec){"more sources", 0, false};
    fx_sheet s;
    fx_sheet_init(&s, "Comparison", cols, ncols, K_VERDICT, 1);
    if (!fx_sheet_start(b, &s) || !fx_sheet_claims_rewind(b, a)) {
        free(cols);
        return;
    }
    lxw_row_t r;
    while (b->st == FX_OK && (cl = fx_audit_next(a)) && fx_sheet_next_row(b, &s, &r)) {
        lxw_worksheet *ws = s.ws;
        fx_sheet_put_str(b, ws, r, K_CLAIM, cl->claim, NULL);
        fx_sheet_put_str(b, ws, r, K_VERDICT, fx_claim_verdict_name(cl->verdict), NULL);
        double sp;
        if (cl->facts > 1 && fx_sheet_spread_pct(b, cl, &sp)) /* one fact: no spread to show */
            fx_sheet_put_num(b, ws, r, K_SPREAD, sp, b->f_pct);
        fx_sheet_put_str(b, ws, r, K_KIND, fx_kind_name(cl->kind), NULL);
        fx_sheet_put_str(b, ws, r, K_UNIT,
                         cl->kind == FX_KIND_MONEY ? cl->unit_ccy.s : fx_kind_name(cl->kind), NULL);
        fx_sheet_put_num(b, ws, r, K_FACTS, (double)cl->facts, b->f_int);
        fx_sheet_put_num(b, ws, r, K_SOURCES, (double)cl->nsources, b->f_int);
        double mn = fx_ratio_to_double(&cl->min), mx = fx_ratio_to_double(&cl->max);
        fx_sheet_put_num(b, ws, r, K_MIN, mn,
                         value_format(b, cl->kind, mn, places_needed(mn), FX_QUAL_NONE));
        fx_sheet_put_num(b, ws, r, K_MAX, mx,
                         value_format(b, cl->kind, mx, places_needed(mx), FX_QUAL_NONE));
        outside(b, cl, ws, r);
        fx_sheet_put_str(b, ws, r, K_ENTITY, cl->entity ? cl->entity : "", NULL);
        for (size_t j = 0; j < cl->nsources && j < slots; j++) {
            const fx_claim_source *cs = &cl->by_source[j];
            lxw_col_t c = (lxw_col_t)(K_N + SLOT_N * j);
            fx_sheet_put_str(b, ws, r, c + SLOT_SOURCE, fx_audit_source(a, cs->source)->source,
                             NULL);
            fx_sheet_put_num(b, ws, r, c + SLOT_VALUE, cs->first,
                             value_format(b, cl->kind, cs->first, cs->first_places, cs->qual));
            interval_text(b, cl, cs);
            fx_sheet_put_str(b, ws, r, c + SLOT_INTERVAL, b->sbuf, NULL);
        }
        if (cl->nsources > slots) {
            char more[64];
            snprintf(more, sizeof more, "%zu more (Facts)", cl->nsources - slots);
            fx_sheet_put_str(b, ws, r, (lxw_col_t)(ncols - 1), more, NULL);
        }
    }
    fx_sheet_claims_done(b, a);
    fx_sheet_end(b, &s);
    free(cols);
}
