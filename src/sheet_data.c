/* sheet_data - what more than one sheet reads: the Rates slots that Facts
 * and Conversions formulas cite, the spilled Conversions rows (Conversions,
 * Summary), the audit's claim rows and their values (Comparison, Summary).
 * Invariant: a rate's slot is assigned at first use and never changes, so
 * a formula can cite a Rates cell before the Rates sheet exists. */
#include "book_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Appends r (NULL: an empty row) to the Rates slots; its slot. */
static size_t slot_push(fx_book *b, const fx_rate *r)
{
    if (b->nused == b->capused) {
        b->capused *= 2;
        b->used = fx_xrealloc(b->used, b->capused * sizeof *b->used); /* NOLINT(bugprone-sizeof-expression): an array of pointers */
    }
    b->used[b->nused] = r;
    return b->nused++;
}

/* The Rates slot of r, assigned at first use. */
static size_t rate_use(fx_book *b, const fx_rate *r)
{
    if (r->id >= b->nrates) {
        fx_sheet_fail(b, FX_E_INTERNAL, "rates", "rate id out of range");
        return 0;
    }
    if (!b->rate_slot[r->id])
        b->rate_slot[r->id] = (uint32_t)slot_push(b, r) + 1;
    return b->rate_slot[r->id] - 1;
}

/* Appends to f the reference of a Rates slot's rate cell. */
void fx_sheet_rate_ref(const fx_book *b, size_t slot, char *f, size_t n)
{
    size_t per = b->max_rows - 1;
    size_t part = slot / per + 1;
    unsigned long row = (unsigned long)(slot % per) + 2; /* 1-based, after the header */
    size_t k = strlen(f);
    if (part == 1)
        snprintf(f + k, n - k, "Rates!$D$%lu", row);
    else
        snprintf(f + k, n - k, "'Rates (%zu)'!$D$%lu", part, row);
}

/* "=M5*Rates!$D$7/Rates!$D$9": the amount cell times each leg, an inverted
 * leg divided. Checks that the legs give the rate used (num/den). */
bool fx_sheet_rate_formula(fx_book *b, const fx_priced *p, lxw_row_t row, lxw_col_t amount_col,
                           char *f, size_t n, uint32_t legs[2], uint8_t inv[2])
{
    char cell[32];
    lxw_rowcol_to_cell(cell, row, amount_col);
    snprintf(f, n, "=%s", cell);
    fx_ratio_set_small(&b->r1, (fx_small){1, 0});
    for (int i = 0; i < 2; i++) {
        if (legs)
            legs[i] = 0, inv[i] = 0;
        const fx_rate *leg = p->leg[i];
        if (!leg)
            continue;
        size_t slot = rate_use(b, leg);
        size_t k = strlen(f);
        snprintf(f + k, n - k, "%c", p->inverse[i] ? '/' : '*');
        fx_sheet_rate_ref(b, slot, f, n);
        fx_ratio_set_small(&b->r2, leg->value);
        if (p->inverse[i])
            fx_ratio_div(&b->r1, &b->r1, &b->r2);
        else
            fx_ratio_mul(&b->r1, &b->r1, &b->r2);
        if (legs)
            legs[i] = (uint32_t)slot + 1, inv[i] = p->inverse[i];
    }
    /* r1 must equal num / den, or the formula would not recompute the amount */
    fx_ratio_set_small(&b->r2, p->den);
    fx_ratio_mul(&b->r1, &b->r1, &b->r2);
    fx_ratio_set_small(&b->r2, p->num);
    if (fx_ratio_cmp(&b->r1, &b->r2) != 0)
        return fx_sheet_fail(b, FX_E_INTERNAL, "formula",
                             "the rate legs do not give the rate used");
    return b->st == FX_OK;
}

/* ---- averages ---- */

/* How a day's rate comes from its legs: 0 direct, 1 inverse, 2..5 a
 * cross, 2 + (leg 0 inverted) + 2 (leg 1 inverted). The days of one kind
 * take one term of the formula. */
enum { K_DIRECT, K_INVERSE, K_CROSS, K_KINDS = 6 };

