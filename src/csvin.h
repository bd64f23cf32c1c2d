/* csvin - RFC 4180 reading on libcsv, with what libcsv lacks: the
 * physical line and character column of every field, UTF-8 validation,
 * a BOM and CRLF accepted, NUL and UTF-16 rejected, no space trimming,
 * strict quoting. Rows reach the caller one at a time; cells borrow a
 * buffer that is reused for the next row. */
#ifndef FX_CSVIN_H
#define FX_CSVIN_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"

typedef struct {
    const char *text; /* NUL-terminated (may also contain no NUL: NUL is rejected) */
    size_t len;       /* bytes */
    fx_pos at;        /* where the field starts (its opening quote, if quoted) */
    bool quoted;
} fx_cell;

/* Returns FX_OK to go on; anything else stops reading and is returned. */
typedef fx_status (*fx_csvin_row_fn)(void *ctx, const fx_cell *cells, size_t n);

/* Longest field accepted, in bytes (4 x Excel's 32,767 characters). */
#define FX_CSVIN_MAX_FIELD (4 * 32767 + 4)

/* Reads path ("-" is not special). An unopenable file is FX_E_NOINPUT;
 * malformed CSV is FX_E_DATA with every error appended to d. Blank lines
 * are skipped. A last record without a line end is read whole. `name` is
 * what diagnostics call the file (borrowed; must outlive d). */
fx_status fx_csvin_read(const char *path, const char *name, fx_csvin_row_fn fn,
                        void *ctx, fx_diags *d);
/* The same from memory (tests, fuzzers). chunk: bytes fed per call to
 * libcsv (0 = all at once), so tests can prove chunking changes nothing. */
fx_status fx_csvin_read_mem(const char *buf, size_t len, size_t chunk,
                            const char *name, fx_csvin_row_fn fn, void *ctx,
                            fx_diags *d);

/* Sees every byte a read takes from the file, in order, as it is read
 * (the caller's checksum, so a file is read once). The file is read to
 * its end unless an error stops it. */
typedef void (*fx_csvin_tap_fn)(void *ctx, const void *buf, size_t n);

/* What the plain reads leave out; zero (or a NULL pointer) = none. */
typedef struct {
    fx_csvin_tap_fn tap; /* file reads only */
    void *tap_ctx;
    /* When not NULL, set when the read returns: where the last record
     * starts if the input ends inside it, with no line end after it (a
     * format whose every line ends with one, like the ECB history, is
     * then cut short); file == NULL when the input ends with a line end,
     * has no record, or reading stopped at an error. */
    fx_pos *unterminated;
} fx_csvin_opts;

fx_status fx_csvin_read_opts(const char *path, const char *name, fx_csvin_row_fn fn, void *ctx,
                             const fx_csvin_opts *o, fx_diags *d);
fx_status fx_csvin_read_mem_opts(const char *buf, size_t len, size_t chunk, const char *name,
                                 fx_csvin_row_fn fn, void *ctx, const fx_csvin_opts *o,
                                 fx_diags *d);

#endif
