/* digest - the size and SHA-256 of an input, taken from the bytes its
 * reader reads anyway (csvin's tap), so that every input is read once and
 * the workbook can show what was read. One place computes them: facts
 * inputs (pipeline.c) and rates and aliases files (rates_load.c) alike. */
#ifndef FX_DIGEST_H
#define FX_DIGEST_H

#include <stddef.h>

/* Lower-case hex of a SHA-256, with its NUL. */
#define FX_SHA256_HEX 65

typedef struct {
    void *sum;      /* libcrypto's EVP_MD_CTX (SHA-256): the header stays free of it */
    long long size; /* bytes seen */
} fx_digest;

void fx_digest_init(fx_digest *g);
void fx_digest_clear(fx_digest *g);
/* Starts over: no bytes seen. */
void fx_digest_reset(fx_digest *g);
/* Adds n bytes; ctx is an fx_digest. An fx_csvin_tap_fn. */
void fx_digest_tap(void *ctx, const void *buf, size_t n);
/* The SHA-256 of the bytes seen since the last reset, lower-case hex.
 * No more bytes may be added until the next reset. */
void fx_digest_hex(fx_digest *g, char out[FX_SHA256_HEX]);

#endif
