/* facts - validates the facts CSV of SPEC 2 and streams each valid row.
 * Invariant: a fact reaches the callback only when every field of its row
 * passed; each failure is reported at the cell where it was found. */
#include "facts.h"

#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "field.h"
#include "mem.h"
#include "xltext.h"

enum { ID_MAX = FX_FIELD_ID_MAX };

typedef enum {
    C_FACT_ID, C_ENTITY, C_CLAIM, C_SOURCE, C_PUBLISHED, C_VALUE, C_SCALE, C_UNIT, C_QUALIFIER,
    C_AS_OF, C_REPORTED_VALUE, C_REPORTED_SCALE, C_REPORTED_UNIT, C_QUOTE, C_NOTE, C_BASIS,
    C_COUNT
} column;

static const fx_field_col columns[C_COUNT] = {
    [C_FACT_ID] = {"fact_id", true},
    [C_ENTITY] = {"entity", true},
    [C_CLAIM] = {"claim", true},
    [C_SOURCE] = {"source", true},
    [C_PUBLISHED] = {"published", true},
    [C_VALUE] = {"value", true},
    [C_SCALE] = {"scale", false},
    [C_UNIT] = {"unit", true},
    [C_QUALIFIER] = {"qualifier", false},
    [C_AS_OF] = {"as_of", false},
    [C_REPORTED_VALUE] = {"reported_value", false},
    [C_REPORTED_SCALE] = {"reported_scale", false},
    [C_REPORTED_UNIT] = {"reported_unit", false},
    [C_QUOTE] = {"quote", true},
    [C_NOTE] = {"note", false},
    [C_BASIS] = {"basis", false},
};

static const char *const scale_names[] = {"", "thousand", "million", "billion", "trillion"};
static const char *const qual_names[] = {"", "about", "at_least", "at_most"};
static const char *const kind_names[] = {"money", "count", "percent", "days", "months", "years"};

const char *fx_kind_name(fx_kind k)
{
    return kind_names[k];
}

const char *fx_qual_name(fx_qual q)
{
    return qual_names[q];
}

const char *fx_scale_name(int scale)
{
    return scale >= 0 && scale <= 12 && scale % 3 == 0 ? scale_names[scale / 3] : "?";
}

/* Where an id was first seen, for "first defined at" messages. */
typedef struct {
    unsigned input;
    unsigned long line, col;
} first_seen;

/* The fact_id index keeps each id once, in the arena, right after its
 * packed position: the hash set's key is the id, and the 12 bytes before
 * it say where it was defined. This is the one structure that grows with
 * the number of facts, so it is kept small (about 40 bytes an id). */
typedef struct {
    uint32_t input, line, col;
} id_pos;

typedef struct {
    fx_kind kind;
    first_seen at;
} claim_kind;

struct fx_facts_reader {
    const fx_rate_table *rates;
    GHashTable *ids;    /* set of fact_ids, each after its id_pos (in arena) */
    GHashTable *claims; /* claim (in arena) -> claim_kind (in arena) */
    fx_arena *arena;
    const char **names; /* input names, by index */
    size_t *counts;     /* facts per input */
    size_t ninputs, total;
    /* per input */
    int map[C_COUNT]; /* column -> cell index, -1 if absent */
    size_t ncols;
    bool header_done, header_bad;
    size_t errors_before; /* errors of this input's name before it was read */
    const char *name;
    fx_fact_fn fn;
    void *ctx;
    fx_diags *d;
    fx_fact fact; /* reused for every row: no per-row allocation */
    fx_csvin_tap_fn tap;
    void *tap_ctx;
};

fx_facts_reader *fx_facts_reader_new(const fx_rate_table *rates)
{
    fx_facts_reader *r = fx_xcalloc(1, sizeof *r);
    r->rates = rates;
    r->ids = g_hash_table_new(g_str_hash, g_str_equal);
    r->claims = g_hash_table_new(g_str_hash, g_str_equal);
    r->arena = fx_arena_new();
    fx_dec_init(&r->fact.fig.value);
    fx_dec_init(&r->fact.reported.value);
    return r;
}

void fx_facts_reader_free(fx_facts_reader *r)
{
    if (!r)
        return;
    g_hash_table_destroy(r->ids);
    g_hash_table_destroy(r->claims);
    fx_arena_free(r->arena);
    free(r->names);
    free(r->counts);
    fx_dec_clear(&r->fact.fig.value);
    fx_dec_clear(&r->fact.reported.value);
    free(r);
}

