/* libqtest: the cgemu process, its start, and cleanup when a test dies. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "libqtest-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT_S 60

G_DEFINE_QUARK(qtest-error-quark, qtest_error)

/*
 * The crash-cleanup registry.  It is the one piece of global state here,
 * and has to be: a failed assertion aborts the test program from
 * anywhere, and only a signal handler (or atexit) can still kill the
 * children and remove their directories.  Entries are filled before they
 * are marked used, and the handler only uses async-signal-safe calls.
 */
#define MAX_LIVE 32

typedef struct LiveEntry {
    volatile sig_atomic_t used;
    volatile pid_t pid;       /* 0 until forked; -1 once reaped */
    char dir[4096];
} LiveEntry;

static LiveEntry live[MAX_LIVE];
static struct sigaction old_actions[NSIG];
static const int fatal_signals[] = { SIGABRT, SIGSEGV, SIGBUS, SIGILL,
                                     SIGFPE,  SIGTERM, SIGINT, SIGHUP };

/* getdents64 records; glibc does not declare the struct. */
struct dirent64_raw {
    uint64_t ino;
    int64_t off;
    unsigned short reclen;
    unsigned char type;
    char name[];
};

/* Async-signal-safe: removes the files of @dir, then @dir. */
static void remove_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    bool removed = true;

    while (fd >= 0 && removed) {
        char buf[4096];
        long n;

        removed = false;
        lseek(fd, 0, SEEK_SET);
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
            for (long off = 0; off < n;) {
                struct dirent64_raw *d = (struct dirent64_raw *)(buf + off);
                off += d->reclen;
                if (strcmp(d->name, ".") == 0 || strcmp(d->name, "..") == 0) {
                    continue;
                }
                if (unlinkat(fd, d->name, 0) == 0 ||
                    unlinkat(fd, d->name, AT_REMOVEDIR) == 0) {
                    removed = true;
                }
            }
        }
    }
    if (fd >= 0) {
        close(fd);
    }
    rmdir(dir);
}

static void write_str(int fd, const char *s)
{
    ssize_t n = write(fd, s, strlen(s));
    (void)n;
}

/* Async-signal-safe: copies @dir/stderr.log to our stderr. */
static void dump_stderr_raw(const char *dir)
{
    char path[4200];
    char buf[4096];
    ssize_t n;
    int fd;

    if (strlen(dir) + sizeof("/stderr.log") > sizeof(path)) {
        return;
    }
    strcpy(path, dir);
    strcat(path, "/stderr.log");
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return;
    }
    write_str(2, "# --- cgemu stderr ---\n");
    while ((n = read(fd, buf, sizeof(buf))) > 0) {
        ssize_t w = write(2, buf, (size_t)n);
        (void)w;
    }
    write_str(2, "# --- end of cgemu stderr ---\n");
    close(fd);
}

static void cleanup_all(bool dump)
{
    for (int i = 0; i < MAX_LIVE; i++) {
        if (!live[i].used) {
            continue;
        }
        if (live[i].pid > 0) {
            kill(live[i].pid, SIGKILL);
            waitpid(live[i].pid, NULL, 0);
        }
        if (dump) {
            dump_stderr_raw(live[i].dir);
        }
        remove_dir(live[i].dir);
        live[i].used = 0;
    }
}

static void on_fatal_signal(int sig, siginfo_t *info, void *uctx)
{
    struct sigaction *old = &old_actions[sig];

    cleanup_all(true);
    if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction != NULL) {
        /* A sanitizer's handler: let it report. */
        old->sa_sigaction(sig, info, uctx);
    } else if (!(old->sa_flags & SA_SIGINFO) && old->sa_handler != SIG_DFL &&
               old->sa_handler != SIG_IGN) {
        old->sa_handler(sig);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void cleanup_at_exit(void)
{
    cleanup_all(false);
}

static void install_handlers_once(void)
{
    static bool done;
    struct sigaction sa = { 0 };

    if (done) {
        return;
    }
    done = true;
    sa.sa_sigaction = on_fatal_signal;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < G_N_ELEMENTS(fatal_signals); i++) {
        int sig = fatal_signals[i];
        sigaction(sig, NULL, &old_actions[sig]);
        /* An ignored signal (nohup) stays ignored. */
        if (!(old_actions[sig].sa_flags & SA_SIGINFO) &&
            old_actions[sig].sa_handler == SIG_IGN) {
            continue;
        }
        sigaction(sig, &sa, NULL);
    }
    atexit(cleanup_at_exit);
}

