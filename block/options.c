/* -blockdev and -drive: checking the options and opening the images. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "block/block.h"

#include "qom/fdset.h"
#include "qom/user-creatable.h"
#include "util/cutils.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const file_keys[] = {
    "driver", "node-name", "filename", "read-only", "auto-read-only",
    "discard", NULL,
};
static const char *const raw_keys[] = {
    "driver", "node-name", "file", "read-only", "discard", NULL,
};
static const char *const drive_keys[] = {
    "file", "format", "if", "id", "readonly", "read-only", NULL,
};

static bool check_keys(const CgOpts *opts, const char *const *allowed,
                       const char *what, GError **err)
{
    for (guint i = 0; i < opts->items->len; i++) {
        const CgOpt *o = g_ptr_array_index(opts->items, i);

        if (!g_strv_contains(allowed, o->key)) {
            g_autofree char *list = g_strjoinv(", ", (char **)allowed);
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "unsupported parameter '%s' for %s; cgemu accepts: %s",
                        o->key, what, list);
            return false;
        }
    }
    return true;
}

/* A string option; JSON values must be strings. */
static bool get_str(const CgOpts *opts, const char *key, const char **out,
                    GError **err)
{
    const CgOpt *o = cg_opts_find(opts, key);

    *out = NULL;
    if (o == NULL) {
        return true;
    }
    if (o->kind != CG_OPT_TEXT && o->kind != CG_OPT_STRING) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "'%s' expects a string, got a JSON %s", key,
                    cg_opt_kind_name(o->kind));
        return false;
    }
    *out = o->value;
    return true;
}

static bool get_bool(const CgOpts *opts, const char *key, bool *out,
                     GError **err)
{
    const CgOpt *o = cg_opts_find(opts, key);

    if (o == NULL) {
        return true;
    }
    if (o->kind != CG_OPT_TEXT && o->kind != CG_OPT_BOOLEAN) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "'%s' expects a boolean, got a JSON %s", key,
                    cg_opt_kind_name(o->kind));
        return false;
    }
    if (!cg_parse_bool(o->value, out)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "'%s' expects on or off, not '%s'", key, o->value);
        return false;
    }
    return true;
}

/* A name for /block that is well formed and not taken. */
static bool check_name(CgObject *root, const char *key, const char *name,
                       GError **err)
{
    if (!cg_id_wellformed(name)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "invalid %s '%s': it starts with a letter and has only "
                    "letters, digits, '-', '.' and '_'", key, name);
        return false;
    }
    if (block_node_find(root, name) != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s '%s' is already used by another -blockdev or "
                    "-drive; names must be unique", key, name);
        return false;
    }
    return true;
}

/*
 * Opens @path; @ro_hint is how to ask for read-only in this option
 * ("read-only=on" for -blockdev, "readonly=on" for -drive).
 */
static int open_image(CgObject *root, const char *path, bool *read_only,
                      bool auto_ro, const char *ro_hint, uint64_t *size,
                      GError **err)
{
    int fd;
    struct stat st;
    int e;

    if (cg_is_fdset_path(path)) {
        fd = cg_open(root, path, *read_only ? O_RDONLY : O_RDWR, 0, err);
        if (fd < 0) {
            return -1;
        }
    } else {
        fd = open(path, (*read_only ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    }
    if (fd < 0 && !*read_only && auto_ro &&
        (errno == EACCES || errno == EPERM || errno == EROFS)) {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        *read_only = fd >= 0;
    }
    if (fd < 0) {
        e = errno;
        if (!*read_only && (e == EACCES || e == EPERM || e == EROFS)) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "cannot open '%s' for writing: %s; add %s to use it "
                        "read-only", path, g_strerror(e), ro_hint);
        } else if (e == EISDIR) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "'%s' is a directory, not a disk image", path);
        } else {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "cannot open '%s': %s", path, g_strerror(e));
        }
        return -1;
    }
    if (fstat(fd, &st) < 0 || S_ISDIR(st.st_mode) ||
        (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "'%s' is %s; give a regular file or a block device",
                    path, S_ISDIR(st.st_mode) ? "a directory"
                                              : "not a disk image");
        close(fd);
        return -1;
    }
    if (S_ISREG(st.st_mode)) {
        *size = (uint64_t)st.st_size;
    } else {
        off_t end = lseek(fd, 0, SEEK_END);
        *size = end > 0 ? (uint64_t)end : 0;
    }
    return fd;
}

static bool add_to_tree(CgObject *root, BlockNode *bn, GError **err)
{
    CgObject *block = cg_object_get_container(root, "block");

    return cg_object_add_child(block, bn->node_name, CG_OBJECT(bn), err);
}

static BlockNode *new_file_node(CgObject *root, const char *name,
                                const char *path, bool read_only,
                                bool auto_ro, const char *ro_hint,
                                GError **err)
{
    g_autoptr(BlockNode) bn = g_object_new(CG_TYPE_BLOCK_NODE, NULL);

    bn->node_name = g_strdup(name);
    bn->driver = g_strdup("file");
    bn->filename = g_strdup(path);
    bn->read_only = read_only;
    bn->fd = open_image(root, path, &bn->read_only, auto_ro, ro_hint,
                        &bn->size, err);
    if (bn->fd < 0 || !add_to_tree(root, bn, err)) {
        return NULL;
    }
    return bn; /* borrowed: /block holds it */
}

static bool check_discard(const CgOpts *opts, GError **err)
{
    static const char *const ok[] = { "ignore", "off", "unmap", "on", NULL };
    const char *v;

    if (!get_str(opts, "discard", &v, err)) {
        return false;
    }
    if (v != NULL && !g_strv_contains(ok, v)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "discard='%s' is not valid; use ignore or unmap", v);
        return false;
    }
    return true;
}

