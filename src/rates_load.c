/* rates_load - reading rates files and folders (SPEC 3, 8): the folder
 * walk, one file's rates read in one pass (its size and SHA-256 taken
 * from the bytes that pass reads; a wide file's lines may be counted
 * beforehand, for sizing only), the header handed to the registered
 * readers in turn, and the cell checks every format shares. Invariant:
 * every message of a file names it with the line and column of the field
 * at fault. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rates_int.h"

/* The formats, in the order their header tests are tried. A new format
 * is one file rates_<name>.c defining `const fx_rates_reader
 * fx_rates_<name>` and one entry here. */
#define FX_RATES_READERS(X) X(ecb) X(long) X(alias) X(fred) X(boe)

#define DECLARE(f) extern const fx_rates_reader fx_rates_##f;
FX_RATES_READERS(DECLARE)
#undef DECLARE
#define ENTRY(f) &fx_rates_##f,
static const fx_rates_reader *const readers[] = {FX_RATES_READERS(ENTRY) NULL};
#undef ENTRY

/* ---- cell checks ---- */

bool fx_rates_cell_is(const fx_cell *c, const char *s)
{
    return c->len == strlen(s) && memcmp(c->text, s, c->len) == 0;
}

size_t fx_rates_file_lines(const fx_rates_loader *L)
{
    if (!L->regular)
        return 0;
    FILE *f = fopen(L->name, "rb");
    if (!f)
        return 0;
    /* a line ends at a LF, a CR before a LF, or a CR alone (csvin reads
     * all three): count the LFs and the CRs not followed by one */
    enum { CHUNK = 1 << 16 };
    char *buf = fx_xmalloc(CHUNK);
    size_t lines = 1, n;
    bool cr = false; /* the byte before buf was a CR */
    while ((n = fread(buf, 1, CHUNK, f)) > 0) {
        for (const char *p = buf, *end = buf + n; (p = memchr(p, '\n', (size_t)(end - p))); p++)
            lines++;
        for (const char *p = buf, *end = buf + n; (p = memchr(p, '\r', (size_t)(end - p))); p++)
            lines += p + 1 < end ? p[1] != '\n' : 0;
        if (cr && buf[0] != '\n')
            lines++;
        cr = buf[n - 1] == '\r';
    }
    lines += cr;
    bool bad = ferror(f);
    fclose(f);
    free(buf);
    return bad ? 0 : lines;
}

bool fx_rates_parse_rate(fx_rates_loader *L, const fx_cell *c, fx_small *v)
{
    if (fx_rates_quick_rate(c->text, c->len, v))
        return true;
    fx_dec_err e = fx_small_parse(v, c->text, c->len);
    if (e == FX_DEC_SYNTAX) {
        char hint[64];
        if (fx_dec_hint(c->text, c->len, hint, sizeof hint))
            fx_diag_error(L->d, c->at, "rate: expected a plain decimal, got \"%s\"; %s",
                          fx_diag_show(c->text, c->len), hint);
        else
            fx_diag_error(L->d, c->at,
                          "rate: expected a plain decimal (digits, optionally '.' and digits), "
                          "got \"%s\"",
                          fx_diag_show(c->text, c->len));
        return false;
    }
    if (e == FX_DEC_TOO_LONG) {
        /* two limits: 18 significant digits, and (as for every value) 100
         * digits counting every decimal place */
        size_t sig = 0, places = 0;
        bool nonzero = false, frac = false;
        for (size_t i = 0; i < c->len; i++) {
            char ch = c->text[i];
            if (ch == '.')
                frac = true;
            else if (ch >= '0' && ch <= '9') {
                nonzero |= ch != '0';
                sig += nonzero;
                places += frac;
            }
        }
        if (sig > FX_SMALL_MAX_DIGITS)
            fx_diag_error(L->d, c->at, "rate: \"%s\" has more than %d significant digits",
                          fx_diag_show(c->text, c->len), FX_SMALL_MAX_DIGITS);
        else
            fx_diag_error(L->d, c->at,
                          "rate: \"%s\" has %zu decimal places; at most %d digits are read, "
                          "counting every decimal place and the integer digits from the first "
                          "nonzero one",
                          fx_diag_show(c->text, c->len), places, FX_DEC_MAX_DIGITS);
        return false;
    }
    if (v->coef <= 0) {
        fx_diag_error(L->d, c->at, "rate: must be greater than zero, got \"%s\"",
                      fx_diag_show(c->text, c->len));
        return false;
    }
    return true;
}