static int day_kind(const fx_priced *p)
{
    if (!p->leg[1])
        return p->inverse[0] ? K_INVERSE : K_DIRECT;
    return K_CROSS + (p->inverse[0] ? 1 : 0) + (p->inverse[1] ? 2 : 0);
}

/* A block of Rates slots: per kind, in kind order, the days' leg 0 rates
 * (count[k] rows) then, for a cross, their leg 1 rates (count[k] rows);
 * within a kind, by day. With one kind, a later average of the same
 * first day and fewer days uses a first part of each. */
typedef struct {
    size_t start;
    uint32_t count[K_KINDS];
    uint32_t n;
} fx_avg_block;

static void avg_collect(void *ctx, const fx_priced *p)
{
    fx_book *b = ctx;
    if (b->navg_days == b->capavg_days) {
        b->capavg_days = b->capavg_days ? 2 * b->capavg_days : 64;
        b->avg_days = fx_xrealloc(b->avg_days, b->capavg_days * sizeof *b->avg_days);
    }
    b->avg_days[b->navg_days++] = *p;
}

/* Appends "Rates!$D$10:$D$26" (or "'Rates (2)'!...") for slots [s, s + k). */
static void range_ref(const fx_book *b, size_t s, size_t k, char *f, size_t n)
{
    size_t per = b->max_rows - 1;
    fx_sheet_rate_ref(b, s, f, n);
    size_t at = strlen(f);
    snprintf(f + at, n - at, ":$D$%lu", (unsigned long)((s + k - 1) % per) + 2);
}

/* Appends "10–26" (or "(2) 5–20") for slots [s, s + k), ", " first when
 * buf is not empty. */
static void range_rows(const fx_book *b, size_t s, size_t k, char *buf, size_t n)
{
    size_t per = b->max_rows - 1, part = s / per + 1, at = strlen(buf);
    unsigned long r0 = (unsigned long)(s % per) + 2, r1 = r0 + (unsigned long)k - 1;
    char p[32] = "";
    if (part > 1)
        snprintf(p, sizeof p, "(%zu) ", part);
    if (k == 1)
        snprintf(buf + at, n - at, "%s%s%lu", at ? ", " : "", p, r0);
    else
        snprintf(buf + at, n - at, "%s%s%lu\u2013%lu", at ? ", " : "", p, r0, r1);
}

/* The block for the days in b->avg_days: found, or allocated (within one
 * Rates sheet). */
static const fx_avg_block *avg_block(fx_book *b, const fx_conv *v, fx_ccy from,
                                     const uint32_t count[K_KINDS])
{
    char key[96];
    const char *prov = fx_convert_provider(&v->priced);
    snprintf(key, sizeof key, "%s %s %ld %s", from.s, v->target.s, (long)v->first,
             prov ? prov : "");
    fx_avg_block *k = g_hash_table_lookup(b->avg_blocks, key);
    if (k && k->n >= v->ndays)
        return k; /* the same days or a first part of them: of each kind, the first */
    size_t total = 0;
    for (int i = 0; i < K_KINDS; i++)
        total += (size_t)count[i] * (i >= K_CROSS ? 2 : 1);
    size_t per = b->max_rows - 1;
    if (total > per) {
        fx_sheet_fail(b, FX_E_INTERNAL, "rates", "an average's daily rates do not fit one Rates sheet");
        return NULL;
    }
    while (b->nused / per != (b->nused + total - 1) / per)
        slot_push(b, NULL); /* start the block on the next Rates sheet */
    if (!k) {
        k = fx_arena_alloc(b->strings, sizeof *k);
        g_hash_table_insert(b->avg_blocks, fx_arena_strndup(b->strings, key, strlen(key)), k);
    }
    k->start = b->nused;
    k->n = v->ndays;
    memcpy(k->count, count, sizeof k->count);
    for (int kind = 0; kind < K_KINDS; kind++)
        for (int leg = 0; leg < (kind >= K_CROSS ? 2 : 1); leg++)
            for (size_t i = 0; i < b->navg_days; i++)
                if (day_kind(&b->avg_days[i]) == kind) {
                    const fx_rate *r = b->avg_days[i].leg[leg];
                    size_t slot = slot_push(b, r);
                    if (r->id < b->nrates && !b->rate_slot[r->id])
                        b->rate_slot[r->id] = (uint32_t)slot + 1;
                }
    return k;
}

