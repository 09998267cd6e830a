/* Enumerations shared by several property owners. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "qom/enums.h"

#include "qom/object.h"

GType on_off_auto_get_type(void)
{
    static gsize id;
    static const GEnumValue values[] = {
        { ON_OFF_AUTO_AUTO, "ON_OFF_AUTO_AUTO", "auto" },
        { ON_OFF_AUTO_ON, "ON_OFF_AUTO_ON", "on" },
        { ON_OFF_AUTO_OFF, "ON_OFF_AUTO_OFF", "off" },
        { 0, NULL, NULL },
    };

    if (g_once_init_enter(&id)) {
        g_once_init_leave(&id, g_enum_register_static("OnOffAuto", values));
    }
    return id;
}
CG_TYPE_REGISTER(on_off_auto_get_type)
