/* Enumerations shared by several property owners. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_QOM_ENUMS_H
#define CGEMU_QOM_ENUMS_H

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
    ON_OFF_AUTO_AUTO,
    ON_OFF_AUTO_ON,
    ON_OFF_AUTO_OFF,
} OnOffAuto;

/* The GEnum "OnOffAuto" with nicks "auto", "on", "off". */
GType on_off_auto_get_type(void);
#define CG_TYPE_ON_OFF_AUTO (on_off_auto_get_type())

G_END_DECLS

#endif
