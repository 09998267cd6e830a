/* The abstract device: realize, properties with provenance, defaults. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/core/device.h"

#include "hw/core/default-props.h"
#include "qom/property.h"
#include "qom/user-creatable.h"
#include "util/error.h"

#include <string.h>

enum {
    PROP_0,
    PROP_REALIZED,
};

CG_DEFINE_ABSTRACT_TYPE(DeviceState, device, TYPE_DEVICE, CG_TYPE_OBJECT)

const char *prop_origin_name(PropOrigin origin)
{
    switch (origin) {
    case PROP_ORIGIN_CLASS_DEFAULT:
        return "default";
    case PROP_ORIGIN_MACHINE:
        return "machine";
    case PROP_ORIGIN_GLOBAL:
        return "global";
    case PROP_ORIGIN_EXPLICIT:
        return "explicit";
    }
    return "default";
}

static void device_get_property(GObject *obj, guint id, GValue *value,
                                GParamSpec *pspec)
{
    switch (id) {
    case PROP_REALIZED:
        g_value_set_boolean(value, CG_DEVICE(obj)->realized);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static bool device_check_set(CgObject *obj, GParamSpec *pspec, GError **err)
{
    DeviceState *dev = CG_DEVICE(obj);

    if (dev->realized) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "property '%s' of %s cannot change after the device "
                    "is realized", cg_param_spec_name(pspec),
                    cg_object_type_name(obj));
        return false;
    }
    return true;
}

static void device_dispose(GObject *obj)
{
    DeviceState *dev = CG_DEVICE(obj);
    DeviceStateClass *dc = CG_DEVICE_GET_CLASS(dev);

    if (dev->realized && dc->unrealize) {
        dc->unrealize(dev);
    }
    dev->realized = false;
    G_OBJECT_CLASS(device_parent_class)->dispose(obj);
}

static void device_finalize(GObject *obj)
{
    DeviceState *dev = CG_DEVICE(obj);

    g_free(dev->id);
    g_hash_table_unref(dev->origins);
    G_OBJECT_CLASS(device_parent_class)->finalize(obj);
}

static void device_class_init(DeviceStateClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);

    oc->get_property = device_get_property;
    oc->dispose = device_dispose;
    oc->finalize = device_finalize;
    CG_OBJECT_CLASS(klass)->check_set_property = device_check_set;
    g_object_class_install_property(
        oc, PROP_REALIZED,
        g_param_spec_boolean("realized", "realized",
                             "Whether the device is realized", FALSE,
                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
}

static void device_init(DeviceState *dev)
{
    dev->origins = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                         NULL);
}

DeviceState *device_new(MachineState *ms, const char *type_name,
                        GError **err)
{
    GType type = cg_type_lookup(type_name);
    g_autoptr(DeviceState) dev = NULL;

    if (type == 0 || !g_type_is_a(type, CG_TYPE_DEVICE) ||
        G_TYPE_IS_ABSTRACT(type)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "'%s' is not a device type of this binary; see "
                    "-device help", type_name);
        return NULL;
    }
    dev = g_object_new(type, NULL);
    dev->machine = ms;
    if (!default_props_apply(ms->defaults, dev, PROP_ORIGIN_MACHINE, err) ||
        !default_props_apply(ms->defaults, dev, PROP_ORIGIN_GLOBAL, err)) {
        return NULL;
    }
    return g_steal_pointer(&dev);
}

/*
 * One warning per property whose final value departs from a default that
 * confidential-guest-support set, naming where the value came from.
 */
