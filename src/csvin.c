/* csvin - RFC 4180 on libcsv, plus positions and encoding checks.
 *
 * libcsv assembles the fields; it knows nothing of lines and columns.
 * A small tracker runs over the same bytes first, mirroring libcsv's
 * strict state machine, and queues the position where each field starts;
 * libcsv's field callback takes them in order. The tracker also validates
 * UTF-8, rejects NUL, bounds field length, and is the one that names
 * structural errors (libcsv would only say "parse error"). Invariant:
 * for input the tracker accepts, it and libcsv see the same fields.
 * Records that are plain ASCII lines skip both (fast_rows): the same
 * cells, positions and calls, at a fraction of the cost. */
#include "csvin.h"

#include <csv.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

enum { CHUNK = 64 * 1024 };

typedef enum { ROW_NOT_BEGUN, FIELD_NOT_BEGUN, FIELD_BEGUN, FIELD_MIGHT_HAVE_ENDED } tstate;

typedef struct {
    /* tracker */
    tstate st;
    bool quoted;
    bool pending_cr; /* last byte was CR: a following LF is the same line break */
    unsigned long line, col;
    size_t field_bytes;
    unsigned utf8_need;  /* continuation bytes still expected */
    unsigned long utf8_cp; /* code point being decoded */
    unsigned utf8_len;
    fx_pos utf8_at;
    unsigned long bad_line; /* one encoding error per line is enough */
    fx_pos row_at;          /* where the record being read starts */
    bool row_bad;           /* the record has invalid UTF-8: not handed on */
    bool fatal; /* a structural error: stop reading */
    /* positions queued by the tracker, taken by libcsv's callback */
    fx_pos *q;
    size_t qhead, qtail, qcap;
    bool *qquoted;
    /* the row being assembled */
    fx_cell *cells;
    size_t *offs;
    size_t ncells, cellcap;
    char *text;
    size_t textlen, textcap;
    /* caller */
    const char *name;
    fx_csvin_row_fn fn;
    void *ctx;
    fx_diags *d;
    fx_status st_user;
    bool stopped;
} reader;

static fx_pos here(const reader *r)
{
    return (fx_pos){r->name, r->line, r->col};
}

static void queue_push(reader *r, bool quoted)
{
    if (r->qtail == r->qcap) {
        if (r->qhead > 0) { /* slide down what is still queued */
            memmove(r->q, r->q + r->qhead, (r->qtail - r->qhead) * sizeof *r->q);
            memmove(r->qquoted, r->qquoted + r->qhead, (r->qtail - r->qhead) * sizeof *r->qquoted);
            r->qtail -= r->qhead;
            r->qhead = 0;
        }
        if (r->qtail == r->qcap) {
            r->qcap = r->qcap ? 2 * r->qcap : 256;
            r->q = fx_xrealloc(r->q, r->qcap * sizeof *r->q);
            r->qquoted = fx_xrealloc(r->qquoted, r->qcap * sizeof *r->qquoted);
        }
    }
    r->q[r->qtail] = here(r);
    r->qquoted[r->qtail++] = quoted;
}

static void fatal(reader *r, fx_pos at, const char *msg)
{
    fx_diag_error(r->d, at, "%s", msg);
    r->fatal = true;
}

/* UTF-8 per RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF.
 * Returns false (and reports) on an invalid byte. */
static void encoding_error(reader *r, fx_pos at, const char *msg, unsigned c)
{
    r->row_bad = true;
    if (r->bad_line == at.line)
        return;
    r->bad_line = at.line;
    if (c)
        fx_diag_error(r->d, at, "invalid UTF-8 byte 0x%02X; save the file as UTF-8", c);
    else
        fx_diag_error(r->d, at, "invalid UTF-8: %s; save the file as UTF-8", msg);
}

/* U+FFFE and U+FFFF are valid UTF-8 but no XML 1.0 character: a
 * workbook cannot hold them (SPEC 2). Reported at the start of the field
 * that holds one (every character is in a field), the character's own
 * place in the message. The other noncharacters (U+FDD0..U+FDEF,
 * U+nFFFE, U+nFFFF above the BMP) are valid XML and pass. */
static void noncharacter(reader *r, unsigned long cp)
{
    r->row_bad = true;
    fx_pos field = r->qtail > r->qhead ? r->q[r->qtail - 1] : r->utf8_at;
    if (r->bad_line == field.line)
        return;
    r->bad_line = field.line;
    fx_diag_error(r->d, field,
                  "noncharacter U+%04lX at line %lu, column %lu; text may hold anything but NUL, "
                  "U+FFFE and U+FFFF (a workbook cannot store them)",
                  cp, r->utf8_at.line, r->utf8_at.col);
}

