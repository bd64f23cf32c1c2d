/* mem - allocation that never returns NULL, and an append-only string
 * arena. Out of memory is the one condition library code may exit on; in
 * a release build that holds for every allocation in the process, the
 * libraries' included (mem.c interposes malloc, calloc and realloc). */
#ifndef FX_MEM_H
#define FX_MEM_H

#include <stddef.h>

void *fx_xmalloc(size_t n);
void *fx_xcalloc(size_t n, size_t size);
void *fx_xrealloc(void *p, size_t n);
char *fx_xstrdup(const char *s);
/* p (an array of *cap elements of size bytes) with room for need: *cap
 * doubles from 16 until it does. */
void *fx_xgrow(void *p, size_t *cap, size_t need, size_t size);
char *fx_xstrndup(const char *s, size_t n);
/* Out of memory reported by a library that allocates on its own (a
 * failed libcrypto context): as for a failed fx_xmalloc of n bytes (0:
 * not known). Never returns. */
_Noreturn void fx_mem_fail(size_t n);

/* Called before exiting on out of memory (e.g. removes a temporary output):
 * from any thread, from inside any library's allocation, so it must only
 * do what is async-signal-safe (unlink, close). */
void fx_mem_on_oom(void (*fn)(void));
/* What the calling thread is doing, for the out-of-memory message ("out of
 * memory while writing the workbook"); NULL: nothing said. Returns the
 * previous value, to restore. */
const char *fx_mem_where(const char *where);
/* Where the out-of-memory message goes (standard error's descriptor,
 * while standard error is redirected for a while); returns the previous. */
int fx_mem_error_fd(int fd);

typedef struct fx_arena fx_arena;

fx_arena *fx_arena_new(void);
void fx_arena_free(fx_arena *a);
/* Copies n bytes and a terminating NUL; the copy lives as long as the arena. */
char *fx_arena_strndup(fx_arena *a, const char *s, size_t n);
void *fx_arena_alloc(fx_arena *a, size_t n);
size_t fx_arena_bytes(const fx_arena *a);

#endif
