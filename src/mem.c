/* mem - allocation that never returns NULL; an append-only string arena.
 * Invariants: arena blocks are never moved, so handed-out pointers stay
 * valid; in a release build no allocation in the process returns NULL
 * (see the guard at the end): out of memory is always exit 70. */
#include "mem.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void (*oom_hook)(void);
static _Thread_local const char *oom_where;
static _Thread_local int in_oom;      /* this thread is already on its way out */
static atomic_flag oom_taken = ATOMIC_FLAG_INIT; /* some thread is */
static volatile sig_atomic_t err_fd = STDERR_FILENO;

void fx_mem_on_oom(void (*fn)(void))
{
    oom_hook = fn;
}

int fx_mem_error_fd(int fd)
{
    int was = err_fd;
    err_fd = fd;
    return was;
}

const char *fx_mem_where(const char *where)
{
    const char *was = oom_where;
    oom_where = where;
    return was;
}

/* Out of memory: remove the temporary outputs, say so, exit 70. Also
 * reached from inside any library's malloc (the guard), so it allocates
 * nothing, takes no stdio lock and runs no atexit handler: snprintf to
 * the stack, write(2), _exit. */
static _Noreturn void oom_exit(size_t n)
{
    if (!in_oom) { /* a hook that itself runs out must not loop */
        in_oom = 1;
        /* Both threads can run out at once: one says so and exits, the
         * other waits for that exit (one message, one cleanup). */
        if (atomic_flag_test_and_set(&oom_taken))
            for (;;)
                pause();
        if (oom_hook)
            oom_hook();
    }
    char msg[192];
    int k = n ? snprintf(msg, sizeof msg,
                         "fxbook: error: out of memory%s%s (a request for %zu bytes failed)\n",
                         oom_where ? " while " : "", oom_where ? oom_where : "", n)
              : snprintf(msg, sizeof msg, "fxbook: error: out of memory%s%s\n",
                         oom_where ? " while " : "", oom_where ? oom_where : "");
    if (k > 0)
        (void)!write(err_fd, msg, (size_t)k < sizeof msg ? (size_t)k : sizeof msg - 1);
    _exit(70); /* EX_SOFTWARE: the one exit outside main.c */
}

static _Noreturn void oom(size_t n)
{
    oom_exit(n);
}

void fx_mem_fail(size_t n)
{
    oom_exit(n);
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

void *fx_xgrow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    *cap = n;
    return fx_xrealloc(p, n * size);
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

/* ---- the guard: no allocation in the process returns NULL ----
 *
 * libxlsxwriter 1.1.4 does not check most of its allocations: a failed
 * calloc in lxw_escape_control_characters (called for every string cell)
 * is a segfault, a failed cell allocation silently drops the cell (the
 * call still returns LXW_NO_ERROR) after printing its own "[ERROR] ...
 * Memory allocation failed"; GLib aborts (SIGTRAP) and GMP aborts on a
 * failed allocation. None of that can be checked from outside, so the
 * release build interposes malloc, calloc and realloc for the whole
 * process: each forwards to glibc's own and turns a failure into
 * oom_exit. free and the aligned allocators stay glibc's (same heap).
 * Sanitizer builds keep their own allocator (no guard there). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define FX_MEM_GUARD 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
    __has_feature(thread_sanitizer)
#define FX_MEM_GUARD 0
#endif
#endif
#if !defined(FX_MEM_GUARD) && defined(__GLIBC__)
#define FX_MEM_GUARD 1
#endif

#if FX_MEM_GUARD
/* glibc's own allocator under its exported names */
void *__libc_malloc(size_t n);             /* NOLINT(bugprone-reserved-identifier) */
void *__libc_calloc(size_t n, size_t size); /* NOLINT(bugprone-reserved-identifier) */
void *__libc_realloc(void *p, size_t n);   /* NOLINT(bugprone-reserved-identifier) */

void *malloc(size_t n)
{
    void *p = __libc_malloc(n);
    if (!p)
        oom_exit(n);
    return p;
}

void *calloc(size_t n, size_t size)
{
    void *p = __libc_calloc(n, size);
    if (!p && n && size)
        oom_exit(size > SIZE_MAX / n ? SIZE_MAX : n * size);
    return p;
}

void *realloc(void *p, size_t n)
{
    void *q = __libc_realloc(p, n);
    if (!q && (n || !p)) /* realloc(p, 0) frees p and may return NULL */
        oom_exit(n);
    return q;
}
#endif
