/* fuzz_util - what the harnesses share: a hard failure that libFuzzer
 * reports with a stack (abort), a growable transcript to compare runs,
 * the checks every diagnostic must pass, and where the data files are.
 * Header-only (static functions): each harness is one program. */
#ifndef FX_FUZZ_UTIL_H
#define FX_FUZZ_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* An invariant broke: say which, then abort so libFuzzer saves the input. */
#define FZ_CHECK(cond, ...)                                                      \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "\n%s:%d: invariant failed: %s\n  ", __FILE__,       \
                    __LINE__, #cond);                                            \
            fprintf(stderr, __VA_ARGS__);                                        \
            fputc('\n', stderr);                                                 \
            abort();                                                             \
        }                                                                        \
    } while (0)

/* ---- a transcript: what a run produced, to compare two runs byte for byte */

typedef struct {
    char *s;
    size_t n, cap;
} fz_buf;

__attribute__((format(printf, 2, 3))) static inline void fz_printf(fz_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int m = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (m < 0)
        abort();
    if (b->n + (size_t)m + 1 > b->cap) {
        b->cap = (b->n + (size_t)m + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s)
            abort();
    }
    vsnprintf(b->s + b->n, (size_t)m + 1, fmt, ap);
    b->n += (size_t)m;
    va_end(ap);
}

static inline void fz_put(fz_buf *b, const char *s, size_t len)
{
    if (b->n + len + 1 > b->cap) {
        b->cap = (b->n + len + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s)
            abort();
    }
    if (len)
        memcpy(b->s + b->n, s, len);
    b->n += len;
    b->s[b->n] = '\0';
}

static inline void fz_free(fz_buf *b)
{
    free(b->s);
    b->s = NULL;
    b->n = b->cap = 0;
}

/* Shows where two transcripts part, then aborts. */
static inline void fz_same(const fz_buf *a, const fz_buf *b, const char *what)
{
    if (a->n == b->n && (a->n == 0 || memcmp(a->s, b->s, a->n) == 0))
        return;
    size_t i = 0;
    while (i < a->n && i < b->n && a->s[i] == b->s[i])
        i++;
    size_t from = i > 200 ? i - 200 : 0;
    fprintf(stderr, "\ninvariant failed: %s\n--- first (%zu bytes), from byte %zu:\n%.*s\n"
                    "--- second (%zu bytes), from byte %zu:\n%.*s\n",
            what, a->n, from, (int)((a->n - from) < 600 ? a->n - from : 600), a->s ? a->s + from : "",
            b->n, from, (int)((b->n - from) < 600 ? b->n - from : 600), b->s ? b->s + from : "");
    abort();
}

/* ---- diagnostics */

/* Physical lines of buf as csvin counts them: CR, LF and CRLF each end one. */
static inline unsigned long fz_lines(const uint8_t *buf, size_t len)
{
    unsigned long n = 1;
    for (size_t i = 0; i < len; i++)
        if (buf[i] == '\n' || (buf[i] == '\r' && !(i + 1 < len && buf[i + 1] == '\n')))
            n++;
    return n;
}

static inline bool fz_digits(const char **p, unsigned long *v)
{
    const char *s = *p;
    unsigned long x = 0;
    if (*s < '0' || *s > '9')
        return false;
    if (*s == '0') /* lines and columns count from 1: no leading zero */
        return false;
    while (*s >= '0' && *s <= '9') {
        if (x > (unsigned long)-1 / 10 - 1)
            return false;
        x = x * 10 + (unsigned long)(*s++ - '0');
    }
    *p = s;
    *v = x;
    return true;
}

/* Every message of d is "NAME:LINE:COL: error: TEXT" or "NAME: error: TEXT"
 * for one of names[0..nnames) (LINE within maxline when maxline > 0, the
 * first name only), or "fxbook: error: TEXT" when allow_bare; TEXT is not
 * empty. Returns the number of errors seen (for FX_OK <=> 0). */
