/* mem - allocation that never returns NULL; an append-only string arena.
 * Invariant: arena blocks are never moved, so handed-out pointers stay valid. */
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void (*oom_hook)(void);

void fx_mem_on_oom(void (*fn)(void))
{
    oom_hook = fn;
}

static _Noreturn void oom(size_t n)
{
    if (oom_hook)
        oom_hook();
    fprintf(stderr, "fxbook: error: out of memory (%zu bytes)\n", n);
    exit(70); /* EX_SOFTWARE: the one exit outside main.c */
}

void *fx_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *fx_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

void *fx_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *fx_xstrdup(const char *s)
{
    return fx_xstrndup(s, strlen(s));
}

char *fx_xstrndup(const char *s, size_t n)
{
    char *p = fx_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

enum { BLOCK = 64 * 1024 };

typedef struct block {
    struct block *next;
    size_t used, cap;
    max_align_t data[]; /* aligned storage */
} block;

struct fx_arena {
    block *head;
    size_t bytes;
};

fx_arena *fx_arena_new(void)
{
    return fx_xcalloc(1, sizeof(fx_arena));
}

void fx_arena_free(fx_arena *a)
{
    if (!a)
        return;
    for (block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

/* The head block, or a new one, with room for n bytes at b->used. */
static block *room(fx_arena *a, size_t n)
{
    block *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > BLOCK ? n : BLOCK;
        b = fx_xmalloc(sizeof(block) + cap);
        b->used = 0;
        b->cap = cap;
        b->next = a->head;
        a->head = b;
    }
    return b;
}

void *fx_arena_alloc(fx_arena *a, size_t n)
{
    size_t align = sizeof(max_align_t);
    n = (n + align - 1) / align * align;
    block *b = a->head;
    if (b) /* strings pack unaligned: realign before an object */
        b->used = b->used + align - 1 < b->cap ? (b->used + align - 1) / align * align : b->cap;
    b = room(a, n);
    void *p = (char *)b->data + b->used;
    b->used += n;
    a->bytes += n;
    return p;
}

char *fx_arena_strndup(fx_arena *a, const char *s, size_t n)
{
    block *b = room(a, n + 1); /* strings need no alignment */
    char *p = (char *)b->data + b->used;
    memcpy(p, s, n);
    p[n] = '\0';
    b->used += n + 1;
    a->bytes += n + 1;
    return p;
}

size_t fx_arena_bytes(const fx_arena *a)
{
    return a->bytes;
}
