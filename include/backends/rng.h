/* Random number backends for virtio-rng: rng-builtin and rng-random. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_BACKENDS_RNG_H
#define CGEMU_BACKENDS_RNG_H

#include "qom/object.h"

#include <stddef.h>
#include <sys/types.h>

G_BEGIN_DECLS

#define TYPE_RNG_BACKEND "rng-backend"
#define CG_TYPE_RNG_BACKEND (rng_backend_get_type())
CG_DECLARE_TYPE(RngBackend, rng_backend, CG, RNG_BACKEND)

struct _RngBackend {
    CgObject parent_instance;
};

struct _RngBackendClass {
    CgObjectClass parent_class;

    /* Fills up to @len bytes; returns the count (0 when none are
     * available right now) or -1 with @err set. */
    ssize_t (*fill)(RngBackend *rng, void *buf, size_t len, GError **err);
};

ssize_t rng_backend_fill(RngBackend *rng, void *buf, size_t len,
                         GError **err);

#define TYPE_RNG_BUILTIN "rng-builtin"
#define TYPE_RNG_RANDOM "rng-random"

G_END_DECLS

#endif