static bool utf8_step(reader *r, unsigned char c)
{
    if (r->utf8_need) {
        if ((c & 0xC0) != 0x80) {
            r->utf8_need = 0;
            encoding_error(r, r->utf8_at, "truncated sequence", 0);
            utf8_step(r, c); /* c starts a character of its own */
            return false;
        }
        r->utf8_cp = (r->utf8_cp << 6) | (c & 0x3F);
        if (--r->utf8_need == 0) {
            unsigned long cp = r->utf8_cp;
            if ((r->utf8_len == 3 && cp < 0x800) ||
                (r->utf8_len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
                (cp >= 0xD800 && cp <= 0xDFFF)) {
                encoding_error(r, r->utf8_at, "overlong or out-of-range sequence", 0);
                return false;
            }
            if (cp == 0xFFFE || cp == 0xFFFF) {
                noncharacter(r, cp);
                return false;
            }
        }
        return true;
    }
    if (c < 0x80)
        return true;
    r->utf8_at = here(r);
    if (c >= 0xC2 && c <= 0xDF) /* C0, C1 would be overlong */
        r->utf8_need = 1, r->utf8_cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF)
        r->utf8_need = 2, r->utf8_cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4)
        r->utf8_need = 3, r->utf8_cp = c & 0x07;
    else {
        encoding_error(r, r->utf8_at, NULL, c);
        return false;
    }
    r->utf8_len = r->utf8_need + 1;
    return true;
}

/* Bytes that inside a field change nothing but the column: ASCII except
 * NUL, the separators, the quote and line ends. */
static bool plain(unsigned char c)
{
    return c != 0 && c < 0x80 && c != ',' && c != '"' && c != '\n' && c != '\r';
}

/* Moves the position past byte c. */
static void advance(reader *r, unsigned char c)
{
    if (c == '\n') {
        if (!r->pending_cr)
            r->line++;
        r->col = 1;
        r->pending_cr = false;
    } else if (c == '\r') {
        r->line++;
        r->col = 1;
        r->pending_cr = true;
    } else {
        r->pending_cr = false;
        if ((c & 0xC0) != 0x80)
            r->col++;
    }
}

/* Runs the tracker over buf[0..len) up to and including the byte that
 * ends a record; returns how many bytes may be given to libcsv. Feeding
 * libcsv record by record keeps every message in input order, whatever
 * the chunking: a record's encoding errors, then its field errors. */