bool fx_sheet_avg_formula(fx_book *b, const fx_conv *v, fx_ccy from, lxw_row_t row,
                          lxw_col_t amount_col, char *f, size_t n, char *rows, size_t rn)
{
    b->navg_days = 0;
    fx_convert_each_avg_day(b->info->rates, fx_convert_provider(&v->priced), from, v->target,
                            v->first, v->priced.day, avg_collect, b);
    if (b->navg_days != v->ndays || v->ndays == 0)
        return fx_sheet_fail(b, FX_E_INTERNAL, "formula",
                             "the days of an average are not the days it averaged");
    uint32_t count[K_KINDS] = {0};
    int kinds = 0;
    for (size_t i = 0; i < b->navg_days; i++)
        if (count[day_kind(&b->avg_days[i])]++ == 0)
            kinds++;
    const fx_avg_block *k = avg_block(b, v, from, count);
    if (!k)
        return false;
    /* the cells' mean must be the rate used: sum the legs as the formula does */
    fx_ratio_set_small(&b->r1, (fx_small){0, 0});
    for (size_t i = 0; i < b->navg_days; i++) {
        const fx_priced *p = &b->avg_days[i];
        fx_ratio_set_small(&b->r3, (fx_small){1, 0});
        for (int leg = 0; leg < 2 && p->leg[leg]; leg++) {
            fx_ratio_set_small(&b->r2, p->leg[leg]->value);
            if (p->inverse[leg])
                fx_ratio_div(&b->r3, &b->r3, &b->r2);
            else
                fx_ratio_mul(&b->r3, &b->r3, &b->r2);
        }
        fx_ratio_add(&b->r1, &b->r1, &b->r3);
    }
    fx_ratio_set_quot(&b->r2, (fx_small){1, 0}, (fx_small){(int64_t)v->ndays, 0});
    fx_ratio_mul(&b->r1, &b->r1, &b->r2);
    if (fx_ratio_cmp(&b->r1, &v->rate) != 0)
        return fx_sheet_fail(b, FX_E_INTERNAL, "formula",
                             "the daily rates do not give the average used");

    char cell[32];
    lxw_rowcol_to_cell(cell, row, amount_col);
    rows[0] = '\0';
    size_t at = k->start; /* the block's slots, kind by kind */
    char terms[K_KINDS][160];
    int nt = 0;
    for (int kind = 0; kind < K_KINDS; kind++) {
        size_t have = k->count[kind], use = count[kind];
        if (!have && !use)
            continue;
        if (use) {
            char a[64] = "", c[64] = "";
            range_ref(b, at, use, a, sizeof a);
            range_rows(b, at, use, rows, rn);
            if (kind >= K_CROSS) {
                range_ref(b, at + have, use, c, sizeof c);
                range_rows(b, at + have, use, rows, rn);
            }
            char *t = terms[nt++];
            switch (kind) {
            case K_DIRECT:
                snprintf(t, sizeof terms[0], kinds == 1 ? "AVERAGE(%s)" : "SUM(%s)", a);
                break;
            case K_INVERSE:
                snprintf(t, sizeof terms[0], "SUMPRODUCT(1/%s)", a);
                break;
            case K_CROSS: /* both direct */
                snprintf(t, sizeof terms[0], "SUMPRODUCT(%s*%s)", a, c);
                break;
            case K_CROSS + 1: /* leg 0 inverted */
                snprintf(t, sizeof terms[0], "SUMPRODUCT(%s/%s)", c, a);
                break;
            case K_CROSS + 2: /* leg 1 inverted */
                snprintf(t, sizeof terms[0], "SUMPRODUCT(%s/%s)", a, c);
                break;
            default: /* both inverted */
                snprintf(t, sizeof terms[0], "SUMPRODUCT(1/(%s*%s))", a, c);
                break;
            }
        }
        at += have * (kind >= K_CROSS ? 2 : 1);
    }
    if (kinds == 1 && count[K_DIRECT])
        snprintf(f, n, "=%s*%s", cell, terms[0]);
    else {
        snprintf(f, n, "=%s*%s", cell, nt > 1 ? "(" : "");
        for (int i = 0; i < nt; i++) {
            size_t l = strlen(f);
            snprintf(f + l, n - l, "%s%s", i ? "+" : "", terms[i]);
        }
        size_t l = strlen(f);
        snprintf(f + l, n - l, "%s/%lu", nt > 1 ? ")" : "", (unsigned long)v->ndays);
    }
    return b->st == FX_OK;
}

