/* convert - a fact's exact amount in each target: amount * num / den from
 * the rate of its valuation day, rounded once. Non-money passes through. */
#include "convert.h"

#include <string.h>

void fx_converted_init(fx_converted *c)
{
    memset(c, 0, sizeof *c);
    fx_dec_init(&c->amount);
    for (size_t i = 0; i < FX_MAX_TARGETS; i++) {
        fx_ratio_init(&c->conv[i].exact);
        fx_dec_init(&c->conv[i].rounded);
    }
}

void fx_converted_clear(fx_converted *c)
{
    fx_dec_clear(&c->amount);
    for (size_t i = 0; i < FX_MAX_TARGETS; i++) {
        fx_ratio_clear(&c->conv[i].exact);
        fx_dec_clear(&c->conv[i].rounded);
    }
}

void fx_figure_amount(fx_dec *out, const fx_figure *fig)
{
    fx_dec_set(out, &fig->value);
    fx_dec_shift(out, fig->scale);
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
    fx_status st = FX_OK;
    for (size_t i = 0; i < o->ntargets; i++) {
        fx_conv *v = &c->conv[i];
        char why[FX_DEC_STR_MAX];
        v->target = o->targets[i];
        if (fx_rates_lookup(t, f->fig.ccy, v->target, c->valuation, &o->lookup, &v->priced, why,
                            sizeof why) != FX_LOOKUP_OK) {
            char day[11];
            fx_date_format(c->valuation, day);
            st = fx_diag_error(d, f->at, "fact \"%.*s\": cannot convert %s to %s on %s: %s",
                               (int)f->fact_id.len, f->fact_id.s, f->fig.ccy.s, v->target.s, day,
                               why);
            continue;
        }
        fx_ratio_set_convert(&v->exact, &c->amount, v->priced.num, v->priced.den);
        fx_ratio_round(&v->rounded, &v->exact, o->places, o->rounding);
    }
    if (st == FX_OK)
        c->nconv = o->ntargets;
    return st;
}