static void warn_cgs_overrides(DeviceState *dev)
{
    const GPtrArray *all = default_props_list(dev->machine->defaults);

    for (guint i = 0; i < all->len; i++) {
        const DefaultProp *d = g_ptr_array_index(all, i);
        GParamSpec *p;
        PropOrigin origin;
        g_auto(GValue) want = G_VALUE_INIT;
        g_auto(GValue) have = G_VALUE_INIT;
        g_autofree char *shown = NULL;

        if (d->origin != PROP_ORIGIN_MACHINE || d->why == NULL ||
            !g_type_is_a(G_OBJECT_TYPE(dev), cg_type_lookup(d->driver))) {
            continue;
        }
        p = g_object_class_find_property(G_OBJECT_GET_CLASS(dev),
                                         d->property);
        origin = device_prop_origin(dev, d->property);
        if (p == NULL || origin <= PROP_ORIGIN_MACHINE ||
            !cg_value_from_opt(p, NULL, CG_OPT_TEXT, d->value, &want, NULL)) {
            continue;
        }
        g_value_init(&have, G_VALUE_TYPE(&want));
        g_object_get_property(G_OBJECT(dev), d->property, &have);
        if (g_param_values_cmp(cg_param_spec_resolve(p), &want, &have) == 0) {
            continue;
        }
        if (G_VALUE_HOLDS_BOOLEAN(&have)) {
            shown = g_strdup(g_value_get_boolean(&have) ? "on" : "off");
        } else if (G_VALUE_HOLDS_ENUM(&have)) {
            g_autoptr(GEnumClass) ec = g_type_class_ref(G_VALUE_TYPE(&have));
            GEnumValue *ev = g_enum_get_value(ec, g_value_get_enum(&have));
            shown = g_strdup(ev ? ev->value_nick : "?");
        } else {
            shown = g_strdup_value_contents(&have);
        }
        cg_warn_report("%s%s%s: %s=%s (%s) overrides the default %s=%s that "
                       "confidential-guest-support (%s) sets; the guest may "
                       "not work protected",
                       cg_object_type_name(CG_OBJECT(dev)),
                       dev->id ? " id=" : "", dev->id ? dev->id : "",
                       cg_param_spec_name(p), shown,
                       origin == PROP_ORIGIN_GLOBAL ? "-global" : "-device",
                       cg_param_spec_name(p), d->value, d->why);
    }
}

bool device_set_prop(DeviceState *dev, const char *name, CgOptKind kind,
                     const char *value, PropOrigin origin, GError **err)
{
    CgObject *root = cg_object_get_root(dev->machine ? CG_OBJECT(dev->machine)
                                                     : CG_OBJECT(dev));
    GParamSpec *p;

    if (!cg_object_set_opt_in(CG_OBJECT(dev), root, name, kind, value,
                              err)) {
        return false;
    }
    p = g_object_class_find_property(G_OBJECT_GET_CLASS(dev), name);
    g_hash_table_insert(dev->origins, g_strdup(cg_param_spec_name(p)),
                        GINT_TO_POINTER(origin));
    return true;
}

PropOrigin device_prop_origin(DeviceState *dev, const char *name)
{
    GParamSpec *p = g_object_class_find_property(G_OBJECT_GET_CLASS(dev),
                                                 name);
    gpointer v;

    if (p != NULL &&
        g_hash_table_lookup_extended(dev->origins, cg_param_spec_name(p),
                                     NULL, &v)) {
        return (PropOrigin)GPOINTER_TO_INT(v);
    }
    return PROP_ORIGIN_CLASS_DEFAULT;
}

bool device_realize(DeviceState *dev, bool user, GError **err)
{
    DeviceStateClass *dc = CG_DEVICE_GET_CLASS(dev);
    MachineState *ms = dev->machine;
    MachineStateClass *mc = CG_MACHINE_GET_CLASS(ms);
    const char *tn = cg_object_type_name(CG_OBJECT(dev));

    warn_cgs_overrides(dev);
    if (dev->id != NULL) {
        CgObject *per = machine_container(ms, "peripheral");
        if (!cg_id_wellformed(dev->id)) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "invalid id '%s': an id starts with a letter and "
                        "has only letters, digits, '-', '.' and '_'",
                        dev->id);
            return false;
        }
        if (cg_object_get_child(per, dev->id) != NULL) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "a device with id '%s' already exists; ids must "
                        "be unique", dev->id);
            return false;
        }
        if (!cg_object_add_child(per, dev->id, CG_OBJECT(dev), err)) {
            return false;
        }
    } else {
        cg_object_add_child_anon(machine_container(ms, user ? "peripheral-anon"
                                                            : "unattached"),
                                 "device", CG_OBJECT(dev));
    }
    if (dc->bus_type != NULL && mc->plug == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s needs a %s bus, which machine %s does not have",
                    tn, dc->bus_type, mc->name);
        goto fail;
    }
    if (dc->bus_type != NULL && !mc->plug(ms, dev, err)) {
        goto fail;
    }
    if (dc->realize != NULL && !dc->realize(dev, err)) {
        goto fail;
    }
    dev->realized = true;
    return true;