/* A spool failure, in the spool's words (they name the folder). */
bool fx_sheet_spill_failed(fx_book *b)
{
    const char *why = fx_spool_error(b->spill);
    return fx_sheet_fail(b, FX_E_IO, "Conversions",
                         why ? why : "a spilled row is not what was written");
}

/* Reads the next record; its strings live in the spool until the next call. */
bool fx_sheet_spill_read(fx_book *b, fx_spill_rec *rec, const char *str[S_N])
{
    const fx_spool_field *f;
    size_t n;
    if (fx_spool_next(b->spill, &f, &n) != 1 || n != 1 + S_N || f[0].len != sizeof *rec)
        return fx_sheet_spill_failed(b);
    memcpy(rec, f[0].p, sizeof *rec);
    for (int i = 0; i < S_N; i++)
        str[i] = f[1 + i].p;
    return true;
}

bool fx_sheet_spill_rewind(fx_book *b)
{
    return fx_spool_read_once(b->spill) || fx_sheet_spill_failed(b); /* Conversions reads it once */
}

/* spread_pct = 100 (max - min) / min, 4 places half-even as in
 * comparison.csv; false when min <= 0. */
bool fx_sheet_spread_pct(fx_book *b, const fx_claim *cl, double *out)
{
    if (fx_ratio_sgn(&cl->min) <= 0)
        return false;
    fx_ratio_sub(&b->r1, &cl->max, &cl->min);
    fx_ratio_div(&b->r1, &b->r1, &cl->min);
    fx_ratio_mul_si(&b->r1, 100);
    fx_ratio_round(&b->tmp, &b->r1, 4, FX_ROUND_HALF_EVEN);
    *out = fx_dec_to_double(&b->tmp);
    return true;
}

/* Money in billions or millions where that is the claim's magnitude. */
lxw_format *fx_sheet_claim_format(fx_book *b, const fx_claim *cl)
{
    if (cl->kind != FX_KIND_MONEY)
        return NULL;
    double m = fabs(fx_ratio_to_double(&cl->max));
    return m >= 1e9 ? b->f_bn : m >= 1e6 ? b->f_mn : b->f_money;
}

void fx_sheet_claim_value(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                          const fx_claim *cl, const fx_ratio *v)
{
    lxw_format *f = fx_sheet_claim_format(b, cl);
    if (!f) { /* not money: thousands separators when it is a whole number */
        fx_ratio_round(&b->tmp, v, 0, FX_ROUND_DOWN);
        if (fx_ratio_cmp_dec(v, &b->tmp) == 0)
            f = b->f_int;
    }
    fx_sheet_put_num(b, ws, r, c, fx_ratio_to_double(v), f);
}

/* The claim rows are read back from the audit's spool, once per use; a
 * read failure is an I/O error, in the spool's words (they name the folder). */
static bool claims_failed(fx_book *b, const fx_audit *a)
{
    const char *why = fx_audit_read_error(a);
    return fx_sheet_fail(b, FX_E_IO, "claim rows", why ? why : "the claim rows were not written");
}

bool fx_sheet_claims_rewind(fx_book *b, fx_audit *a)
{
    return fx_audit_rewind(a) || claims_failed(b, a);
}

void fx_sheet_claims_done(fx_book *b, const fx_audit *a)
{
    if (fx_audit_read_error(a))
        claims_failed(b, a);
}

void fx_sheet_cell_value(fx_book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
                         const fx_claim_source *cs, lxw_format *f)
{
    fx_sheet_put_num(b, ws, r, c, cs->first, f ? f : fx_sheet_places_format(b, cs->first_places));
}

/* The provider of a rate (SPEC 3), for the Facts and Rates sheets. */
const char *fx_sheet_provider(const fx_priced *p)
{
    if (!p->leg[0])
        return ""; /* a currency in itself: no rate, no provider */
    return p->leg[0]->origin->provider; /* a cross: both legs are one provider's */
}
