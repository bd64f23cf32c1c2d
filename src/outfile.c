/* outfile - temporary file beside the target, fsync, rename. Invariant:
 * the target path is only ever touched by rename(2) of a complete file. */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"

/* Live temporary files, for fx_outfile_abort_all (signals, OOM). */
enum { LIVE_MAX = 16 };
static char *volatile live[LIVE_MAX];

static void live_add(char *p)
{
    for (int i = 0; i < LIVE_MAX; i++)
        if (!live[i]) {
            live[i] = p;
            return;
        }
}

static void live_remove(const char *p)
{
    for (int i = 0; i < LIVE_MAX; i++)
        if (live[i] == p)
            live[i] = NULL;
}

void fx_outfile_abort_all(void)
{
    for (int i = 0; i < LIVE_MAX; i++)
        if (live[i])
            unlink(live[i]);
}

char *fx_outfile_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return fx_xstrdup(".");
    if (slash == path)
        return fx_xstrdup("/");
    return fx_xstrndup(path, (size_t)(slash - path));
}

fx_status fx_outfile_begin(fx_outfile *o, const char *target, fx_diags *d)
{
    memset(o, 0, sizeof *o);
    const char *where;
    char *dir = NULL;
    if (strcmp(target, "-") == 0) {
        const char *t = getenv("TMPDIR");
        where = t && *t ? t : "/tmp";
    } else {
        o->target = fx_xstrdup(target);
        dir = fx_outfile_dir(target);
        where = dir;
        struct stat sb;
        if (stat(target, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            free(dir);
            free(o->target);
            o->target = NULL;
            return fx_diag_status(d, FX_E_CANTCREAT, (fx_pos){0}, "cannot create %s: it is a directory",
                                  target);
        }
    }
    const char *base = o->target ? strrchr(o->target, '/') : NULL;
    base = base ? base + 1 : o->target ? o->target : "stdout";
    size_t n = strlen(where) + strlen(base) + 32;
    o->tmp = fx_xmalloc(n);
    snprintf(o->tmp, n, "%s/.%s.fxbook-XXXXXX", where, base);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        int e = errno;
        fx_status st = fx_diag_status(d, FX_E_CANTCREAT, (fx_pos){0}, "cannot create %s: %s",
                                      o->target ? o->target : "a temporary file", strerror(e));
        free(dir);
        free(o->target);
        free(o->tmp);
        memset(o, 0, sizeof *o);
        return st;
    }
    /* mkstemp makes 0600; an output gets what a plain creat() would. */
    mode_t um = umask(0);
    umask(um);
    fchmod(fd, 0666 & ~um);
    close(fd);
    free(dir);
    o->open = true;
    live_add(o->tmp);
    return FX_OK;
}

FILE *fx_tmpfile(const char *dir)
{
    size_t n = strlen(dir) + 32;
    char *path = fx_xmalloc(n);
    snprintf(path, n, "%s/.fxbook-tmp-XXXXXX", dir);
    int fd = mkstemp(path);
    FILE *f = NULL;
    if (fd >= 0) {
        unlink(path);
        f = fdopen(fd, "w+b");
        if (!f) {
            int e = errno;
            close(fd);
            errno = e;
        }
    }
    free(path);
    return f;
}

static fx_status sync_path(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return FX_E_IO;
    int rc = fsync(fd);
    close(fd);
    return rc == 0 || errno == EINVAL ? FX_OK : FX_E_IO; /* EINVAL: e.g. a pipe */
}

static fx_status copy_to_stdout(const char *path)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return FX_E_IO;
    char buf[65536];
    size_t n;
    bool ok = true;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, stdout) == n;
    ok = ok && !ferror(in) && fflush(stdout) == 0;
    fclose(in);
    return ok ? FX_OK : FX_E_IO;
}

fx_status fx_outfile_commit(fx_outfile *o, fx_diags *d)
{
    if (!o->open)
        return FX_OK;
    fx_status st;
    if (!o->target) {
        st = copy_to_stdout(o->tmp);
        if (st != FX_OK)
            fx_diag_status(d, FX_E_IO, (fx_pos){0}, "cannot write to standard output: %s",
                           strerror(errno));
    } else if ((st = sync_path(o->tmp)) != FX_OK) {
        fx_diag_status(d, FX_E_IO, (fx_pos){0}, "cannot write %s: %s", o->target, strerror(errno));
    } else if (rename(o->tmp, o->target) != 0) {
        st = fx_diag_status(d, FX_E_IO, (fx_pos){0}, "cannot replace %s: %s", o->target,
                            strerror(errno));
    } else {
        char *dir = fx_outfile_dir(o->target);
        sync_path(dir); /* the rename itself; best effort */
        free(dir);
        live_remove(o->tmp);
        free(o->tmp);
        o->tmp = NULL;
    }
    fx_outfile_abort(o);
    return st;
}

void fx_outfile_abort(fx_outfile *o)
{
    if (o->tmp) {
        live_remove(o->tmp);
        unlink(o->tmp);
        free(o->tmp);
    }
    free(o->target);
    memset(o, 0, sizeof *o);
}
