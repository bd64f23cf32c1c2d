/* diag - collects positioned messages as records; prints nothing. Keeps
 * at most FX_DIAG_LIMIT errors per file and counts the rest. The worst
 * status is kept as records arrive: the one place a status is computed. */
#include "diag.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

typedef struct {
    const char *file; /* borrowed */
    size_t errors;
} file_count;

typedef struct {
    fx_severity severity;
    fx_status status;
    char *file; /* a copy; NULL: none */
    unsigned long line, col;
    char *printed; /* "FILE:LINE:COL: error: TEXT" */
    size_t text_at; /* where TEXT starts in printed */
} record;

struct fx_diags {
    record *msg;
    size_t n, cap;
    file_count *files;
    size_t nfiles;
    size_t errors;
    fx_status worst;
    pthread_mutex_t mu; /* the workbook writer thread reports too */
};

fx_diags *fx_diags_new(void)
{
    fx_diags *d = fx_xcalloc(1, sizeof *d);
    pthread_mutex_init(&d->mu, NULL);
    return d;
}

void fx_diags_free(fx_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->msg[i].printed);
        free(d->msg[i].file);
    }
    free(d->msg);
    free(d->files);
    pthread_mutex_destroy(&d->mu);
    free(d);
}

static file_count *count_for(fx_diags *d, const char *file)
{
    for (size_t i = 0; i < d->nfiles; i++)
        if ((d->files[i].file == file) ||
            (file && d->files[i].file && strcmp(d->files[i].file, file) == 0))
            return &d->files[i];
    d->files = fx_xrealloc(d->files, (d->nfiles + 1) * sizeof *d->files);
    d->files[d->nfiles] = (file_count){file, 0};
    return &d->files[d->nfiles++];
}

static void push(fx_diags *d, fx_severity sev, fx_status st, fx_pos at, char *printed,
                 size_t text_at)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 16;
        d->msg = fx_xrealloc(d->msg, d->cap * sizeof *d->msg);
    }
    d->msg[d->n++] = (record){sev,     st, at.file ? fx_xstrdup(at.file) : NULL, at.line, at.col,
                              printed, text_at};
}

static char *vformat(fx_pos at, const char *kind, size_t *text_at, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static char *vformat(fx_pos at, const char *kind, size_t *text_at, const char *fmt, va_list ap)
{
    char head[512];
    int h;
    if (at.file && at.line)
        h = snprintf(head, sizeof head, "%s:%lu:%lu: %s: ", at.file, at.line, at.col, kind);
    else if (at.file)
        h = snprintf(head, sizeof head, "%s: %s: ", at.file, kind);
    else
        h = snprintf(head, sizeof head, "fxbook: %s: ", kind);
    if (h < 0)
        h = 0;
    if ((size_t)h >= sizeof head)
        h = sizeof head - 1;
    char small[1024];
    va_list ap2;
    va_copy(ap2, ap);
    int m = vsnprintf(small, sizeof small, fmt, ap2);
    va_end(ap2);
    if (m < 0)
        m = 0;
    char *s = fx_xmalloc((size_t)h + (size_t)m + 1);
    memcpy(s, head, (size_t)h);
    *text_at = (size_t)h;
    if ((size_t)m < sizeof small)
        memcpy(s + h, small, (size_t)m + 1);
    else
        vsnprintf(s + h, (size_t)m + 1, fmt, ap);
    return s;
}

static fx_status verror_locked(fx_diags *d, fx_status st, fx_pos at, const char *fmt,
                              va_list ap) __attribute__((format(printf, 4, 0)));

static fx_status verror_locked(fx_diags *d, fx_status st, fx_pos at, const char *fmt,
                              va_list ap)
{
    if (d->worst == FX_OK || st < d->worst)
        d->worst = st;
    d->errors++;
    file_count *fc = count_for(d, at.file);
    fc->errors++;
    size_t text_at;
    if (fc->errors <= FX_DIAG_LIMIT) {
        char *m = vformat(at, "error", &text_at, fmt, ap);
        push(d, FX_SEV_ERROR, st, at, m, text_at);
    } else if (fc->errors == FX_DIAG_LIMIT + 1) {
        const char *who = at.file ? at.file : "fxbook";
        size_t n = strlen(who) + 80;
        char *m = fx_xmalloc(n);
        int h = snprintf(m, n, "%s: error: ", who);
        snprintf(m + h, n - (size_t)h, "more errors follow; only the first %d are shown",
                 FX_DIAG_LIMIT);
        push(d, FX_SEV_ERROR, st, (fx_pos){at.file, 0, 0}, m, (size_t)h);
    }
    return st;
}

static fx_status verror(fx_diags *d, fx_status st, fx_pos at, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static fx_status verror(fx_diags *d, fx_status st, fx_pos at, const char *fmt, va_list ap)
{
    pthread_mutex_lock(&d->mu);
    verror_locked(d, st, at, fmt, ap);
    pthread_mutex_unlock(&d->mu);
    return st;
}

fx_status fx_diag_error(fx_diags *d, fx_pos at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fx_status st = verror(d, FX_E_DATA, at, fmt, ap);
    va_end(ap);
    return st;
}

fx_status fx_diag_status(fx_diags *d, fx_status st, fx_pos at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(d, st, at, fmt, ap);
    va_end(ap);
    return st;
}

void fx_diag_warn(fx_diags *d, fx_pos at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t text_at;
    char *m = vformat(at, "warning", &text_at, fmt, ap);
    va_end(ap);
    pthread_mutex_lock(&d->mu);
    push(d, FX_SEV_WARNING, FX_OK, at, m, text_at);
    pthread_mutex_unlock(&d->mu);
}

size_t fx_diags_errors_in(const fx_diags *d, const char *file)
{
    fx_diags *m = (fx_diags *)d; /* the lock is not part of the value */
    pthread_mutex_lock(&m->mu);
    size_t n = 0;
    for (size_t i = 0; i < d->nfiles; i++)
        if (d->files[i].file == file ||
            (file && d->files[i].file && strcmp(d->files[i].file, file) == 0))
            n = d->files[i].errors;
    pthread_mutex_unlock(&m->mu);
    return n;
}

size_t fx_diags_count(const fx_diags *d)
{
    return d->n;
}

fx_status fx_diags_status(const fx_diags *d)
{
    fx_diags *m = (fx_diags *)d;
    pthread_mutex_lock(&m->mu);
    fx_status st = d->worst;
    pthread_mutex_unlock(&m->mu);
    return st;
}

const char *fx_diags_message(const fx_diags *d, size_t i)
{
    return i < d->n ? d->msg[i].printed : NULL;
}

fx_diag fx_diags_at(const fx_diags *d, size_t i)
{
    const record *r = &d->msg[i];
    return (fx_diag){r->severity, r->status, r->file, r->line, r->col, r->printed + r->text_at};
}

const char *fx_diag_show(const char *s, size_t len)
{
    enum { CHARS = 40, SIZE = CHARS * 4 + 8 };
    static _Thread_local char bufs[4][SIZE];
    static _Thread_local unsigned next;
    char *out = bufs[next++ % 4];
    size_t o = 0, chars = 0, i = 0;
    while (i < len && chars < CHARS) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F) {
            const char *e = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : NULL;
            if (e)
                o += (size_t)snprintf(out + o, SIZE - o, "%s", e);
            else
                o += (size_t)snprintf(out + o, SIZE - o, "\\x%02X", c);
            i++;
        } else {
            /* a whole UTF-8 character (invalid bytes were reported already) */
            size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            if (n > len - i)
                n = len - i;
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
        }
        chars++;
    }
    if (i < len) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}
