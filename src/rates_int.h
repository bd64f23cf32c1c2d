/* rates_int - the inside of the rates module, shared by its files and by
 * nothing else: the table (rates.c), its finish (rates_finish.c) and its
 * lookups (rates_lookup.c), the file and folder
 * walk with the cell checks every format uses (rates_load.c), and one
 * reader per file format (rates_<format>.c), registered in one table in
 * rates_load.c. A reader sees cells and hands rates to fx_rates_add; it
 * never touches the table's arrays. */
#ifndef FX_RATES_INT_H
#define FX_RATES_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csvin.h"
#include "digest.h"
#include "mem.h"
#include "rates.h"

enum { FX_NCODES = 26 * 26 * 26 };

/* One unordered pair of one provider: x has the smaller code. */
typedef struct {
    uint64_t key;  /* provider << 32 | code(x) * FX_NCODES + code(y) */
    uint32_t x, y; /* dense currency indexes */
    uint32_t prov; /* provider id */
    fx_rate *r;    /* load order; after finish sorted by day, duplicates gone. Until
                      finish a rate's id holds its value's column (for the messages of
                      finish) rather than a second array beside r */
    size_t n, cap;
    bool own;  /* r is the pair's own allocation (else it lies in a block of the table) */
    bool asc;  /* days so far never decrease */
    bool desc; /* days so far strictly decrease (the ECB file: newest first) */
} fx_rpair;

typedef struct {
    uint32_t other; /* dense index */
    uint32_t pair;
    uint32_t prov;
    uint32_t code; /* code_of(other): with prov, the sort key */
} fx_radj;

typedef struct {
    const char *name;  /* as read (messages) */
    const char *shown; /* as the workbook names it */
    fx_day first, last;
    size_t n;
    long long size;             /* bytes read */
    char sha256[FX_SHA256_HEX]; /* of those bytes */
} fx_rfile;

typedef struct {
    const char *s; /* in the arena */
    size_t len;
    fx_ccy code;
    fx_pos at;
    size_t order; /* load order, for a stable sort */
} fx_ralias;

/* A provider name, interned: every origin of one provider holds the same
 * pointer. `loaded` once a rate of it was added; `order` is then its
 * place among the loaded providers (load order of their first rates). */
typedef struct {
    const char *name;
    bool loaded;
    uint32_t order;
} fx_rprov;

/* A block of rates shared by the pairs of a wide file (fx_rates_wide). */
typedef struct {
    void *p;
    size_t bytes;
    bool mapped; /* mmap'ed (else malloc'ed) */
} fx_rblock;

struct fx_rate_table {
    fx_arena *arena; /* file names, origins, providers, alias strings */

    size_t n; /* rates in all pairs */

    int32_t dense[FX_NCODES]; /* code -> dense currency index, -1 if absent */
    fx_ccy *ccys;             /* dense -> code */
    size_t nccy, ccycap;

    fx_rpair *pairs;
    size_t npairs, paircap;
    uint32_t *phash; /* open addressing: pair id + 1, 0 = empty */
    size_t phcap;

    fx_rprov *provs;
    size_t nprov, provcap;
    uint32_t *loaded; /* provider ids in load order (nloaded); built as rates come */
    size_t nloaded;

    fx_rfile *files;
    size_t nfiles, filecap;

    fx_rblock *blocks;
    size_t nblocks;

    fx_ralias *aliases;
    size_t naliases, aliascap;
    bool has_aliases;

    /* built by fx_rates_finish */
    bool finished;
    size_t *adjoff; /* nccy + 1 */
    fx_radj *adj;
    fx_day *cfirst, *clast; /* per provider and currency (prov * nccy + c): first and
                               last day it appears; INT32_MAX / INT32_MIN: never */
};

typedef struct fx_rates_loader fx_rates_loader;

/* One file format. The walk gives a file's first record to each reader's
 * `claims` in table order; the first that claims it reads the file. */
typedef struct {
    bool (*claims)(const fx_cell *c, size_t n);
    /* The header's checks; sets L->ncols (0: rows may have any number of
     * fields) and L->origin when the file's provider is not its name. A
     * status other than FX_OK stops the file. */
    fx_status (*header)(fx_rates_loader *L, const fx_cell *c, size_t n);
    /* One row of L->ncols fields; errors go to L->d, and L->st. */
    void (*row)(fx_rates_loader *L, const fx_cell *c, size_t n);
    /* Frees L->state (NULL: nothing to free). */
    void (*done)(fx_rates_loader *L);
    /* Every line of the format ends with a line end: a last line without
     * one is a file cut short (the ECB history). */
    bool needs_line_end;
} fx_rates_reader;

struct fx_rates_loader {
    fx_rate_table *t;
    fx_diags *d;
    size_t file;                    /* index into t->files */
    const char *name;               /* as read, for messages */
    const fx_rates_reader *reader;  /* NULL until the header was read */
    const fx_rate_origin *origin;   /* the file's own: its provider is the file's
                                       name unless the header says otherwise */
    size_t ncols;                   /* fields a row must have (0: any) */
    const char *short_hint;         /* said when a row has one field too few */
    size_t size;                    /* bytes in the file (stat), for reserving */
    bool regular;                   /* a regular file (it can be read twice) */
    fx_rate *block;                 /* fx_rates_wide's block: rates free from block_used on */
    size_t block_used, block_cap;
    size_t errors_before;           /* errors of this file's name before it was read */
    void *state;                    /* the reader's */
    fx_status st;
};

/* ---- the table (rates.c) ---- */

