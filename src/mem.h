/* mem - allocation that never returns NULL, and an append-only string
 * arena. Out of memory is the one condition library code may exit on. */
#ifndef FX_MEM_H
#define FX_MEM_H

#include <stddef.h>

void *fx_xmalloc(size_t n);
void *fx_xcalloc(size_t n, size_t size);
void *fx_xrealloc(void *p, size_t n);
char *fx_xstrdup(const char *s);
char *fx_xstrndup(const char *s, size_t n);

/* Called before exiting on out of memory (e.g. removes a temporary output). */
void fx_mem_on_oom(void (*fn)(void));

typedef struct fx_arena fx_arena;

fx_arena *fx_arena_new(void);
void fx_arena_free(fx_arena *a);
/* Copies n bytes and a terminating NUL; the copy lives as long as the arena. */
char *fx_arena_strndup(fx_arena *a, const char *s, size_t n);
void *fx_arena_alloc(fx_arena *a, size_t n);
size_t fx_arena_bytes(const fx_arena *a);

#endif