bool fx_rates_parse_day(fx_rates_loader *L, const fx_cell *c, const char *what, fx_day *day)
{
    if (fx_date_parse(c->text, c->len, day))
        return true;
    fx_diag_error(L->d, c->at, "%s: expected a date YYYY-MM-DD that exists, got \"%s\"", what,
                  fx_diag_show(c->text, c->len));
    return false;
}

bool fx_rates_parse_code(fx_rates_loader *L, const fx_cell *c, const char *what, fx_ccy *out)
{
    if (fx_ccy_parse(c->text, c->len, out))
        return true;
    fx_diag_error(L->d, c->at, "%s: expected a currency code (3 capital letters), got \"%s\"",
                  what, fx_diag_show(c->text, c->len));
    return false;
}

/* ---- one file ---- */

static fx_status unknown_header(fx_rates_loader *L, const fx_cell *c, size_t n)
{
    char got[96]; /* the header as read, cut (at a character) after 80 bytes */
    size_t o = 0;
    bool cut = false;
    for (size_t i = 0; i < n && !cut; i++) {
        for (size_t k = 0; k < c[i].len + (i > 0) && !cut; k++) {
            char next = i > 0 && k == 0 ? ',' : c[i].text[k - (i > 0)];
            if (o == 80) {
                if (((unsigned char)next & 0xC0) == 0x80) { /* drop the half character */
                    while (o > 0 && ((unsigned char)got[o - 1] & 0xC0) == 0x80)
                        o--;
                    if (o > 0)
                        o--;
                }
                cut = true;
                break;
            }
            got[o++] = next;
        }
    }
    if (cut)
        memcpy(got + o, "...", 3), o += 3;
    got[o] = '\0';
    return fx_diag_error(L->d, c[0].at,
                         "unknown rates header \"%s\": expected ECB history (Date,USD,JPY,...), "
                         "long (date,base,quote,rate[,source]), FRED (observation_date,DEXUSUK), "
                         "Bank of England (DATE,XUDLUSS,...) or aliases (alias,code)",
                         fx_diag_show(got, o));
}

static fx_status on_row(void *ctx, const fx_cell *c, size_t n)
{
    fx_rates_loader *L = ctx;
    if (!L->reader) {
        /* the first record was not handed on (csvin said why): it was the
         * header, and its rows mean nothing without it */
        if (fx_diags_errors_in(L->d, L->name) > L->errors_before)
            return L->st = FX_E_DATA;
        for (size_t i = 0; readers[i]; i++)
            if (readers[i]->claims(c, n)) {
                L->reader = readers[i];
                break;
            }
        fx_status st = L->reader ? L->reader->header(L, c, n) : unknown_header(L, c, n);
        if (st != FX_OK)
            L->st = st;
        return st; /* a bad header stops the file: its rows mean nothing */
    }
    if (L->ncols && n != L->ncols) {
        L->st = fx_diag_error(L->d, c[0].at, "expected %zu fields as in the header, got %zu%s",
                              L->ncols, n,
                              L->short_hint && n + 1 == L->ncols ? L->short_hint : "");
        return FX_OK;
    }
    L->reader->row(L, c, n);
    return FX_OK;
}

/* SPEC 3: a long file's provider when a row names none: the file's name
 * without its folder and ".csv". */
