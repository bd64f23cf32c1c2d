/* spool - length-prefixed records in an unlinked temporary file, with its
 * own buffer on the file descriptor (one write(2) per 64 KiB, never one per
 * field). Invariant: once s->err is set nothing more is written or read,
 * and the file holds exactly s->size bytes of whole records when it is not.
 *
 * On disk a record is: n, the n fields' lengths, then their bytes; n and
 * the lengths as LEB128 varints (7 bits a byte, low first): one byte for
 * the short fields that most records are made of, any length up to
 * FX_SPOOL_FIELD_MAX. Only this process reads it back. */
#define _GNU_SOURCE /* NOLINT(bugprone-reserved-identifier): O_TMPFILE */
#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"

enum { BUF = 64 * 1024, SEEK_CHUNK = 512 };

struct fx_spool {
    int fd;
    char *dir;
    int err;           /* first failure's errno; 0: none */
    char *why;         /* its message */
    bool reading;      /* rewound: fields come out of buf */
    unsigned char *buf;
    size_t used;       /* writing: bytes in buf; reading: bytes of buf filled */
    size_t at;         /* reading: next byte of buf */
    uint64_t size;     /* bytes of records written to the file */
    uint64_t left;     /* reading: bytes of the file not yet consumed from buf or fd */
    uint64_t buf_at;   /* reading: the file offset of buf[0] */
    size_t chunk;      /* reading: bytes a refill asks for (smaller after a seek) */
    size_t bufsize;    /* the buffer's bytes: BUF, or fx_spool_new_sized's */
    bool once;         /* read once: what is read is given back (fx_spool_read_once) */
    uint64_t dropped;  /* bytes from the start given back */
    size_t records;
    fx_spool_field *fields; /* the record fx_spool_next returns */
    size_t capfields;
    uint32_t *lens;
    size_t caplens;
    char *data; /* its bytes, each field NUL-terminated */
    size_t capdata;
};

static bool fail(fx_spool *s, int e, const char *what)
{
    if (s->err)
        return false;
    s->err = e ? e : EIO;
    const char *reason = e ? strerror(e) : "a record is cut short";
    size_t n = strlen(what) + strlen(s->dir) + strlen(reason) + 32;
    s->why = fx_xmalloc(n);
    snprintf(s->why, n, "cannot %s a temporary file in %s: %s", what, s->dir, reason);
    return false;
}

fx_spool *fx_spool_new(const char *dir)
{
    return fx_spool_new_sized(dir, BUF);
}

fx_spool *fx_spool_new_sized(const char *dir, size_t bufsize)
{
    fx_spool *s = fx_xcalloc(1, sizeof *s);
    s->fd = -1;
    s->dir = fx_xstrdup(dir);
    s->bufsize = bufsize < 4096 ? 4096 : bufsize;
    s->buf = fx_xmalloc(s->bufsize);
    /* Nameless from its first moment (O_TMPFILE): a signal can never find
     * it with a name, so nothing is left to clean up however the run ends.
     * A file system without it gets mkstemp and unlink, with this thread's
     * signals held between the two (the other threads block them:
     * writer.c). */
    s->fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (s->fd >= 0)
        return s;
    size_t n = strlen(dir) + 32;
    char *path = fx_xmalloc(n);
    snprintf(path, n, "%s/.fxbook-spool-XXXXXX", dir);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    s->fd = mkstemp(path);
    int e = errno;
    if (s->fd >= 0)
        unlink(path);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (s->fd < 0)
        fail(s, e, "create");
    free(path);
    return s;
}

void fx_spool_free(fx_spool *s)
{
    if (!s)
        return;
    if (s->fd >= 0)
        close(s->fd);
    free(s->dir);
    free(s->why);
    free(s->buf);
    free(s->fields);
    free(s->lens);
    free(s->data);
    free(s);
}