size_t fx_facts_total(const fx_facts_reader *r)
{
    return r->total;
}

size_t fx_facts_in_input(const fx_facts_reader *r, size_t input)
{
    return input < r->ninputs ? r->counts[input] : 0;
}

size_t fx_facts_index_bytes(const fx_facts_reader *r)
{
    /* a set keeps a key and a hash per slot; slots are about 1.5x entries */
    return fx_arena_bytes(r->arena) +
           g_hash_table_size(r->ids) * 3 / 2 * (sizeof(void *) + sizeof(guint));
}

bool fx_facts_is_id(const char *s, size_t len)
{
    return fx_field_is_id(s, len);
}

bool fx_facts_names_column(const char *name, size_t len)
{
    return fx_field_column(columns, C_COUNT, name, len) >= 0;
}

size_t fx_utf16_len(const char *s, size_t len)
{
    return fx_xltext_utf16_len(s, len);
}

/* A cell's text as a message shows it (escaped, cut). */
#define SHOW(c) fx_diag_show((c)->text, (c)->len)

static fx_status header(fx_facts_reader *r, const fx_cell *cells, size_t n)
{
    r->header_bad = !fx_field_header(r->d, cells, n, columns, C_COUNT, r->map);
    r->ncols = n;
    return FX_OK;
}

static bool check_id(fx_facts_reader *r, const fx_cell *c, const char *col)
{
    return fx_field_id(r->d, c, col);
}

static bool check_text(fx_facts_reader *r, const fx_cell *c, const char *col, bool required)
{
    return fx_field_text(r->d, c, col, required);
}

static bool check_date(fx_facts_reader *r, const fx_cell *c, const char *col, fx_day *out)
{
    return fx_field_date(r->d, c, col, out);
}

/* The digits FX_DEC_MAX_DIGITS counts in a value that has the decimal
 * syntax: the integer digits from the first nonzero one (*in) and every
 * decimal place, zeros too (*places). */
static void count_digits(const char *s, size_t len, size_t *in, size_t *places)
{
    size_t i = len && s[0] == '-', dot = i;
    while (dot < len && s[dot] != '.')
        dot++;
    while (i < dot && s[i] == '0')
        i++;
    *in = dot - i;
    *places = dot < len ? len - dot - 1 : 0;
}

static void too_long(fx_facts_reader *r, const fx_cell *c, const char *col)
{
    size_t in, places;
    count_digits(c->text, c->len, &in, &places);
    char found[64];
    if (in == 0)
        snprintf(found, sizeof found, "%zu decimal places", places);
    else if (places == 0)
        snprintf(found, sizeof found, "%zu digits", in);
    else
        snprintf(found, sizeof found, "%zu digits (%zu decimal places)", in + places, places);
    fx_diag_error(r->d, c->at,
                  "%s: %s; fxbook keeps every digit exactly and supports at most %d digits, "
                  "counting every decimal place and the integer digits from the first nonzero one",
                  col, found, FX_DEC_MAX_DIGITS);
}

static bool check_value(fx_facts_reader *r, const fx_cell *c, const char *col, fx_dec *out)
{
    fx_dec_err e = fx_dec_parse(out, c->text, c->len);
    if (e == FX_DEC_OK)
        return true;
    if (e == FX_DEC_TOO_LONG) {
        too_long(r, c, col);
        return false;
    }
    char hint[128];
    if (c->len == 0)
        fx_diag_error(r->d, c->at, "%s: empty; expected a number such as 1234.5", col);
    else if (fx_dec_hint(c->text, c->len, hint, sizeof hint))
        fx_diag_error(r->d, c->at, "%s: \"%s\" is not a plain decimal; %s", col, SHOW(c),
                      hint);
    else
        fx_diag_error(r->d, c->at,
                      "%s: \"%s\" is not a plain decimal; expected an optional '-', digits, "
                      "and an optional '.' with digits (e.g. 1234.5)",
                      col, SHOW(c));
    return false;
}

