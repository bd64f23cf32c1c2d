/* writer - a bounded ring of deep-copied converted and checked facts
 * between the reading thread (producer: parse, convert, check) and the
 * writer thread (consumer: audit aggregates, findings, explanations,
 * workbook and CSV rows). Invariant: a slot is owned by the producer
 * while it fills it and by the consumer from commit until it is written;
 * the mutex guards only head, count and flags. */
#include "writer.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

enum { RING = 256 };

typedef struct {
    fx_fact fact;
    char *text; /* every fx_text of fact points in here */
    size_t cap;
    fx_converted conv;
    fx_check check;
} slot;

struct fx_writer {
    fx_writer_sinks to;
    fx_writer_rows rows; /* the consumer's */
    slot ring[RING];
    size_t head, count; /* next slot to write; slots filled */
    bool done;
    /* A side that waits says so, and the other wakes it only then: the
     * consumer once half the ring is filled, the producer once a batch is
     * written: one wake-up per batch instead of one per fact. */
    bool put_waiting, take_waiting;
    fx_status st;
    pthread_mutex_t mu;
    pthread_cond_t can_put, can_take;
    pthread_t th;
};

static void slot_init(slot *s)
{
    memset(s, 0, sizeof *s);
    fx_dec_init(&s->fact.fig.value);
    fx_dec_init(&s->fact.reported.value);
    fx_converted_init(&s->conv);
    fx_check_init(&s->check);
}

static void slot_clear(slot *s)
{
    fx_dec_clear(&s->fact.fig.value);
    fx_dec_clear(&s->fact.reported.value);
    fx_converted_clear(&s->conv);
    fx_check_clear(&s->check);
    free(s->text);
}

/* Copies a fact: its texts into the slot's one buffer. */
static void copy_fact(slot *s, const fx_fact *f)
{
    const fx_text *from[] = {&f->fact_id, &f->entity, &f->claim, &f->source,
                             &f->quote,   &f->note,   &f->fig.unit, &f->reported.unit};
    fx_fact *d = &s->fact;
    fx_text *to[] = {&d->fact_id, &d->entity, &d->claim, &d->source,
                     &d->quote,   &d->note,   &d->fig.unit, &d->reported.unit};
    size_t need = 0;
    for (size_t i = 0; i < sizeof from / sizeof from[0]; i++)
        need += from[i]->len + 1;
    if (need > s->cap) {
        s->cap = need * 2;
        s->text = fx_xrealloc(s->text, s->cap);
    }
    /* scalars first; the decimals and texts are then set over them */
    fx_dec value = d->fig.value, reported = d->reported.value;
    d->at = f->at;
    d->input = f->input;
    d->published = f->published;
    d->has_as_of = f->has_as_of;
    d->as_of = f->as_of;
    d->has_basis = f->has_basis;
    d->basis = f->basis;
    d->qual = f->qual;
    d->has_reported = f->has_reported;
    d->fig = f->fig;
    d->reported = f->reported;
    d->fig.value = value;
    d->reported.value = reported;
    fx_dec_set(&d->fig.value, &f->fig.value);
    if (f->has_reported)
        fx_dec_set(&d->reported.value, &f->reported.value);
    char *p = s->text;
    for (size_t i = 0; i < sizeof from / sizeof from[0]; i++) {
        if (from[i]->len)
            memcpy(p, from[i]->s, from[i]->len);
        p[from[i]->len] = '\0';
        *to[i] = (fx_text){p, from[i]->len};
        p += from[i]->len + 1;
    }
}

static void copy_converted(slot *s, const fx_converted *c)
{
    fx_converted *d = &s->conv;
    d->fact = &s->fact;
    d->valuation = c->valuation;
    fx_dec_set(&d->amount, &c->amount);
    d->nconv = c->nconv;
    for (size_t i = 0; i < c->nconv; i++) {
        d->conv[i].target = c->conv[i].target;
        d->conv[i].priced = c->conv[i].priced; /* legs point into the rate table */
        d->conv[i].basis = c->conv[i].basis;
        d->conv[i].ndays = c->conv[i].ndays;
        d->conv[i].first = c->conv[i].first;
        fx_ratio_set(&d->conv[i].rate, &c->conv[i].rate);
        fx_ratio_set(&d->conv[i].exact, &c->conv[i].exact);
        fx_dec_set(&d->conv[i].rounded, &c->conv[i].rounded);
    }
}