static bool write_all(fx_spool *s, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t k = write(s->fd, c, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return fail(s, k < 0 ? errno : ENOSPC, "write");
        c += k;
        n -= (size_t)k;
    }
    return true;
}

static bool flush(fx_spool *s)
{
    bool ok = write_all(s, s->buf, s->used);
    s->used = 0;
    return ok;
}

/* Copies n bytes into the write buffer, writing it out as it fills; a
 * field larger than the buffer goes straight to the file. */
static bool emit(fx_spool *s, const void *p, size_t n)
{
    if (n > s->bufsize - s->used) {
        if (!flush(s))
            return false;
        if (n >= s->bufsize)
            return write_all(s, p, n);
    }
    if (n)
        memcpy(s->buf + s->used, p, n);
    s->used += n;
    return true;
}

size_t fx_varint_put(unsigned char *p, uint64_t v)
{
    size_t k = 0;
    for (; v >= 0x80; v >>= 7)
        p[k++] = (unsigned char)(v | 0x80);
    p[k++] = (unsigned char)v;
    return k;
}

bool fx_varint_get(const char **p, const char *end, uint64_t *out)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64 && *p < end; shift += 7) {
        unsigned char c = (unsigned char)*(*p)++;
        v |= (uint64_t)(c & 0x7F) << shift;
        if (!(c & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

bool fx_spool_put(fx_spool *s, const fx_spool_field *fields, size_t n)
{
    if (s->err)
        return false;
    if (s->reading || n > FX_SPOOL_FIELD_MAX)
        return fail(s, EINVAL, "write");
    unsigned char v[FX_VARINT_MAX];
    size_t k = fx_varint_put(v, n);
    uint64_t bytes = k;
    bool ok = emit(s, v, k);
    for (size_t i = 0; i < n && ok; i++) {
        if (fields[i].len > FX_SPOOL_FIELD_MAX)
            return fail(s, EFBIG, "write");
        k = fx_varint_put(v, fields[i].len);
        bytes += k + fields[i].len;
        ok = emit(s, v, k);
    }
    for (size_t i = 0; i < n && ok; i++)
        ok = emit(s, fields[i].p, fields[i].len);
    if (!ok)
        return false;
    s->size += bytes;
    s->records++;
    return true;
}

bool fx_spool_rewind(fx_spool *s)
{
    if (s->err)
        return false;
    if (s->dropped) /* read once, and its start given back */
        return fail(s, EINVAL, "read back");
    if (!s->reading && !flush(s))
        return false;
    s->reading = true;
    s->used = s->at = 0;
    s->left = s->size;
    s->buf_at = 0;
    s->chunk = s->bufsize;
    return true;
}

uint64_t fx_spool_offset(const fx_spool *s)
{
    return s->size;
}

/* Within the buffer: moves in it; else reads from off, SEEK_CHUNK bytes
 * at a time (a seek is the start of a short read, not of a scan: the
 * explanations and findings are read back one record each, out of
 * order, and a whole page per record copied 4 KiB for 150 bytes). */
bool fx_spool_seek(fx_spool *s, uint64_t off)
{
    if (!s->reading && !fx_spool_rewind(s))
        return false;
    if (s->err)
        return false;
    if (off > s->size || off < s->dropped)
        return fail(s, EINVAL, "read back");
    if (off >= s->buf_at && off <= s->buf_at + s->used) {
        s->at = (size_t)(off - s->buf_at);
        return true;
    }
    s->used = s->at = 0;
    s->buf_at = off;
    s->left = s->size - off;
    s->chunk = SEEK_CHUNK;
    return true;
}

/* Every DROP bytes read, a read-once spool gives their pages back: the
 * page cache then holds only what is still to be read, and pages never
 * written out are never written at all. A file system that cannot punch
 * holes keeps them (the file is freed at the end anyway). */
enum { DROP = 8 << 20 };

static void drop_read(fx_spool *s)
{
    uint64_t upto = s->buf_at & ~(uint64_t)4095;
    if (upto - s->dropped < DROP)
        return;
    if (fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)s->dropped,
                  (off_t)(upto - s->dropped)) != 0) {
        s->once = false; /* not supported here: keep them */
        return;
    }
    s->dropped = upto;
}

bool fx_spool_read_once(fx_spool *s)
{
    if (!fx_spool_rewind(s))
        return false;
    s->once = true;
    return true;
}

/* n bytes of the file into p (NULL: skip them). */
static bool take(fx_spool *s, void *p, size_t n)
{
    unsigned char *c = p;
    if (n > s->left + (s->used - s->at)) /* more than was written: never a wild read */
        return fail(s, 0, "read back");
    while (n > 0) {
        if (s->at == s->used) {
            size_t want = s->left < s->chunk ? (size_t)s->left : s->chunk;
            /* at the offset, not the file's position: a seek costs no call */
            ssize_t k = pread(s->fd, s->buf, want, (off_t)(s->buf_at + s->used));
            if (k < 0 && errno == EINTR)
                continue;
            if (k <= 0)
                return fail(s, k < 0 ? errno : 0, "read back");
            s->buf_at += s->used;
            s->used = (size_t)k;
            s->at = 0;
            s->left -= (uint64_t)k;
            if (s->once)
                drop_read(s);
        }
        size_t m = s->used - s->at < n ? s->used - s->at : n;
        memcpy(c, s->buf + s->at, m);
        c += m;
        s->at += m;
        n -= m;
    }
    return true;
}


/* A varint of at most FX_SPOOL_FIELD_MAX. */
static bool take_varint(fx_spool *s, uint32_t *out)
{
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
        unsigned char c;
        if (s->at < s->used) /* the usual case: no call per byte */
            c = s->buf[s->at++];
        else if (!take(s, &c, 1))
            return false;
        v |= (uint64_t)(c & 0x7F) << shift;
        if (!(c & 0x80)) {
            if (v > FX_SPOOL_FIELD_MAX)
                break;
            *out = (uint32_t)v;
            return true;
        }
    }
    return fail(s, 0, "read back");
}