static int live_add(const char *dir)
{
    for (int i = 0; i < MAX_LIVE; i++) {
        if (!live[i].used) {
            g_strlcpy(live[i].dir, dir, sizeof(live[i].dir));
            live[i].pid = 0;
            live[i].used = 1;
            return i;
        }
    }
    g_error("libqtest: more than %d cgemu processes at once", MAX_LIVE);
}

/* ---- the process ---- */

const char *qtest_binary(const char *target)
{
    g_autofree char *var = g_ascii_strup(target, -1);
    g_autofree char *name = g_strdup_printf("CGEMU_SYSTEM_%s", var);

    return g_getenv(name);
}

static void read_file_into(const char *dir, const char *name, char **out)
{
    g_autofree char *path = g_build_filename(dir, name, NULL);

    if (!g_file_get_contents(path, out, NULL, NULL)) {
        *out = g_strdup("");
    }
}

char *qtest_stderr(QTestState *s)
{
    char *text;

    read_file_into(s->dir, "stderr.log", &text);
    return text;
}

char *qtest_stdout(QTestState *s)
{
    char *text;

    read_file_into(s->dir, "stdout.log", &text);
    return text;
}

pid_t qtest_pid(QTestState *s)
{
    return s->pid;
}

const char *qtest_tmpdir(QTestState *s)
{
    return s->dir;
}

const char *qtest_target(QTestState *s)
{
    return s->target;
}

static void mark_exited(QTestState *s, int status)
{
    s->exited = true;
    s->status = status;
    live[s->slot].pid = -1;
}

/* Reaps cgemu if it has exited; true then. */
static bool poll_exit(QTestState *s)
{
    int st;

    if (s->exited) {
        return true;
    }
    if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
        mark_exited(s, st);
        return true;
    }
    return false;
}

/* Waits up to @ms for cgemu to exit; true when it did. */
static bool wait_exit_for(QTestState *s, unsigned ms)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)ms * 1000;

    while (!poll_exit(s)) {
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        struct pollfd p = { .fd = s->pidfd, .events = POLLIN };

        if (left <= 0) {
            return false;
        }
        /* Without a pidfd, look again every 10 ms. */
        poll(s->pidfd >= 0 ? &p : NULL, s->pidfd >= 0 ? 1 : 0,
             s->pidfd >= 0 ? (int)left : (int)MIN(left, 10));
    }
    return true;
}

static int exit_code(int status)
{
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 255;
}

static void kill_and_reap(QTestState *s)
{
    if (!poll_exit(s)) {
        kill(s->pid, SIGKILL);
        waitpid(s->pid, &s->status, 0);
        mark_exited(s, s->status);
    }
}

/* Everything but the process: sockets, files, registry entry. */
static void release(QTestState *s)
{
    if (s->qmp != NULL) {
        qtest_qmp_conn_free(s->qmp);
    }
    for (guint i = 0; i < s->conns->len; i++) {
        qtest_qmp_conn_free(g_ptr_array_index(s->conns, i));
    }
    g_ptr_array_unref(s->conns);
    if (s->qtest_fd >= 0) {
        close(s->qtest_fd);
    }
    if (s->pidfd >= 0) {
        close(s->pidfd);
    }
    g_byte_array_unref(s->qtest_in);
    remove_dir(s->dir);
    live[s->slot].used = 0;
    g_free(s->dir);
    g_free(s->binary);
    g_free(s->target);
    g_free(s);
}

void qtest_fatal(QTestState *s, const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    g_autofree char *err = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    kill_and_reap(s);
    err = qtest_stderr(s);
    g_test_message("cgemu-system-%s (%s) stderr:\n%s", s->target,
                   s->binary, err);
    release(s);
    g_error("libqtest: %s", msg);
}

void qtest_wait_readable(QTestState *s, int fd, const char *what)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int n;

    do {
        n = poll(&p, 1, (int)s->timeout_ms);
    } while (n < 0 && errno == EINTR);
    if (n == 0) {
        qtest_fatal(s, "timed out after %u s waiting for %s",
                    s->timeout_ms / 1000, what);
    }
}

bool qtest_try_send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        p += n;
        len -= (size_t)n;
    }
    return true;
}

void qtest_send_all(QTestState *s, int fd, const void *buf, size_t len,
                    const char *what)
{
    if (!qtest_try_send_all(fd, buf, len)) {
        qtest_fatal(s, "cannot send to %s: %s", what, g_strerror(errno));
    }
}

