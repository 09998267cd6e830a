/*
 * Host simulator core: call log, errno names, user-memory access.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "hostsim-core.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

/* The kernel's "operation not supported" that has no libc name. */
#define HOSTSIM_ENOTSUPP 524

static int hostsim_log_fd_value = -1;

static const struct {
    int value;
    const char *name;
} hostsim_errnos[] = {
    { EPERM, "EPERM" },     { ENOENT, "ENOENT" }, { EINTR, "EINTR" },
    { EIO, "EIO" },         { ENXIO, "ENXIO" },   { E2BIG, "E2BIG" },
    { EBADF, "EBADF" },     { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
    { EACCES, "EACCES" },   { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
    { EEXIST, "EEXIST" },   { ENODEV, "ENODEV" }, { EINVAL, "EINVAL" },
    { ENFILE, "ENFILE" },   { EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" },
    { ENOSPC, "ENOSPC" },   { ERANGE, "ERANGE" }, { ENOSYS, "ENOSYS" },
    { EOPNOTSUPP, "EOPNOTSUPP" }, { ETIMEDOUT, "ETIMEDOUT" },
    { HOSTSIM_ENOTSUPP, "ENOTSUPP" },
};

const char *hostsim_errno_name(int err)
{
    static __thread char buf[16];

    for (size_t i = 0; i < G_N_ELEMENTS(hostsim_errnos); i++) {
        if (hostsim_errnos[i].value == err) {
            return hostsim_errnos[i].name;
        }
    }
    g_snprintf(buf, sizeof(buf), "E%d", err);
    return buf;
}

int hostsim_errno_from_name(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(hostsim_errnos); i++) {
        if (strcmp(hostsim_errnos[i].name, name) == 0) {
            return hostsim_errnos[i].value;
        }
    }
    return -1;
}

char *hostsim_hex(const uint8_t *data, size_t len)
{
    char *out = g_malloc(len * 2 + 1);

    for (size_t i = 0; i < len; i++) {
        g_snprintf(out + 2 * i, 3, "%02x", data[i]);
    }
    out[len * 2] = '\0';
    return out;
}

/* --- log --- */

bool hostsim_log_open(const char *path, GError **errp)
{
    int fd = hostsim_real_open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
                               0644);

    if (fd < 0) {
        g_set_error(errp, HOSTSIM_ERROR, 0,
                    "cannot open log %sLOG='%s': %s. Use a writable path",
                    HOSTSIM_ENV_PREFIX, path, g_strerror(errno));
        return false;
    }
    hostsim_log_fd_value = fd;
    return true;
}

int hostsim_log_fd(void)
{
    return hostsim_log_fd_value;
}

bool hostsim_log_enabled(void)
{
    return hostsim_log_fd_value >= 0;
}

void hostsim_log(const HostsimModel *m, const char *fmt, ...)
{
    g_autofree char *text = NULL;
    g_autofree char *line = NULL;
    size_t len, done = 0;
    int saved = errno;
    va_list ap;

    if (hostsim_log_fd_value < 0) {
        return;
    }
    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    line = g_strdup_printf("%s %s\n", m->name, text);
    len = strlen(line);
    /* One write per line: O_APPEND keeps lines whole across processes. */
    while (done < len) {
        ssize_t w = write(hostsim_log_fd_value, line + done, len - done);

        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            break;
        }
        done += w;
    }
    errno = saved;
}

/* --- the emulator's memory --- */

/*
 * process_vm_readv/writev on our own pid fail with EFAULT on a bad address
 * instead of faulting, which is what copy_from_user gives the kernel.
 * Where they are not allowed (some sandboxes), fall back to memcpy.
 */
int hostsim_read_user(void *dst, uint64_t uaddr, size_t len)
{
    struct iovec local = { .iov_base = dst, .iov_len = len };
    struct iovec remote = { .iov_base = (void *)(uintptr_t)uaddr,
                            .iov_len = len };
    ssize_t r;

    if (len == 0) {
        return 0;
    }
    if (uaddr == 0 || uaddr + len < uaddr) {
        return -EFAULT;
    }
    r = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
    if (r < 0 && (errno == ENOSYS || errno == EPERM)) {
        memcpy(dst, remote.iov_base, len);
        return 0;
    }
    return r == (ssize_t)len ? 0 : -EFAULT;
}

int hostsim_write_user(uint64_t uaddr, const void *src, size_t len)
{
    struct iovec local = { .iov_base = (void *)src, .iov_len = len };
    struct iovec remote = { .iov_base = (void *)(uintptr_t)uaddr,
                            .iov_len = len };
    ssize_t r;

    if (len == 0) {
        return 0;
    }
    if (uaddr == 0 || uaddr + len < uaddr) {
        return -EFAULT;
    }
    r = process_vm_writev(getpid(), &local, 1, &remote, 1, 0);
    if (r < 0 && (errno == ENOSYS || errno == EPERM)) {
        memcpy(remote.iov_base, src, len);
        return 0;
    }
    return r == (ssize_t)len ? 0 : -EFAULT;
}
