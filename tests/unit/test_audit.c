/* test_audit - intervals, verdicts, matching rate dates (against an
 * exhaustive exact search) and claim agreement, on the real ECB rates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

#include "audit.h"
#include "convert.h"
#include "rates.h"

static fx_rate_table *rates;
static fx_convert_opts copts;
static fx_audit_opts aopts;

static int setup(void **state)
{
    (void)state;
    fx_diags *d = fx_diags_new();
    rates = fx_rates_new();
    fx_status st = fx_rates_load(rates, "rates", d);
    if (st == FX_OK)
        st = fx_rates_finish(rates, d);
    fx_diags_free(d);
    fixture_opts(&copts, &aopts);
    return st == FX_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fx_rates_free(rates);
    fx_dec_clear(&aopts.tolerance);
    return 0;
}

/* A fact built by hand: value scale unit [reported reported_scale unit]. */
typedef struct {
    fx_fact f;
} hand;

static void hand_init(hand *h, const char *id, const char *claim, const char *source,
                      const char *day, const char *value, int scale, const char *ccy, fx_kind kind,
                      fx_qual q, const char *rv, int rscale, const char *rccy)
{
    memset(h, 0, sizeof *h);
    fx_fact *f = &h->f;
    f->fact_id = (fx_text){id, strlen(id)};
    f->claim = (fx_text){claim, strlen(claim)};
    f->source = (fx_text){source, strlen(source)};
    f->entity = (fx_text){"E", 1};
    f->at = (fx_pos){"t.csv", 2, 1};
    assert_true(fx_date_parse(day, 10, &f->published));
    fx_dec_init(&f->fig.value);
    fx_dec_init(&f->reported.value);
    assert_int_equal(fx_dec_parse(&f->fig.value, value, strlen(value)), FX_DEC_OK);
    f->fig.scale = scale;
    f->fig.kind = kind;
    if (ccy)
        memcpy(f->fig.ccy.s, ccy, 4);
    f->qual = q;
    if (rv) {
        f->has_reported = true;
        assert_int_equal(fx_dec_parse(&f->reported.value, rv, strlen(rv)), FX_DEC_OK);
        f->reported.scale = rscale;
        f->reported.kind = FX_KIND_MONEY;
        memcpy(f->reported.ccy.s, rccy, 4);
    }
}

static void hand_clear(hand *h)
{
    fx_dec_clear(&h->f.fig.value);
    fx_dec_clear(&h->f.reported.value);
}

static void interval_str(const fx_interval *iv, char *buf, size_t n)
{
    char lo[FX_DEC_STR_MAX] = "-inf", hi[FX_DEC_STR_MAX] = "inf";
    if (iv->has_lo)
        fx_ratio_to_fixed(&iv->lo, 4, FX_ROUND_HALF_EVEN, lo, sizeof lo);
    if (iv->has_hi)
        fx_ratio_to_fixed(&iv->hi, 4, FX_ROUND_HALF_EVEN, hi, sizeof hi);
    snprintf(buf, n, "[%s, %s]", lo, hi);
}