static const char *file_provider(const char *shown, size_t *len)
{
    const char *base = strrchr(shown, '/');
    base = base ? base + 1 : shown;
    size_t n = strlen(base);
    if (n > 4 && strcmp(base + n - 4, ".csv") == 0)
        n -= 4;
    *len = n;
    return base;
}

static fx_status load_file(fx_rate_table *t, const char *path, const char *shown, fx_diags *d)
{
    struct stat sb;
    bool known = stat(path, &sb) == 0;
    size_t size = known && sb.st_size > 0 ? (size_t)sb.st_size : 0;
    if (t->nfiles == t->filecap) {
        t->filecap = t->filecap ? 2 * t->filecap : 8;
        t->files = fx_xrealloc(t->files, t->filecap * sizeof *t->files);
    }
    const char *name = fx_arena_strndup(t->arena, path, strlen(path));
    size_t fi = t->nfiles++;
    const char *as = shown == path ? name : fx_arena_strndup(t->arena, shown, strlen(shown));
    t->files[fi] = (fx_rfile){.name = name, .shown = as};
    fx_rates_loader L = {.t = t, .d = d, .file = fi, .name = name, .size = size,
                         .regular = known && S_ISREG(sb.st_mode),
                         .errors_before = fx_diags_errors_in(d, name)};
    size_t plen;
    const char *prov = file_provider(t->files[fi].shown, &plen);
    L.origin = fx_rates_origin(&L, prov, plen);
    fx_pos cut = {0};
    /* size and SHA-256 from the bytes the rates come from, as they are read */
    fx_digest dg;
    fx_digest_init(&dg);
    fx_csvin_opts o = {.tap = fx_digest_tap, .tap_ctx = &dg, .unterminated = &cut};
    fx_status st = fx_csvin_read_opts(path, name, on_row, &L, &o, d);
    t->files[fi].size = dg.size;
    fx_digest_hex(&dg, t->files[fi].sha256);
    fx_digest_clear(&dg);
    /* The real ECB file ends every line with ",\n"; a last line without
     * its line end is a download cut short. The reader keeps every byte
     * it got, but a cut number still parses ("162.72" arrives as "162.7"):
     * in a file without the final comma column (an ECB-format file saved
     * by another tool) nothing else would tell. */
    if (L.reader && L.reader->needs_line_end && cut.file) {
        fx_diag_error(d, cut,
                      "the last line has no line end, so the file looks cut short (a truncated "
                      "download?): every line of the ECB history ends with one; download it "
                      "again");
        if (st == FX_OK)
            st = FX_E_DATA;
    }
    if (st == FX_OK && !L.reader && L.st == FX_OK)
        st = fx_diag_error(d, (fx_pos){name, 0, 0},
                           "empty file: expected a rates header: ECB history (Date,USD,JPY,...), "
                           "long (date,base,quote,rate[,source]), FRED (observation_date,DEXUSUK), "
                           "Bank of England (DATE,XUDLUSS,...) or aliases (alias,code)");
    if (L.reader && L.reader->done)
        L.reader->done(&L);
    if (st == FX_OK)
        st = L.st;
    return st;
}

/* ---- folders ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with_csv(const char *s)
{
    size_t n = strlen(s);
    return n > 4 && strcmp(s + n - 4, ".csv") == 0;
}

/* A *.csv in a rates folder is read, never skipped (SPEC 8): one that
 * cannot be (a link to a missing file, e.g. an unmounted share; no
 * permission to reach it; a folder or a device named *.csv) is
 * FX_E_NOINPUT with its path, since without it the numbers would change
 * without a word. A file without read permission passes here and fails
 * to open in load_file, with the same status. */
