/* s390x CPU models over QMP: query-cpu-definitions, -model-expansion. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "monitor/qmp.h"
#include "target/s390x/cpu-models.h"
#include "target/s390x/kvm-s390.h"
#include "util/error.h"

#include <string.h>

/*
 * The replies have QEMU 7.2's shapes.  What differs is the accelerator:
 * without KVM, cgemu executes nothing, so no model lacks anything
 * ("unavailable-features" is empty, where QEMU lists what its TCG
 * emulator cannot do) and "max" is QEMU's emulator maximum (the "qemu"
 * set); under KVM both follow the host model the kernel reports, as in
 * QEMU.
 */
static const S390HostModel *host_model(CgSystem *sys)
{
    KvmState *k = kvm_state(sys->accel);

    return k != NULL ? kvm_s390_host_model(k) : NULL;
}

static void add_name(const char *name, void *opaque)
{
    json_builder_add_string_value(opaque, name);
}

static void add_definition(JsonBuilder *b, const char *name,
                           const char *alias_of, bool is_static,
                           bool migration_safe, const S390FeatSet *features,
                           const S390HostModel *host)
{
    g_autofree char *type = g_strdup_printf("%s-s390x-cpu", name);
    S390FeatSet missing = { { 0 } };

    if (host != NULL && features != NULL) {
        s390_feat_set_andnot(&missing, features, &host->features);
    }
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "name");
    json_builder_add_string_value(b, name);
    json_builder_set_member_name(b, "typename");
    json_builder_add_string_value(b, type);
    json_builder_set_member_name(b, "unavailable-features");
    json_builder_begin_array(b);
    s390_feat_set_foreach_name(&missing, add_name, b);
    json_builder_end_array(b);
    json_builder_set_member_name(b, "static");
    json_builder_add_boolean_value(b, is_static);
    json_builder_set_member_name(b, "migration-safe");
    json_builder_add_boolean_value(b, migration_safe);
    json_builder_set_member_name(b, "deprecated");
    json_builder_add_boolean_value(b, false);
    if (alias_of != NULL) {
        json_builder_set_member_name(b, "alias-of");
        json_builder_add_string_value(b, alias_of);
    }
    json_builder_end_object(b);
}

static JsonNode *qmp_query_cpu_definitions(CgSystem *sys, JsonObject *args,
                                           GError **err)
{
    const S390HostModel *host = host_model(sys);
    g_autoptr(JsonBuilder) b = json_builder_new();
    g_autoptr(S390CpuModel) qemu = s390_cpu_model_new("qemu", NULL, "", NULL);

    json_builder_begin_array(b);
    add_definition(b, "qemu", NULL, false, true, &qemu->features, host);
    add_definition(b, "max", NULL, false, false, NULL, host);
    if (host != NULL) {
        add_definition(b, "host", NULL, false, false, NULL, host);
    }
    for (size_t i = 0; i < s390_cpu_def_count(); i++) {
        const S390CpuDef *d = s390_cpu_def_at(i);
        g_autofree char *base = g_strdup_printf("%s-base", d->name);
        S390FeatSet set;

        s390_cpu_def_base(d, &set);
        add_definition(b, base, NULL, true, true, &set, host);
        s390_cpu_def_default(d, &set);
        add_definition(b, d->name, NULL, false, true, &set, host);
        if (d->alias != NULL) {
            add_definition(b, d->alias, d->name, false, true, &set, host);
        }
    }
    json_builder_end_array(b);
    return json_builder_get_root(b);
}

QMP_DEFINE_COMMAND("query-cpu-definitions", qmp_query_cpu_definitions, NULL,
                   0)

/* --- query-cpu-model-expansion -------------------------------------------- */

typedef struct {
    JsonBuilder *b;
    bool value;
} PropSink;

static void add_prop(const char *name, void *opaque)
{
    PropSink *s = opaque;

    json_builder_set_member_name(s->b, name);
    json_builder_add_boolean_value(s->b, s->value);
}

static void add_props(JsonBuilder *b, const S390FeatSet *set, bool value)
{
    PropSink s = { b, value };

    s390_feat_set_foreach_name(set, add_prop, &s);
}