static inline size_t fz_check_diags(const fx_diags *d, const char *const *names, size_t nnames,
                             unsigned long maxline, bool allow_bare)
{
    size_t n = fx_diags_count(d);
    for (size_t i = 0; i < n; i++) {
        const char *m = fx_diags_message(d, i);
        FZ_CHECK(m != NULL, "message %zu of %zu is NULL", i, n);
        const char *p = NULL;
        size_t which = 0;
        for (size_t k = 0; k < nnames && !p; k++) {
            size_t nl = strlen(names[k]);
            if (strncmp(m, names[k], nl) == 0 && m[nl] == ':') {
                p = m + nl + 1;
                which = k;
            }
        }
        if (!p) {
            FZ_CHECK(allow_bare && strncmp(m, "fxbook: error: ", 15) == 0,
                     "message without a known file name: \"%s\"", m);
            FZ_CHECK(m[15] != '\0', "empty message: \"%s\"", m);
            continue;
        }
        if (*p == ' ') {
            FZ_CHECK(strncmp(p, " error: ", 8) == 0, "not an error: \"%s\"", m);
            FZ_CHECK(p[8] != '\0', "empty message: \"%s\"", m);
            continue;
        }
        unsigned long line, col;
        FZ_CHECK(fz_digits(&p, &line) && *p == ':', "bad LINE in \"%s\"", m);
        p++;
        FZ_CHECK(fz_digits(&p, &col), "bad COL in \"%s\"", m);
        FZ_CHECK(strncmp(p, ": error: ", 9) == 0, "no \": error: \" in \"%s\"", m);
        FZ_CHECK(p[9] != '\0' && p[9] != ' ', "empty or spaced message: \"%s\"", m);
        FZ_CHECK(which != 0 || maxline == 0 || line <= maxline,
                 "line %lu past the input's %lu lines: \"%s\"", line, maxline, m);
    }
    return n;
}

/* ---- files */

/* The source tree: $FXBOOK_TOP, else two folders above the executable
 * (build/fuzz/fuzz_x), else the current directory. */
static inline const char *fz_top(void)
{
    static char top[4096];
    if (top[0])
        return top;
    const char *env = getenv("FXBOOK_TOP");
    if (env && *env) {
        snprintf(top, sizeof top, "%s", env);
        return top;
    }
    ssize_t n = readlink("/proc/self/exe", top, sizeof top - 1);
    if (n > 0) {
        top[n] = '\0';
        for (int k = 0; k < 3; k++) {
            char *slash = strrchr(top, '/');
            if (!slash)
                break;
            *slash = '\0';
        }
        char probe[4200];
        snprintf(probe, sizeof probe, "%s/rates/aliases.csv", top);
        if (access(probe, R_OK) == 0)
            return top;
    }
    snprintf(top, sizeof top, ".");
    return top;
}

/* A private temporary file, made once, in $TMPDIR, else /dev/shm, else
 * /tmp. It is unlinked at once and named through /proc/self/fd, so that
 * no crash or kill leaves it behind; without /proc, it keeps its name
 * and is removed at exit. */
static char fz_tmp_name[4096];

static inline void fz_tmpfile_remove(void)
{
    if (fz_tmp_name[0])
        unlink(fz_tmp_name);
}

static inline const char *fz_tmpfile(const char *tag)
{
    static char path[4096];
    if (path[0])
        return path;
    const char *dirs[] = {getenv("TMPDIR"), "/dev/shm", "/tmp"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        if (!dirs[i] || !*dirs[i])
            continue;
        snprintf(fz_tmp_name, sizeof fz_tmp_name, "%s/fxbook-fuzz-%s-XXXXXX", dirs[i], tag);
        int fd = mkstemp(fz_tmp_name);
        if (fd < 0)
            continue;
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        if (access(path, R_OK | W_OK) == 0) {
            unlink(fz_tmp_name); /* fd stays open for the whole run */
            fz_tmp_name[0] = '\0';
        } else {
            close(fd);
            snprintf(path, sizeof path, "%s", fz_tmp_name);
            atexit(fz_tmpfile_remove);
        }
        return path;
    }
    fprintf(stderr, "fuzz: cannot create a temporary file\n");
    abort();
}

/* Writes the whole input to path (truncating). */
static inline void fz_write(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    FZ_CHECK(f != NULL, "cannot write %s", path);
    FZ_CHECK(fwrite(data, 1, size, f) == size, "short write to %s", path);
    FZ_CHECK(fclose(f) == 0, "cannot close %s", path);
}

#endif