static int listen_unix(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;

    g_assert_cmpuint(strlen(path), <, sizeof(sa.sun_path));
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_assert_cmpint(fd, >=, 0);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        listen(fd, 1) < 0) {
        g_error("libqtest: cannot listen on %s: %s", path, g_strerror(errno));
    }
    return fd;
}

int qtest_socket_connect(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        return -1;
    }
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

/*
 * Accepts cgemu's connection on @lfd.  -1 when cgemu exited first (its
 * start-up failed before it connected).
 */
static int accept_child(QTestState *s, int lfd, const char *what)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)s->timeout_ms * 1000;

    for (;;) {
        struct pollfd p[2] = { { .fd = lfd, .events = POLLIN },
                               { .fd = s->pidfd, .events = POLLIN } };
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        int n;

        if (left <= 0) {
            qtest_fatal(s, "timed out after %u s waiting for cgemu to "
                        "connect to %s", s->timeout_ms / 1000, what);
        }
        n = poll(p, s->pidfd >= 0 ? 2 : 1,
                 s->pidfd >= 0 ? (int)left : (int)MIN(left, 10));
        if (n > 0 && (p[0].revents & POLLIN)) {
            return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        }
        if (poll_exit(s)) {
            return -1;
        }
    }
}

static bool env_name_is(const char *entry, const char *name)
{
    size_t n = strlen(name);

    return strncmp(entry, name, n) == 0 && entry[n] == '=';
}

static char **build_env(const char *const *extra)
{
    static const char *const merged[] = { "ASAN_OPTIONS", "UBSAN_OPTIONS" };
    char **env = g_get_environ();

    for (const char *const *e = extra; e != NULL && *e != NULL; e++) {
        const char *eq = strchr(*e, '=');
        g_autofree char *name = NULL;
        const char *value, *old;
        g_autofree char *joined = NULL;

        g_assert_nonnull(eq);
        name = g_strndup(*e, (gsize)(eq - *e));
        value = eq + 1;
        old = g_environ_getenv(env, name);
        for (size_t i = 0; i < G_N_ELEMENTS(merged); i++) {
            if (old != NULL && *old != '\0' && env_name_is(*e, merged[i])) {
                joined = g_strdup_printf("%s:%s", old, value);
                value = joined;
            }
        }
        env = g_environ_setenv(env, name, value, TRUE);
    }
    return env;
}

static GPtrArray *build_argv(QTestState *s, const QTestOptions *opts,
                             const char *args)
{
    GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
    const char *accel = opts->accel ? opts->accel : "qtest";
    const char *log = g_getenv("CGEMU_QTEST_LOG");
    g_auto(GStrv) words = NULL;
    GError *err = NULL;

    g_ptr_array_add(argv, g_strdup(s->binary));
    g_ptr_array_add(argv, g_strdup("-accel"));
    g_ptr_array_add(argv, g_strdup(accel));
    if (strcmp(accel, "qtest") == 0 && !opts->no_qtest) {
        g_ptr_array_add(argv, g_strdup("-qtest"));
        g_ptr_array_add(argv, g_strdup_printf("unix:%s/qtest.sock", s->dir));
        if (log != NULL && *log != '\0') {
            g_ptr_array_add(argv, g_strdup("-qtest-log"));
            g_ptr_array_add(argv, g_strdup(log));
        }
    }
    if (!opts->no_qmp) {
        g_ptr_array_add(argv, g_strdup("-qmp"));
        g_ptr_array_add(argv, g_strdup_printf("unix:%s/qmp.sock", s->dir));
    }
    if (args != NULL && *args != '\0') {
        if (!g_shell_parse_argv(args, NULL, &words, &err)) {
            g_error("libqtest: cannot split arguments '%s': %s", args,
                    err->message);
        }
        for (char **w = words; *w != NULL; w++) {
            g_auto(GStrv) parts = g_strsplit(*w, "{tmpdir}", -1);
            g_ptr_array_add(argv, g_strjoinv(s->dir, parts));
        }
    }
    g_ptr_array_add(argv, NULL);
    return argv;
}

