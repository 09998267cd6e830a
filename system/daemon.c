/* -daemonize and -pidfile: running detached, as libvirt starts emulators. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "system/daemon.h"

#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct Daemon {
    int ready_fd;       /* child: write end of the pipe to the parent */
    int pid_fd;         /* the locked pidfile, or -1 */
    char *pidfile;
};

static bool uses_stdio(const CgConfig *cfg)
{
    /* -nographic puts the default serial port on stdio; with -nodefaults
     * or explicit -serial it changes nothing (libvirt's probe passes
     * "-nodefaults -nographic -daemonize"). */
    if (cfg->nographic && !cfg->nodefaults && cfg->serials->len == 0) {
        return true;
    }
    for (guint i = 0; i < cfg->serials->len; i++) {
        if (!strcmp(g_ptr_array_index(cfg->serials, i), "stdio")) {
            return true;
        }
    }
    for (guint i = 0; i < cfg->qmps->len; i++) {
        if (!strcmp(g_ptr_array_index(cfg->qmps, i), "stdio")) {
            return true;
        }
    }
    for (guint i = 0; i < cfg->chardevs->len; i++) {
        const CgOpts *o = g_ptr_array_index(cfg->chardevs, i);
        if (!g_strcmp0(cg_opts_get(o, "backend"), "stdio")) {
            return true;
        }
    }
    return false;
}

static bool write_pidfile(Daemon *d, GError **err)
{
    g_autofree char *text = NULL;

    d->pid_fd = open(d->pidfile, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (d->pid_fd < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-pidfile %s: cannot open it: %s", d->pidfile,
                    g_strerror(errno));
        return false;
    }
    if (lockf(d->pid_fd, F_TLOCK, 0) < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-pidfile %s: another process holds its lock; is "
                    "another instance running?", d->pidfile);
        close(d->pid_fd);
        d->pid_fd = -1;
        return false;
    }
    text = g_strdup_printf("%d\n", (int)getpid());
    if (ftruncate(d->pid_fd, 0) < 0 ||
        write(d->pid_fd, text, strlen(text)) != (ssize_t)strlen(text)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-pidfile %s: cannot write it: %s", d->pidfile,
                    g_strerror(errno));
        return false;
    }
    return true;
}

/* The parent's side: wait for the child's verdict and take it as ours. */
static int wait_for_child(pid_t child, int fd)
{
    unsigned char status = 1;
    ssize_t n;

    do {
        n = read(fd, &status, 1);
    } while (n < 0 && errno == EINTR);
    if (n != 1) {
        /* The child died before saying anything: report how. */
        int ws = 0;
        waitpid(child, &ws, 0);
        return WIFEXITED(ws) ? (WEXITSTATUS(ws) ? WEXITSTATUS(ws) : 1) : 1;
    }
    return status;
}

Daemon *daemon_start(const CgConfig *cfg, int *parent_status, GError **err)
{
    g_autofree Daemon *d = g_new0(Daemon, 1);
    int fds[2];
    pid_t pid;

    *parent_status = -1;
    d->ready_fd = -1;
    d->pid_fd = -1;
    d->pidfile = g_strdup(cfg->pidfile);
    if (cfg->daemonize) {
        if (uses_stdio(cfg)) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "-daemonize: a detached process has no terminal; "
                        "drop -nographic and stdio chardevs (use -serial "
                        "file:PATH or a socket)");
            g_free(d->pidfile);
            return NULL;
        }
        if (pipe2(fds, O_CLOEXEC) < 0) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "-daemonize: pipe: %s", g_strerror(errno));
            g_free(d->pidfile);
            return NULL;
        }
        pid = fork();
        if (pid < 0) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "-daemonize: fork: %s", g_strerror(errno));
            g_free(d->pidfile);
            return NULL;
        }
        if (pid > 0) {
            close(fds[1]);
            *parent_status = wait_for_child(pid, fds[0]);
            close(fds[0]);
            g_free(d->pidfile);
            return NULL;
        }
        close(fds[0]);
        d->ready_fd = fds[1];
        setsid();
    }
    if (d->pidfile != NULL && !write_pidfile(d, err)) {
        daemon_finish(d, 1);
        d = NULL;
        return NULL;
    }
    return g_steal_pointer(&d);
}

void daemon_ready(Daemon *d, int status)
{
    unsigned char s = (unsigned char)status;
    int null_fd;

    if (d == NULL || d->ready_fd < 0) {
        return;
    }
    if (status == 0) {
        /* Detach from the terminal now that start-up has been reported. */
        null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null_fd >= 0) {
            dup2(null_fd, STDIN_FILENO);
            dup2(null_fd, STDOUT_FILENO);
            dup2(null_fd, STDERR_FILENO);
            close(null_fd);
        }
    }
    if (write(d->ready_fd, &s, 1) != 1) {
        /* The parent is gone; nobody is left to tell. */
    }
    close(d->ready_fd);
    d->ready_fd = -1;
}

void daemon_finish(Daemon *d, int status)
{
    if (d == NULL) {
        return;
    }
    daemon_ready(d, status ? status : 1);
    if (d->pid_fd >= 0) {
        unlink(d->pidfile);
        close(d->pid_fd);
    }
    g_free(d->pidfile);
    g_free(d);
}