fail:
    cg_object_unparent(CG_OBJECT(dev));
    return false;
}

static bool device_type_user_creatable(GType type)
{
    DeviceStateClass *dc;
    bool ok;

    if (type == 0 || !g_type_is_a(type, CG_TYPE_DEVICE) ||
        G_TYPE_IS_ABSTRACT(type)) {
        return false;
    }
    dc = g_type_class_ref(type);
    ok = dc->user_creatable;
    g_type_class_unref(dc);
    return ok;
}

DeviceState *device_create_from_opts(MachineState *ms, const CgOpts *opts,
                                     GError **err)
{
    static const char *const skip[] = { "driver", "id", NULL };
    const char *driver = cg_opts_get(opts, "driver");
    g_autoptr(DeviceState) dev = NULL;

    if (driver == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "'driver' is missing; write DRIVER,prop=value,... "
                    "(see -device help)");
        return NULL;
    }
    if (!device_type_user_creatable(cg_type_lookup(driver))) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "'%s' is not a device that can be added with -device; "
                    "see -device help", driver);
        return NULL;
    }
    dev = device_new(ms, driver, err);
    if (dev == NULL) {
        return NULL;
    }
    dev->id = g_strdup(cg_opts_get(opts, "id"));
    for (guint i = 0; i < opts->items->len; i++) {
        const CgOpt *o = g_ptr_array_index(opts->items, i);
        if (g_strv_contains(skip, o->key)) {
            continue;
        }
        if (!device_set_prop(dev, o->key, o->kind, o->value,
                             PROP_ORIGIN_EXPLICIT, err)) {
            return NULL;
        }
    }
    if (!device_realize(dev, true, err)) {
        return NULL;
    }
    return dev; /* borrowed: the tree holds it; our reference is dropped */
}

static void reset_tree(CgObject *obj)
{
    g_autoptr(GPtrArray) children = cg_object_get_children(obj);

    if (CG_IS_DEVICE(obj) && CG_DEVICE(obj)->realized &&
        CG_DEVICE_GET_CLASS(obj)->reset) {
        CG_DEVICE_GET_CLASS(obj)->reset(CG_DEVICE(obj));
    }
    for (guint i = 0; i < children->len; i++) {
        reset_tree(g_ptr_array_index(children, i));
    }
}

void devices_reset_all(MachineState *ms)
{
    reset_tree(CG_OBJECT(ms));
}

static gint compare_strings(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void collect_devices(GType type, GPtrArray *out)
{
    guint n = 0;
    g_autofree GType *children = g_type_children(type, &n);

    if (!G_TYPE_IS_ABSTRACT(type)) {
        DeviceStateClass *dc = g_type_class_ref(type);
        if (dc->user_creatable) {
            g_ptr_array_add(out, (gpointer)g_type_name(type));
        }
        g_type_class_unref(dc);
    }
    for (guint i = 0; i < n; i++) {
        collect_devices(children[i], out);
    }
}

GPtrArray *device_type_names(void)
{
    GPtrArray *out = g_ptr_array_new();

    collect_devices(CG_TYPE_DEVICE, out);
    g_ptr_array_sort(out, compare_strings);
    return out;
}