static void writer_free(fx_writer *w)
{
    for (size_t i = 0; i < RING; i++)
        slot_clear(&w->ring[i]);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->can_put);
    pthread_cond_destroy(&w->can_take);
    free(w);
}

fx_status fx_writer_put(const fx_writer_sinks *to, fx_writer_rows *rows, const fx_converted *c,
                        const fx_check *k)
{
    fx_audit_ref ref = fx_audit_add(to->audit, c, k);
    uint64_t fact_row = rows->facts++, conv_row = rows->conversions;
    rows->conversions += k->present;
    if (to->findings)
        fx_findings_fact(to->findings, c, k, ref, fact_row, conv_row);
    if (to->explain)
        fx_explain_run_fact(to->explain, c, k, ref, conv_row);
    fx_status st = to->book ? fx_book_add(to->book, c, k, ref) : FX_OK;
    if (st == FX_OK && to->exp)
        fx_export_add(to->exp, c, k);
    return st;
}

/* Takes the facts in batches: wakes when half the ring is filled (or at
 * the end), writes half a ring at most without the lock, then frees
 * those slots at once. At most half: were the consumer the slower side
 * and took a full ring, the producer would wait for the whole batch and
 * the consumer then for half a ring to be filled, by turns. */
static void *run(void *arg)
{
    fx_writer *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->count < RING / 2 && !w->done) {
            w->take_waiting = true;
            pthread_cond_wait(&w->can_take, &w->mu);
        }
        w->take_waiting = false;
        size_t n = w->count < RING / 2 ? w->count : RING / 2, head = w->head;
        if (n == 0)
            break; /* done, and every fact written */
        bool write = w->st == FX_OK;
        pthread_mutex_unlock(&w->mu);
        fx_status st = FX_OK;
        for (size_t i = 0; i < n && write && st == FX_OK; i++) {
            const slot *s = &w->ring[(head + i) % RING];
            st = fx_writer_put(&w->to, &w->rows, &s->conv, &s->check);
        }
        pthread_mutex_lock(&w->mu);
        if (st != FX_OK && w->st == FX_OK)
            w->st = st;
        w->head = (head + n) % RING;
        w->count -= n;
        if (w->put_waiting) {
            w->put_waiting = false;
            pthread_cond_signal(&w->can_put);
        }
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

fx_writer *fx_writer_start(const fx_writer_sinks *s)
{
    fx_writer *w = fx_xcalloc(1, sizeof *w);
    w->to = *s;
    for (size_t i = 0; i < RING; i++)
        slot_init(&w->ring[i]);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->can_put, NULL);
    pthread_cond_init(&w->can_take, NULL);
    /* The thread starts with every signal blocked (it inherits this mask):
     * signals are the main thread's, which holds them while it makes a
     * file whose name a handler must know (outfile.c, spool.c). */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int made = pthread_create(&w->th, NULL, run, w);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (made != 0) {
        writer_free(w);
        return NULL; /* the caller writes on its own thread */
    }
    return w;
}

fx_status fx_writer_add(fx_writer *w, const fx_converted *c, const fx_check *k)
{
    pthread_mutex_lock(&w->mu);
    while (w->count == RING) {
        w->put_waiting = true;
        pthread_cond_wait(&w->can_put, &w->mu);
    }
    fx_status st = w->st;
    size_t tail = (w->head + w->count) % RING;
    pthread_mutex_unlock(&w->mu);
    if (st != FX_OK)
        return st;
    slot *s = &w->ring[tail]; /* ours until committed below */
    copy_fact(s, c->fact);
    copy_converted(s, c);
    fx_check_copy(&s->check, k);
    pthread_mutex_lock(&w->mu);
    w->count++;
    if (w->take_waiting && w->count >= RING / 2)
        pthread_cond_signal(&w->can_take);
    pthread_mutex_unlock(&w->mu);
    return FX_OK;
}

fx_status fx_writer_finish(fx_writer *w)
{
    pthread_mutex_lock(&w->mu);
    w->done = true;
    pthread_cond_signal(&w->can_take);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    fx_status st = w->st;
    writer_free(w);
    return st;
}
