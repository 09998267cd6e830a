/* Machine default properties and -global: per-type property values. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_CORE_DEFAULT_PROPS_H
#define CGEMU_HW_CORE_DEFAULT_PROPS_H

#include "hw/core/device.h"

G_BEGIN_DECLS

/*
 * A list of (driver, property, value) entries owned by the machine.  An
 * entry applies to every device whose type is @driver or derives from it
 * (classes and interfaces alike: "virtio-device" reaches virtio-rng-pci).
 * Machine defaults apply before -global ones whatever the order of
 * registration, and both before explicit -device properties.
 */
typedef struct DefaultProp {
    char *driver;
    char *property;
    char *value;
    PropOrigin origin;     /* PROP_ORIGIN_MACHINE or PROP_ORIGIN_GLOBAL */
    char *why;             /* for machine defaults: who set it ("sev-guest") */
    bool used;
} DefaultProp;

DefaultProps *default_props_new(void);
void default_props_free(DefaultProps *dp);

void default_props_add(DefaultProps *dp, const char *driver,
                       const char *property, const char *value,
                       PropOrigin origin, const char *why);

/*
 * -global: "DRIVER.PROP=VALUE" or keyval "driver=D,property=P,value=V".
 * The driver must be a type of this binary and have the property (checked
 * without creating a device); the value is checked as far as possible
 * without one.
 */
bool default_props_add_global(DefaultProps *dp, const char *text,
                              GError **err);

/* Applies matching entries of @origin to @dev (see device_new). */
bool default_props_apply(DefaultProps *dp, DeviceState *dev,
                         PropOrigin origin, GError **err);

/* The machine default entry for @property matching @dev, if any. */
const DefaultProp *default_props_find_machine(DefaultProps *dp,
                                              DeviceState *dev,
                                              const char *property);

/* All entries, in registration order (for dumps and tests). */
const GPtrArray *default_props_list(DefaultProps *dp);

G_END_DECLS

#endif
