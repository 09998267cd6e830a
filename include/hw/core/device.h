/* The abstract device: realize, properties with provenance, defaults. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_CORE_DEVICE_H
#define CGEMU_HW_CORE_DEVICE_H

#include "hw/core/machine.h"
#include "qom/object.h"
#include "util/keyval.h"

G_BEGIN_DECLS

/*
 * Where a property value came from, lowest precedence first.  A device
 * applies them in this order, so a later source overrides an earlier one.
 */
typedef enum {
    PROP_ORIGIN_CLASS_DEFAULT,  /* the property's own default */
    PROP_ORIGIN_MACHINE,        /* a machine default (e.g. from cgs) */
    PROP_ORIGIN_GLOBAL,         /* -global DRIVER.PROP=VALUE */
    PROP_ORIGIN_EXPLICIT,       /* -device DRIVER,PROP=VALUE */
} PropOrigin;

const char *prop_origin_name(PropOrigin origin);

#define TYPE_DEVICE "device"
#define CG_TYPE_DEVICE (device_get_type())
CG_DECLARE_TYPE(DeviceState, device, CG, DEVICE)

struct _DeviceState {
    CgObject parent_instance;

    char *id;                 /* -device id=, or NULL */
    bool realized;
    MachineState *machine;    /* borrowed; the machine outlives devices */
    GHashTable *origins;      /* property name -> PropOrigin */
};

struct _DeviceStateClass {
    CgObjectClass parent_class;

    const char *desc;
    /* May be created with -device (on-board devices are not). */
    bool user_creatable;
    /* "PCI", "ccw", "isa", or NULL for devices on no bus. */
    const char *bus_type;

    bool (*realize)(DeviceState *dev, GError **err);
    void (*unrealize)(DeviceState *dev);
    /* Back to power-on state; called with the machine lock held. */
    void (*reset)(DeviceState *dev);
};

/*
 * Creates a device of @type_name for @ms (not yet realized, not in the
 * tree) and applies, in order, the machine defaults and the -global
 * values that match its type or any ancestor type or interface.
 */
DeviceState *device_new(MachineState *ms, const char *type_name,
                        GError **err);

/* Sets a property, recording @origin; refused once realized. */
bool device_set_prop(DeviceState *dev, const char *name, CgOptKind kind,
                     const char *value, PropOrigin origin, GError **err);

/* Where the current value of @name came from. */
PropOrigin device_prop_origin(DeviceState *dev, const char *name);

/*
 * Places @dev in the tree (/machine/peripheral/ID, or
 * /machine/peripheral-anon/device[N] without an id, or
 * /machine/unattached/device[N] for on-board devices), plugs it into the
 * board and realizes it.  On failure the device leaves the tree.
 */
bool device_realize(DeviceState *dev, bool user, GError **err);

/*
 * -device / device_add: opts["driver"] and opts["id"] plus properties.
 * Explicit properties override defaults and globals; a value that turns
 * off a confidential-guest default prints one warning.
 */
DeviceState *device_create_from_opts(MachineState *ms, const CgOpts *opts,
                                     GError **err);

/* Resets every realized device under /machine. */
void devices_reset_all(MachineState *ms);

/* Sorted names of the user-creatable device types of this binary. */
GPtrArray *device_type_names(void);

G_END_DECLS

#endif
