/* secret: a value (a key, a password) other objects refer to by id. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_BACKENDS_SECRET_H
#define CGEMU_BACKENDS_SECRET_H

#include "qom/object.h"

G_BEGIN_DECLS

#define TYPE_SECRET "secret"
#define CG_TYPE_SECRET (secret_get_type())
G_DECLARE_FINAL_TYPE(Secret, secret, CG, SECRET, CgObject)

/* The loaded value (a new reference), or NULL before completion. */
GBytes *secret_get_value(Secret *s);

G_END_DECLS

#endif
