/* diag - positioned diagnostics. Library code appends messages here and
 * returns a status; only main.c prints them and maps status to exit codes. */
#ifndef FX_DIAG_H
#define FX_DIAG_H

#include <stdarg.h>
#include <stddef.h>

/* Ordered by exit-code precedence (SPEC 1): a lower value wins. */
typedef enum {
    FX_OK = 0,
    FX_E_USAGE,     /* 64 */
    FX_E_NOINPUT,   /* 66 */
    FX_E_DATA,      /* 65 */
    FX_E_CANTCREAT, /* 73 */
    FX_E_BUSY,      /* 75: another run holds an output's lock */
    FX_E_IO,        /* 74 */
    FX_E_INTERNAL,  /* 70 */
} fx_status;

typedef enum { FX_SEV_ERROR, FX_SEV_WARNING } fx_severity;

/* Where a field starts: physical line and character column, both from 1.
 * file == NULL means "no position" (printed as "fxbook: error: ..."). */
typedef struct {
    const char *file;
    unsigned long line;
    unsigned long col;
} fx_pos;

/* Errors kept per input before the rest are summarized as a count. */
#define FX_DIAG_LIMIT 50

typedef struct fx_diags fx_diags;

fx_diags *fx_diags_new(void);
void fx_diags_free(fx_diags *d);

/* Appends "FILE:LINE:COL: error: MSG"; returns FX_E_DATA. */
fx_status fx_diag_error(fx_diags *d, fx_pos at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same with an explicit status (e.g. FX_E_NOINPUT for an unopenable file). */
fx_status fx_diag_status(fx_diags *d, fx_status st, fx_pos at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Appends "FILE:LINE:COL: warning: MSG" (does not change the status). */
void fx_diag_warn(fx_diags *d, fx_pos at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Text from an input as it may appear inside a one-line message: control
 * characters escaped (\n, \t, \xHH), cut after 40 characters with "...".
 * The result lives in one of four per-thread buffers: use it at once. */
const char *fx_diag_show(const char *s, size_t len);

/* Number of errors recorded for file (including those over the limit). */
size_t fx_diags_errors_in(const fx_diags *d, const char *file);
size_t fx_diags_count(const fx_diags *d);

/* Message i as a record: what main.c filters on (never the text). file is
 * NULL without one; text is the message alone. Valid until d is freed. */
typedef struct {
    fx_severity severity;
    fx_status status; /* FX_OK for a warning */
    const char *file;
    unsigned long line, col;
    const char *text;
} fx_diag;
fx_diag fx_diags_at(const fx_diags *d, size_t i);
/* The most severe status recorded so far (FX_OK if none). */
fx_status fx_diags_status(const fx_diags *d);
/* Message i as printed ("FILE:LINE:COL: error: TEXT"), without a newline. */
const char *fx_diags_message(const fx_diags *d, size_t i);

#endif