static size_t track(reader *r, const unsigned char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (r->st == FIELD_BEGUN && r->utf8_need == 0) {
            /* Inside a field, a run of plain ASCII bytes only moves the
             * column: take it in one step (most of every file). */
            size_t j = i;
            while (j < len && plain(buf[j]))
                j++;
            if (j > i && r->field_bytes + (j - i) <= FX_CSVIN_MAX_FIELD) {
                r->field_bytes += j - i;
                r->col += j - i;
                r->pending_cr = false;
                i = j;
                if (i == len)
                    break;
            }
        }
        unsigned char c = buf[i];
        if (c == 0) {
            fatal(r, here(r), "NUL byte: this is not a UTF-8 text file (UTF-16?); save it as UTF-8");
            return i;
        }
        if (!utf8_step(r, c) && fx_diags_errors_in(r->d, r->name) > FX_DIAG_LIMIT) {
            r->fatal = true; /* a binary file: stop after the limit */
            return i;
        }
        bool nl = c == '\n' || c == '\r';
        if (r->st == ROW_NOT_BEGUN && !nl)
            r->row_at = here(r); /* a record starts */
        switch (r->st) {
        case ROW_NOT_BEGUN:
        case FIELD_NOT_BEGUN:
            if (nl) {
                bool ends = r->st == FIELD_NOT_BEGUN;
                if (ends)
                    queue_push(r, false); /* empty last field */
                r->st = ROW_NOT_BEGUN;
                if (ends) {
                    advance(r, c);
                    return i + 1;
                }
            } else if (c == ',') {
                queue_push(r, false); /* empty field */
                r->st = FIELD_NOT_BEGUN;
            } else {
                queue_push(r, c == '"');
                r->quoted = c == '"';
                r->st = FIELD_BEGUN;
                r->field_bytes = 0;
            }
            break;
        case FIELD_BEGUN:
            if (c == '"') {
                if (!r->quoted) {
                    fatal(r, here(r),
                          "quote inside an unquoted field; quote the whole field and double "
                          "the quote (\"a \"\"b\"\" c\")");
                    return i;
                }
                r->st = FIELD_MIGHT_HAVE_ENDED;
            } else if (!r->quoted && (c == ',' || nl)) {
                r->st = c == ',' ? FIELD_NOT_BEGUN : ROW_NOT_BEGUN;
                if (nl) {
                    advance(r, c);
                    return i + 1;
                }
            }
            break;
        case FIELD_MIGHT_HAVE_ENDED:
            if (c == ',')
                r->st = FIELD_NOT_BEGUN;
            else if (nl) {
                r->st = ROW_NOT_BEGUN;
                advance(r, c);
                return i + 1;
            } else if (c == '"')
                r->st = FIELD_BEGUN; /* "" is a quote */
            else {
                fatal(r, here(r),
                      "text after the closing quote; a quote inside a quoted field is written twice (\"\")");
                return i;
            }
            break;
        }
        if (r->st == FIELD_BEGUN && ++r->field_bytes > FX_CSVIN_MAX_FIELD) {
            fx_diag_error(r->d, r->q[r->qtail - 1], "field longer than %d bytes", FX_CSVIN_MAX_FIELD);
            r->fatal = true;
            return i;
        }
        advance(r, c);
    }
    return len;
}

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->qhead == r->qtail) { /* cannot happen if the tracker mirrors libcsv */
        r->st_user = FX_E_INTERNAL;
        r->stopped = true;
        return;
    }
    if (r->ncells == r->cellcap) {
        r->cellcap = r->cellcap ? 2 * r->cellcap : 32;
        r->cells = fx_xrealloc(r->cells, r->cellcap * sizeof *r->cells);
        r->offs = fx_xrealloc(r->offs, r->cellcap * sizeof *r->offs);
    }
    if (r->textlen + len + 1 > r->textcap) {
        while (r->textlen + len + 1 > r->textcap)
            r->textcap = r->textcap ? 2 * r->textcap : 4096;
        r->text = fx_xrealloc(r->text, r->textcap);
    }
    if (len)
        memcpy(r->text + r->textlen, s, len);
    r->text[r->textlen + len] = '\0';
    fx_cell *cell = &r->cells[r->ncells];
    cell->len = len;
    cell->at = r->q[r->qhead];
    cell->quoted = r->qquoted[r->qhead++];
    r->offs[r->ncells++] = r->textlen;
    r->textlen += len + 1;
}

static void on_row(int c, void *data)
{
    (void)c;
    reader *r = data;
    if (!r->stopped && r->st_user == FX_OK && !r->row_bad) {
        for (size_t i = 0; i < r->ncells; i++)
            r->cells[i].text = r->text + r->offs[i];
        fx_status st = r->fn(r->ctx, r->cells, r->ncells);
        if (st != FX_OK) {
            r->st_user = st;
            r->stopped = true;
        }
    }
    r->ncells = 0;
    r->textlen = 0;
    r->row_bad = false;
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0; /* never trim: " 12 " must reach the value check as written */
}

static void reader_init(reader *r, struct csv_parser *p, const char *name, fx_csvin_row_fn fn,
                        void *ctx, fx_diags *d)
{
    memset(r, 0, sizeof *r);
    r->st = ROW_NOT_BEGUN;
    r->line = 1;
    r->col = 1;
    r->name = name;
    r->fn = fn;
    r->ctx = ctx;
    r->d = d;
    csv_init(p, CSV_STRICT | CSV_STRICT_FINI);
    csv_set_space_func(p, no_space);
}

static void reader_clear(reader *r, struct csv_parser *p)
{
    csv_free(p);
    free(r->q);
    free(r->qquoted);
    free(r->cells);
    free(r->offs);
    free(r->text);
}

/* 0x80 in each byte of x that is zero, 0 in the others. Exact per byte:
 * (b & 0x7F) + 0x7F carries into bit 7 exactly when b & 0x7F is not
 * zero, and never into the next byte (the shorter (x - 0x01..) & ~x only
 * tells whether some byte is zero: a borrow marks bytes after a zero). */
static inline uint64_t zero_bytes(uint64_t x)
{
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full;
    return ~(((x & low7) + low7) | x | low7);
}

/* One record of the fast path: a line of n bytes (no LF) at s, copied to
 * r->text, cut at its commas into r->cells. False when the line is not
 * plain (a NUL, quote, CR or byte >= 0x80) or a field is over the limit:
 * the slow way then takes it and names what is wrong. Eight bytes a step
 * on a little-endian machine (the bytes of a word in the order of the
 * text): the check, the copy and the commas of a word at once, instead
 * of a check pass, a copy and a memchr per field. */
