/* outfile - an output is written to a temporary file beside its target
 * and renamed over it only when complete, so a failed or killed run
 * never leaves a partial file and never touches an existing one.
 * "-" means standard output, through a temporary file. */
#ifndef FX_OUTFILE_H
#define FX_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"

typedef struct {
    char *target;  /* NULL for standard output */
    char *tmp;     /* the temporary file's path */
    bool open;
} fx_outfile;

/* Creates the temporary file (mode 0666 & ~umask, like a plain fopen).
 * FX_E_CANTCREAT when its directory cannot take it. */
fx_status fx_outfile_begin(fx_outfile *o, const char *target, fx_diags *d);
/* fsyncs the temporary file and renames it over the target (or copies it
 * to standard output and removes it). FX_E_IO on failure, and the temporary
 * file is removed. */
fx_status fx_outfile_commit(fx_outfile *o, fx_diags *d);
/* Removes the temporary file, if any; safe to call twice. */
void fx_outfile_abort(fx_outfile *o);

/* The folder path is in ("." for a bare name), newly allocated: where the
 * temporary files beside an output go. */
char *fx_outfile_dir(const char *path);

/* An unlinked temporary file in dir, open for writing and reading back
 * ("w+b"): gone when closed or when the process dies. NULL and errno set
 * when dir cannot take it. */
FILE *fx_tmpfile(const char *dir);

/* Every outfile not yet committed or aborted is removed by this (for the
 * out-of-memory path and fatal signals); async-signal-safe. */
void fx_outfile_abort_all(void);

#endif