/* A new origin of L's file with this provider (interned: copied once). */
const fx_rate_origin *fx_rates_origin(fx_rates_loader *L, const char *provider, size_t len);
/* Pair id of {a, b} (a != b) of the origin's provider, registered on first use. */
uint32_t fx_rates_pair(fx_rate_table *t, const fx_rate_origin *o, fx_ccy a, fx_ccy b);
/* Room for `more` rates in a pair without a realloc. */
void fx_rates_reserve(fx_rate_table *t, uint32_t pair, size_t more);
/* A wide file (the ECB history: a column per currency, a row per day)
 * of at most `rows` rows of `cols` rates: its pairs share one block sized
 * for them, rather than each growing its own. */
void fx_rates_wide(fx_rates_loader *L, size_t rows, size_t cols);
/* Room for `more` rates in a pair that has none yet: in the wide block
 * when it has that room, else as fx_rates_reserve. */
void fx_rates_place(fx_rates_loader *L, uint32_t pair, size_t more);
/* Adds 1 base = v quote on day to pair (of base and quote, from
 * fx_rates_pair with the same origin); at is the value's cell. */
void fx_rates_add(fx_rates_loader *L, uint32_t pair, fx_day day, fx_ccy base, fx_ccy quote,
                  fx_small v, fx_pos at, const fx_rate_origin *origin);

/* One rate of a row, for fx_rates_add_day: 1 base = value quote, in pair
 * (from fx_rates_pair with the row's origin); line and col: the value's
 * field. */
typedef struct {
    uint32_t pair;
    fx_ccy base, quote;
    fx_small value;
    unsigned long line, col;
} fx_rates_item;

/* Adds the n rates of one day from one origin, as n fx_rates_add calls
 * would: a wide file's row (the ECB history's) in one call, the
 * bookkeeping of the file done once per row instead of once per rate. */
void fx_rates_add_day(fx_rates_loader *L, fx_day day, const fx_rate_origin *origin,
                      const fx_rates_item *it, size_t n);
/* Adds an alias (text as read) of code. */
void fx_rates_add_alias(fx_rate_table *t, const char *s, size_t len, fx_ccy code, fx_pos at);

/* ---- the lookup's parts that rates_hull.c walks as each_day does (rates_lookup.c) ---- */

/* Dense index of c, or -1 when no rate has it. */
int32_t fx_rates_dense(const fx_rate_table *t, fx_ccy c);
/* Pair id of {a, b} of provider prov, or -1. */
long fx_rates_find_pair(const fx_rate_table *t, uint32_t prov, fx_ccy a, fx_ccy b);
/* The id of a loaded provider, or -1. */
long fx_rates_provider_id(const fx_rate_table *t, const char *name);
/* Adjacency entry k of currency a as a cross a -> C -> b of provider prov:
 * its pairs a-C (p1) and C-b (p2); false when it is none. */
bool fx_rates_cross_at(const fx_rate_table *t, size_t k, uint32_t prov, uint32_t b, uint32_t *p1,
                       uint32_t *p2);
/* First index in r[lo..hi) with r[i].day >= v. */
size_t fx_rates_lower(const fx_rate *r, size_t lo, size_t hi, fx_day v);

/* Shared by the table (rates.c), finish and the lookups: */
/* A code's number 0 .. FX_NCODES^2 - 1 (AAA, AAB, ...); c must be A-Z. */
static inline unsigned fx_rates_code_of(fx_ccy c)
{
    return (unsigned)(c.s[0] - 'A') * 676u + (unsigned)(c.s[1] - 'A') * 26u +
           (unsigned)(c.s[2] - 'A');
}
/* printf into why[whylen] when why is not NULL (a lookup's reason). */
void fx_rates_say(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The provider ids to try, in order: o's list (NULL: the default order);
 * how many, at most cap. */
size_t fx_rates_provider_order(const fx_rate_table *t, const fx_lookup_opts *o, uint32_t *out,
                               size_t cap);

/* ---- the cell checks every reader shares (rates_load.c) ---- */

bool fx_rates_cell_is(const fx_cell *c, const char *s);
/* Lines in L's file, counted ahead of the read: an upper bound on its
 * rows for sizing (the read itself decides what the rows are). 0 when not
 * known: not a regular file (a pipe is read once), or unreadable. */
size_t fx_rates_file_lines(const fx_rates_loader *L);
/* A positive plain decimal of at most 18 significant digits; reported
 * ("rate: ...") and false otherwise. */
bool fx_rates_parse_rate(fx_rates_loader *L, const fx_cell *c, fx_small *v);

/* The usual rate: digits with at most one '.' between digits, at most 18
 * digits in all, not zero, read in one pass. Gives what fx_small_parse
 * gives for it (leading zeros included); false for anything else, which
 * fx_rates_parse_rate then reads the general way (and reports). Inline: a
 * wide file calls it for every cell. */
static inline bool fx_rates_quick_rate(const char *s, size_t len, fx_small *v)
{
    if (len == 0 || len > FX_SMALL_MAX_DIGITS + 1 || s[0] == '.' || s[len - 1] == '.')
        return false;
    uint64_t c = 0;
    size_t dot = len;
    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d < 10)
            c = c * 10 + d;
        else if (s[i] == '.' && dot == len)
            dot = i;
        else
            return false;
    }
    if ((dot == len && len > FX_SMALL_MAX_DIGITS) || c == 0)
        return false; /* 19 digits: the general way says why; zero is no rate */
    *v = (fx_small){(int64_t)c, dot == len ? 0 : -(int32_t)(len - dot - 1)};
    return true;
}

/* An ISO date that exists; reported ("WHAT: ...") and false otherwise. */
bool fx_rates_parse_day(fx_rates_loader *L, const fx_cell *c, const char *what, fx_day *day);
/* Three capital letters; reported ("WHAT: ...") and false otherwise. */
bool fx_rates_parse_code(fx_rates_loader *L, const fx_cell *c, const char *what, fx_ccy *out);

#endif