static bool fast_line(reader *r, const char *s, size_t n, size_t *ncells)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    char *out = r->text;
    size_t k = 0, start = 0, i = 0;
#define FAST_CELL(stop)                                                                     \
    do {                                                                                    \
        if ((stop) - start > FX_CSVIN_MAX_FIELD)                                            \
            return false;                                                                   \
        if (k == r->cellcap) {                                                              \
            r->cellcap = r->cellcap ? 2 * r->cellcap : 32;                                  \
            r->cells = fx_xrealloc(r->cells, r->cellcap * sizeof *r->cells);                \
            r->offs = fx_xrealloc(r->offs, r->cellcap * sizeof *r->offs);                   \
        }                                                                                   \
        r->cells[k++] = (fx_cell){out + start, (stop) - start,                              \
                                  {r->name, r->line, r->col + start}, false};               \
        start = (stop) + 1;                                                                 \
    } while (0)
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if ((w & highs) | zero_bytes(w) | zero_bytes(w ^ (ones * '"')) |
            zero_bytes(w ^ (ones * '\r')))
            return false;
        uint64_t commas = zero_bytes(w ^ (ones * ','));
        uint64_t cut = w & ~((commas >> 7) * 0xFF); /* each comma a NUL */
        memcpy(out + i, &cut, 8);
        for (; commas; commas &= commas - 1)
            FAST_CELL(i + (size_t)__builtin_ctzll(commas) / 8);
    }
#endif
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ',') {
            out[i] = '\0';
            FAST_CELL(i);
        } else if (plain(c)) {
            out[i] = (char)c;
        } else {
            return false;
        }
    }
    out[n] = '\0';
    FAST_CELL(n);
#undef FAST_CELL
    *ncells = k;
    return true;
}

/* The fast path: whole records of the chunk, one after another, as long
 * as each is a line of plain ASCII (plain() or a comma) that ends with a
 * LF inside the chunk: no quote, no CR, no NUL, no byte >= 0x80, no field
 * over the limit. Such a record means the same to RFC 4180 with or
 * without the tracker and libcsv: fields between the commas, each starting
 * at its byte's column. It is handed on as on_field/on_row would; blank
 * lines are skipped as libcsv skips them. Returns the bytes consumed; the
 * first record it cannot take (and all after) go the slow way. Called only
 * between records (ROW_NOT_BEGUN, no CR pending). Most rates and facts
 * files are all fast (the ECB history is). */
static size_t fast_rows(reader *r, const char *buf, size_t len)
{
    const char *s = buf, *end = buf + len;
    while (s < end && !r->stopped) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        if (!nl)
            break;
        if (nl == s) { /* a blank line */
            r->line++;
            r->col = 1;
            s++;
            continue;
        }
        size_t n = (size_t)(nl - s), k;
        if (!r->text || n + 1 > r->textcap) {
            while (n + 1 > r->textcap)
                r->textcap = r->textcap ? 2 * r->textcap : 4096;
            r->text = fx_xrealloc(r->text, r->textcap);
        }
        if (!fast_line(r, s, n, &k))
            break;
        fx_status st = r->fn(r->ctx, r->cells, k);
        if (st != FX_OK) {
            r->st_user = st;
            r->stopped = true;
        }
        r->line++;
        r->col = 1;
        s = nl + 1;
    }
    return (size_t)(s - buf);
}

/* Feeds one chunk through the tracker and libcsv; false to stop. */
static bool feed(reader *r, struct csv_parser *p, const char *buf, size_t len)
{
    size_t pos = 0;
    while (pos < len && !r->fatal && !r->stopped) {
        if (r->st == ROW_NOT_BEGUN && !r->pending_cr && r->utf8_need == 0 &&
            r->qhead == r->qtail) {
            pos += fast_rows(r, buf + pos, len - pos);
            if (pos >= len || r->stopped)
                break;
        }
        size_t n = track(r, (const unsigned char *)buf + pos, len - pos);
        if (n && csv_parse(p, buf + pos, n, on_field, on_row, r) != n && !r->fatal) {
            fx_diag_error(r->d, here(r), "malformed CSV: %s", csv_strerror(csv_error(p)));
            r->fatal = true;
        }
        pos += n;
        if (r->qhead == r->qtail)
            r->qhead = r->qtail = 0;
    }
    return !r->fatal && !r->stopped;
}

/* The end of the input: the last record, if it has no line end. Sets
 * *unterminated (when not NULL) as fx_csvin_opts says. */
