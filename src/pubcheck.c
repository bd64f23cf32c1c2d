/* pubcheck - every fact's (input, position, source, published, fact_id)
 * noted in a spool as it streams (a sources file may come after the
 * facts), checked in one pass once every input is read. Invariant: the
 * warnings are the same whatever the order of the inputs on the command
 * line, and nothing per fact stays in memory. */
#include "pubcheck.h"

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "spool.h"

/* A noted fact in the spool: this, then its source and fact_id. */
typedef struct {
    uint64_t input, line, col;
    fx_day published;
} note_rec;

struct fx_pubcheck {
    fx_spool *spool;    /* every fact, in input order: nothing per fact in memory */
    const char **names; /* input index -> its name, borrowed */
    size_t nnames;
};

fx_pubcheck *fx_pubcheck_new(const char *tmpdir)
{
    fx_pubcheck *p = fx_xcalloc(1, sizeof *p);
    p->spool = fx_spool_new(tmpdir ? tmpdir : g_get_tmp_dir());
    return p;
}

void fx_pubcheck_free(fx_pubcheck *p)
{
    if (!p)
        return;
    fx_spool_free(p->spool);
    free(p->names);
    free(p);
}

void fx_pubcheck_note(fx_pubcheck *p, const fx_fact *f, const char *name)
{
    if (f->input >= p->nnames) {
        size_t n = p->nnames ? 2 * p->nnames : 8;
        while (n <= f->input)
            n *= 2;
        p->names = fx_xrealloc(p->names, n * sizeof *p->names);
        memset(p->names + p->nnames, 0, (n - p->nnames) * sizeof *p->names);
        p->nnames = n;
    }
    p->names[f->input] = name;
    note_rec r;
    memset(&r, 0, sizeof r); /* no stray padding bytes in the file */
    r.input = f->input;
    r.line = f->published_at.line;
    r.col = f->published_at.col;
    r.published = f->published;
    fx_spool_field fl[3] = {{&r, sizeof r}, {f->source.s, f->source.len},
                            {f->fact_id.s, f->fact_id.len}};
    fx_spool_put(p->spool, fl, 3); /* sticky: report says so */
}

/* The "and N more" line of an input whose warnings passed the limit. */
static void more(fx_diags *d, const char *name, size_t facts, size_t shown)
{
    if (facts > shown)
        fx_diag_warn(d, (fx_pos){name, 0, 0},
                     "%zu more facts published on another day than their source says; "
                     "only the first %zu are shown",
                     facts - shown, shown);
}

/* Facts arrive input by input, each input's in the order of its rows, so
 * one pass over the spool gives every input's warnings in file order. */
size_t fx_pubcheck_report(const fx_pubcheck *p, const fx_sources *s, fx_diags *d)
{
    size_t all = 0;
    if (!p || fx_sources_count(s) == 0)
        return 0;
    if (!fx_spool_read_once(p->spool)) {
        fx_diag_status(d, FX_E_IO, (fx_pos){0}, "published dates: %s",
                       fx_spool_error(p->spool));
        return 0;
    }
    const char *name = NULL;
    size_t facts = 0, shown = 0;
    uint64_t input = UINT64_MAX;
    const fx_spool_field *fl;
    size_t nf;
    int got;
    while ((got = fx_spool_next(p->spool, &fl, &nf)) == 1) {
        note_rec r;
        if (nf != 3 || fl[0].len != sizeof r) {
            got = -1;
            break;
        }
        memcpy(&r, fl[0].p, sizeof r);
        if (r.input != input) {
            more(d, name, facts, shown);
            input = r.input;
            name = r.input < p->nnames ? p->names[r.input] : "";
            facts = shown = 0;
        }
        const fx_source_desc *sd = fx_sources_find(s, fl[1].p, fl[1].len);
        if (!sd || !sd->has_published || sd->published == r.published)
            continue;
        facts++;
        all++;
        if (shown == FX_DIAG_LIMIT)
            continue;
        shown++;
        char was[11], says[11];
        fx_date_format(r.published, was);
        fx_date_format(sd->published, says);
        fx_diag_warn(d, (fx_pos){name, (unsigned long)r.line, (unsigned long)r.col},
                     "fact %s published %s, its source %s says %s", (const char *)fl[2].p, was,
                     (const char *)fl[1].p, says);
    }
    more(d, name, facts, shown);
    if (got < 0)
        fx_diag_status(d, FX_E_IO, (fx_pos){0}, "published dates: %s",
                       fx_spool_error(p->spool) ? fx_spool_error(p->spool)
                                                : "a noted fact is not what was written");
    return all;
}
