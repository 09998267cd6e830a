/* QMP commands about migration, which cgemu does not do. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "monitor/qmp.h"

#include "util/error.h"

#include <string.h>

/*
 * QEMU 7.2's migration capabilities.  Each may be set to false; only
 * "events" may be set to true: it asks for MIGRATION events, and with no
 * migration there are none to send, so it changes nothing.  libvirt sets
 * it on every guest it starts.
 */
static const char *const capabilities[] = {
    "xbzrle", "rdma-pin-all", "auto-converge", "zero-blocks", "compress",
    "events", "postcopy-ram", "x-colo", "release-ram", "block",
    "return-path", "pause-before-switchover", "multifd", "dirty-bitmaps",
    "postcopy-blocktime", "late-block-activate", "x-ignore-shared",
    "validate-uuid", "background-snapshot", "zero-copy-send",
    "postcopy-preempt", NULL,
};

static JsonNode *qmp_query_migrate_capabilities(CgSystem *sys,
                                                JsonObject *args,
                                                GError **err)
{
    g_autoptr(JsonBuilder) b = json_builder_new();

    json_builder_begin_array(b);
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "capability");
    json_builder_add_string_value(b, "events");
    json_builder_set_member_name(b, "state");
    json_builder_add_boolean_value(b, sys->migration_events);
    json_builder_end_object(b);
    json_builder_end_array(b);
    return json_builder_get_root(b);
}

QMP_DEFINE_COMMAND("query-migrate-capabilities",
                   qmp_query_migrate_capabilities, NULL, 0)

/* Checks one {capability, state} entry; its state, or -1 with @err. */
static int check_entry(JsonNode *n, guint i, const char **name, GError **err)
{
    JsonObject *o = JSON_NODE_HOLDS_OBJECT(n) ? json_node_get_object(n)
                                              : NULL;
    JsonNode *c = o ? json_object_get_member(o, "capability") : NULL;
    JsonNode *s = o ? json_object_get_member(o, "state") : NULL;

    if (o == NULL || c == NULL || s == NULL || json_object_get_size(o) != 2 ||
        json_node_get_value_type(c) != G_TYPE_STRING ||
        json_node_get_value_type(s) != G_TYPE_BOOLEAN) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "Invalid parameter type for 'capabilities[%u]', "
                    "expected: {\"capability\": NAME, \"state\": BOOL}", i);
        return -1;
    }
    *name = json_node_get_string(c);
    if (!g_strv_contains(capabilities, *name)) {
        g_autofree char *list = g_strjoinv(", ", (char **)capabilities);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "Parameter 'capabilities[%u].capability' does not "
                    "accept value '%s'; accepted: %s", i, *name, list);
        return -1;
    }
    return json_node_get_boolean(s);
}

static JsonNode *qmp_migrate_set_capabilities(CgSystem *sys,
                                              JsonObject *args,
                                              GError **err)
{
    JsonArray *list = json_node_get_array(
        json_object_get_member(args, "capabilities"));
    bool events = sys->migration_events;

    if (list == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "Invalid parameter type for 'capabilities', expected: "
                    "array");
        return NULL;
    }
    /* All or nothing: check every entry before changing anything. */
    for (guint i = 0; i < json_array_get_length(list); i++) {
        const char *name = NULL;
        int state = check_entry(json_array_get_element(list, i), i, &name,
                                err);

        if (state < 0) {
            return NULL;
        }
        if (state && strcmp(name, "events") != 0) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "migration capability '%s' cannot be enabled: "
                        "cgemu does not migrate guests", name);
            return NULL;
        }
        if (!strcmp(name, "events")) {
            events = state;
        }
    }
    sys->migration_events = events;
    return qmp_return_empty();
}

static const QmpArg set_capabilities_args[] = {
    { "capabilities", QMP_ARG_ANY,
      .schema = "[{capability: MigrationCapability, state: bool}]" },
    { NULL },
};

QMP_DEFINE_COMMAND("migrate-set-capabilities", qmp_migrate_set_capabilities,
                   set_capabilities_args, 0)
