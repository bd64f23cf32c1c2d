/* outfile - the run's outputs, all or none. Invariants: a file an output
 * names is only ever changed by rename(2) of a complete, fsynced file, or
 * by putting back its old contents after a failed commit; a stream is
 * written once, after every rename succeeded; whatever the run made (a
 * temporary file, a lock, a backup, a folder) is gone when it ends, by
 * exit, error, signal or out of memory. */
/* realpath, flock, link: X/Open and BSD, beyond POSIX.1-2008 base */
#define _DEFAULT_SOURCE /* NOLINT(bugprone-reserved-identifier): a feature-test macro */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "mem.h"

typedef enum {
    K_FILE,   /* a regular file, or none yet: replaced by rename */
    K_STREAM, /* a character device, FIFO or socket: written to */
    K_STDOUT, /* "-" */
} kind;

typedef struct {
    char *name;  /* as the user named it: every message says this */
    char *path;  /* the file it names: links followed, absolute */
    char *dir;   /* path's folder */
    kind kind;
    bool exists; /* a file or stream was there when added */
    dev_t dev;
    ino_t ino;
    mode_t fmt;  /* S_IFCHR, S_IFIFO, S_IFSOCK for a stream */
    char *tmp;   /* the temporary file, once begun */
    char *tmpdir;
    char *lock;  /* the lock file, once taken */
    int lock_fd;
    char *backup; /* the old contents during a commit */
    bool replaced;
    bool had_old;
    /* For the signal handler: set after the strings above are complete. */
    volatile sig_atomic_t live_tmp, live_lock;
} output;

struct fx_outputs {
    output out[FX_OUTPUTS_MAX];
    size_t n;
    char *made_dir; /* a folder this run created */
    volatile sig_atomic_t live_dir;
};

static fx_outputs *volatile live_set; /* for signals and out of memory */
static const int caught[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGXCPU};

/* A signal waits while a file is made and its name recorded for the
 * handler: it never sees a file it does not know of, or one half made. */
static void hold_signals(sigset_t *old)
{
    sigset_t block;
    sigemptyset(&block);
    for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
        sigaddset(&block, caught[i]);
    pthread_sigmask(SIG_BLOCK, &block, old);
}

static void release_signals(const sigset_t *old)
{
    pthread_sigmask(SIG_SETMASK, old, NULL);
}
static mode_t file_umask;

/* ---- names ---- */

char *fx_outfile_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return fx_xstrdup(".");
    if (slash == path)
        return fx_xstrdup("/");
    return fx_xstrndup(path, (size_t)(slash - path));
}

static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = fx_xmalloc(n);
    snprintf(p, n, "%s%s%s", dir, strcmp(dir, "/") == 0 ? "" : "/", name);
    return p;
}

