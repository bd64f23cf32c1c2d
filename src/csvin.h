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
 * are skipped. `name` is what diagnostics call the file (borrowed; must
 * outlive d). */
fx_status fx_csvin_read(const char *path, const char *name, fx_csvin_row_fn fn,
                        void *ctx, fx_diags *d);
/* Sees every byte fx_csvin_read_tap reads, in order, as it is read (the
 * caller's checksum, so a file is read once). It reads to the end of the
 * file unless an error stops it. */
typedef void (*fx_csvin_tap_fn)(void *ctx, const void *buf, size_t n);
fx_status fx_csvin_read_tap(const char *path, const char *name, fx_csvin_row_fn fn, void *ctx,
                            fx_csvin_tap_fn tap, void *tap_ctx, fx_diags *d);
/* The same from memory (tests, fuzzers). chunk: bytes fed per call to
 * libcsv (0 = all at once), so tests can prove chunking changes nothing. */
fx_status fx_csvin_read_mem(const char *buf, size_t len, size_t chunk,
                            const char *name, fx_csvin_row_fn fn, void *ctx,
                            fx_diags *d);

#endif
