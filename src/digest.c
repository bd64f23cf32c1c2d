/* digest - size and SHA-256 of the bytes a reader takes, with OpenSSL's
 * libcrypto (EVP SHA-256: the CPU's SHA instructions where it has them,
 * about 1 ms for the ECB history where GLib's GChecksum took 5). No hash
 * of our own. Invariant: fed in read order, chunk by chunk, so the result
 * is the file's own SHA-256 (sha256sum's). */
#include "digest.h"

#include <openssl/evp.h>
#include <stdio.h>

#include "mem.h"

void fx_digest_init(fx_digest *g)
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    if (!c || EVP_DigestInit_ex(c, EVP_sha256(), NULL) != 1)
        fx_mem_fail(0); /* libcrypto fails here only when it cannot allocate */
    g->sum = c;
    g->size = 0;
}

void fx_digest_clear(fx_digest *g)
{
    EVP_MD_CTX_free(g->sum); /* NULL is fine */
    g->sum = NULL;
}

void fx_digest_reset(fx_digest *g)
{
    if (EVP_DigestInit_ex(g->sum, EVP_sha256(), NULL) != 1)
        fx_mem_fail(0);
    g->size = 0;
}

void fx_digest_tap(void *ctx, const void *buf, size_t n)
{
    fx_digest *g = ctx;
    g->size += (long long)n;
    if (n && EVP_DigestUpdate(g->sum, buf, n) != 1)
        fx_mem_fail(0);
}

void fx_digest_hex(fx_digest *g, char out[FX_SHA256_HEX])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_DigestFinal_ex(g->sum, md, &len) != 1 || len != 32)
        fx_mem_fail(0);
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}
