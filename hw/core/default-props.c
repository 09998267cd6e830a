/* Machine default properties and -global: per-type property values. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/core/default-props.h"

#include "qom/property.h"
#include "util/error.h"

#include <string.h>

struct DefaultProps {
    GPtrArray *entries;
};

static void entry_free(gpointer p)
{
    DefaultProp *d = p;

    g_free(d->driver);
    g_free(d->property);
    g_free(d->value);
    g_free(d->why);
    g_free(d);
}

DefaultProps *default_props_new(void)
{
    DefaultProps *dp = g_new0(DefaultProps, 1);

    dp->entries = g_ptr_array_new_with_free_func(entry_free);
    return dp;
}

void default_props_free(DefaultProps *dp)
{
    if (dp != NULL) {
        g_ptr_array_unref(dp->entries);
        g_free(dp);
    }
}

void default_props_add(DefaultProps *dp, const char *driver,
                       const char *property, const char *value,
                       PropOrigin origin, const char *why)
{
    DefaultProp *d = g_new0(DefaultProp, 1);

    d->driver = g_strdup(driver);
    d->property = g_strdup(property);
    d->value = g_strdup(value);
    d->origin = origin;
    d->why = g_strdup(why);
    g_ptr_array_add(dp->entries, d);
}

const GPtrArray *default_props_list(DefaultProps *dp)
{
    return dp->entries;
}

/* The property of @type (class or interface) named @name, or NULL. */
static GParamSpec *type_find_property(GType type, const char *name)
{
    GParamSpec *p;

    if (G_TYPE_IS_INTERFACE(type)) {
        gpointer iface = g_type_default_interface_ref(type);
        p = g_object_interface_find_property(iface, name);
        g_type_default_interface_unref(iface);
    } else {
        GObjectClass *oc = g_type_class_ref(type);
        p = g_object_class_find_property(oc, name);
        g_type_class_unref(oc);
    }
    return p && !cg_param_spec_is_internal(p) ? p : NULL;
}

bool default_props_add_global(DefaultProps *dp, const char *text,
                              GError **err)
{
    g_autofree char *driver = NULL;
    g_autofree char *prop = NULL;
    g_autofree char *value = NULL;
    GParamSpec *p;
    GType type;

    if (g_str_has_prefix(text, "driver=")) {
        g_autoptr(CgOpts) opts = cg_keyval_parse(text, NULL, err);
        if (opts == NULL) {
            return false;
        }
        for (guint i = 0; i < opts->items->len; i++) {
            const CgOpt *o = g_ptr_array_index(opts->items, i);
            if (strcmp(o->key, "driver") && strcmp(o->key, "property") &&
                strcmp(o->key, "value")) {
                g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                            "unknown parameter '%s'; -global takes driver=, "
                            "property= and value=", o->key);
                return false;
            }
        }
        driver = g_strdup(cg_opts_get(opts, "driver"));
        prop = g_strdup(cg_opts_get(opts, "property"));
        value = g_strdup(cg_opts_get(opts, "value"));
        if (prop == NULL || value == NULL) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "-global needs driver=, property= and value=");
            return false;
        }
    } else {
        const char *eq = strchr(text, '=');
        const char *dot = strchr(text, '.');
        if (eq == NULL || dot == NULL || dot > eq || dot == text ||
            dot + 1 == eq) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "expected DRIVER.PROPERTY=VALUE, e.g. "
                        "virtio-pci.disable-legacy=on");
            return false;
        }
        driver = g_strndup(text, (gsize)(dot - text));
        prop = g_strndup(dot + 1, (gsize)(eq - dot - 1));
        value = g_strdup(eq + 1);
    }

    type = cg_type_lookup(driver);
    if (type == 0 || (!G_TYPE_IS_INTERFACE(type) &&
                      !g_type_is_a(type, g_type_from_name("device")))) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "unknown driver '%s'; -global applies to device types "
                    "(see -device help)", driver);
        return false;
    }
    p = type_find_property(type, prop);
    if (p == NULL) {
        cg_set_unknown_property_error(err, type, prop);
        return false;
    }
    if (!cg_param_spec_is_link(p)) {
        g_auto(GValue) v = G_VALUE_INIT;
        if (!cg_value_from_opt(p, NULL, CG_OPT_TEXT, value, &v, err)) {
            return false;
        }
    }
    default_props_add(dp, driver, prop, value, PROP_ORIGIN_GLOBAL, NULL);
    return true;
}

static bool entry_matches(const DefaultProp *d, DeviceState *dev)
{
    GType t = cg_type_lookup(d->driver);

    return t != 0 && g_type_is_a(G_OBJECT_TYPE(dev), t);
}

bool default_props_apply(DefaultProps *dp, DeviceState *dev,
                         PropOrigin origin, GError **err)
{
    for (guint i = 0; i < dp->entries->len; i++) {
        DefaultProp *d = g_ptr_array_index(dp->entries, i);
        g_autoptr(GError) local = NULL;

        if (d->origin != origin || !entry_matches(d, dev)) {
            continue;
        }
        if (!device_set_prop(dev, d->property, CG_OPT_TEXT, d->value, origin,
                             &local)) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC, "%s %s.%s=%s: %s",
                        origin == PROP_ORIGIN_GLOBAL ? "-global"
                                                     : "machine default",
                        d->driver, d->property, d->value, local->message);
            return false;
        }
        d->used = true;
    }
    return true;
}

const DefaultProp *default_props_find_machine(DefaultProps *dp,
                                              DeviceState *dev,
                                              const char *property)
{
    const DefaultProp *found = NULL;

    for (guint i = 0; i < dp->entries->len; i++) {
        DefaultProp *d = g_ptr_array_index(dp->entries, i);
        if (d->origin == PROP_ORIGIN_MACHINE &&
            cg_property_names_equal(d->property, property) &&
            entry_matches(d, dev)) {
            found = d;
        }
    }
    return found;
}
