/* outfile - the run's outputs, replaced all or none (SPEC 8). Each file
 * output is written to a temporary file beside the file it names (links
 * followed) and renamed over it only when every output is complete and
 * fsynced; a failed rename puts back what was already replaced. A
 * character device, FIFO or socket (and "-", standard output) is written
 * as a stream at the end, never replaced. A lock beside each file output
 * keeps a second run off it. */
#ifndef FX_OUTFILE_H
#define FX_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"

enum { FX_OUTPUTS_MAX = 8 };

typedef struct fx_outputs fx_outputs;

/* One set per run; the signal handlers and the out-of-memory hook clean
 * up after the set that is live. */
fx_outputs *fx_outputs_new(void);
/* Aborts whatever was not committed (temporary files, locks, a folder the
 * run created), then frees. NULL is harmless. */
void fx_outputs_free(fx_outputs *s);

/* Adds an output named as the user named it ("-": standard output). Tells
 * what it is: FX_E_USAGE when it is empty or the same file as an output
 * added before, FX_E_CANTCREAT when it is a folder or a block device, or
 * standard output is closed. *id indexes the later calls. */
fx_status fx_outputs_add(fx_outputs *s, const char *name, size_t *id, fx_diags *d);
/* FX_E_USAGE when some output is the file `input` (same device and inode,
 * or the same path once links are followed); what says what the input is
 * ("facts file"). An input that does not exist is no output's concern. */
fx_status fx_outputs_not_input(fx_outputs *s, const char *input, const char *what, fx_diags *d);
/* FX_E_USAGE when a file output named *.csv is inside `folder`: a later
 * run reading that folder for rates would read it. */
fx_status fx_outputs_not_in(fx_outputs *s, const char *folder, const char *what, fx_diags *d);

/* Creates folder for outputs when it is missing (removed again unless the
 * run commits); FX_E_CANTCREAT when it cannot be, or is not a folder. */
fx_status fx_outputs_make_dir(fx_outputs *s, const char *folder, fx_diags *d);
/* Takes the lock of every file output; FX_E_BUSY naming the first output
 * another run holds (nothing else touched), FX_E_CANTCREAT when a lock
 * cannot be created. */
fx_status fx_outputs_lock(fx_outputs *s, fx_diags *d);
/* Creates the temporary files; FX_E_CANTCREAT naming the output and the
 * folder (TMPDIR for streams) that cannot take one. */
fx_status fx_outputs_begin(fx_outputs *s, fx_diags *d);
/* The temporary file to write output id to, and the folder it is in (for
 * scratch files that should go where the output goes). */
const char *fx_outputs_tmp(const fx_outputs *s, size_t id);
const char *fx_outputs_tmpdir(const fx_outputs *s, size_t id);

/* All or none: fsyncs every temporary file, renames each over its file,
 * then writes the streams. On a failure, or a signal that arrived
 * meanwhile, the files already replaced get their old contents back and
 * the status is FX_E_IO (a signal then ends the process). Locks are
 * released either way. */
fx_status fx_outputs_commit(fx_outputs *s, fx_diags *d);

/* Installs the handlers of SPEC 8: SIGINT, SIGTERM, SIGHUP, SIGQUIT and
 * SIGXCPU remove the live set's temporary files and locks and end the
 * process by the same signal (a signal ignored at start stays ignored);
 * SIGXFSZ is ignored so that a file size limit is a failed write; SIGPIPE
 * is ignored so that a closed pipe is a failed write. */
void fx_outputs_catch_signals(void);
/* The out-of-memory hook: what a signal would do, without the signal;
 * async-signal-safe. */
void fx_outputs_abort_all(void);

/* The folder path is in ("." for a bare name), newly allocated. */
char *fx_outfile_dir(const char *path);

#endif