/* "/a/./b/../c" -> "/a/c", for a path that does not exist yet. */
static char *lexical(const char *path)
{
    char *abs;
    if (path[0] == '/') {
        abs = fx_xstrdup(path);
    } else {
        char cwd[PATH_MAX];
        abs = join(getcwd(cwd, sizeof cwd) ? cwd : ".", path);
    }
    char *out = fx_xmalloc(strlen(abs) + 2);
    size_t o = 0;
    for (char *save = NULL, *seg = strtok_r(abs, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
        if (strcmp(seg, ".") == 0)
            continue;
        if (strcmp(seg, "..") == 0) {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--; /* the slash before it */
            continue;
        }
        out[o++] = '/';
        size_t n = strlen(seg);
        memcpy(out + o, seg, n);
        o += n;
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = '\0';
    free(abs);
    return out;
}

/* The absolute path of path's folder with links resolved, and its name. */
static char *canonical(const char *path)
{
    char *dir = fx_outfile_dir(path);
    char real[PATH_MAX];
    char *p;
    if (realpath(dir, real)) {
        p = join(real, base_of(path));
    } else {
        p = lexical(path);
    }
    free(dir);
    return p;
}

/* Follows symbolic links to the file they name (a dangling link names the
 * file it would create). A name under /proc or /dev/fd names an open
 * descriptor, not a file: it is not followed (*stream set). NULL after
 * too many links. */
static char *follow(const char *name, bool *stream)
{
    char *p = fx_xstrdup(name);
    *stream = false;
    for (int hops = 0; hops < 40; hops++) {
        if (strncmp(p, "/proc/", 6) == 0 || strncmp(p, "/dev/fd/", 8) == 0) {
            *stream = true;
            return p;
        }
        struct stat sb;
        if (lstat(p, &sb) != 0 || !S_ISLNK(sb.st_mode)) {
            char *c = canonical(p);
            free(p);
            return c;
        }
        char to[PATH_MAX];
        ssize_t n = readlink(p, to, sizeof to - 1);
        if (n < 0)
            break;
        to[n] = '\0';
        char *next;
        if (to[0] == '/') {
            next = fx_xstrdup(to);
        } else {
            char *dir = fx_outfile_dir(p);
            next = join(dir, to);
            free(dir);
        }
        free(p);
        p = next;
    }
    free(p);
    errno = ELOOP;
    return NULL;
}

/* Beside a file: "DIR/.NAME.fxbook-WHAT", or when that would pass the
 * longest name a folder takes, "DIR/.fxbook-HASH-WHAT" (the same for the
 * same path, so that two runs agree on a lock's name; WHAT stays last for
 * mkstemp's XXXXXX). */
static char *beside(const output *o, const char *what)
{
    const char *base = base_of(o->path);
    char name[NAME_MAX + 1];
    if (strlen(base) + strlen(what) + 9 <= NAME_MAX) {
        snprintf(name, sizeof name, ".%s.fxbook-%s", base, what);
    } else {
        gchar *h = g_compute_checksum_for_string(G_CHECKSUM_SHA256, o->path, -1);
        snprintf(name, sizeof name, ".fxbook-%.16s-%s", h, what);
        g_free(h);
    }
    return join(o->dir, name);
}

static const char *tmp_root(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

/* ---- the set ---- */

fx_outputs *fx_outputs_new(void)
{
    fx_outputs *s = fx_xcalloc(1, sizeof *s);
    for (size_t i = 0; i < FX_OUTPUTS_MAX; i++)
        s->out[i].lock_fd = -1;
    live_set = s;
    return s;
}

static void unlock(output *o)
{
    if (!o->lock)
        return;
    o->live_lock = 0;
    unlink(o->lock); /* while held: the next run makes a new one */
    close(o->lock_fd);
    o->lock_fd = -1;
    free(o->lock);
    o->lock = NULL;
}

static void drop_tmp(output *o)
{
    if (!o->tmp)
        return;
    o->live_tmp = 0;
    unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
}

static void abort_set(fx_outputs *s)
{
    for (size_t i = 0; i < s->n; i++) {
        drop_tmp(&s->out[i]);
        unlock(&s->out[i]);
    }
    if (s->made_dir) {
        s->live_dir = 0;
        rmdir(s->made_dir); /* empty now, or left as the user filled it */
        free(s->made_dir);
        s->made_dir = NULL;
    }
}

void fx_outputs_free(fx_outputs *s)
{
    if (!s)
        return;
    abort_set(s);
    if (live_set == s)
        live_set = NULL;
    for (size_t i = 0; i < s->n; i++) {
        output *o = &s->out[i];
        free(o->name);
        free(o->path);
        free(o->dir);
        free(o->tmpdir);
        free(o->backup);
    }
    free(s);
}

void fx_outputs_abort_all(void)
{
    fx_outputs *s = live_set;
    if (!s)
        return;
    for (size_t i = 0; i < s->n && i < FX_OUTPUTS_MAX; i++) {
        output *o = &s->out[i];
        if (o->live_tmp)
            unlink(o->tmp);
        if (o->live_lock)
            unlink(o->lock);
    }
    if (s->live_dir)
        rmdir(s->made_dir);
}

static bool same_file(const output *o, const struct stat *sb, const char *path)
{
    return (o->exists && o->kind == K_FILE && sb && o->dev == sb->st_dev && o->ino == sb->st_ino) ||
           (path && o->path && strcmp(o->path, path) == 0);
}

fx_status fx_outputs_add(fx_outputs *s, const char *name, size_t *id, fx_diags *d)
{
    if (!*name)
        return fx_diag_status(d, FX_E_USAGE, (fx_pos){0},
                              "an output name is empty (try 'fxbook --help')");
    if (s->n == FX_OUTPUTS_MAX)
        return fx_diag_status(d, FX_E_INTERNAL, (fx_pos){0}, "too many outputs");
    output o = {.lock_fd = -1};
    if (strcmp(name, "-") == 0) {
        if (fcntl(STDOUT_FILENO, F_GETFD) < 0)
            return fx_diag_status(d, FX_E_CANTCREAT, (fx_pos){0},
                                  "cannot write the workbook to standard output: it is closed");
        o.kind = K_STDOUT;
    } else {
        bool by_fd;
        o.path = follow(name, &by_fd);
        if (!o.path)
            return fx_diag_status(d, FX_E_CANTCREAT, (fx_pos){0}, "cannot create %s: %s", name,
                                  strerror(errno));
        struct stat sb;
        if (stat(o.path, &sb) == 0) {
            o.exists = true;
            o.dev = sb.st_dev;
            o.ino = sb.st_ino;
            o.fmt = sb.st_mode & S_IFMT;
            if (S_ISDIR(sb.st_mode)) {
                free(o.path);
                return fx_diag_status(d, FX_E_CANTCREAT, (fx_pos){0},
                                      "cannot create %s: it is a folder", name);
            }
            if (S_ISBLK(sb.st_mode)) {
                free(o.path);
                return fx_diag_status(d, FX_E_CANTCREAT, (fx_pos){0},
                                      "cannot create %s: it is a block device", name);
            }
            o.kind = S_ISREG(sb.st_mode) && !by_fd ? K_FILE : K_STREAM;
        } else {
            o.kind = by_fd ? K_STREAM : K_FILE;
        }
        o.dir = fx_outfile_dir(o.path);
        for (size_t i = 0; i < s->n; i++)
            if (s->out[i].kind == K_FILE && o.kind == K_FILE &&
                same_file(&s->out[i], o.exists ? &sb : NULL, o.path)) {
                fx_status st =
                    strcmp(s->out[i].name, name) == 0
                        ? fx_diag_status(d, FX_E_USAGE, (fx_pos){0},
                                         "output %s is named twice (-o and --csv-dir)", name)
                        : fx_diag_status(d, FX_E_USAGE, (fx_pos){0},
                                         "outputs %s and %s are the same file", s->out[i].name,
                                         name);
                free(o.path);
                free(o.dir);
                return st;
            }
    }
    o.name = fx_xstrdup(name);
    s->out[s->n] = o;
    *id = s->n++;
    return FX_OK;
}

fx_status fx_outputs_not_input(fx_outputs *s, const char *input, const char *what, fx_diags *d)
{
    struct stat sb;
    if (strcmp(input, "-") == 0) {
        if (fstat(STDIN_FILENO, &sb) != 0 || !S_ISREG(sb.st_mode))
            return FX_OK;
    } else if (stat(input, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        return FX_OK; /* missing (66 later), or a stream: never replaced */
    }
    char real[PATH_MAX];
    const char *path = strcmp(input, "-") != 0 && realpath(input, real) ? real : NULL;
    for (size_t i = 0; i < s->n; i++)
        if (s->out[i].kind == K_FILE && same_file(&s->out[i], &sb, path))
            return fx_diag_status(d, FX_E_USAGE, (fx_pos){0},
                                  "output %s is the %s %s: fxbook never writes over an input",
                                  s->out[i].name, what, input);
    return FX_OK;
}

fx_status fx_outputs_not_in(fx_outputs *s, const char *folder, const char *what, fx_diags *d)
{
    char real[PATH_MAX];
    if (!realpath(folder, real))
        return FX_OK;
    struct stat sb;
    if (stat(real, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return FX_OK;
    for (size_t i = 0; i < s->n; i++) {
        const output *o = &s->out[i];
        size_t n = strlen(o->path ? o->path : "");
        if (o->kind == K_FILE && strcmp(o->dir, real) == 0 && n > 4 &&
            strcmp(o->path + n - 4, ".csv") == 0)
            return fx_diag_status(d, FX_E_USAGE, (fx_pos){0},
                                  "output %s is in the %s %s: later runs would read it as rates",
                                  o->name, what, folder);
    }
    return FX_OK;
}

fx_status fx_outputs_make_dir(fx_outputs *s, const char *folder, fx_diags *d)
{
    struct stat sb;
    if (stat(folder, &sb) == 0) {
        if (S_ISDIR(sb.st_mode))
            return FX_OK;
        return fx_diag_status(d, FX_E_CANTCREAT, (fx_pos){0},
                              "cannot create folder %s: a file of that name is there", folder);
    }
    sigset_t old;
    hold_signals(&old);
    if (mkdir(folder, 0777) != 0) {
        int e = errno;
        release_signals(&old);
        return fx_diag_status(d, FX_E_CANTCREAT, (fx_pos){0}, "cannot create folder %s: %s",
                              folder, strerror(e));
    }
    free(s->made_dir);
    s->made_dir = fx_xstrdup(folder);
    s->live_dir = 1;
    release_signals(&old);
    /* The outputs inside it were added when it did not exist: their paths
     * were lexical, which is what it now resolves to. */
    return FX_OK;
}

/* flock on a file beside the output: released by the kernel however the
 * process ends. Unlinked while held, so a file that exists but is not
 * locked is stale: after taking a lock, check it is still the file at the
 * path (another run may have unlinked it just before). */
static fx_status take_lock(output *o, fx_diags *d)
{
    char *path = beside(o, "lock");
    for (int tries = 0; tries < 100; tries++) {
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
        if (fd < 0) {
            fx_status st = fx_diag_status(d, FX_E_CANTCREAT, (fx_pos){0},
                                          "cannot create %s: cannot make its lock %s: %s", o->name,
                                          path, strerror(errno));
            free(path);
            return st;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            close(fd);
            free(path);
            if (e == EWOULDBLOCK)
                return fx_diag_status(d, FX_E_BUSY, (fx_pos){0},
                                      "%s is being written by another fxbook run; try again later",
                                      o->name);
            return fx_diag_status(d, FX_E_CANTCREAT, (fx_pos){0}, "cannot lock %s: %s", o->name,
                                  strerror(e));
        }
        struct stat held, there;
        if (fstat(fd, &held) == 0 && stat(path, &there) == 0 && held.st_dev == there.st_dev &&
            held.st_ino == there.st_ino) {
            o->lock = path;
            o->lock_fd = fd;
            o->live_lock = 1;
            return FX_OK;
        }
        close(fd); /* it was unlinked under us: take the new one */
    }
    free(path);
    return fx_diag_status(d, FX_E_BUSY, (fx_pos){0}, "cannot lock %s: its lock keeps changing",
                          o->name);
}

fx_status fx_outputs_lock(fx_outputs *s, fx_diags *d)
{
    sigset_t old;
    hold_signals(&old);
    fx_status st = FX_OK;
    for (size_t i = 0; st == FX_OK && i < s->n; i++)
        if (s->out[i].kind == K_FILE)
            st = take_lock(&s->out[i], d);
    release_signals(&old);
    return st;
}

static fx_status make_tmp(output *o, fx_diags *d)
{
    char *path;
    if (o->kind == K_FILE) {
        o->tmpdir = fx_xstrdup(o->dir);
        path = beside(o, "XXXXXX");
    } else {
        o->tmpdir = fx_xstrdup(tmp_root());
        path = join(o->tmpdir, ".fxbook-stream-XXXXXX");
    }
    int fd = mkstemp(path);
    if (fd < 0) {
        int e = errno;
        free(path);
        if (o->kind == K_FILE)
            return fx_diag_status(d, FX_E_CANTCREAT, (fx_pos){0}, "cannot create %s: %s", o->name,
                                  strerror(e));
        return fx_diag_status(d, FX_E_CANTCREAT, (fx_pos){0},
                              "cannot write %s: no temporary file in %s (TMPDIR): %s",
                              o->kind == K_STDOUT ? "to standard output" : o->name, o->tmpdir,
                              strerror(e));
    }
    /* mkstemp makes 0600; a new output gets what creat(0666) would. The
     * mode of a file that is replaced is copied at commit. */
    fchmod(fd, 0666 & ~file_umask);
    close(fd);
    o->tmp = path;
    o->live_tmp = 1;
    return FX_OK;
}

fx_status fx_outputs_begin(fx_outputs *s, fx_diags *d)
{
    sigset_t old;
    hold_signals(&old);
    fx_status st = FX_OK;
    for (size_t i = 0; st == FX_OK && i < s->n; i++)
        st = make_tmp(&s->out[i], d);
    release_signals(&old);
    return st;
}

const char *fx_outputs_tmp(const fx_outputs *s, size_t id)
{
    return s->out[id].tmp;
}

const char *fx_outputs_tmpdir(const fx_outputs *s, size_t id)
{
    return s->out[id].tmpdir;
}

/* ---- commit ---- */

static bool copy_fd(int in, int out)
{
    char buf[65536];
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n == 0)
            return true;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        for (ssize_t w = 0; w < n;) {
            ssize_t k = write(out, buf + w, (size_t)(n - w));
            if (k < 0) {
                if (errno == EINTR)
                    continue;
                return false;
            }
            w += k;
        }
    }
}

/* The temporary file gets the mode (and, for root, the owner) of the file
 * it replaces, and reaches the disk. */
static fx_status seal(output *o, fx_diags *d)
{
    int fd = open(o->tmp, O_RDONLY | O_CLOEXEC);
    int e = 0;
    if (fd < 0) {
        e = errno;
    } else {
        struct stat old;
        if (stat(o->path, &old) == 0 && S_ISREG(old.st_mode)) {
            if (geteuid() == 0 && fchown(fd, old.st_uid, old.st_gid) != 0)
                e = errno;
            if (!e && fchmod(fd, old.st_mode & 07777) != 0)
                e = errno;
        }
        if (!e && fsync(fd) != 0)
            e = errno;
        close(fd);
    }
    if (e)
        return fx_diag_status(d, FX_E_IO, (fx_pos){0}, "cannot write %s: %s", o->name,
                              strerror(e));
    return FX_OK;
}

/* The old contents stay reachable by a hard link until the commit is
 * over; where links are not possible, by a copy. */
static bool keep_old(output *o)
{
    struct stat sb;
    o->had_old = lstat(o->path, &sb) == 0;
    if (!o->had_old)
        return true;
    if (S_ISDIR(sb.st_mode)) { /* made a folder since the run began */
        o->had_old = false;
        errno = EISDIR;
        return false;
    }
    o->backup = beside(o, "old");
    unlink(o->backup); /* a stale one from a killed run: we hold the lock */
    if (link(o->path, o->backup) == 0)
        return true;
    int in = open(o->path, O_RDONLY | O_CLOEXEC);
    int out = open(o->backup, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    bool ok = in >= 0 && out >= 0 && copy_fd(in, out);
    int e = errno;
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) != 0)
        ok = false;
    if (!ok) {
        unlink(o->backup);
        errno = e;
    }
    return ok;
}

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd); /* the renames themselves; best effort */
        close(fd);
    }
}

