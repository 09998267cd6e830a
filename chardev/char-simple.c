/* The simple chardev backends: null, stdio and file. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "chardev/char-io.h"
#include "qom/fdset.h"
#include "util/cutils.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* null: swallows output, never has input. */
typedef struct {
    Chardev parent_instance;
} ChardevNull;
typedef ChardevClass ChardevNullClass;

CG_DEFINE_TYPE(ChardevNull, chardev_null, "chardev-null", CG_TYPE_CHARDEV)

static bool null_open(Chardev *chr, const CgOpts *opts, GError **err)
{
    static const char *const allowed[] = { NULL };

    if (!chardev_check_opts(chr, opts, allowed, err)) {
        return false;
    }
    chardev_set_connected(chr, true);
    return true;
}

static void chardev_null_class_init(ChardevNullClass *klass)
{
    klass->open = null_open;
}

static void chardev_null_init(ChardevNull *self)
{
}

/* stdio: the process's stdin and stdout; one per process. */
typedef struct {
    Chardev parent_instance;
    CharReader reader;
} ChardevStdio;
typedef ChardevClass ChardevStdioClass;

CG_DEFINE_TYPE(ChardevStdio, chardev_stdio, "chardev-stdio", CG_TYPE_CHARDEV)

static bool stdio_in_use(Chardev *self)
{
    CgObject *dir = cg_object_get_parent(CG_OBJECT(self));
    g_autoptr(GPtrArray) all = cg_object_get_children(dir);

    for (guint i = 0; i < all->len; i++) {
        CgObject *o = g_ptr_array_index(all, i);
        if (o != CG_OBJECT(self) &&
            G_OBJECT_TYPE(o) == G_OBJECT_TYPE(self)) {
            return true;
        }
    }
    return false;
}

static bool stdio_open(Chardev *chr, const CgOpts *opts, GError **err)
{
    static const char *const allowed[] = { "signal", NULL };
    ChardevStdio *s = (ChardevStdio *)chr;
    const char *sig = cg_opts_get(opts, "signal");
    bool b;

    if (!chardev_check_opts(chr, opts, allowed, err)) {
        return false;
    }
    if (sig != NULL && !cg_parse_bool(sig, &b)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "'signal' expects on or off, got '%s'", sig);
        return false;
    }
    if (stdio_in_use(chr)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "stdio is already used by another chardev (-serial "
                    "stdio, -nographic and -qmp stdio each take it); give "
                    "only one of them stdio");
        return false;
    }
    char_reader_start(&s->reader, chr, STDIN_FILENO, NULL);
    chardev_set_connected(chr, true);
    return true;
}

static ssize_t stdio_write(Chardev *chr, const uint8_t *buf, size_t len)
{
    return char_write_all(STDOUT_FILENO, buf, len);
}

static void stdio_accept_input(Chardev *chr)
{
    char_reader_resume(&((ChardevStdio *)chr)->reader);
}

static void stdio_finalize(GObject *obj)
{
    char_reader_stop(&((ChardevStdio *)obj)->reader);
    G_OBJECT_CLASS(chardev_stdio_parent_class)->finalize(obj);
}

static void chardev_stdio_class_init(ChardevStdioClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = stdio_finalize;
    klass->open = stdio_open;
    klass->write = stdio_write;
    klass->accept_input = stdio_accept_input;
}

static void chardev_stdio_init(ChardevStdio *self)
{
    self->reader.fd = -1;
}

/* file: output to a file (created or truncated, or appended to). */
typedef struct {
    Chardev parent_instance;
    int fd;
} ChardevFile;
typedef ChardevClass ChardevFileClass;

CG_DEFINE_TYPE(ChardevFile, chardev_file, "chardev-file", CG_TYPE_CHARDEV)

static bool file_open(Chardev *chr, const CgOpts *opts, GError **err)
{
    static const char *const allowed[] = { "path", "append", NULL };
    ChardevFile *f = (ChardevFile *)chr;
    const char *path = cg_opts_get(opts, "path");
    const char *append = cg_opts_get(opts, "append");
    bool app = false;

    if (!chardev_check_opts(chr, opts, allowed, err)) {
        return false;
    }
    if (path == NULL || *path == '\0') {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "the file backend needs path=FILE");
        return false;
    }
    if (append != NULL && !cg_parse_bool(append, &app)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "'append' expects on or off, got '%s'", append);
        return false;
    }
    if (cg_is_fdset_path(path)) {
        /* opened by whoever passed it (libvirt: for appending) */
        f->fd = cg_open(cg_object_get_root(CG_OBJECT(chr)), path, O_WRONLY,
                        0, err);
        if (f->fd < 0) {
            return false;
        }
        chardev_set_connected(chr, true);
        return true;
    }
    f->fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC |
                           (app ? O_APPEND : O_TRUNC), 0666);
    if (f->fd < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "cannot open '%s' for writing: %s", path,
                    g_strerror(errno));
        return false;
    }
    chardev_set_connected(chr, true);
    return true;
}

static ssize_t file_write(Chardev *chr, const uint8_t *buf, size_t len)
{
    return char_write_all(((ChardevFile *)chr)->fd, buf, len);
}

static void file_finalize(GObject *obj)
{
    ChardevFile *f = (ChardevFile *)obj;

    if (f->fd >= 0) {
        close(f->fd);
    }
    G_OBJECT_CLASS(chardev_file_parent_class)->finalize(obj);
}

static void chardev_file_class_init(ChardevFileClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = file_finalize;
    klass->open = file_open;
    klass->write = file_write;
}

static void chardev_file_init(ChardevFile *self)
{
    self->fd = -1;
}