static bool readable_entry(const char *full, fx_diags *d)
{
    struct stat sb;
    if (stat(full, &sb) != 0) {
        int err = errno;
        char target[512];
        ssize_t tn = readlink(full, target, sizeof target - 1);
        if (tn >= 0) {
            target[tn] = '\0';
            fx_diag_status(d, FX_E_NOINPUT, (fx_pos){0},
                           "cannot open %s: %s (a symbolic link to %s)", full, strerror(err),
                           target);
        } else
            fx_diag_status(d, FX_E_NOINPUT, (fx_pos){0}, "cannot open %s: %s", full,
                           strerror(err));
        return false;
    }
    if (!S_ISREG(sb.st_mode)) {
        fx_diag_status(d, FX_E_NOINPUT, (fx_pos){0}, "cannot read %s: %s", full,
                       S_ISDIR(sb.st_mode) ? strerror(EISDIR)
                                           : "not a regular file (a rates file must be one)");
        return false;
    }
    return true;
}
static fx_status load_dir(fx_rate_table *t, const char *path, const char *shown, fx_diags *d)
{
    DIR *dir = opendir(path);
    if (!dir)
        return fx_diag_status(d, FX_E_NOINPUT, (fx_pos){0}, "cannot open %s: %s", path,
                              strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    size_t plen = strlen(path), slen = strlen(shown);
    bool slash = plen > 0 && path[plen - 1] == '/';
    bool sslash = slen > 0 && shown[slen - 1] == '/';
    struct dirent *e;
    int err;
    bool cut = false;
    while ((errno = 0, e = readdir(dir)) != NULL || (err = errno) != 0) {
        if (!e) { /* a listing cut short (an I/O error on a share) is no shorter folder */
            fx_diag_status(d, FX_E_NOINPUT, (fx_pos){0}, "cannot read %s: %s", path,
                           strerror(err));
            cut = true;
            break;
        }
        if (e->d_name[0] == '.' || !ends_with_csv(e->d_name))
            continue; /* hidden files are not part of "*.csv" */
        size_t len = plen + 1 + strlen(e->d_name) + 1;
        char *full = fx_xmalloc(len);
        snprintf(full, len, "%s%s%s", path, slash ? "" : "/", e->d_name);
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            names = fx_xrealloc(names, cap * sizeof *names);
        }
        names[n++] = full;
    }
    closedir(dir);
    fx_status st = cut ? FX_E_NOINPUT : FX_OK;
    if (n == 0 && !cut)
        st = fx_diag_status(d, FX_E_NOINPUT, (fx_pos){0}, "no *.csv rates files in %s", path);
    /* strcmp, not strcoll: the same order in every locale */
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_str);
    char *as = NULL;
    size_t ascap = 0;
    for (size_t i = 0; i < n; i++) {
        const char *file = names[i] + plen + !slash; /* the entry's own name */
        size_t len = slen + 1 + strlen(file) + 1;
        as = fx_xgrow(as, &ascap, len, 1);
        snprintf(as, len, "%s%s%s", shown, sslash ? "" : "/", file);
        fx_status s =
            readable_entry(names[i], d) ? load_file(t, names[i], shown == path ? names[i] : as, d)
                                        : FX_E_NOINPUT;
        if (s != FX_OK && (st == FX_OK || s < st))
            st = s;
        free(names[i]);
    }
    free(as);
    free(names);
    return st;
}

fx_status fx_rates_load(fx_rate_table *t, const char *path, fx_diags *d)
{
    return fx_rates_load_as(t, path, path, d);
}

fx_status fx_rates_load_as(fx_rate_table *t, const char *path, const char *shown, fx_diags *d)
{
    if (t->finished) /* finish handed out pointers that more rates would move */
        return fx_diag_status(d, FX_E_INTERNAL, (fx_pos){0},
                              "rates: %s loaded after fx_rates_finish", path);
    struct stat sb;
    if (stat(path, &sb) != 0)
        return fx_diag_status(d, FX_E_NOINPUT, (fx_pos){0}, "cannot open %s: %s", path,
                              strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return load_dir(t, path, shown, d);
    return load_file(t, path, shown, d);
}