static void spawn(QTestState *s, char **argv, char **envp,
                  const int *pass_fds)
{
    g_autofree char *out = g_build_filename(s->dir, "stdout.log", NULL);
    g_autofree char *err = g_build_filename(s->dir, "stderr.log", NULL);
    int in_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int out_fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int err_fd = open(err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    pid_t parent = getpid();
    pid_t pid;

    g_assert_true(in_fd >= 0 && out_fd >= 0 && err_fd >= 0);
    fflush(NULL);
    pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        /* Async-signal-safe calls only until exec. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent) {
            _exit(127);
        }
        dup2(in_fd, 0);
        dup2(out_fd, 1);
        dup2(err_fd, 2);
        for (const int *fd = pass_fds; fd != NULL && *fd >= 0; fd++) {
            fcntl(*fd, F_SETFD, 0);     /* keep it across exec */
        }
        execve(argv[0], argv, envp);
        write_str(2, "libqtest: cannot execute the cgemu binary\n");
        _exit(127);
    }
    live[s->slot].pid = pid;
    s->pid = pid;
    s->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    close(in_fd);
    close(out_fd);
    close(err_fd);
}

/* Builds a GError from a cgemu that has exited during start-up. */
static void set_start_error(QTestState *s, GError **err)
{
    g_autofree char *text = NULL;

    if (!wait_exit_for(s, s->timeout_ms)) {
        kill_and_reap(s);
    }
    text = qtest_stderr(s);
    g_set_error(err, QTEST_ERROR, exit_code(s->status), "%s", text);
}

static unsigned default_timeout_ms(void)
{
    const char *t = g_getenv("CGEMU_QTEST_TIMEOUT");
    guint64 v = t ? g_ascii_strtoull(t, NULL, 10) : 0;

    return (unsigned)(v > 0 && v < 86400 ? v : DEFAULT_TIMEOUT_S) * 1000;
}

QTestState *qtest_try_init(const QTestOptions *opts, const char *args,
                           GError **err)
{
    QTestState *s = g_new0(QTestState, 1);
    g_autoptr(GPtrArray) argv = NULL;
    g_auto(GStrv) envp = NULL;
    g_autofree char *qmp_path = NULL, *qtest_path = NULL;
    const char *accel = opts->accel ? opts->accel : "qtest";
    int qmp_lfd = -1, qtest_lfd = -1;
    GError *local = NULL;

    install_handlers_once();
    s->target = g_strdup(opts->target ? opts->target : "x86_64");
    s->binary = g_strdup(opts->binary ? opts->binary
                                      : qtest_binary(s->target));
    if (s->binary == NULL) {
        g_autofree char *up = g_ascii_strup(s->target, -1);
        g_error("libqtest: $CGEMU_SYSTEM_%s is not set; run the test "
                "through meson", up);
    }
    s->timeout_ms = default_timeout_ms();
    s->qtest_fd = s->pidfd = -1;
    s->qtest_in = g_byte_array_new();
    s->conns = g_ptr_array_new();
    s->dir = g_dir_make_tmp("cgemu-qtest-XXXXXX", &local);
    if (s->dir == NULL) {
        g_error("libqtest: no temporary directory: %s", local->message);
    }
    s->slot = live_add(s->dir);

    qmp_path = g_build_filename(s->dir, "qmp.sock", NULL);
    qtest_path = g_build_filename(s->dir, "qtest.sock", NULL);
    if (!opts->no_qmp) {
        qmp_lfd = listen_unix(qmp_path);
    }
    if (strcmp(accel, "qtest") == 0 && !opts->no_qtest) {
        qtest_lfd = listen_unix(qtest_path);
    }
    if (opts->prepare != NULL) {
        opts->prepare(s->dir, opts->prepare_opaque);
    }
    argv = build_argv(s, opts, args);
    envp = build_env(opts->env);
    spawn(s, (char **)argv->pdata, envp, opts->pass_fds);

    if (qmp_lfd >= 0) {
        int fd = accept_child(s, qmp_lfd, "the QMP socket");
        if (fd >= 0) {
            s->qmp = qtest_qmp_conn_new(s, fd);
        }
        close(qmp_lfd);
    }
    if (qtest_lfd >= 0 && (qmp_lfd < 0 || s->qmp != NULL)) {
        s->qtest_fd = accept_child(s, qtest_lfd, "the qtest socket");
    }
    if (qtest_lfd >= 0) {
        close(qtest_lfd);
    }
    if ((qmp_lfd >= 0 && s->qmp == NULL) ||
        (qtest_lfd >= 0 && s->qtest_fd < 0) ||
        (s->qmp != NULL && !qtest_qmp_handshake(s->qmp))) {
        set_start_error(s, err);
        release(s);
        return NULL;
    }
    if (s->qtest_fd >= 0) {
        /* The first reply comes once the machine is built. */
        g_autofree char *r = NULL;
        if (qtest_try_send_all(s->qtest_fd, "endianness\n", 11)) {
            r = qtest_cmd_reply(s);
        }
        if (r == NULL) {
            set_start_error(s, err);
            release(s);
            return NULL;
        }
        s->endian_known = true;
        s->big_endian = strcmp(r, "OK big") == 0;
    }
    return s;
}