/* Puts back every file already replaced, in reverse. */
static void restore(fx_outputs *s, fx_diags *d)
{
    for (size_t i = s->n; i-- > 0;) {
        output *o = &s->out[i];
        if (!o->replaced)
            continue;
        int rc = o->had_old ? rename(o->backup, o->path) : unlink(o->path);
        if (rc != 0)
            fx_diag_status(d, FX_E_IO, (fx_pos){0}, "cannot put back the old %s: %s%s%s", o->name,
                           strerror(errno), o->had_old ? "; it is in " : "",
                           o->had_old ? o->backup : "");
        else if (o->had_old)
            o->had_old = false; /* the backup is the file again */
        o->replaced = false;
        sync_dir(o->dir);
    }
}

static void drop_backups(fx_outputs *s)
{
    for (size_t i = 0; i < s->n; i++) {
        output *o = &s->out[i];
        if (o->backup && o->had_old)
            unlink(o->backup);
        free(o->backup);
        o->backup = NULL;
    }
}

static fx_status write_stream(output *o, fx_diags *d)
{
    int in = open(o->tmp, O_RDONLY | O_CLOEXEC);
    int out = -1;
    if (o->kind == K_STDOUT) {
        fflush(stdout);
        out = STDOUT_FILENO;
    } else if (o->fmt == S_IFSOCK) {
        out = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un a = {.sun_family = AF_UNIX};
        if (out >= 0 && (strlen(o->path) >= sizeof a.sun_path ||
                         (snprintf(a.sun_path, sizeof a.sun_path, "%s", o->path),
                          connect(out, (struct sockaddr *)&a, sizeof a) != 0))) {
            int e = errno;
            close(out);
            out = -1;
            errno = e;
        }
    } else {
        out = open(o->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    }
    bool ok = in >= 0 && out >= 0 && copy_fd(in, out);
    int e = errno;
    if (ok && o->kind != K_STDOUT) {
        struct stat sb; /* a regular file behind /dev/fd/N: no old tail */
        if (fstat(out, &sb) == 0 && S_ISREG(sb.st_mode)) {
            off_t end = lseek(out, 0, SEEK_CUR);
            ok = end >= 0 && ftruncate(out, end) == 0;
            e = errno;
        }
    }
    if (in >= 0)
        close(in);
    if (out >= 0 && o->kind != K_STDOUT && close(out) != 0 && ok) {
        ok = false;
        e = errno;
    }
    if (ok)
        return FX_OK;
    if (o->kind == K_STDOUT)
        return fx_diag_status(d, FX_E_IO, (fx_pos){0}, "cannot write to standard output: %s",
                              strerror(e));
    return fx_diag_status(d, FX_E_IO, (fx_pos){0}, "cannot write %s: %s", o->name, strerror(e));
}

static bool signal_pending(void)
{
    sigset_t p;
    if (sigpending(&p) != 0)
        return false;
    for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
        if (sigismember(&p, caught[i]))
            return true;
    return false;
}

fx_status fx_outputs_commit(fx_outputs *s, fx_diags *d)
{
    /* From here to the end a signal waits: it cannot stop the renames half
     * way. If one came meanwhile, the commit is undone and it is let in. */
    sigset_t old;
    hold_signals(&old);

    fx_status st = FX_OK;
    for (size_t i = 0; st == FX_OK && i < s->n; i++)
        if (s->out[i].kind == K_FILE)
            st = seal(&s->out[i], d);
    for (size_t i = 0; st == FX_OK && i < s->n; i++) {
        output *o = &s->out[i];
        if (o->kind != K_FILE)
            continue;
        if (!keep_old(o) || rename(o->tmp, o->path) != 0) {
            st = fx_diag_status(d, FX_E_IO, (fx_pos){0}, "cannot replace %s: %s", o->name,
                                strerror(errno));
        } else {
            o->live_tmp = 0;
            free(o->tmp);
            o->tmp = NULL;
            o->replaced = true;
        }
    }
    for (size_t i = 0; st == FX_OK && i < s->n; i++)
        if (s->out[i].kind == K_FILE)
            sync_dir(s->out[i].dir);
    for (size_t i = 0; st == FX_OK && i < s->n; i++)
        if (s->out[i].kind != K_FILE)
            st = write_stream(&s->out[i], d);
    if (st == FX_OK && signal_pending())
        st = FX_E_IO; /* said by the signal's own death */
    if (st != FX_OK)
        restore(s, d);
    drop_backups(s);
    if (st == FX_OK && s->made_dir) {
        free(s->made_dir); /* committed: the folder stays */
        s->live_dir = 0;
        s->made_dir = NULL;
    }
    abort_set(s);
    release_signals(&old);
    return st;
}

/* ---- signals ---- */

static void on_signal(int sig)
{
    fx_outputs_abort_all();
    signal(sig, SIG_DFL);
    raise(sig); /* delivered when the handler returns: death by sig */
}

void fx_outputs_catch_signals(void)
{
    file_umask = umask(0);
    umask(file_umask);
    for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++) {
        struct sigaction was;
        if (sigaction(caught[i], NULL, &was) == 0 && was.sa_handler == SIG_IGN)
            continue; /* nohup and the like: stays ignored */
        struct sigaction sa = {.sa_handler = on_signal};
        sigemptyset(&sa.sa_mask);
        for (size_t j = 0; j < sizeof caught / sizeof caught[0]; j++)
            sigaddset(&sa.sa_mask, caught[j]); /* one cleanup at a time */
        sigaction(caught[i], &sa, NULL);
    }
    signal(SIGXFSZ, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
}
