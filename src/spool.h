/* spool - records of length-prefixed byte fields in an unlinked temporary
 * file, appended, then read back in order (as often as needed). The one
 * scratch-file format below the audit's per-fact records and claim rows
 * and the workbook's Conversions rows. Invariant: the first I/O error is
 * kept (sticky): every later call fails and fx_spool_error names it and
 * the folder, so the caller reports it once. */
#ifndef FX_SPOOL_H
#define FX_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A field: len bytes at p. A field read back is followed by a NUL byte
 * (not counted in len), so text can be used as a C string. */
typedef struct {
    const void *p;
    size_t len;
} fx_spool_field;

/* Largest field and largest record (fields and their length words). */
#define FX_SPOOL_FIELD_MAX 0xFFFFFFFFu

typedef struct fx_spool fx_spool;

/* An unlinked temporary file in folder dir (gone when freed or when the
 * process dies). Never NULL: when the file cannot be made, the spool is
 * failed from the start (fx_spool_error says why) and every call fails. */
fx_spool *fx_spool_new(const char *dir);
/* The same with a buffer of bufsize bytes (at least 4,096) instead of
 * 64 KiB: for many spools open at once. */
fx_spool *fx_spool_new_sized(const char *dir, size_t bufsize);
void fx_spool_free(fx_spool *s);

/* Appends one record of n fields (n may be 0, a field may be empty).
 * Buffered: an error may only show at a later call, at the latest at
 * fx_spool_rewind. False once failed. */
bool fx_spool_put(fx_spool *s, const fx_spool_field *fields, size_t n);
/* Writes out what is buffered and goes back to the first record; appending
 * after a rewind is not supported. False once failed. */
bool fx_spool_rewind(fx_spool *s);
/* fx_spool_rewind for one pass in order: the pages read are given back to
 * the system as the reading goes on (a seek to them fails). */
bool fx_spool_read_once(fx_spool *s);
/* The next record: *fields points at its *n fields, valid until the next
 * call on s. 1: a record; 0: no more records; -1: failed (read error, or
 * a record cut short or inconsistent with what was written). */
int fx_spool_next(fx_spool *s, const fx_spool_field **fields, size_t *n);

/* Where the next record appended will start: remember it before
 * fx_spool_put to come back to that record with fx_spool_seek. */
uint64_t fx_spool_offset(const fx_spool *s);
/* Reading (it rewinds first if need be): the next fx_spool_next returns
 * the record that starts at off, an fx_spool_offset taken while writing. */
bool fx_spool_seek(fx_spool *s, uint64_t off);

/* The spool's length words, for a caller that packs fields of its own
 * into one field: v at p (room for FX_VARINT_MAX bytes), its length; and
 * back from [*p, end), advancing *p, false when cut short. */
enum { FX_VARINT_MAX = 10 };
size_t fx_varint_put(unsigned char *p, uint64_t v);
bool fx_varint_get(const char **p, const char *end, uint64_t *out);

/* Records appended so far. */
size_t fx_spool_records(const fx_spool *s);
/* 0, or the errno of the first failure (EIO for a bad record). */
int fx_spool_errno(const fx_spool *s);
/* NULL, or the first failure in words, e.g. "cannot write a temporary
 * file in out: No space left on device"; lives as long as s. */
const char *fx_spool_error(const fx_spool *s);

#endif
