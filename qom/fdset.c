/* File descriptor sets: -add-fd, and opening "/dev/fdset/N". */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "qom/fdset.h"

#include "util/cutils.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define FDSET_PREFIX "/dev/fdset/"

typedef struct {
    int fd;
    char *opaque;
} FdEntry;

typedef struct {
    CgObject parent_instance;
    GArray *fds;    /* FdEntry */
} FdSet;
typedef CgObjectClass FdSetClass;

CG_DEFINE_TYPE(FdSet, fdset, "fdset", CG_TYPE_OBJECT)

static void fd_entry_clear(FdEntry *e)
{
    close(e->fd);
    g_free(e->opaque);
}

static void fdset_finalize(GObject *obj)
{
    g_array_unref(((FdSet *)obj)->fds);
    G_OBJECT_CLASS(fdset_parent_class)->finalize(obj);
}

static void fdset_class_init(FdSetClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = fdset_finalize;
}

static void fdset_init(FdSet *s)
{
    s->fds = g_array_new(FALSE, FALSE, sizeof(FdEntry));
    g_array_set_clear_func(s->fds, (GDestroyNotify)fd_entry_clear);
}

static FdSet *find_set(CgObject *root, unsigned set, bool create)
{
    CgObject *dir = cg_object_get_container(root, "fdsets");
    g_autofree char *name = g_strdup_printf("%u", set);
    CgObject *s = cg_object_get_child(dir, name);

    if (s == NULL && create) {
        g_autoptr(CgObject) fresh = g_object_new(fdset_get_type(), NULL);

        if (cg_object_add_child(dir, name, fresh, NULL)) {
            s = fresh;
        }
    }
    return (FdSet *)s;
}

bool cg_fdset_add(CgObject *root, unsigned set, int fd, const char *opaque,
                  GError **err)
{
    FdEntry e;
    FdSet *s;

    if (fcntl(fd, F_GETFD) < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "fd %d is not open in this process; pass it without "
                    "close-on-exec", fd);
        return false;
    }
    s = find_set(root, set, true);
    e.fd = fd;
    e.opaque = g_strdup(opaque);
    /* Not inherited by anything cgemu starts. */
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    g_array_append_val(s->fds, e);
    return true;
}

bool cg_is_fdset_path(const char *path)
{
    return g_str_has_prefix(path, FDSET_PREFIX);
}

static const char *mode_name(int mode)
{
    return mode == O_RDONLY ? "read-only" : mode == O_WRONLY ? "write-only"
                                                             : "read-write";
}

int cg_open(CgObject *root, const char *path, int flags, mode_t mode,
            GError **err)
{
    int want = flags & O_ACCMODE;
    uint64_t set;
    FdSet *s;
    int fd;

    if (!g_str_has_prefix(path, FDSET_PREFIX)) {
        fd = open(path, flags | O_CLOEXEC, mode);
        if (fd < 0) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC, "cannot open '%s': "
                        "%s", path, g_strerror(errno));
        }
        return fd;
    }
    if (!cg_parse_uint64(path + strlen(FDSET_PREFIX), &set) ||
        set > G_MAXUINT) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "'%s' names no fd set; write " FDSET_PREFIX "N with N "
                    "the set= of an -add-fd", path);
        return -1;
    }
    s = find_set(root, (unsigned)set, false);
    for (guint i = 0; s != NULL && i < s->fds->len; i++) {
        FdEntry *e = &g_array_index(s->fds, FdEntry, i);
        int fl = fcntl(e->fd, F_GETFL);

        if (fl >= 0 && (fl & O_ACCMODE) == want) {
            fd = fcntl(e->fd, F_DUPFD_CLOEXEC, 0);
            if (fd < 0) {
                g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                            "cannot duplicate fd %d of '%s': %s", e->fd,
                            path, g_strerror(errno));
            }
            return fd;
        }
    }
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "'%s': %s; pass a %s descriptor with -add-fd set=%u,fd=N",
                path,
                s == NULL ? "no -add-fd gave this set"
                          : "the set has no descriptor of the access mode "
                            "needed",
                mode_name(want), (unsigned)set);
    return -1;
}
