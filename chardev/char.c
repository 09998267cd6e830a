/* Character devices: the base type, creation, frontends, writing. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "chardev/char.h"

#include "qom/user-creatable.h"
#include "util/cutils.h"
#include "util/error.h"

#include <errno.h>
#include <string.h>

CG_DEFINE_ABSTRACT_TYPE(Chardev, chardev, TYPE_CHARDEV, CG_TYPE_OBJECT)

static void chardev_finalize(GObject *obj)
{
    Chardev *chr = CG_CHARDEV(obj);

    g_mutex_clear(&chr->write_lock);
    g_free(chr->filename);
    G_OBJECT_CLASS(chardev_parent_class)->finalize(obj);
}

static void chardev_class_init(ChardevClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = chardev_finalize;
}

static void chardev_init(Chardev *chr)
{
    g_mutex_init(&chr->write_lock);
}

const char *chardev_id(Chardev *chr)
{
    const char *name = cg_object_get_name(CG_OBJECT(chr));

    return name ? name : "";
}

Chardev *chardev_find(CgObject *root, const char *id)
{
    CgObject *dir = cg_object_get_child(root, "chardevs");
    CgObject *obj = dir ? cg_object_get_child(dir, id) : NULL;

    return obj && CG_IS_CHARDEV(obj) ? CG_CHARDEV(obj) : NULL;
}

bool chardev_check_opts(Chardev *chr, const CgOpts *opts,
                        const char *const *allowed, GError **err)
{
    for (guint i = 0; i < opts->items->len; i++) {
        const CgOpt *o = g_ptr_array_index(opts->items, i);
        g_autofree char *list = NULL;

        if (!strcmp(o->key, "backend") || !strcmp(o->key, "id") ||
            g_strv_contains(allowed, o->key)) {
            continue;
        }
        list = g_strjoinv(", ", (char **)allowed);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "chardev backend '%s' has no parameter '%s'; it accepts: "
                    "%s", cg_object_type_name(CG_OBJECT(chr)) +
                              strlen("chardev-"),
                    o->key, *list ? list : "(none)");
        return false;
    }
    return true;
}

/* QEMU's "filename" of a chardev, from its options. */
static char *describe(const char *backend, const CgOpts *opts)
{
    const char *path = cg_opts_get(opts, "path");
    const char *host = cg_opts_get(opts, "host");
    const char *port = cg_opts_get(opts, "port");
    const char *fd = cg_opts_get(opts, "fd");
    const char *server = cg_opts_get(opts, "server");
    bool is_server = false;
    g_autofree char *where = NULL;

    if (strcmp(backend, "socket") != 0) {
        return path ? g_strdup_printf("%s:%s", backend, path)
                    : g_strdup(backend);
    }
    if (server != NULL && !cg_parse_bool(server, &is_server)) {
        is_server = false;
    }
    where = path   ? g_strdup_printf("unix:%s", path)
            : fd   ? g_strdup_printf("fd:%s", fd)
                   : g_strdup_printf("tcp:%s:%s", host ? host : "",
                                     port ? port : "");
    return g_strdup_printf("%s%s", where, is_server ? ",server=on" : "");
}

Chardev *chardev_new_from_opts(CgObject *root, const CgOpts *opts,
                               GError **err)
{
    const char *backend = cg_opts_get(opts, "backend");
    const char *id = cg_opts_get(opts, "id");
    g_autofree char *type_name = NULL;
    g_autoptr(Chardev) chr = NULL;
    CgObject *dir;
    GType type;

    if (backend == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "the backend is missing; write e.g. "
                    "socket,id=ID,path=PATH,server=on,wait=off");
        return NULL;
    }
    type_name = g_strdup_printf("chardev-%s", backend);
    type = cg_type_lookup(type_name);
    if (type == 0 || !g_type_is_a(type, CG_TYPE_CHARDEV) ||
        G_TYPE_IS_ABSTRACT(type)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "unknown chardev backend '%s'; cgemu has: null, stdio, "
                    "file, socket", backend);
        return NULL;
    }
    if (id == NULL || !cg_id_wellformed(id)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    id ? "invalid chardev id '%s': an id starts with a "
                         "letter and has only letters, digits, '-', '.' "
                         "and '_'"
                       : "a chardev needs an id; add id=NAME%s",
                    id ? id : "");
        return NULL;
    }
    dir = cg_object_get_container(root, "chardevs");
    if (cg_object_get_child(dir, id) != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "a chardev with id '%s' already exists; ids must be "
                    "unique", id);
        return NULL;
    }
    chr = g_object_new(type, NULL);
    if (!cg_object_add_child(dir, id, CG_OBJECT(chr), err)) {
        return NULL;
    }
    if (!CG_CHARDEV_GET_CLASS(chr)->open(chr, opts, err)) {
        cg_object_unparent(CG_OBJECT(chr));
        return NULL;
    }
    chr->filename = describe(backend, opts);
    return chr; /* borrowed: the tree keeps it */
}

/* "server" and "nowait" without values are the old spelling of
 * server=on and wait=off; QEMU 7.2 still takes them. */
