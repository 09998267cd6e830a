/* Answers to help requests: usage, machines, objects, devices, ... */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "system/system.h"

#include "cgemu-config.h"
#include "hw/core/device.h"
#include "qom/property.h"
#include "qom/user-creatable.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

static void print_usage(CgSystem *sys)
{
    size_t n;
    const CgOptionDef *opts = cg_options(&n);

    printf("usage: %s [options]\n\n", sys->binary);
    printf("cgemu %s: a QEMU-compatible system emulator for confidential "
           "guests.\n\nOptions:\n", CGEMU_VERSION);
    for (size_t i = 0; i < n; i++) {
        g_autofree char *head = NULL;
        if (opts[i].alias) {
            head = g_strdup_printf("-%s, -%s%s%s", opts[i].name,
                                   opts[i].alias, opts[i].arg ? " " : "",
                                   opts[i].arg ? opts[i].arg : "");
        } else {
            head = g_strdup_printf("-%s%s%s", opts[i].name,
                                   opts[i].arg ? " " : "",
                                   opts[i].arg ? opts[i].arg : "");
        }
        printf("%s\n        %s\n", head, opts[i].help);
    }
    printf("\nConfidential guests: -object TYPE,id=ID -machine "
           "confidential-guest-support=ID\n(see -object help for the TYPEs "
           "of this binary).\n");
}

static void print_machines(void)
{
    g_autoptr(GPtrArray) list = machine_class_list();

    printf("Supported machines are:\n");
    for (guint i = 0; i < list->len; i++) {
        MachineStateClass *mc = g_ptr_array_index(list, i);
        if (mc->alias) {
            printf("%-20s %s (alias of %s)\n", mc->alias, mc->desc,
                   mc->name);
        }
        printf("%-20s %s%s\n", mc->name, mc->desc,
               mc->is_default ? " (default)" : "");
    }
}

static bool print_type_props(CgSystem *sys, const char *what,
                             const char *name, GType must_be,
                             const char *list_hint)
{
    GType t = cg_type_lookup(name);
    g_autofree char *text = NULL;

    if (t == 0 || !g_type_is_a(t, must_be)) {
        const char *other = cg_type_foreign_binary(name);
        if (other != NULL && strcmp(other, sys->binary) != 0) {
            cg_error_report("%s '%s' is not available in %s; it is provided "
                            "by %s", what, name, sys->binary, other);
        } else {
            cg_error_report("unknown %s '%s'; see %s", what, name, list_hint);
        }
        return false;
    }
    text = cg_class_properties_help(t);
    fputs(text, stdout);
    return true;
}

static void print_objects(void)
{
    g_autoptr(GPtrArray) names = user_creatable_type_names();

    printf("User-creatable object types (-object TYPE,help for "
           "properties):\n");
    for (guint i = 0; i < names->len; i++) {
        printf("  %s\n", (char *)g_ptr_array_index(names, i));
    }
}

static void print_devices(void)
{
    g_autoptr(GPtrArray) names = device_type_names();

    printf("Devices (-device DRIVER,help for properties):\n");
    for (guint i = 0; i < names->len; i++) {
        const char *n = g_ptr_array_index(names, i);
        DeviceStateClass *dc = g_type_class_ref(cg_type_lookup(n));
        printf("  %-24s bus %-5s %s\n", n,
               dc->bus_type ? dc->bus_type : "none",
               dc->desc ? dc->desc : "");
        g_type_class_unref(dc);
    }
}

static void print_accels(void)
{
    g_autoptr(GPtrArray) list = accel_class_list();

    printf("Accelerators supported in this binary:\n");
    for (guint i = 0; i < list->len; i++) {
        AccelStateClass *ac = g_ptr_array_index(list, i);
        printf("  %-8s %s\n", ac->name, ac->desc ? ac->desc : "");
    }
}

static bool print_cpus(CgSystem *sys)
{
    MachineStateClass *mc = machine_class_default();
    g_autoptr(GString) out = g_string_new(NULL);

    if (mc == NULL || mc->cpu_help == NULL) {
        cg_error_report("-cpu help: %s has no CPU models to list",
                        sys->binary);
        return false;
    }
    mc->cpu_help(out);
    fputs(out->str, stdout);
    return true;
}

bool system_answer_help(CgSystem *sys)
{
    CgConfig *cfg = sys->cfg;

    switch (cfg->help) {
    case HELP_NONE:
        return true;
    case HELP_USAGE:
        print_usage(sys);
        return true;
    case HELP_VERSION:
        printf("%s version %s\n", sys->binary, CGEMU_VERSION);
        return true;
    case HELP_MACHINES:
        print_machines();
        return true;
    case HELP_MACHINE_PROPS: {
        MachineStateClass *mc = machine_class_find(cfg->help_type);
        if (mc == NULL) {
            return print_type_props(sys, "machine type", cfg->help_type,
                                    CG_TYPE_MACHINE, "-machine help");
        }
        return print_type_props(sys, "machine type",
                                G_OBJECT_CLASS_NAME(mc), CG_TYPE_MACHINE,
                                "-machine help");
    }
    case HELP_OBJECTS:
        print_objects();
        return true;
    case HELP_OBJECT_PROPS:
        return print_type_props(sys, "object type", cfg->help_type,
                                CG_TYPE_USER_CREATABLE, "-object help");
    case HELP_DEVICES:
        print_devices();
        return true;
    case HELP_DEVICE_PROPS:
        return print_type_props(sys, "device", cfg->help_type,
                                CG_TYPE_DEVICE, "-device help");
    case HELP_ACCELS:
        print_accels();
        return true;
    case HELP_CPUS:
        return print_cpus(sys);
    }
    return true;
}