static BlockNode *add_raw(CgObject *root, const CgOpts *opts,
                          const char *name, bool read_only, GError **err)
{
    g_autoptr(BlockNode) bn = NULL;
    g_autofree char *user = NULL;
    const char *file;
    BlockNode *below;

    if (!get_str(opts, "file", &file, err)) {
        return NULL;
    }
    if (file == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "file= is required for driver=raw: give the node-name "
                    "of a driver=file -blockdev defined before it");
        return NULL;
    }
    below = block_node_find(root, file);
    if (below == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "file='%s': no block node has that name; define the "
                    "driver=file -blockdev with node-name=%s before this one",
                    file, file);
        return NULL;
    }
    if (!read_only && below->read_only) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "node '%s' would be writable, but its file node '%s' is "
                    "read-only; add read-only=on", name, file);
        return NULL;
    }
    user = g_strdup_printf("raw node '%s'", name);
    if (!block_node_attach(below, user, err)) {
        return NULL;
    }
    bn = g_object_new(CG_TYPE_BLOCK_NODE, NULL);
    bn->node_name = g_strdup(name);
    bn->driver = g_strdup("raw");
    bn->read_only = read_only;
    bn->size = below->size;
    bn->file = g_object_ref(below);
    if (!add_to_tree(root, bn, err)) {
        return NULL;    /* dispose detaches the file node */
    }
    return bn;
}

BlockNode *block_blockdev_add(CgObject *root, const CgOpts *opts,
                              GError **err)
{
    const char *driver, *name, *filename;
    bool read_only = false, auto_ro = false;

    if (!get_str(opts, "driver", &driver, err)) {
        return NULL;
    }
    if (driver == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "driver= is required, e.g. "
                    "driver=file,filename=PATH,node-name=NAME");
        return NULL;
    }
    if (strcmp(driver, "file") && strcmp(driver, "raw")) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "driver '%s' is not supported; cgemu has driver=file and "
                    "driver=raw (convert other formats to raw, e.g. with "
                    "qemu-img convert -O raw)", driver);
        return NULL;
    }
    if (!check_keys(opts, strcmp(driver, "file") ? raw_keys : file_keys,
                    strcmp(driver, "file") ? "driver=raw" : "driver=file",
                    err) ||
        !get_str(opts, "node-name", &name, err) ||
        !get_bool(opts, "read-only", &read_only, err) ||
        !get_bool(opts, "auto-read-only", &auto_ro, err) ||
        !check_discard(opts, err)) {
        return NULL;
    }
    if (name == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "node-name= is required so that a device can use the "
                    "node (drive=NAME)");
        return NULL;
    }
    if (!check_name(root, "node-name", name, err)) {
        return NULL;
    }
    if (!strcmp(driver, "raw")) {
        return add_raw(root, opts, name, read_only, err);
    }
    if (!get_str(opts, "filename", &filename, err)) {
        return NULL;
    }
    if (filename == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "filename= is required for driver=file");
        return NULL;
    }
    return new_file_node(root, name, filename, read_only, auto_ro,
                         "read-only=on", err);
}

BlockNode *block_drive_add(CgObject *root, const CgOpts *opts, GError **err)
{
    const char *file, *format, *iface, *id;
    bool ro = false, ro2 = false;

    if (!check_keys(opts, drive_keys, "-drive", err) ||
        !get_str(opts, "file", &file, err) ||
        !get_str(opts, "format", &format, err) ||
        !get_str(opts, "if", &iface, err) ||
        !get_str(opts, "id", &id, err) ||
        !get_bool(opts, "readonly", &ro, err) ||
        !get_bool(opts, "read-only", &ro2, err)) {
        return NULL;
    }
    if (cg_opts_find(opts, "readonly") && cg_opts_find(opts, "read-only")) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "give readonly= or read-only=, not both");
        return NULL;
    }
    if (iface == NULL || strcmp(iface, "none")) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "if=%s is not supported; give if=none and attach the "
                    "drive with -device virtio-blk-pci,drive=ID",
                    iface ? iface : "ide (the default)");
        return NULL;
    }
    if (format == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "format= is required: give format=raw (cgemu does not "
                    "guess image formats)");
        return NULL;
    }
    if (strcmp(format, "raw")) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "format=%s is not supported; only format=raw is "
                    "(convert the image with qemu-img convert -O raw)",
                    format);
        return NULL;
    }
    if (file == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "file= is required: the path of the image");
        return NULL;
    }
    if (id == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "id= is required so that -device virtio-blk-pci,drive=ID "
                    "can use the drive");
        return NULL;
    }
    if (!check_name(root, "id", id, err)) {
        return NULL;
    }
    return new_file_node(root, id, file, ro || ro2, false, "readonly=on",
                         err);
}

bool block_create_nodes(CgObject *root, const GPtrArray *blockdevs,
                        const GPtrArray *drives, GError **err)
{
    for (guint i = 0; i < blockdevs->len; i++) {
        const CgOpts *opts = g_ptr_array_index(blockdevs, i);

        if (block_blockdev_add(root, opts, err) == NULL) {
            g_prefix_error(err, "-blockdev %s: ", opts->text);
            return false;
        }
    }
    for (guint i = 0; i < drives->len; i++) {
        const CgOpts *opts = g_ptr_array_index(drives, i);

        if (block_drive_add(root, opts, err) == NULL) {
            g_prefix_error(err, "-drive %s: ", opts->text);
            return false;
        }
    }
    return true;
}