static CgOpts *parse_socket_spec(const char *rest, const char *key,
                                 GError **err)
{
    g_autoptr(GString) fixed = g_string_new(NULL);
    g_auto(GStrv) parts = NULL;
    const char *comma = strchr(rest, ',');
    g_autofree char *head = g_strndup(rest, comma ? (gsize)(comma - rest)
                                                  : strlen(rest));

    g_string_append_printf(fixed, "%s=", key);
    for (const char *c = head; *c; c++) {
        if (*c == ',') {
            g_string_append_c(fixed, ',');
        }
        g_string_append_c(fixed, *c);
    }
    if (comma != NULL) {
        parts = g_strsplit(comma + 1, ",", -1);
        for (char **p = parts; *p; p++) {
            if (!strcmp(*p, "server")) {
                g_string_append(fixed, ",server=on");
            } else if (!strcmp(*p, "nowait")) {
                g_string_append(fixed, ",wait=off");
            } else {
                g_string_append_printf(fixed, ",%s", *p);
            }
        }
    }
    return cg_keyval_parse(fixed->str, NULL, err);
}

Chardev *chardev_new_from_spec(CgObject *root, const char *spec,
                               const char *id, GError **err)
{
    g_autoptr(CgOpts) opts = NULL;

    if (g_str_has_prefix(spec, "chardev:")) {
        Chardev *chr = chardev_find(root, spec + strlen("chardev:"));
        if (chr == NULL) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "no chardev with id '%s'; define it first with "
                        "-chardev BACKEND,id=%s", spec + strlen("chardev:"),
                        spec + strlen("chardev:"));
        }
        return chr;
    }
    if (!strcmp(spec, "stdio") || !strcmp(spec, "null")) {
        opts = cg_opts_new(spec);
    } else if (g_str_has_prefix(spec, "file:")) {
        opts = cg_opts_new(spec);
        cg_opts_set(opts, "path", spec + strlen("file:"), CG_OPT_TEXT);
        cg_opts_set(opts, "backend", "file", CG_OPT_TEXT);
    } else if (g_str_has_prefix(spec, "unix:")) {
        opts = parse_socket_spec(spec + strlen("unix:"), "path", err);
    } else if (g_str_has_prefix(spec, "tcp:")) {
        const char *hp = spec + strlen("tcp:");
        const char *colon = strrchr(hp, ':');
        const char *comma = strchr(hp, ',');
        if (colon == NULL || (comma != NULL && colon > comma)) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "expected tcp:HOST:PORT[,server=on][,wait=off]");
            return NULL;
        }
        opts = parse_socket_spec(colon + 1, "port", err);
        if (opts != NULL) {
            g_autofree char *host = g_strndup(hp, (gsize)(colon - hp));
            cg_opts_set(opts, "host", host, CG_OPT_TEXT);
        }
    } else if (g_str_has_prefix(spec, "mon:")) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "'mon:' multiplexes the human monitor, which cgemu does "
                    "not have; write '%s' and use -qmp for a monitor",
                    spec + strlen("mon:"));
        return NULL;
    } else {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "unsupported character device '%s'; cgemu takes stdio, "
                    "null, file:PATH, unix:PATH[,server=on,wait=off], "
                    "tcp:HOST:PORT[,...] or chardev:ID", spec);
        return NULL;
    }
    if (opts == NULL) {
        return NULL;
    }
    if (cg_opts_get(opts, "backend") == NULL) {
        cg_opts_set(opts, "backend",
                    g_str_has_prefix(spec, "unix:") ||
                            g_str_has_prefix(spec, "tcp:")
                        ? "socket"
                        : spec,
                    CG_OPT_TEXT);
    }
    cg_opts_set(opts, "id", id, CG_OPT_TEXT);
    return chardev_new_from_opts(root, opts, err);
}

bool chardev_attach(Chardev *chr, const CharFrontendOps *ops, void *opaque,
                    GError **err)
{
    if (chr->fe_ops != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "chardev '%s' is already in use by another device or "
                    "monitor; give each its own chardev", chardev_id(chr));
        return false;
    }
    chr->fe_ops = ops;
    chr->fe_opaque = opaque;
    if (chr->connected && ops->event) {
        ops->event(opaque, CHR_EVENT_OPENED);
    }
    chardev_accept_input(chr);
    return true;
}

void chardev_detach(Chardev *chr)
{
    chr->fe_ops = NULL;
    chr->fe_opaque = NULL;
}

bool chardev_write(Chardev *chr, const void *buf, size_t len)
{
    ChardevClass *cc = CG_CHARDEV_GET_CLASS(chr);
    ssize_t n;

    if (len == 0) {
        return true;
    }
    g_mutex_lock(&chr->write_lock);
    n = cc->write ? cc->write(chr, buf, len) : (ssize_t)len;
    g_mutex_unlock(&chr->write_lock);
    return n == (ssize_t)len;
}

void chardev_accept_input(Chardev *chr)
{
    ChardevClass *cc = CG_CHARDEV_GET_CLASS(chr);

    if (cc->accept_input) {
        cc->accept_input(chr);
    }
}

void chardev_disconnect(Chardev *chr)
{
    ChardevClass *cc = CG_CHARDEV_GET_CLASS(chr);

    if (cc->disconnect) {
        cc->disconnect(chr);
    }
}

void chardev_set_connected(Chardev *chr, bool connected)
{
    if (chr->connected == connected) {
        return;
    }
    chr->connected = connected;
    if (chr->fe_ops && chr->fe_ops->event) {
        chr->fe_ops->event(chr->fe_opaque,
                           connected ? CHR_EVENT_OPENED : CHR_EVENT_CLOSED);
    }
}

size_t chardev_can_receive(Chardev *chr)
{
    if (chr->fe_ops == NULL || chr->fe_ops->can_receive == NULL) {
        return 0;
    }
    return chr->fe_ops->can_receive(chr->fe_opaque);
}

void chardev_receive(Chardev *chr, const uint8_t *buf, size_t len)
{
    if (chr->fe_ops != NULL && chr->fe_ops->receive != NULL) {
        chr->fe_ops->receive(chr->fe_opaque, buf, len);
    }
}