static void intervals(void **state)
{
    (void)state;
    static const struct {
        const char *v;
        int scale;
        fx_qual q;
        const char *want;
    } rows[] = {
        {"5.5", 9, FX_QUAL_NONE, "[5450000000.0000, 5550000000.0000]"},
        {"40", 9, FX_QUAL_NONE, "[39500000000.0000, 40500000000.0000]"},
        {"230000", 0, FX_QUAL_NONE, "[229999.5000, 230000.5000]"},
        {"12", 9, FX_QUAL_AT_LEAST, "[11500000000.0000, inf]"},
        {"12", 9, FX_QUAL_AT_MOST, "[-inf, 12500000000.0000]"},
        {"60", 0, FX_QUAL_ABOUT, "[58.3000, 61.7000]"},
        {"-2.5", 0, FX_QUAL_ABOUT, "[-2.6000, -2.4000]"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        fx_figure fig;
        memset(&fig, 0, sizeof fig);
        fx_dec_init(&fig.value);
        fx_dec_parse(&fig.value, rows[i].v, strlen(rows[i].v));
        fig.scale = rows[i].scale;
        fx_interval iv;
        fx_interval_init(&iv);
        fx_interval_of(&iv, &fig, rows[i].q, &aopts.tolerance);
        char got[4 * FX_DEC_STR_MAX];
        interval_str(&iv, got, sizeof got);
        assert_string_equal(got, rows[i].want);
        fx_interval_clear(&iv);
        fx_dec_clear(&fig.value);
    }
}

typedef struct {
    const fx_dec *amount;
    fx_interval iv;
    fx_day days[64];
    size_t n;
} brute;

static void brute_day(void *ctx, const fx_priced *p)
{
    brute *b = ctx;
    fx_ratio x;
    fx_ratio_init(&x);
    fx_ratio_set_convert(&x, b->amount, p->num, p->den);
    if (fx_ratio_cmp(&x, &b->iv.lo) >= 0 && fx_ratio_cmp(&x, &b->iv.hi) <= 0)
        b->days[b->n++] = p->day;
    fx_ratio_clear(&x);
}

/* Runs the audit on one hand-made fact and compares the matching days with
 * an exhaustive exact search over the window. */
static fx_verdict audit_one(hand *h, fx_check *k, char *rounded, size_t n)
{
    fx_converted c;
    fx_converted_init(&c);
    fx_diags *d = fx_diags_new();
    assert_int_equal(fx_convert(&c, &h->f, rates, &copts, d), FX_OK);
    fx_audit_check(k, &c, rates, &aopts);
    assert_true(k->present);
    if (k->priced)
        fx_dec_to_str(&k->computed_rounded, rounded, n);
    brute b;
    memset(&b, 0, sizeof b);
    b.amount = &c.amount;
    fx_interval_init(&b.iv);
    fx_interval_of(&b.iv, &h->f.reported, FX_QUAL_NONE, &aopts.tolerance);
    fx_rates_each_day(rates, h->f.fig.ccy, h->f.reported.ccy, c.valuation - 30, c.valuation,
                      brute_day, &b);
    assert_int_equal(k->ndays, b.n);
    for (size_t i = 0; i < b.n; i++)
        assert_int_equal(k->days[i], b.days[i]);
    fx_interval_clear(&b.iv);
    fx_diags_free(d);
    fx_converted_clear(&c);
    return k->verdict;
}

static void verdicts(void **state)
{
    (void)state;
    fx_check k;
    fx_check_init(&k);
    char got[FX_DEC_STR_MAX];
    hand h;

    hand_init(&h, "a", "c", "s", "2025-01-22", "40", 9, "CNY", FX_KIND_MONEY, FX_QUAL_NONE, "5.5", 9, "USD");
    assert_int_equal(audit_one(&h, &k, got, sizeof got), FX_V_CONSISTENT);
    assert_string_equal(got, "5504137458.49");
    hand_clear(&h);

    /* RMB 150 billion -> $20.64 billion: close on the 24th, and only the
     * rates of 2025-01-22 reproduce it. */
    hand_init(&h, "b", "c", "s", "2025-01-24", "150", 9, "CNY", FX_KIND_MONEY, FX_QUAL_NONE, "20.64", 9, "USD");
    assert_int_equal(audit_one(&h, &k, got, sizeof got), FX_V_CLOSE);
    assert_int_equal(k.ndays, 1);
    char day[11];
    fx_date_format(k.days[0], day);
    assert_string_equal(day, "2025-01-22");
    hand_clear(&h);

    hand_init(&h, "c", "c", "s", "2025-01-22", "40", 9, "CNY", FX_KIND_MONEY, FX_QUAL_NONE, "7", 9, "USD");
    assert_int_equal(audit_one(&h, &k, got, sizeof got), FX_V_INCONSISTENT);
    assert_int_equal(k.ndays, 0);
    hand_clear(&h);

    fx_check_clear(&k);
}

/* Reported values built from the rate of a random day in the window and
 * printed to 2-5 significant digits: many land right on interval edges.
 * The fast interval test must agree with exhaustive exact arithmetic. */
static void matching_days_random(void **state)
{
    (void)state;
    static const char *const ccys[] = {"CNY", "GBP", "JPY", "CHF", "EUR", "SEK"};
    fx_check k;
    fx_check_init(&k);
    srand(42);
    for (int i = 0; i < 300; i++) {
        char value[32], rv[64], got[FX_DEC_STR_MAX];
        snprintf(value, sizeof value, "%d.%d", 1 + rand() % 999, rand() % 10);
        const char *ccy = ccys[rand() % 6];
        /* the reported value: the exact conversion on the 22nd, cut to few digits */
        hand h;
        hand_init(&h, "r", "c", "s", "2025-01-22", value, 6, ccy, FX_KIND_MONEY, FX_QUAL_NONE, "1", 6, "USD");
        fx_converted c;
        fx_converted_init(&c);
        fx_diags *d = fx_diags_new();
        assert_int_equal(fx_convert(&c, &h.f, rates, &copts, d), FX_OK);
        int places = rand() % 4;
        fx_ratio m;
        fx_ratio_init(&m);
        fx_ratio_set(&m, &c.conv[0].exact);
        fx_ratio_set_small(&k.computed, (fx_small){1, -6});
        fx_ratio_mul(&m, &m, &k.computed);
        fx_ratio_to_fixed(&m, places, FX_ROUND_HALF_EVEN, rv, sizeof rv);
        fx_ratio_clear(&m);
        fx_converted_clear(&c);
        fx_diags_free(d);
        hand_clear(&h);
        hand_init(&h, "r", "c", "s", "2025-01-22", value, 6, ccy, FX_KIND_MONEY, FX_QUAL_NONE, rv, 6, "USD");
        audit_one(&h, &k, got, sizeof got);
        hand_clear(&h);
    }
    fx_check_clear(&k);
}

static void add(fx_audit *a, hand *h)
{
    fx_converted c;
    fx_converted_init(&c);
    fx_check k;
    fx_check_init(&k);
    fx_diags *d = fx_diags_new();
    assert_int_equal(fx_convert(&c, &h->f, rates, &copts, d), FX_OK);
    fx_audit_check(&k, &c, rates, &aopts);
    fx_audit_add(a, &c, &k);
    fx_diags_free(d);
    fx_check_clear(&k);
    fx_converted_clear(&c);
}

static const char *tmpdir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

static void claims(void **state)
{
    (void)state;
    fx_audit *a = fx_audit_new(&aopts, &copts, tmpdir());
    hand h[6];
    /* growth: 200 and 100 percent disagree; 71 and 75 million users disagree */
    hand_init(&h[0], "g1", "growth", "s1", "2025-01-22", "200", 0, NULL, FX_KIND_PERCENT, FX_QUAL_NONE, NULL, 0, NULL);
    hand_init(&h[1], "g2", "growth", "s2", "2025-01-22", "100", 0, NULL, FX_KIND_PERCENT, FX_QUAL_NONE, NULL, 0, NULL);
    /* $12 billion at least, and RMB 40 billion -> $5.5bn vs "$5.5 billion": agree */
    hand_init(&h[2], "m1", "chips", "s1", "2025-01-22", "40", 9, "CNY", FX_KIND_MONEY, FX_QUAL_NONE, NULL, 0, NULL);
    hand_init(&h[3], "m2", "chips", "s2", "2025-01-22", "5.5", 9, "USD", FX_KIND_MONEY, FX_QUAL_NONE, NULL, 0, NULL);
    hand_init(&h[4], "c1", "capex", "s1", "2025-01-22", "12", 9, "USD", FX_KIND_MONEY, FX_QUAL_AT_LEAST, NULL, 0, NULL);
    hand_init(&h[5], "u1", "users", "s1", "2025-01-22", "71", 6, NULL, FX_KIND_COUNT, FX_QUAL_NONE, NULL, 0, NULL);
    for (int i = 0; i < 6; i++)
        add(a, &h[i]);
    fx_diags *d = fx_diags_new();
    assert_int_equal(fx_audit_finish(a, true, d), FX_OK);
    fx_diags_free(d);
    assert_int_equal(fx_audit_nclaims(a), 4);
    static const char *const names[] = {"growth", "chips", "capex", "users"};
    static const fx_claim_verdict want[] = {FX_C_DISAGREE, FX_C_AGREE, FX_C_SINGLE, FX_C_SINGLE};
    for (int pass = 0; pass < 2; pass++) { /* rows can be read more than once */
        assert_true(fx_audit_rewind(a));
        for (int i = 0; i < 4; i++) {
            const fx_claim *cl = fx_audit_next(a);
            assert_non_null(cl);
            assert_string_equal(cl->claim, names[i]);
            assert_int_equal(cl->verdict, want[i]);
            assert_int_equal(cl->nsources, i < 2 ? 2 : 1);
        }
        assert_null(fx_audit_next(a));
        assert_null(fx_audit_read_error(a));
    }
    /* chips: min is m2's exact $5.5 billion, max RMB 40 bn at 7.2672 */
    assert_true(fx_audit_rewind(a));
    fx_audit_next(a);
    const fx_claim *chips = fx_audit_next(a);
    char buf[FX_DEC_STR_MAX];
    assert_true(fx_ratio_to_exact(&chips->min, buf, sizeof buf) >= 0);
    assert_string_equal(buf, "5500000000");
    assert_true(chips->by_source[0].first > 5.50e9 && chips->by_source[0].first < 5.51e9);
    assert_int_equal(chips->by_source[0].first_places, 2);
    assert_string_equal(chips->by_source[1].ids[0], "m2");
    assert_int_equal(fx_audit_nsources(a), 2);
    assert_int_equal(fx_audit_source(a, 0)->facts, 4);
    fx_audit_counts t = fx_audit_totals(a);
    assert_int_equal(t.facts, 6);
    assert_int_equal(t.claims[FX_C_DISAGREE], 1);
    for (int i = 0; i < 6; i++)
        hand_clear(&h[i]);
    fx_audit_free(a);
}

/* The rows as a plain in-memory grouping would give them, for any number
 * of records per pass: claims and cells in order of first appearance, ids
 * in input order (at most FX_IDS_KEPT, the rest counted), the first value
 * of each cell. A claim bigger than a pass is held whole. */
enum { NF = 400, NCLAIM = 9, NSRC = 6 };

static void fact_of(int i, int *claim, int *source, int *value)
{
    if (i < 60) { /* one claim, one source: 60 facts, more than FX_IDS_KEPT */
        *claim = 0, *source = 0;
    } else {
        *claim = 1 + (i * i + 3 * i) % (NCLAIM - 1);
        *source = (i * 7 / 3) % NSRC;
    }
    *value = 1000 + (i * 37) % 101;
}

typedef struct {
    int claim, disagree;
    double spread;
    const char *name;
} claim_order;

static int claim_order_cmp(const void *pa, const void *pb)
{
    const claim_order *x = pa, *y = pb;
    if (x->disagree != y->disagree)
        return x->disagree ? -1 : 1;
    if (x->spread != y->spread)
        return x->spread > y->spread ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* The oracle's Comparison order of the claims in corder[0..nc). */
static void sort_claims(int *corder, int nc, char names[][24])
{
    claim_order o[NCLAIM];
    for (int k = 0; k < nc; k++) {
        int c = corder[k], lo = 0, hi = 0, n = 0;
        for (int i = 0; i < NF; i++) {
            int ci, s, v;
            fact_of(i, &ci, &s, &v);
            if (ci != c)
                continue;
            lo = n == 0 || v < lo ? v : lo;
            hi = n == 0 || v > hi ? v : hi;
            n++;
        }
        o[k] = (claim_order){c, n > 1 && hi - lo > 1, lo > 0 ? (double)(hi - lo) / lo : -1,
                             names[c]};
    }
    qsort(o, (size_t)nc, sizeof *o, claim_order_cmp);
    for (int k = 0; k < nc; k++)
        corder[k] = o[k].claim;
}

static void rows_in_passes(void **state)
{
    (void)state;
    static const size_t passes[] = {1, 2, 7, 59, 61, 150, FX_AUDIT_PASS};
    static char ids[NF][24], claimname[NCLAIM][24], srcname[NSRC][24], vals[NF][24];
    for (int c = 0; c < NCLAIM; c++)
        snprintf(claimname[c], sizeof claimname[c], "claim%d", c);
    for (int s = 0; s < NSRC; s++)
        snprintf(srcname[s], sizeof srcname[s], "src%d", s);
    for (size_t p = 0; p < sizeof passes / sizeof *passes; p++) {
        fx_audit *a = fx_audit_new(&aopts, &copts, tmpdir());
        fx_audit_set_pass(a, passes[p]);
        /* the oracle: first appearance orders, filled as facts go in */
        int corder[NCLAIM], nc = 0, crank[NCLAIM];
        memset(crank, -1, sizeof crank);
        for (int i = 0; i < NF; i++) {
            int c, s, v;
            fact_of(i, &c, &s, &v);
            snprintf(ids[i], sizeof ids[i], "f%d", i);
            snprintf(vals[i], sizeof vals[i], "%d", v);
            hand h;
            hand_init(&h, ids[i], claimname[c], srcname[s], "2025-01-22", vals[i], 0, NULL,
                      FX_KIND_COUNT, FX_QUAL_NONE, NULL, 0, NULL);
            add(a, &h);
            hand_clear(&h);
            if (crank[c] < 0) {
                crank[c] = nc;
                corder[nc++] = c;
            }
        }
        /* rows come in Comparison order: disagree first, then by spread
         * (largest first), then claim id (every value here is a whole
         * count, so its interval is v +- 0.5) */
        sort_claims(corder, nc, claimname);
        fx_diags *d = fx_diags_new();
        assert_int_equal(fx_audit_finish(a, true, d), FX_OK);
        fx_diags_free(d);
        assert_true(fx_audit_rewind(a));
        for (int k = 0; k < nc; k++) {
            const fx_claim *cl = fx_audit_next(a);
            assert_non_null(cl);
            int c = corder[k];
            assert_string_equal(cl->claim, claimname[c]);
            /* the expected cells of claim c */
            int sorder[NSRC], ns = 0, srank[NSRC], facts = 0;
            memset(srank, -1, sizeof srank);
            for (int i = 0; i < NF; i++) {
                int ci, s, v;
                fact_of(i, &ci, &s, &v);
                if (ci != c)
                    continue;
                facts++;
                if (srank[s] < 0) {
                    srank[s] = ns;
                    sorder[ns++] = s;
                }
            }
            assert_int_equal(cl->facts, facts);
            assert_int_equal(cl->nsources, ns);
            for (int j = 0; j < ns; j++) {
                const fx_claim_source *cs = &cl->by_source[j];
                assert_string_equal(fx_audit_source(a, cs->source)->source, srcname[sorder[j]]);
                size_t seen = 0;
                for (int i = 0; i < NF; i++) {
                    int ci, s, v;
                    fact_of(i, &ci, &s, &v);
                    if (ci != c || s != sorder[j])
                        continue;
                    if (seen == 0) {
                        assert_true(cs->first == (double)v);
                        assert_int_equal(cs->first_places, 0);
                    }
                    if (seen < FX_IDS_KEPT)
                        assert_string_equal(cs->ids[seen], ids[i]);
                    seen++;
                }
                assert_int_equal(cs->nids, seen < FX_IDS_KEPT ? seen : FX_IDS_KEPT);
                assert_int_equal(cs->more, seen - cs->nids);
            }
        }
        assert_null(fx_audit_next(a));
        assert_null(fx_audit_read_error(a));
        fx_audit_free(a);
    }
}

/* An audit of one fact, finished with its rows asked for: its status. */
static fx_status finish_one(fx_audit *a)
{
    hand h;
    hand_init(&h, "g1", "growth", "s1", "2025-01-22", "200", 0, NULL, FX_KIND_PERCENT, FX_QUAL_NONE, NULL, 0, NULL);
    add(a, &h);
    hand_clear(&h);
    fx_diags *d = fx_diags_new();
    fx_status st = fx_audit_finish(a, true, d);
    fx_diags_free(d);
    return st;
}

/* Without a folder for its rows (--check) an audit keeps counts only. */
static void no_rows(void **state)
{
    (void)state;
    fx_audit *a = fx_audit_new(&aopts, &copts, NULL);
    assert_int_equal(finish_one(a), FX_OK);
    assert_int_equal(fx_audit_nclaims(a), 1);
    assert_int_equal(fx_audit_totals(a).claims[FX_C_SINGLE], 1);
    assert_null(fx_audit_next(a));
    fx_audit_free(a);
}

/* A folder that cannot take the temporary file is an I/O error at finish,
 * said once, naming the folder. */
static void rows_unwritable(void **state)
{
    (void)state;
    fx_audit *a = fx_audit_new(&aopts, &copts, "/nonexistent/fxbook");
    hand h;
    hand_init(&h, "g1", "growth", "s1", "2025-01-22", "200", 0, NULL, FX_KIND_PERCENT, FX_QUAL_NONE, NULL, 0, NULL);
    add(a, &h);
    hand_clear(&h);
    fx_diags *d = fx_diags_new();
    assert_int_equal(fx_audit_finish(a, true, d), FX_E_IO);
    assert_int_equal(fx_diags_count(d), 1);
    assert_non_null(strstr(fx_diags_message(d, 0), "claims: cannot create a temporary file in "
                                                   "/nonexistent/fxbook: No such file or directory"));
    fx_diags_free(d);
    fx_audit_free(a);
}

/* Texts of any length the input allows come back whole: an entity of
 * 25,000 CJK characters is 75,000 bytes (past a 16-bit length), a claim
 * with 20 kept and 45 more fact_ids of 64 characters. */
static void long_texts(void **state)
{
    (void)state;
    enum { CJK = 25000 };
    char *entity = malloc(3 * CJK + 1);
    assert_non_null(entity);
    for (int i = 0; i < CJK; i++)
        memcpy(entity + 3 * i, "\xe4\xb8\xad", 3); /* U+4E2D */
    entity[3 * CJK] = '\0';
    fx_audit *a = fx_audit_new(&aopts, &copts, tmpdir());
    char ids[65][65];
    for (int i = 0; i < 65; i++) {
        hand h;
        memset(ids[i], 'a' + i % 26, 64);
        ids[i][0] = (char)('0' + i / 10);
        ids[i][1] = (char)('0' + i % 10);
        ids[i][64] = '\0';
        hand_init(&h, ids[i], "chips", i % 2 ? "s2" : "s1", "2025-01-22", "5.5", 9, "USD",
                  FX_KIND_MONEY, FX_QUAL_NONE, NULL, 0, NULL);
        h.f.entity = (fx_text){entity, 3 * CJK};
        add(a, &h);
        hand_clear(&h);
    }
    fx_diags *d = fx_diags_new();
    assert_int_equal(fx_audit_finish(a, true, d), FX_OK);
    fx_diags_free(d);
    assert_true(fx_audit_rewind(a));
    const fx_claim *cl = fx_audit_next(a);
    assert_non_null(cl);
    assert_int_equal(strlen(cl->entity), 3 * CJK);
    assert_string_equal(cl->entity, entity);
    assert_int_equal(cl->nsources, 2);
    assert_int_equal(cl->by_source[0].nids, FX_IDS_KEPT);
    assert_int_equal(cl->by_source[0].more, 33 - FX_IDS_KEPT);
    assert_int_equal(cl->by_source[1].more, 32 - FX_IDS_KEPT);
    for (size_t k = 0; k < FX_IDS_KEPT; k++) {
        assert_string_equal(cl->by_source[0].ids[k], ids[2 * k]);
        assert_string_equal(cl->by_source[1].ids[k], ids[2 * k + 1]);
    }
    assert_null(fx_audit_next(a));
    assert_null(fx_audit_read_error(a));
    fx_audit_free(a);
    free(entity);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(intervals),
        cmocka_unit_test(verdicts),
        cmocka_unit_test(matching_days_random),
        cmocka_unit_test(claims),
        cmocka_unit_test(rows_in_passes),
        cmocka_unit_test(no_rows),
        cmocka_unit_test(rows_unwritable),
        cmocka_unit_test(long_texts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