static bool check_scale(fx_facts_reader *r, const fx_cell *c, const char *col, int *out)
{
    for (int i = 0; i < 5; i++)
        if (strlen(scale_names[i]) == c->len && memcmp(scale_names[i], c->text, c->len) == 0) {
            *out = 3 * i;
            return true;
        }
    fx_diag_error(r->d, c->at,
                  "%s: \"%s\"; expected empty, thousand, million, billion or trillion", col,
                  SHOW(c));
    return false;
}

static bool check_unit(fx_facts_reader *r, const fx_cell *c, const char *col, fx_figure *fig)
{
    fig->unit = (fx_text){c->text, c->len};
    for (int k = FX_KIND_COUNT; k <= FX_KIND_YEARS; k++)
        if (strlen(kind_names[k]) == c->len && memcmp(kind_names[k], c->text, c->len) == 0) {
            fig->kind = (fx_kind)k;
            return true;
        }
    if (r->rates && fx_rates_resolve(r->rates, c->text, c->len, &fig->ccy)) {
        fig->kind = FX_KIND_MONEY;
        return true;
    }
    if (c->len == 0) {
        fx_diag_error(r->d, c->at, "%s: empty; expected a currency or count, percent, days, "
                      "months, years", col);
        return false;
    }
    /* "usd": say what to write rather than guess. */
    fx_ccy up;
    char buf[4] = {0};
    if (c->len == 3) {
        for (int i = 0; i < 3; i++)
            buf[i] = (char)((c->text[i] >= 'a' && c->text[i] <= 'z') ? c->text[i] - 32 : c->text[i]);
        if (fx_ccy_parse(buf, 3, &up) && r->rates && fx_rates_resolve(r->rates, buf, 3, &up)) {
            fx_diag_error(r->d, c->at, "%s: \"%s\": currency codes are upper case; write %s",
                          col, SHOW(c), buf);
            return false;
        }
    }
    fx_diag_error(r->d, c->at,
                  "%s: unknown unit \"%s\"; expected an ISO 4217 code, an alias listed in "
                  "aliases.csv, or count, percent, days, months, years",
                  col, SHOW(c));
    return false;
}

static bool check_qual(fx_facts_reader *r, const fx_cell *c, fx_qual *out)
{
    for (int i = 0; i < 4; i++)
        if (strlen(qual_names[i]) == c->len && memcmp(qual_names[i], c->text, c->len) == 0) {
            *out = (fx_qual)i;
            return true;
        }
    fx_diag_error(r->d, c->at, "qualifier: \"%s\"; expected empty, about, at_least or at_most",
                  SHOW(c));
    return false;
}

/* SPEC 2: the words of --basis; empty is --basis's. */
static bool check_basis(fx_facts_reader *r, const fx_cell *c, fx_basis *out)
{
    if (fx_basis_parse(c->text, c->len, out))
        return true;
    fx_diag_error(r->d, c->at,
                  "basis: \"%s\"; expected empty, spot, month-average, quarter-average or "
                  "year-average", SHOW(c));
    return false;
}

static void format_at(const fx_facts_reader *r, const first_seen *s, char *buf, size_t n)
{
    snprintf(buf, n, "%s:%lu:%lu", r->names[s->input], s->line, s->col);
}

/* fact_id unique across all inputs; the index keeps the first position. */
static bool check_unique(fx_facts_reader *r, const fx_cell *c)
{
    const char *prev = g_hash_table_lookup(r->ids, c->text);
    if (prev) {
        id_pos p;
        memcpy(&p, prev - sizeof p, sizeof p);
        first_seen s = {p.input, p.line, p.col};
        char at[512];
        format_at(r, &s, at, sizeof at);
        fx_diag_error(r->d, c->at, "duplicate fact_id \"%s\"; first defined at %s", SHOW(c), at);
        return false;
    }
    char packed[sizeof(id_pos) + ID_MAX];
    id_pos p = {(uint32_t)(r->ninputs - 1), (uint32_t)c->at.line, (uint32_t)c->at.col};
    memcpy(packed, &p, sizeof p);
    memcpy(packed + sizeof p, c->text, c->len);
    char *id = fx_arena_strndup(r->arena, packed, sizeof p + c->len) + sizeof p;
    g_hash_table_add(r->ids, id);
    return true;
}