/* The model the client describes: {"name": ..., "props": {...}}. */
static S390CpuModel *model_from_info(CgSystem *sys, JsonObject *info,
                                     GError **err)
{
    const char *what = "query-cpu-model-expansion";
    g_autoptr(S390CpuModel) m = NULL;
    g_autoptr(GList) members = json_object_get_members(info);
    JsonNode *name = json_object_get_member(info, "name");
    JsonNode *props = json_object_get_member(info, "props");

    for (GList *l = members; l != NULL; l = l->next) {
        if (strcmp(l->data, "name") != 0 && strcmp(l->data, "props") != 0) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "Parameter 'model.%s' is unexpected; a CPU model "
                        "has 'name' and 'props'", (const char *)l->data);
            return NULL;
        }
    }
    if (name == NULL || !JSON_NODE_HOLDS_VALUE(name) ||
        json_node_get_value_type(name) != G_TYPE_STRING) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "Parameter 'model.name' is missing or not a string");
        return NULL;
    }
    if (props != NULL && !JSON_NODE_HOLDS_OBJECT(props)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "Parameter 'model.props' expects an object of "
                    "FEATURE: true|false");
        return NULL;
    }
    m = s390_cpu_model_new(json_node_get_string(name), host_model(sys), what,
                           err);
    if (m == NULL || props == NULL) {
        return g_steal_pointer(&m);
    }
    g_autoptr(GList) feats = json_object_get_members(
        json_node_get_object(props));
    for (GList *l = feats; l != NULL; l = l->next) {
        JsonNode *v = json_object_get_member(json_node_get_object(props),
                                             l->data);

        if (!JSON_NODE_HOLDS_VALUE(v) ||
            json_node_get_value_type(v) != G_TYPE_BOOLEAN) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "Parameter '%s' expects a boolean (true or false)",
                        (const char *)l->data);
            return NULL;
        }
        if (!s390_cpu_model_set_feature(m, l->data,
                                        json_node_get_boolean(v), what,
                                        err)) {
            return NULL;
        }
    }
    return g_steal_pointer(&m);
}

static JsonNode *qmp_query_cpu_model_expansion(CgSystem *sys,
                                               JsonObject *args,
                                               GError **err)
{
    g_autoptr(S390CpuModel) m = model_from_info(
        sys, json_object_get_object_member(args, "model"), err);
    g_autoptr(JsonBuilder) b = NULL;
    g_autofree char *base_name = NULL;
    S390FeatSet base, diff;

    if (m == NULL) {
        return NULL;
    }
    /* Expansions always name the static base of the definition. */
    base_name = g_strdup_printf("%s-base", m->def->name);
    b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "model");
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "name");
    json_builder_add_string_value(b, base_name);
    if (strcmp(qmp_arg_str(args, "type", "static"), "static") == 0) {
        S390FeatSet added;

        s390_cpu_def_base(m->def, &base);
        s390_feat_set_andnot(&diff, &base, &m->features);
        s390_feat_set_andnot(&added, &m->features, &base);
        /* As QEMU: no "props" when the model is its base. */
        if (!s390_feat_set_empty(&diff) || !s390_feat_set_empty(&added)) {
            json_builder_set_member_name(b, "props");
            json_builder_begin_object(b);
            add_props(b, &diff, false);
            add_props(b, &added, true);
            json_builder_end_object(b);
        }
    } else {
        S390FeatSet all;

        memset(&all, 0xff, sizeof(all));
        s390_feat_set_andnot(&diff, &all, &m->features);
        for (unsigned f = S390_FEAT_COUNT; f < S390_FEAT_WORDS * 64; f++) {
            diff.w[f / 64] &= ~(1ull << (f % 64));
        }
        json_builder_set_member_name(b, "props");
        json_builder_begin_object(b);
        add_props(b, &m->features, true);
        add_props(b, &diff, false);
        json_builder_end_object(b);
    }
    json_builder_end_object(b);
    json_builder_end_object(b);
    return json_builder_get_root(b);
}

static const char *const expansion_types[] = { "static", "full", NULL };

static const QmpArg expansion_args[] = {
    { "type", QMP_ARG_STR, false, expansion_types },
    { "model", QMP_ARG_OBJECT, .schema = "CpuModelInfo" },
    { NULL },
};

QMP_DEFINE_COMMAND("query-cpu-model-expansion",
                   qmp_query_cpu_model_expansion, expansion_args, 0)
