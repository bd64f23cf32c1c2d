/* sheet_facts - the Facts sheet: one row per fact as facts stream in,
 * continuing on "Facts (2)", ... past Excel's row limit. Invariant: rows
 * are written strictly in order and nothing per fact is kept. */
#include "book_int.h"

#include <stdio.h>
#include <string.h>

#include "facts.h"

enum {
    F_ID, F_ENTITY, F_CLAIM, F_SOURCE, F_PUBLISHED, F_AS_OF, F_VALUATION, F_VALUE, F_SCALE,
    F_UNIT, F_CODE, F_QUAL, F_AMOUNT, F_TARGETS
};
static const fx_col_spec facts_lead[F_TARGETS] = {
    {"fact_id", 14}, {"entity", 14}, {"claim", 30}, {"source", 18}, {"published", 11},
    {"as_of", 11}, {"valuation_date", 14}, {"value", 10}, {"scale", 9}, {"unit", 7},
    {"unit_code", 9}, {"qualifier", 9}, {"amount", 20},
};
/* after the targets */
enum { F_REP_VALUE, F_REP_SCALE, F_REP_UNIT, F_VERDICT, F_QUOTE, F_NOTE, F_VALUE_X, F_AMOUNT_X,
       F_REP_VALUE_X, F_TAIL };
static const fx_col_spec facts_tail[F_TAIL] = {
    {"reported_value", 14}, {"reported_scale", 14}, {"reported_unit", 13}, {"verdict", 13},
    {"quote", 60},          {"note", 40},           {"value_exact", 24},   {"amount_exact", 24},
    {"reported_value_exact", 24},
};

static lxw_col_t tcol(const fx_book *b, size_t target, int k) /* k: 0 rounded, 1 formula, 2 date */
{
    (void)b;
    return (lxw_col_t)(F_TARGETS + 3 * target + (size_t)k);
}
static lxw_col_t tail(const fx_book *b, int k)
{
    return (lxw_col_t)(F_TARGETS + 3 * b->ntargets + (size_t)k);
}
static lxw_col_t texact(const fx_book *b, size_t target)
{
    return (lxw_col_t)(F_TARGETS + 3 * b->ntargets + F_TAIL + target);
}

static void facts_columns(fx_book *b)
{
    size_t n = F_TARGETS + 4 * b->ntargets + F_TAIL;
    fx_col_spec *c = fx_xcalloc(n, sizeof *c);
    memcpy(c, facts_lead, sizeof facts_lead);
    for (size_t i = 0; i < b->ntargets; i++) {
        const char *t = b->info->conv->targets[i].s;
        char name[48];
        snprintf(name, sizeof name, "amount_%s", t);
        c[tcol(b, i, 0)] = (fx_col_spec){fx_arena_strndup(b->strings, name, strlen(name)), 20};
        snprintf(name, sizeof name, "amount_%s_unrounded", t);
        c[tcol(b, i, 1)] = (fx_col_spec){fx_arena_strndup(b->strings, name, strlen(name)), 24};
        snprintf(name, sizeof name, "rate_date_%s", t);
        c[tcol(b, i, 2)] = (fx_col_spec){fx_arena_strndup(b->strings, name, strlen(name)), 14};
        snprintf(name, sizeof name, "amount_%s_exact", t);
        c[texact(b, i)] = (fx_col_spec){fx_arena_strndup(b->strings, name, strlen(name)), 24};
    }
    for (int k = 0; k < F_TAIL; k++)
        c[tail(b, k)] = facts_tail[k];
    b->facts_cols = c;
    fx_sheet_init(&b->facts, "Facts", c, n, tail(b, F_VERDICT), 1);
}

static void put_fx_text(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, fx_text t)
{
    fx_sheet_put_text(b, ws, r, c, t.s, t.len, NULL);
}

void fx_sheet_facts_row(fx_book *b, const fx_converted *c, const fx_check *k)
{
    const fx_fact *f = c->fact;
    lxw_row_t r;
    if (!fx_sheet_next_row(b, &b->facts, &r))
        return;
    lxw_worksheet *ws = b->facts.ws;
    put_fx_text(b, ws, r, F_ID, f->fact_id);
    put_fx_text(b, ws, r, F_ENTITY, f->entity);
    put_fx_text(b, ws, r, F_CLAIM, f->claim);
    put_fx_text(b, ws, r, F_SOURCE, f->source);
    fx_sheet_put_day(b, ws, r, F_PUBLISHED, f->published);
    if (f->has_as_of)
        fx_sheet_put_day(b, ws, r, F_AS_OF, f->as_of);
    fx_sheet_put_day(b, ws, r, F_VALUATION, c->valuation);
    fx_sheet_put_dec(b, ws, r, F_VALUE, &f->fig.value, NULL);
    fx_sheet_put_str(b, ws, r, F_SCALE, fx_scale_name(f->fig.scale), NULL);
    put_fx_text(b, ws, r, F_UNIT, f->fig.unit);
    fx_sheet_put_str(b, ws, r, F_CODE,
                     f->fig.kind == FX_KIND_MONEY ? f->fig.ccy.s : fx_kind_name(f->fig.kind), NULL);
    fx_sheet_put_str(b, ws, r, F_QUAL, fx_qual_name(f->qual), NULL);
    fx_sheet_put_dec(b, ws, r, F_AMOUNT, &c->amount, NULL);
    for (size_t i = 0; i < c->nconv && i < b->ntargets; i++) {
        const fx_conv *v = &c->conv[i];
        char formula[256];
        fx_sheet_put_dec(b, ws, r, tcol(b, i, 0), &v->rounded, b->f_money);
        if (fx_sheet_rate_formula(b, &v->priced, r, F_AMOUNT, formula, sizeof formula, NULL, NULL))
            fx_sheet_put_formula(b, ws, r, tcol(b, i, 1), formula, fx_ratio_to_double(&v->exact),
                                 b->f_unrounded);
        fx_sheet_put_day(b, ws, r, tcol(b, i, 2), v->priced.day);
        fx_sheet_put_exact(b, ws, r, texact(b, i), &v->rounded);
    }
    if (f->has_reported) {
        fx_sheet_put_dec(b, ws, r, tail(b, F_REP_VALUE), &f->reported.value, NULL);
        fx_sheet_put_str(b, ws, r, tail(b, F_REP_SCALE), fx_scale_name(f->reported.scale), NULL);
        put_fx_text(b, ws, r, tail(b, F_REP_UNIT), f->reported.unit);
        fx_sheet_put_exact(b, ws, r, tail(b, F_REP_VALUE_X), &f->reported.value);
    }
    if (k && k->present)
        fx_sheet_put_str(b, ws, r, tail(b, F_VERDICT), fx_verdict_name(k->verdict), NULL);
    put_fx_text(b, ws, r, tail(b, F_QUOTE), f->quote);
    put_fx_text(b, ws, r, tail(b, F_NOTE), f->note);
    fx_sheet_put_exact(b, ws, r, tail(b, F_VALUE_X), &f->fig.value);
    fx_sheet_put_exact(b, ws, r, tail(b, F_AMOUNT_X), &c->amount);
}

void fx_sheet_facts_open(fx_book *b)
{
    facts_columns(b);
    if (b->st == FX_OK)
        fx_sheet_start(b, &b->facts);
}

void fx_sheet_facts_close(fx_book *b)
{
    fx_sheet_end(b, &b->facts);
}