/* A claim holds one kind of unit (SPEC 2). */
static bool check_claim_kind(fx_facts_reader *r, const fx_cell *claim, const fx_cell *unit,
                             fx_kind k)
{
    const claim_kind *prev = g_hash_table_lookup(r->claims, claim->text);
    if (!prev) {
        claim_kind *ck = fx_arena_alloc(r->arena, sizeof *ck);
        *ck = (claim_kind){k, {(unsigned)(r->ninputs - 1), unit->at.line, unit->at.col}};
        g_hash_table_insert(r->claims, fx_arena_strndup(r->arena, claim->text, claim->len), ck);
        return true;
    }
    if (prev->kind == k)
        return true;
    char at[512];
    format_at(r, &prev->at, at, sizeof at);
    fx_diag_error(r->d, unit->at, "unit: claim \"%s\" holds %s (first at %s), not %s; a claim "
                  "holds money or one other unit", SHOW(claim), fx_kind_name(prev->kind), at,
                  fx_kind_name(k));
    return false;
}

static const fx_cell empty_cell = {"", 0, {NULL, 0, 0}, false};

fx_status fx_facts_row(void *ctx, const fx_cell *cells, size_t n)
{
    fx_facts_reader *r = ctx;
    if (!r->header_done) {
        r->header_done = true;
        /* csvin did not hand on the first record (invalid UTF-8, a
         * noncharacter) and said why: this row is data, not the header,
         * and without the header no row can be read. */
        if (fx_diags_errors_in(r->d, r->name) > r->errors_before) {
            r->header_bad = true;
            return FX_OK;
        }
        return header(r, cells, n);
    }
    if (r->header_bad)
        return FX_OK; /* the header was reported; rows cannot be read without it */
    if (!fx_field_count(r->d, cells, n, r->ncols))
        return FX_OK;
    const fx_cell *c[C_COUNT];
    for (int i = 0; i < C_COUNT; i++)
        c[i] = r->map[i] >= 0 ? &cells[r->map[i]] : &empty_cell;

    fx_fact *f = &r->fact;
    bool ok = true;
    f->at = cells[0].at;
    f->published_at = c[C_PUBLISHED]->at;
    f->input = r->ninputs - 1;
    ok &= check_id(r, c[C_FACT_ID], "fact_id") && check_unique(r, c[C_FACT_ID]);
    ok &= check_text(r, c[C_ENTITY], "entity", true);
    ok &= check_id(r, c[C_CLAIM], "claim");
    ok &= check_id(r, c[C_SOURCE], "source");
    ok &= check_date(r, c[C_PUBLISHED], "published", &f->published);
    ok &= check_value(r, c[C_VALUE], "value", &f->fig.value);
    f->fig.scale = 0;
    if (c[C_SCALE]->len)
        ok &= check_scale(r, c[C_SCALE], "scale", &f->fig.scale);
    bool unit_ok = check_unit(r, c[C_UNIT], "unit", &f->fig);
    ok &= unit_ok;
    if (unit_ok && fx_facts_is_id(c[C_CLAIM]->text, c[C_CLAIM]->len))
        ok &= check_claim_kind(r, c[C_CLAIM], c[C_UNIT], f->fig.kind);
    f->qual = FX_QUAL_NONE;
    if (c[C_QUALIFIER]->len)
        ok &= check_qual(r, c[C_QUALIFIER], &f->qual);
    f->has_as_of = c[C_AS_OF]->len > 0;
    if (f->has_as_of) {
        f->as_of_at = c[C_AS_OF]->at;
        ok &= check_date(r, c[C_AS_OF], "as_of", &f->as_of);
    }
    f->has_basis = c[C_BASIS]->len > 0;
    f->basis = FX_BASIS_SPOT;
    if (f->has_basis) {
        f->basis_at = c[C_BASIS]->at;
        ok &= check_basis(r, c[C_BASIS], &f->basis);
    }

    const fx_cell *rv = c[C_REPORTED_VALUE], *rs = c[C_REPORTED_SCALE], *ru = c[C_REPORTED_UNIT];
    f->has_reported = rv->len || ru->len;
    if (f->has_reported || rs->len) {
        if (!rv->len) {
            fx_diag_error(r->d, r->map[C_REPORTED_VALUE] >= 0 ? rv->at : ru->at,
                          "reported_value: empty, but reported_%s is given; a reported "
                          "conversion needs its value and its unit",
                          ru->len ? "unit" : "scale");
            ok = false;
        } else
            ok &= check_value(r, rv, "reported_value", &f->reported.value);
        f->reported.scale = 0;
        if (rs->len)
            ok &= check_scale(r, rs, "reported_scale", &f->reported.scale);
        if (!ru->len) {
            fx_diag_error(r->d, r->map[C_REPORTED_UNIT] >= 0 ? ru->at : rv->at,
                          "reported_unit: empty, but reported_value is given; a reported "
                          "conversion needs its value and its unit");
            ok = false;
        } else if (check_unit(r, ru, "reported_unit", &f->reported)) {
            if (f->reported.kind != FX_KIND_MONEY) {
                fx_diag_error(r->d, ru->at, "reported_unit: \"%s\" is not a currency; a "
                              "reported conversion is money", SHOW(ru));
                ok = false;
            } else if (unit_ok && f->fig.kind != FX_KIND_MONEY) {
                fx_diag_error(r->d, ru->at, "reported_unit: the fact's unit is %s; only money "
                              "has a reported conversion", fx_kind_name(f->fig.kind));
                ok = false;
            }
        } else
            ok = false;
    }
    ok &= check_text(r, c[C_QUOTE], "quote", true);
    ok &= check_text(r, c[C_NOTE], "note", false);
    if (!ok)
        return FX_OK;

    f->fact_id = (fx_text){c[C_FACT_ID]->text, c[C_FACT_ID]->len};
    f->entity = (fx_text){c[C_ENTITY]->text, c[C_ENTITY]->len};
    f->claim = (fx_text){c[C_CLAIM]->text, c[C_CLAIM]->len};
    f->source = (fx_text){c[C_SOURCE]->text, c[C_SOURCE]->len};
    f->quote = (fx_text){c[C_QUOTE]->text, c[C_QUOTE]->len};
    f->note = (fx_text){c[C_NOTE]->text, c[C_NOTE]->len};
    r->counts[r->ninputs - 1]++;
    r->total++;
    return r->fn ? r->fn(r->ctx, f) : FX_OK;
}

