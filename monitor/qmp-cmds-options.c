/* QMP query-command-line-options, from the option table. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "monitor/qmp.h"

#include "qom/property.h"
#include "system/options.h"
#include "util/error.h"

#include <string.h>

/*
 * QEMU reports its option groups, and a few groups are not named like
 * their option; clients ask by the group name.  Either name is accepted;
 * the reply uses QEMU's.
 */
static const struct {
    const char *option;
    const char *group;
} group_names[] = {
    { "m", "memory" },
    { "smp", "smp-opts" },
};

/*
 * Options whose parameters depend on a type or backend chosen in the same
 * argument: QEMU lists them with no parameters, meaning "not described
 * here" (query the type with qom-list-properties or
 * device-list-properties).
 */
static const char *const free_form[] = { "object", "device", "accel",
                                         "chardev", NULL };

static const char *group_name(const CgOptionDef *def)
{
    for (size_t i = 0; i < G_N_ELEMENTS(group_names); i++) {
        if (!strcmp(group_names[i].option, def->name)) {
            return group_names[i].group;
        }
    }
    return def->name;
}

static void add_param(JsonBuilder *b, const char *name, const char *type,
                      const char *help)
{
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "name");
    json_builder_add_string_value(b, name);
    json_builder_set_member_name(b, "type");
    json_builder_add_string_value(b, type);
    if (help != NULL && *help != '\0') {
        json_builder_set_member_name(b, "help");
        json_builder_add_string_value(b, help);
    }
    json_builder_end_object(b);
}

/* QemuOpts' four types, from a property. */
static const char *opt_type(GParamSpec *pspec)
{
    GParamSpec *p = cg_param_spec_resolve(pspec);
    GType ft = G_TYPE_FUNDAMENTAL(G_PARAM_SPEC_VALUE_TYPE(p));

    if (cg_param_spec_is_size(p)) {
        return "size";
    }
    switch (ft) {
    case G_TYPE_BOOLEAN:
        return "boolean";
    case G_TYPE_CHAR:
    case G_TYPE_UCHAR:
    case G_TYPE_INT:
    case G_TYPE_UINT:
    case G_TYPE_LONG:
    case G_TYPE_ULONG:
    case G_TYPE_INT64:
    case G_TYPE_UINT64:
    case G_TYPE_DOUBLE:
    case G_TYPE_FLOAT:
        return "number";
    }
    return "string";
}

/* -machine: "type", "accel" and the properties of every board of this
 * binary, each once. */
static void add_machine_params(JsonBuilder *b)
{
    g_autoptr(GPtrArray) classes = machine_class_list();
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

    add_param(b, "type", "string", "the machine (query-machines)");
    add_param(b, "accel", "string", "accelerators to try, ':'-separated");
    for (guint i = 0; i < classes->len; i++) {
        MachineStateClass *mc = g_ptr_array_index(classes, i);
        g_autoptr(GPtrArray) props =
            cg_class_user_properties(G_TYPE_FROM_CLASS(mc));

        for (guint j = 0; j < props->len; j++) {
            GParamSpec *p = g_ptr_array_index(props, j);
            const char *name = cg_param_spec_name(p);
            if (g_hash_table_contains(seen, name)) {
                continue;
            }
            g_hash_table_add(seen, (gpointer)name);
            add_param(b, name, opt_type(p),
                      g_param_spec_get_blurb(cg_param_spec_resolve(p)));
        }
    }
}

static bool is_listed(const CgOptionDef *def)
{
    return def->params != NULL || !strcmp(def->name, "machine") ||
           g_strv_contains(free_form, def->name);
}

static void add_option(JsonBuilder *b, const CgOptionDef *def)
{
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "option");
    json_builder_add_string_value(b, group_name(def));
    json_builder_set_member_name(b, "parameters");
    json_builder_begin_array(b);
    if (!strcmp(def->name, "machine")) {
        add_machine_params(b);
    }
    for (const CgOptionParam *p = def->params; p != NULL && p->name; p++) {
        add_param(b, p->name, p->type, p->help);
    }
    json_builder_end_array(b);
    json_builder_end_object(b);
}

static JsonNode *qmp_query_cmdline_options(CgSystem *sys, JsonObject *args,
                                           GError **err)
{
    const char *want = qmp_arg_str(args, "option", NULL);
    g_autoptr(JsonBuilder) b = json_builder_new();
    g_autoptr(GString) names = g_string_new(NULL);
    bool found = false;
    size_t n;
    const CgOptionDef *defs = cg_options(&n);

    json_builder_begin_array(b);
    for (size_t i = 0; i < n; i++) {
        const CgOptionDef *def = &defs[i];

        if (!is_listed(def)) {
            continue;
        }
        g_string_append_printf(names, "%s%s", names->len ? ", " : "",
                               group_name(def));
        if (want != NULL && strcmp(want, def->name) != 0 &&
            strcmp(want, group_name(def)) != 0) {
            continue;
        }
        add_option(b, def);
        found = true;
    }
    json_builder_end_array(b);
    if (want != NULL && !found) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "invalid option name: %s; the options with parameters "
                    "are: %s", want, names->str);
        return NULL;
    }
    return json_builder_get_root(b);
}

static const QmpArg cmdline_options_args[] = {
    { "option", QMP_ARG_STR, .optional = true },
    { NULL },
};

QMP_DEFINE_COMMAND("query-command-line-options", qmp_query_cmdline_options,
                   cmdline_options_args, 0)
