/* digest - size and SHA-256 of the bytes a reader takes, with GLib's
 * GChecksum (no hash of our own). Invariant: fed in read order, chunk by
 * chunk, so the result is the file's own SHA-256 (sha256sum's). */
#include "digest.h"

#include <glib.h>
#include <stdio.h>

void fx_digest_init(fx_digest *g)
{
    g->sum = g_checksum_new(G_CHECKSUM_SHA256);
    g->size = 0;
}

void fx_digest_clear(fx_digest *g)
{
    if (g->sum)
        g_checksum_free(g->sum);
    g->sum = NULL;
}

void fx_digest_reset(fx_digest *g)
{
    g_checksum_reset(g->sum);
    g->size = 0;
}

void fx_digest_tap(void *ctx, const void *buf, size_t n)
{
    fx_digest *g = ctx;
    g->size += (long long)n;
    /* gssize is signed: a chunk beyond it goes in pieces (csvin's are 64 KB) */
    for (const unsigned char *p = buf; n > 0;) {
        size_t k = n > (size_t)G_MAXSSIZE ? (size_t)G_MAXSSIZE : n;
        g_checksum_update(g->sum, p, (gssize)k);
        p += k;
        n -= k;
    }
}

void fx_digest_hex(fx_digest *g, char out[FX_SHA256_HEX])
{
    snprintf(out, FX_SHA256_HEX, "%s", g_checksum_get_string(g->sum));
}
