/* Random number backends for virtio-rng: rng-builtin and rng-random. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "backends/rng.h"

#include "qom/user-creatable.h"
#include "qom/property.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

CG_DEFINE_TYPE_EXTENDED(RngBackend, rng_backend, TYPE_RNG_BACKEND,
                        CG_TYPE_OBJECT, G_TYPE_FLAG_ABSTRACT,
                        G_IMPLEMENT_INTERFACE(CG_TYPE_USER_CREATABLE, NULL))

static void rng_backend_class_init(RngBackendClass *klass)
{
}

static void rng_backend_init(RngBackend *self)
{
}

ssize_t rng_backend_fill(RngBackend *rng, void *buf, size_t len,
                         GError **err)
{
    return CG_RNG_BACKEND_GET_CLASS(rng)->fill(rng, buf, len, err);
}

/* rng-builtin: the host kernel's getrandom(), never blocking. */
typedef struct {
    RngBackend parent_instance;
} RngBuiltin;
typedef RngBackendClass RngBuiltinClass;

CG_DEFINE_TYPE(RngBuiltin, rng_builtin, TYPE_RNG_BUILTIN, CG_TYPE_RNG_BACKEND)

static ssize_t rng_builtin_fill(RngBackend *rng, void *buf, size_t len,
                                GError **err)
{
    ssize_t n = getrandom(buf, len, GRND_NONBLOCK);

    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) {
            return 0;
        }
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "rng-builtin: getrandom failed: %s", g_strerror(errno));
        return -1;
    }
    return n;
}

static void rng_builtin_class_init(RngBuiltinClass *klass)
{
    klass->fill = rng_builtin_fill;
}

static void rng_builtin_init(RngBuiltin *self)
{
}

/* rng-random: reads a host file or device, opened at completion. */
typedef struct {
    RngBackend parent_instance;
    char *filename;
    int fd;
} RngRandom;
typedef RngBackendClass RngRandomClass;

enum {
    RNG_RANDOM_PROP_0,
    RNG_RANDOM_PROP_FILENAME,
};

static void rng_random_initable_iface_init(GInitableIface *iface);

CG_DEFINE_TYPE_WITH_CODE(RngRandom, rng_random, TYPE_RNG_RANDOM,
                         CG_TYPE_RNG_BACKEND,
                         G_IMPLEMENT_INTERFACE(G_TYPE_INITABLE,
                                               rng_random_initable_iface_init))

static gboolean rng_random_initable_init(GInitable *initable,
                                         GCancellable *cancellable,
                                         GError **err)
{
    RngRandom *r = (RngRandom *)initable;

    r->fd = open(r->filename, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (r->fd < 0) {
        int e = errno;
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "rng-random: cannot open filename=%s: %s%s", r->filename,
                    g_strerror(e),
                    e == ENOENT ? "; give an existing file or device such "
                                  "as /dev/urandom"
                    : e == EACCES ? "; check the file's permissions"
                                  : "");
        return FALSE;
    }
    return TRUE;
}

static void rng_random_initable_iface_init(GInitableIface *iface)
{
    iface->init = rng_random_initable_init;
}

static ssize_t rng_random_fill(RngBackend *rng, void *buf, size_t len,
                               GError **err)
{
    RngRandom *r = (RngRandom *)rng;
    ssize_t n;

    if (r->fd < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "rng-random: %s is not open", r->filename);
        return -1;
    }
    n = read(r->fd, buf, len);
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) {
            return 0;
        }
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "rng-random: reading %s failed: %s", r->filename,
                    g_strerror(errno));
        return -1;
    }
    return n;
}

static void rng_random_set_property(GObject *obj, guint id,
                                    const GValue *value, GParamSpec *pspec)
{
    RngRandom *r = (RngRandom *)obj;

    switch (id) {
    case RNG_RANDOM_PROP_FILENAME:
        g_free(r->filename);
        r->filename = g_value_dup_string(value);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void rng_random_get_property(GObject *obj, guint id, GValue *value,
                                    GParamSpec *pspec)
{
    RngRandom *r = (RngRandom *)obj;

    switch (id) {
    case RNG_RANDOM_PROP_FILENAME:
        g_value_set_string(value, r->filename);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static bool rng_random_check_set(CgObject *obj, GParamSpec *pspec,
                                 GError **err)
{
    if (((RngRandom *)obj)->fd >= 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "rng-random: '%s' cannot change once the file is open",
                    cg_param_spec_name(pspec));
        return false;
    }
    return true;
}

static void rng_random_finalize(GObject *obj)
{
    RngRandom *r = (RngRandom *)obj;

    if (r->fd >= 0) {
        close(r->fd);
    }
    g_free(r->filename);
    G_OBJECT_CLASS(rng_random_parent_class)->finalize(obj);
}

static void rng_random_class_init(RngRandomClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);

    oc->set_property = rng_random_set_property;
    oc->get_property = rng_random_get_property;
    oc->finalize = rng_random_finalize;
    CG_OBJECT_CLASS(klass)->check_set_property = rng_random_check_set;
    klass->fill = rng_random_fill;
    g_object_class_install_property(
        oc, RNG_RANDOM_PROP_FILENAME,
        g_param_spec_string("filename", "filename",
                            "Host file or device the random bytes are "
                            "read from",
                            "/dev/urandom",
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                                G_PARAM_STATIC_STRINGS));
}

static void rng_random_init(RngRandom *self)
{
    self->fd = -1;
}
