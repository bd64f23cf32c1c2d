/* convert - a fact's exact amount in each target: amount * rate, where
 * the rate is the pricing of its valuation day (spot) or the exact mean
 * of the daily pricings of its calendar period up to that day (an average
 * basis, SPEC 3), rounded once. Non-money passes through. */
#include "convert.h"

#include <stdio.h>
#include <string.h>

void fx_converted_init(fx_converted *c)
{
    memset(c, 0, sizeof *c);
    fx_dec_init(&c->amount);
    for (size_t i = 0; i < FX_MAX_TARGETS; i++) {
        fx_ratio_init(&c->conv[i].rate);
        fx_ratio_init(&c->conv[i].exact);
        fx_dec_init(&c->conv[i].rounded);
    }
}

void fx_converted_clear(fx_converted *c)
{
    fx_dec_clear(&c->amount);
    for (size_t i = 0; i < FX_MAX_TARGETS; i++) {
        fx_ratio_clear(&c->conv[i].rate);
        fx_ratio_clear(&c->conv[i].exact);
        fx_dec_clear(&c->conv[i].rounded);
    }
}

void fx_figure_amount(fx_dec *out, const fx_figure *fig)
{
    fx_dec_set(out, &fig->value);
    fx_dec_shift(out, fig->scale);
}

const char *fx_convert_provider(const fx_priced *p)
{
    return p->leg[0] && p->leg[0]->origin ? p->leg[0]->origin->provider : NULL;
}

void fx_convert_each_avg_day(const fx_rate_table *t, const char *provider, fx_ccy from, fx_ccy to,
                             fx_day lo, fx_day hi, void (*fn)(void *ctx, const fx_priced *p),
                             void *ctx)
{
    /* one provider's days only: an average never mixes providers */
    fx_rates_each_day_of(t, provider, from, to, lo, hi, fn, ctx);
}

/* The running sum of an average. */
typedef struct {
    fx_ratio sum, day;
    uint32_t n;
    fx_day first;
    fx_priced last;
} avg_sum;

static void avg_add(void *ctx, const fx_priced *p)
{
    avg_sum *s = ctx;
    fx_ratio_set_quot(&s->day, p->num, p->den);
    fx_ratio_add(&s->sum, &s->sum, &s->day);
    if (s->n++ == 0)
        s->first = p->day;
    s->last = *p;
}

/* Where the basis of an average was asked for: the fact's basis field,
 * else the date it is valued at (SPEC 1: --date has no position). */
static fx_pos avg_at(const fx_fact *f, const fx_convert_opts *o)
{
    if (f->has_basis)
        return f->basis_at;
    if (o->has_date)
        return f->at;
    return f->has_as_of ? f->as_of_at : f->published_at;
}

/* No published day in [start, day]: why, in the words of the lookup that
 * found none ("no CNY rate in 2004-Q4 up to 2004-12-31: the CNY series
 * starts on 2005-04-01"). */
static void no_day(const fx_rate_table *t, const fx_lookup_opts *o, fx_ccy from, fx_ccy to,
                   fx_day day, const char *period, fx_lookup_err e, const char *lwhy, char *why,
                   size_t whylen)
{
    char d[11], r[11];
    fx_date_format(day, d);
    if (e == FX_LOOKUP_STALE) {
        fx_lookup_opts any = *o; /* the same providers, any age */
        any.fallback = FX_FALLBACK_PREVIOUS;
        any.max_stale = -1;
        fx_priced p;
        if (fx_rates_lookup(t, from, to, day, &any, &p, NULL, 0) == FX_LOOKUP_OK) {
            fx_date_format(p.day, r);
            snprintf(why, whylen, "no rate to price %s in %s in %s up to %s: the latest is from %s",
                     from.s, to.s, period, d, r);
            return;
        }
    }
    /* "no CNY rate on or before D: ..." -> "no CNY rate in P up to D: ..." */
    char on[32];
    snprintf(on, sizeof on, " on or before %s", d);
    const char *at = strstr(lwhy, on);
    if (strncmp(lwhy, "no ", 3) == 0 && at)
        snprintf(why, whylen, "%.*s in %s up to %s%s", (int)(at - lwhy), lwhy, period, d,
                 at + strlen(on));
    else
        snprintf(why, whylen, "no rate to price %s in %s in %s up to %s: %s", from.s, to.s, period,
                 d, lwhy);
}

/* v at the mean of from -> to over the period of `basis` that holds day,
 * up to day. */