QTestState *qtest_init_with(const QTestOptions *opts, const char *args)
{
    g_autoptr(GError) err = NULL;
    QTestState *s = qtest_try_init(opts, args, &err);

    if (s == NULL) {
        g_error("libqtest: cgemu-system-%s%s%s exited with status %d "
                "during start-up; its stderr:\n%s",
                opts->target ? opts->target : "x86_64", args ? " " : "",
                args ? args : "", err->code, err->message);
    }
    return s;
}

QTestState *qtest_init(const char *target, const char *args)
{
    QTestOptions opts = { .target = target };

    return qtest_init_with(&opts, args);
}

QTestState *qtest_initf(const char *target, const char *fmt, ...)
{
    g_autofree char *args = NULL;
    va_list ap;

    va_start(ap, fmt);
    args = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return qtest_init(target, args);
}

int qtest_wait_exit(QTestState *s)
{
    if (s->qmp != NULL) {
        /* Do not hold a QMP connection cgemu may block writing to. */
        shutdown(s->qmp->fd, SHUT_WR);
    }
    if (!wait_exit_for(s, s->timeout_ms)) {
        qtest_fatal(s, "timed out after %u s waiting for cgemu to exit",
                    s->timeout_ms / 1000);
    }
    s->status_checked = true;
    return exit_code(s->status);
}

void qtest_quit(QTestState *s)
{
    bool clean;

    if (s == NULL) {
        return;
    }
    if (!poll_exit(s)) {
        kill(s->pid, SIGTERM);
        if (!wait_exit_for(s, s->timeout_ms)) {
            g_test_message("cgemu did not exit within %u s of SIGTERM; "
                           "killing it", s->timeout_ms / 1000);
            kill_and_reap(s);
            g_test_fail();
        }
    }
    clean = s->status_checked ||
            (WIFEXITED(s->status) && WEXITSTATUS(s->status) == 0);
    if (!clean) {
        /* On stderr: a failing subprocess test shows no messages. */
        g_autofree char *err = qtest_stderr(s);
        g_printerr("libqtest: cgemu-system-%s ended with status %d (not 0 "
                   "after SIGTERM); its stderr:\n%s\n", s->target,
                   exit_code(s->status), err);
        g_test_fail();
    } else if (g_test_failed()) {
        g_autofree char *err = qtest_stderr(s);
        g_test_message("cgemu-system-%s stderr:\n%s", s->target, err);
    }
    release(s);
}

typedef struct PerTarget {
    void (*fn)(const char *target);
    char *target;
} PerTarget;

static void per_target_run(gconstpointer data)
{
    const PerTarget *pt = data;

    pt->fn(pt->target);
}

static void per_target_free(gpointer data)
{
    PerTarget *pt = data;

    g_free(pt->target);
    g_free(pt);
}

void qtest_add_per_target(const char *path, void (*fn)(const char *target))
{
    static const char *const targets[] = { "x86_64", "ppc64", "s390x" };

    for (size_t i = 0; i < G_N_ELEMENTS(targets); i++) {
        PerTarget *pt;
        g_autofree char *name = NULL;

        if (qtest_binary(targets[i]) == NULL) {
            continue;
        }
        pt = g_new0(PerTarget, 1);
        pt->fn = fn;
        pt->target = g_strdup(targets[i]);
        name = g_strdup_printf("/%s/%s", targets[i], path);
        g_test_add_data_func_full(name, pt, per_target_run,
                                  per_target_free);
    }
}

void qtest_prepare_disk(const char *dir, void *opaque)
{
    g_autofree char *path = g_build_filename(dir, "disk.img", NULL);
    gsize size = GPOINTER_TO_SIZE(opaque);
    g_autofree char *zeros = g_malloc0(size);

    g_assert_true(g_file_set_contents(path, zeros, (gssize)size, NULL));
}