void fx_facts_begin(fx_facts_reader *r, const char *name, fx_fact_fn fn, void *ctx, fx_diags *d)
{
    r->names = fx_xrealloc(r->names, (r->ninputs + 1) * sizeof *r->names);
    r->counts = fx_xrealloc(r->counts, (r->ninputs + 1) * sizeof *r->counts);
    r->names[r->ninputs] = name;
    r->counts[r->ninputs++] = 0;
    r->header_done = r->header_bad = false;
    r->errors_before = d ? fx_diags_errors_in(d, name) : 0;
    r->name = name;
    r->fn = fn;
    r->ctx = ctx;
    r->d = d;
}

fx_status fx_facts_end(fx_facts_reader *r, fx_status st)
{
    if (st == FX_OK && !r->header_done)
        return fx_diag_error(r->d, (fx_pos){r->name, 1, 1},
                             "empty file; expected a header row naming the columns "
                             "(fact_id,entity,claim,...)");
    if (st == FX_OK && fx_diags_errors_in(r->d, r->name) > 0)
        return FX_E_DATA;
    return st;
}

void fx_facts_skip_input(fx_facts_reader *r, const char *name)
{
    fx_facts_begin(r, name, NULL, NULL, NULL);
}

void fx_facts_set_tap(fx_facts_reader *r, fx_csvin_tap_fn tap, void *ctx)
{
    r->tap = tap;
    r->tap_ctx = ctx;
}

fx_status fx_facts_read(fx_facts_reader *r, const char *path, const char *name, fx_fact_fn fn,
                        void *ctx, fx_diags *d)
{
    fx_facts_begin(r, name, fn, ctx, d);
    fx_csvin_opts o = {r->tap, r->tap_ctx, NULL};
    return fx_facts_end(r, fx_csvin_read_opts(path, name, fx_facts_row, r, &o, d));
}

fx_status fx_facts_read_mem(fx_facts_reader *r, const char *buf, size_t len, size_t chunk,
                            const char *name, fx_fact_fn fn, void *ctx, fx_diags *d)
{
    fx_facts_begin(r, name, fn, ctx, d);
    return fx_facts_end(r, fx_csvin_read_mem(buf, len, chunk, name, fx_facts_row, r, d));
}