static fx_status average(fx_conv *v, const fx_fact *f, const fx_rate_table *t, fx_day day,
                         fx_basis basis, const fx_convert_opts *o, fx_diags *d)
{
    fx_ccy from = f->fig.ccy, to = v->target;
    fx_day start = fx_basis_period_start(basis, day);
    char lwhy[FX_DEC_STR_MAX];
    /* the provider: the one whose rate the spot lookup takes, any day of
     * the period accepted */
    fx_lookup_opts in_period = o->lookup; /* --provider's order, any day of the period */
    in_period.fallback = FX_FALLBACK_PREVIOUS;
    in_period.max_stale = (long)day - (long)start;
    fx_priced spot;
    fx_lookup_err e = fx_rates_lookup(t, from, to, day, &in_period, &spot, lwhy, sizeof lwhy);
    if (e == FX_LOOKUP_OK && fx_ccy_eq(from, to)) {
        v->priced = spot;
        v->first = day;
        v->ndays = 0;
        fx_ratio_set_quot(&v->rate, spot.num, spot.den);
        return FX_OK;
    }
    avg_sum s = {.n = 0};
    if (e == FX_LOOKUP_OK) {
        fx_ratio_init(&s.sum);
        fx_ratio_init(&s.day);
        fx_convert_each_avg_day(t, fx_convert_provider(&spot), from, to, start, day, avg_add, &s);
        if (s.n) {
            fx_ratio_set_quot(&s.day, (fx_small){1, 0}, (fx_small){(int64_t)s.n, 0});
            fx_ratio_mul(&v->rate, &s.sum, &s.day);
            v->priced = s.last;
            v->first = s.first;
            v->ndays = s.n;
        }
        fx_ratio_clear(&s.sum);
        fx_ratio_clear(&s.day);
        if (s.n)
            return FX_OK;
        snprintf(lwhy, sizeof lwhy, "no day of the period could be priced");
    }
    char period[FX_BASIS_PERIOD_MAX], why[FX_DEC_STR_MAX + 128];
    fx_basis_period_name(basis, day, period);
    no_day(t, &o->lookup, from, to, day, period, e, lwhy, why, sizeof why);
    return fx_diag_error(d, avg_at(f, o), "fact \"%.*s\": cannot convert %s to %s at the %s: %s",
                         (int)f->fact_id.len, f->fact_id.s, from.s, to.s, fx_basis_name(basis),
                         why);
}

fx_status fx_convert(fx_converted *c, const fx_fact *f, const fx_rate_table *t,
                     const fx_convert_opts *o, fx_diags *d)
{
    c->fact = f;
    c->valuation = o->has_date ? o->date : f->has_as_of ? f->as_of : f->published;
    fx_figure_amount(&c->amount, &f->fig);
    c->nconv = 0;
    if (f->fig.kind != FX_KIND_MONEY)
        return FX_OK;
    fx_basis basis = f->has_basis ? f->basis : o->basis;
    fx_status st = FX_OK;
    for (size_t i = 0; i < o->ntargets; i++) {
        fx_conv *v = &c->conv[i];
        char why[FX_DEC_STR_MAX];
        v->target = o->targets[i];
        v->basis = (uint8_t)basis;
        if (basis != FX_BASIS_SPOT) {
            fx_status e = average(v, f, t, c->valuation, basis, o, d);
            if (e != FX_OK) {
                st = e;
                continue;
            }
        } else if (fx_rates_lookup(t, f->fig.ccy, v->target, c->valuation, &o->lookup, &v->priced,
                                   why, sizeof why) != FX_LOOKUP_OK) {
            char day[11];
            fx_date_format(c->valuation, day);
            st = fx_diag_error(d, f->at, "fact \"%.*s\": cannot convert %s to %s on %s: %s",
                               (int)f->fact_id.len, f->fact_id.s, f->fig.ccy.s, v->target.s, day,
                               why);
            continue;
        } else {
            v->first = v->priced.day;
            v->ndays = v->priced.leg[0] ? 1 : 0;
            fx_ratio_set_quot(&v->rate, v->priced.num, v->priced.den);
            fx_ratio_set_convert(&v->exact, &c->amount, v->priced.num, v->priced.den);
            fx_ratio_round(&v->rounded, &v->exact, o->places, o->rounding);
            continue;
        }
        fx_ratio_set_dec(&v->exact, &c->amount);
        fx_ratio_mul(&v->exact, &v->exact, &v->rate);
        fx_ratio_round(&v->rounded, &v->exact, o->places, o->rounding);
    }
    if (st == FX_OK)
        c->nconv = o->ntargets;
    return st;
}