int fx_spool_next(fx_spool *s, const fx_spool_field **fields, size_t *n)
{
    if (!s->reading)
        fail(s, EINVAL, "read back"); /* not rewound: a caller's mistake, kept as any error */
    if (s->err)
        return -1;
    if (s->left == 0 && s->at == s->used)
        return 0;
    uint32_t nf;
    if (!take_varint(s, &nf))
        return -1;
    if (nf > s->left + (s->used - s->at)) { /* each length takes a byte at least */
        fail(s, 0, "read back");
        return -1;
    }
    s->lens = fx_xgrow(s->lens, &s->caplens, nf, sizeof *s->lens);
    for (uint32_t i = 0; i < nf; i++)
        if (!take_varint(s, &s->lens[i]))
            return -1;
    uint64_t total = 0;
    for (uint32_t i = 0; i < nf; i++)
        total += (uint64_t)s->lens[i] + 1;
    if (total - nf > s->left + (s->used - s->at)) {
        fail(s, 0, "read back");
        return -1;
    }
    s->fields = fx_xgrow(s->fields, &s->capfields, nf, sizeof *s->fields);
    s->data = fx_xgrow(s->data, &s->capdata, (size_t)total + 1, 1);
    char *d = s->data;
    for (uint32_t i = 0; i < nf; i++) {
        if (!take(s, d, s->lens[i]))
            return -1;
        d[s->lens[i]] = '\0';
        s->fields[i] = (fx_spool_field){d, s->lens[i]};
        d += (size_t)s->lens[i] + 1;
    }
    *fields = s->fields;
    *n = nf;
    return 1;
}

size_t fx_spool_records(const fx_spool *s)
{
    return s->records;
}

int fx_spool_errno(const fx_spool *s)
{
    return s->err;
}

const char *fx_spool_error(const fx_spool *s)
{
    return s->why;
}