static void finish(reader *r, struct csv_parser *p, fx_pos *unterminated)
{
    if (r->fatal || r->stopped)
        return;
    if (r->utf8_need)
        encoding_error(r, r->utf8_at, "truncated sequence at end of file", 0);
    if (r->st == FIELD_BEGUN && r->quoted) {
        fx_diag_error(r->d, r->q[r->qtail - 1],
                      "unterminated quoted field: the closing quote is missing");
        return;
    }
    if (unterminated && r->st != ROW_NOT_BEGUN)
        *unterminated = r->row_at;
    if (r->st == FIELD_NOT_BEGUN)
        queue_push(r, false); /* "a,b," at end of file: an empty last field */
    csv_fini(p, on_field, on_row, r);
}

/* A BOM is skipped; a UTF-16 BOM is named. Returns bytes to skip, or -1. */
static long check_start(reader *r, const unsigned char *b, size_t len)
{
    if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        return 3;
    if (len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
        fx_diag_error(r->d, (fx_pos){r->name, 1, 1},
                      "file is UTF-16; save it as UTF-8 (with or without a BOM)");
        return -1;
    }
    return 0;
}

static const fx_csvin_opts no_opts = {NULL, NULL, NULL};

fx_status fx_csvin_read_mem_opts(const char *buf, size_t len, size_t chunk, const char *name,
                                 fx_csvin_row_fn fn, void *ctx, const fx_csvin_opts *o,
                                 fx_diags *d)
{
    if (!o)
        o = &no_opts;
    if (o->unterminated)
        *o->unterminated = (fx_pos){0};
    reader r;
    struct csv_parser p;
    reader_init(&r, &p, name, fn, ctx, d);
    size_t before = fx_diags_errors_in(d, name);
    long skip = check_start(&r, (const unsigned char *)buf, len);
    if (skip >= 0) {
        size_t pos = (size_t)skip;
        if (chunk == 0)
            chunk = len ? len : 1;
        while (pos < len) {
            size_t n = len - pos < chunk ? len - pos : chunk;
            if (!feed(&r, &p, buf + pos, n))
                break;
            pos += n;
        }
        if (pos >= len)
            finish(&r, &p, o->unterminated);
    }
    fx_status st = r.st_user != FX_OK ? r.st_user
                   : fx_diags_errors_in(d, name) > before ? FX_E_DATA : FX_OK;
    reader_clear(&r, &p);
    return st;
}

fx_status fx_csvin_read_mem(const char *buf, size_t len, size_t chunk, const char *name,
                            fx_csvin_row_fn fn, void *ctx, fx_diags *d)
{
    return fx_csvin_read_mem_opts(buf, len, chunk, name, fn, ctx, NULL, d);
}

fx_status fx_csvin_read(const char *path, const char *name, fx_csvin_row_fn fn, void *ctx,
                        fx_diags *d)
{
    return fx_csvin_read_opts(path, name, fn, ctx, NULL, d);
}

fx_status fx_csvin_read_opts(const char *path, const char *name, fx_csvin_row_fn fn, void *ctx,
                             const fx_csvin_opts *o, fx_diags *d)
{
    if (!o)
        o = &no_opts;
    if (o->unterminated)
        *o->unterminated = (fx_pos){0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return fx_diag_status(d, FX_E_NOINPUT, (fx_pos){0}, "cannot open %s: %s", path,
                              strerror(errno));
    reader r;
    struct csv_parser p;
    reader_init(&r, &p, name, fn, ctx, d);
    size_t before = fx_diags_errors_in(d, name);
    char *buf = fx_xmalloc(CHUNK);
    bool first = true, go = true;
    fx_status st = FX_OK;
    size_t n;
    while (go && (n = fread(buf, 1, CHUNK, f)) > 0) {
        if (o->tap)
            o->tap(o->tap_ctx, buf, n);
        size_t skip = 0;
        if (first) {
            long s = check_start(&r, (unsigned char *)buf, n);
            if (s < 0) {
                go = false;
                break;
            }
            skip = (size_t)s;
            first = false;
        }
        go = feed(&r, &p, buf + skip, n - skip);
    }
    if (ferror(f))
        st = fx_diag_status(d, FX_E_IO, (fx_pos){0}, "cannot read %s: %s", path, strerror(errno));
    else if (go)
        finish(&r, &p, o->unterminated);
    fclose(f);
    free(buf);
    if (st == FX_OK)
        st = r.st_user != FX_OK ? r.st_user
             : fx_diags_errors_in(d, name) > before ? FX_E_DATA : FX_OK;
    reader_clear(&r, &p);
    return st;
}
