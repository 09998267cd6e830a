/* query-qmp-schema: the QMP schema, introspected in QEMU's shape. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Arguments come from the command table, the same QmpArg lists that check
 * every call, so what the schema says a command takes is what it accepts.
 * Results and events are described below in a small notation:
 *
 *   str int bool number any null      built-in types
 *   Name                              an entry of named_types[]
 *   [T]                               an array of T
 *   {a: T, ?b: T}                     an object; '?': an optional member
 *   enum(x y z)                       an enumeration
 *
 * The answer is a list of SchemaInfo entries as QEMU gives them: one per
 * command, event and type.  Types other than the built-ins are named by
 * numbers, in the order they are first met, and equal types share one
 * entry (every command without arguments or result uses the same empty
 * object).  object-add takes a union on qom-type with a branch per
 * user-creatable type, made from that type's properties.
 * tests/qtest/test-qmp-schema.c checks real results and events against
 * these descriptions.
 */
#include "monitor/qmp.h"

#include "qom/property.h"
#include "qom/user-creatable.h"
#include "util/error.h"

#include <string.h>

typedef struct {
    const char *name;
    const char *spec;
} SchemaDef;

static const SchemaDef named_types[] = {
    { "RunState", "enum(prelaunch running paused shutdown internal-error "
                  "guest-panicked)" },
    { "ShutdownCause", "enum(none host-error host-qmp-quit "
                       "host-qmp-system-reset host-signal guest-shutdown "
                       "guest-reset guest-panic subsystem-reset)" },
    { "SysEmuTarget", "enum(ppc64 s390x x86_64)" },
    { "ShutdownEvent", "{guest: bool, reason: ShutdownCause}" },
    { "ObjectPropertyInfo", "{name: str, type: str, ?description: str, "
                            "?default-value: any}" },
    { "ObjectTypeInfo", "{name: str, ?abstract: bool, ?parent: str}" },
    { "CommandLineParameterInfo",
      "{name: str, type: enum(string boolean number size), ?help: str, "
      "?default: str}" },
    { "CommandLineOptionInfo",
      "{option: str, parameters: [CommandLineParameterInfo]}" },
    { "MachineInfo", "{name: str, ?alias: str, ?is-default: bool, "
                     "cpu-max: int, hotpluggable-cpus: bool, "
                     "numa-mem-supported: bool, deprecated: bool, "
                     "?default-cpu-type: str, ?default-ram-id: str}" },
    { "CpuInstanceProperties", "{?node-id: int, ?socket-id: int, "
                               "?die-id: int, ?cluster-id: int, "
                               "?core-id: int, ?thread-id: int}" },
    /* cpu-state: s390x only (QEMU: a branch of a union on target) */
    { "CpuInfoFast", "{cpu-index: int, qom-path: str, thread-id: int, "
                     "?props: CpuInstanceProperties, target: SysEmuTarget, "
                     "?cpu-state: enum(uninitialized stopped check-stop "
                     "operating load)}" },
    { "CpuDefinitionInfo", "{name: str, ?migration-safe: bool, static: bool, "
                           "?unavailable-features: [str], typename: str, "
                           "?alias-of: str, deprecated: bool}" },
    { "CpuModelInfo", "{name: str, ?props: any}" },
    { "BlockDeviceStats",
      "{rd_bytes: int, wr_bytes: int, unmap_bytes: int, rd_operations: int, "
      "wr_operations: int, flush_operations: int, unmap_operations: int, "
      "rd_total_time_ns: int, wr_total_time_ns: int, "
      "flush_total_time_ns: int, unmap_total_time_ns: int, "
      "wr_highest_offset: int, rd_merged: int, wr_merged: int, "
      "unmap_merged: int, ?idle_time_ns: int, failed_rd_operations: int, "
      "failed_wr_operations: int, failed_flush_operations: int, "
      "failed_unmap_operations: int, invalid_rd_operations: int, "
      "invalid_wr_operations: int, invalid_flush_operations: int, "
      "invalid_unmap_operations: int, account_invalid: bool, "
      "account_failed: bool, timed_stats: [any]}" },
    /* QEMU's is recursive (parent, backing); one level is all cgemu has */
    { "BlockStats", "{?device: str, ?qdev: str, ?node-name: str, "
                    "stats: BlockDeviceStats, ?parent: {?node-name: str, "
                    "stats: BlockDeviceStats}}" },
    { "BlockDeviceInfo",
      "{file: str, ?node-name: str, ro: bool, drv: str, "
      "backing_file_depth: int, encrypted: bool, "
      "detect_zeroes: enum(off on unmap), bps: int, bps_rd: int, "
      "bps_wr: int, iops: int, iops_rd: int, iops_wr: int, "
      "image: {filename: str, format: str, virtual-size: int}, "
      "cache: {writeback: bool, direct: bool, no-flush: bool}, "
      "write_threshold: int}" },
    { "MigrationCapability", "enum(xbzrle rdma-pin-all auto-converge "
                             "zero-blocks compress events postcopy-ram x-colo "
                             "release-ram block return-path "
                             "pause-before-switchover multifd dirty-bitmaps "
                             "postcopy-blocktime late-block-activate "
                             "x-ignore-shared validate-uuid "
                             "background-snapshot zero-copy-send "
                             "postcopy-preempt)" },
    { "VersionInfo", "{qemu: {major: int, minor: int, micro: int}, "
                     "package: str}" },
    { "SevInfo", "{enabled: bool, api-major: int, api-minor: int, "
                 "build-id: int, policy: int, state: enum(uninit "
                 "launch-update launch-secret running send-update "
                 "receive-update), handle: int, sev-type: enum(sev)}" },
    { "ConfidentialGuestSupportInfo",
      "{enabled: bool, ?type: str, ?id: str, ?ready: bool, "
      "?accelerator: str, ?state: str, ?details: any}" },
    /* QEMU's SchemaInfo is a union on meta-type; here, flattened. */
    { "SchemaInfo", "{name: str, meta-type: enum(builtin enum array object "
                    "alternate command event), ?json-type: enum(string "
                    "number int boolean null object array value), "
                    "?members: [any], ?values: [str], ?element-type: str, "
                    "?tag: str, ?variants: [{case: str, type: str}], "
                    "?arg-type: str, ?ret-type: str, ?allow-oob: bool, "
                    "?features: [str]}" },
};

/* The result of each command; one missing here is described as any. */
static const SchemaDef command_returns[] = {
    { "cont", "{}" },
    { "device-list-properties", "[ObjectPropertyInfo]" },
    { "object-add", "{}" },
    { "object-del", "{}" },
    { "pmemsave", "{}" },
    { "qmp_capabilities", "{}" },
    { "qom-get", "any" },
    { "qom-list", "[ObjectPropertyInfo]" },
    { "qom-list-properties", "[ObjectPropertyInfo]" },
    { "qom-list-types", "[ObjectTypeInfo]" },
    { "qom-set", "{}" },
    { "query-block", "[{device: str, ?qdev: str, removable: bool, "
                     "locked: bool, ?inserted: BlockDeviceInfo}]" },
    { "query-blockstats", "[BlockStats]" },
    { "query-chardev", "[{label: str, filename: str, frontend-open: bool}]" },
    { "query-command-line-options", "[CommandLineOptionInfo]" },
    { "query-commands", "[{name: str}]" },
    { "query-confidential-guest-support", "ConfidentialGuestSupportInfo" },
    { "query-cpu-definitions", "[CpuDefinitionInfo]" },
    { "query-cpu-model-expansion", "{model: CpuModelInfo}" },
    { "query-cpus-fast", "[CpuInfoFast]" },
    { "query-kvm", "{enabled: bool, present: bool}" },
    { "query-machines", "[MachineInfo]" },
    { "query-named-block-nodes", "[BlockDeviceInfo]" },
    /* only "events": cgemu does not migrate */
    { "query-migrate-capabilities",
      "[{capability: enum(events), state: bool}]" },
    { "migrate-set-capabilities", "{}" },
    { "query-name", "{?name: str}" },
    { "query-qmp-schema", "[SchemaInfo]" },
    { "query-sev", "SevInfo" },
    { "query-sev-attestation-report", "{data: str}" },
    { "query-sev-capabilities", "{pdh: str, cert-chain: str, cpu0-id: str, "
                                "cbitpos: int, reduced-phys-bits: int}" },
    { "query-sev-launch-measure", "{data: str}" },
    { "query-status", "{running: bool, singlestep: bool, status: RunState}" },
    { "query-target", "{arch: SysEmuTarget}" },
    { "query-uuid", "{UUID: str}" },
    { "query-version", "VersionInfo" },
    { "quit", "{}" },
    { "sev-inject-launch-secret", "{}" },
    { "stop", "{}" },
    { "system_powerdown", "{}" },
    { "system_reset", "{}" },
};

/* Every event cgemu sends, and its data. */
static const SchemaDef events[] = {
    { "POWERDOWN", "{}" },
    { "RESET", "ShutdownEvent" },
    { "RESUME", "{}" },
    { "SHUTDOWN", "ShutdownEvent" },
    { "STOP", "{}" },
};

static const struct {
    const char *name;
    const char *json_type;
} builtins[] = {
    { "str", "string" }, { "int", "int" },   { "bool", "boolean" },
    { "number", "number" }, { "any", "value" }, { "null", "null" },
};

typedef struct {
    JsonArray *out;         /* the SchemaInfo entries */
    GHashTable *by_key;     /* canonical text of a type -> its name */
    GHashTable *named;      /* named_types[] name -> its schema name */
    guint next;             /* the next number to name a type */
} Schema;

/* --- the notation ---------------------------------------------------- */

static void skip_space(const char **p)
{
    while (**p == ' ') {
        (*p)++;
    }
}

/* A word: letters, digits, '-' and '_'; NULL if there is none. */
static char *take_word(const char **p)
{
    const char *start;

    skip_space(p);
    start = *p;
    while (g_ascii_isalnum(**p) || **p == '-' || **p == '_') {
        (*p)++;
    }
    return *p > start ? g_strndup(start, (gsize)(*p - start)) : NULL;
}

static bool expect_char(const char **p, char c, GError **err)
{
    skip_space(p);
    if (**p != c) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "schema: expected '%c' at \"%s\"", c, *p);
        return false;
    }
    (*p)++;
    return true;
}

static const char *builtin_json_type(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(builtins); i++) {
        if (!strcmp(builtins[i].name, name)) {
            return builtins[i].json_type;
        }
    }
    return NULL;
}

static JsonObject *new_entry(JsonArray *out, const char *name,
                             const char *meta)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "name", name);
    json_object_set_string_member(o, "meta-type", meta);
    json_array_add_object_element(out, o);
    return o;
}

/* The name of the type @key stands for, if it has one already. */
static const char *known(Schema *s, const char *key)
{
    return g_hash_table_lookup(s->by_key, key);
}

static const char *name_type(Schema *s, char *key)
{
    char *name = g_strdup_printf("%u", s->next++);

    g_hash_table_insert(s->by_key, key, name);
    return name;
}

static const char *builtin(Schema *s, const char *name)
{
    char *key = g_strdup_printf("builtin %s", name);
    const char *have = known(s, key);
    JsonObject *o;

    if (have != NULL) {
        g_free(key);
        return have;
    }
    o = new_entry(s->out, name, "builtin");
    json_object_set_string_member(o, "json-type", builtin_json_type(name));
    g_hash_table_insert(s->by_key, key, g_strdup(name));
    return known(s, key);
}

/* An enum of @values; its name. */
static const char *enum_type(Schema *s, const char *const *values)
{
    g_autofree char *joined = g_strjoinv(" ", (char **)values);
    char *key = g_strdup_printf("enum(%s)", joined);
    const char *name = known(s, key);
    JsonArray *members, *vals;
    JsonObject *o;

    if (name != NULL) {
        g_free(key);
        return name;
    }
    name = name_type(s, key);
    o = new_entry(s->out, name, "enum");
    members = json_array_new();
    vals = json_array_new();
    for (size_t i = 0; values[i] != NULL; i++) {
        JsonObject *m = json_object_new();

        json_object_set_string_member(m, "name", values[i]);
        json_array_add_object_element(members, m);
        json_array_add_string_element(vals, values[i]);
    }
    json_object_set_array_member(o, "members", members);
    json_object_set_array_member(o, "values", vals);
    return name;
}

static const char *array_type(Schema *s, const char *element)
{
    g_autofree char *name = g_strdup_printf("[%s]", element);
    char *key = g_strdup_printf("array %s", name);
    const char *have = known(s, key);
    JsonObject *o;

    if (have != NULL) {
        g_free(key);
        return have;
    }
    o = new_entry(s->out, name, "array");
    json_object_set_string_member(o, "element-type", element);
    g_hash_table_insert(s->by_key, key, g_strdup(name));
    return known(s, key);
}

typedef struct {
    char *name;
    const char *type;       /* a schema name, owned by Schema */
    bool optional;
} Member;

static void member_clear(Member *m)
{
    g_free(m->name);
}

/*
 * An object type of @members (Member), plus, for a union, @tag and
 * @variants ("case" -> schema name, in order); its name.
 */
static const char *object_type(Schema *s, GArray *members, const char *tag,
                               GPtrArray *cases, GPtrArray *case_types)
{
    GString *k = g_string_new("{");
    const char *name;
    JsonArray *arr;
    JsonObject *o;
    char *key;

    for (guint i = 0; i < members->len; i++) {
        Member *m = &g_array_index(members, Member, i);
        g_string_append_printf(k, "%s%s:%s,", m->optional ? "?" : "",
                               m->name, m->type);
    }
    for (guint i = 0; cases != NULL && i < cases->len; i++) {
        g_string_append_printf(k, "|%s=%s", (char *)cases->pdata[i],
                               (char *)case_types->pdata[i]);
    }
    g_string_append_c(k, '}');
    key = g_string_free(k, FALSE);
    name = known(s, key);
    if (name != NULL) {
        g_free(key);
        return name;
    }
    name = name_type(s, key);
    o = new_entry(s->out, name, "object");
    arr = json_array_new();
    for (guint i = 0; i < members->len; i++) {
        Member *m = &g_array_index(members, Member, i);
        JsonObject *mo = json_object_new();

        json_object_set_string_member(mo, "name", m->name);
        if (m->optional) {
            json_object_set_null_member(mo, "default");
        }
        json_object_set_string_member(mo, "type", m->type);
        json_array_add_object_element(arr, mo);
    }
    json_object_set_array_member(o, "members", arr);
    if (tag != NULL) {
        JsonArray *v = json_array_new();

        json_object_set_string_member(o, "tag", tag);
        for (guint i = 0; i < cases->len; i++) {
            JsonObject *c = json_object_new();

            json_object_set_string_member(c, "case", cases->pdata[i]);
            json_object_set_string_member(c, "type", case_types->pdata[i]);
            json_array_add_object_element(v, c);
        }
        json_object_set_array_member(o, "variants", v);
    }
    return name;
}

static GArray *member_array(void)
{
    GArray *a = g_array_new(FALSE, TRUE, sizeof(Member));

    g_array_set_clear_func(a, (GDestroyNotify)member_clear);
    return a;
}

static const char *parse_type(Schema *s, const char **p, GError **err);

static const char *parse_object(Schema *s, const char **p, GError **err)
{
    g_autoptr(GArray) members = member_array();

    (*p)++;     /* '{' */
    skip_space(p);
    while (**p != '}') {
        Member m = { 0 };

        skip_space(p);
        m.optional = **p == '?';
        if (m.optional) {
            (*p)++;
        }
        m.name = take_word(p);
        if (m.name == NULL) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "schema: expected a member name at \"%s\"", *p);
            return NULL;
        }
        g_array_append_val(members, m);     /* frees the name on failure */
        if (!expect_char(p, ':', err)) {
            return NULL;
        }
        m.type = parse_type(s, p, err);
        if (m.type == NULL) {
            return NULL;
        }
        g_array_index(members, Member, members->len - 1).type = m.type;
        skip_space(p);
        if (**p != '}' && !expect_char(p, ',', err)) {
            return NULL;
        }
        skip_space(p);
    }
    (*p)++;
    return object_type(s, members, NULL, NULL, NULL);
}

static const char *parse_enum(Schema *s, const char **p, GError **err)
{
    g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func(g_free);
    char *v;

    if (!expect_char(p, '(', err)) {
        return NULL;
    }
    while ((v = take_word(p)) != NULL) {
        g_ptr_array_add(values, v);
    }
    if (!expect_char(p, ')', err)) {
        return NULL;
    }
    if (values->len == 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC, "schema: empty enum");
        return NULL;
    }
    g_ptr_array_add(values, NULL);
    return enum_type(s, (const char *const *)values->pdata);
}

static const char *named_type(Schema *s, const char *word, GError **err)
{
    const char *have = g_hash_table_lookup(s->named, word);

    if (have != NULL) {
        return have;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(named_types); i++) {
        if (!strcmp(named_types[i].name, word)) {
            const char *p = named_types[i].spec;
            const char *name = parse_type(s, &p, err);

            if (name == NULL) {
                return NULL;
            }
            g_hash_table_insert(s->named, g_strdup(word), g_strdup(name));
            return name;
        }
    }
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "schema: unknown type '%s'", word);
    return NULL;
}

static const char *parse_type(Schema *s, const char **p, GError **err)
{
    g_autofree char *word = NULL;

    skip_space(p);
    if (**p == '{') {
        return parse_object(s, p, err);
    }
    if (**p == '[') {
        const char *element;

        (*p)++;
        element = parse_type(s, p, err);
        if (element == NULL || !expect_char(p, ']', err)) {
            return NULL;
        }
        return array_type(s, element);
    }
    word = take_word(p);
    if (word == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "schema: expected a type at \"%s\"", *p);
        return NULL;
    }
    if (!strcmp(word, "enum")) {
        return parse_enum(s, p, err);
    }
    if (builtin_json_type(word) != NULL) {
        return builtin(s, word);
    }
    return named_type(s, word, err);
}

/* The whole of @spec as one type; its name. */
static const char *spec_type(Schema *s, const char *spec, GError **err)
{
    const char *p = spec;
    const char *name = parse_type(s, &p, err);

    skip_space(&p);
    if (name != NULL && *p != '\0') {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "schema: trailing text \"%s\" in \"%s\"", p, spec);
        return NULL;
    }
    return name;
}

/* --- arguments --------------------------------------------------------- */

static const char *arg_type(Schema *s, const QmpArg *a, GError **err)
{
    switch (a->type) {
    case QMP_ARG_STR:
        return a->choices ? enum_type(s, a->choices) : builtin(s, "str");
    case QMP_ARG_INT:
        return builtin(s, "int");
    case QMP_ARG_BOOL:
        return builtin(s, "bool");
    case QMP_ARG_NUMBER:
        return builtin(s, "number");
    case QMP_ARG_OBJECT:
        return a->schema ? spec_type(s, a->schema, err) : builtin(s, "any");
    case QMP_ARG_STR_LIST:
        return array_type(s, a->choices ? enum_type(s, a->choices)
                                        : builtin(s, "str"));
    case QMP_ARG_ANY:
        return a->schema ? spec_type(s, a->schema, err) : builtin(s, "any");
    }
    return builtin(s, "any");
}

static bool add_arg_members(Schema *s, GArray *members, const QmpArg *args,
                            GError **err)
{
    for (const QmpArg *a = args; a != NULL && a->name != NULL; a++) {
        Member m = { .name = g_strdup(a->name), .optional = a->optional };

        m.type = arg_type(s, a, err);
        if (m.type == NULL) {
            g_free(m.name);
            return false;
        }
        g_array_append_val(members, m);
    }
    return true;
}

/* What a property accepts, as a schema type. */
static const char *property_type(Schema *s, GParamSpec *pspec)
{
    GParamSpec *p = cg_param_spec_resolve(pspec);
    GType vt = G_PARAM_SPEC_VALUE_TYPE(p);

    switch (G_TYPE_FUNDAMENTAL(vt)) {
    case G_TYPE_BOOLEAN:
        return builtin(s, "bool");
    case G_TYPE_CHAR: case G_TYPE_UCHAR: case G_TYPE_INT: case G_TYPE_UINT:
    case G_TYPE_LONG: case G_TYPE_ULONG: case G_TYPE_INT64:
    case G_TYPE_UINT64:
        return builtin(s, "int");
    case G_TYPE_FLOAT: case G_TYPE_DOUBLE:
        return builtin(s, "number");
    case G_TYPE_ENUM: {
        GEnumClass *ec = g_type_class_ref(vt);
        g_autoptr(GPtrArray) nicks = g_ptr_array_new();
        const char *name;

        for (guint i = 0; i < ec->n_values; i++) {
            g_ptr_array_add(nicks, (gpointer)ec->values[i].value_nick);
        }
        g_ptr_array_add(nicks, NULL);
        name = enum_type(s, (const char *const *)nicks->pdata);
        g_type_class_unref(ec);
        return name;
    }
    default:
        /* strings, and links (named by the object's id or path) */
        return builtin(s, "str");
    }
}

static gint compare_pspec_names(gconstpointer a, gconstpointer b)
{
    return strcmp(cg_param_spec_name(*(GParamSpec *const *)a),
                  cg_param_spec_name(*(GParamSpec *const *)b));
}

/* One branch of object-add: the writable properties of @type_name. */
static const char *creatable_branch(Schema *s, const char *type_name)
{
    GObjectClass *oc = g_type_class_ref(g_type_from_name(type_name));
    g_autoptr(GArray) members = member_array();
    g_autoptr(GPtrArray) sorted = g_ptr_array_new();
    GParamSpec **list;
    guint n = 0;
    const char *name;

    list = g_object_class_list_properties(oc, &n);
    for (guint i = 0; i < n; i++) {
        if ((list[i]->flags & G_PARAM_WRITABLE) &&
            !cg_param_spec_is_internal(list[i])) {
            g_ptr_array_add(sorted, list[i]);
        }
    }
    g_ptr_array_sort(sorted, compare_pspec_names);
    for (guint i = 0; i < sorted->len; i++) {
        GParamSpec *p = sorted->pdata[i];
        Member m = {
            .name = g_strdup(cg_param_spec_name(p)),
            .type = property_type(s, p),
            .optional = true,
        };
        g_array_append_val(members, m);
    }
    g_free(list);
    name = object_type(s, members, NULL, NULL, NULL);
    g_type_class_unref(oc);
    return name;
}

/* object-add: {qom-type, id} and a branch per user-creatable type. */
static const char *object_add_args(Schema *s, const QmpCommand *cmd,
                                   GError **err)
{
    g_autoptr(GPtrArray) types = user_creatable_type_names();
    g_autoptr(GPtrArray) branch = g_ptr_array_new();
    g_autoptr(GArray) members = member_array();

    for (guint i = 0; i < types->len; i++) {
        g_ptr_array_add(branch,
                        (gpointer)creatable_branch(s, types->pdata[i]));
    }
    g_ptr_array_add(types, NULL);
    for (const QmpArg *a = cmd->args; a != NULL && a->name != NULL; a++) {
        Member m = { .name = g_strdup(a->name), .optional = a->optional };

        m.type = !strcmp(a->name, "qom-type")
                     ? enum_type(s, (const char *const *)types->pdata)
                     : arg_type(s, a, err);
        g_array_append_val(members, m);
        if (m.type == NULL) {
            return NULL;
        }
    }
    g_ptr_array_set_size(types, types->len - 1);
    return object_type(s, members, "qom-type", types, branch);
}

/* --- the answer --------------------------------------------------------- */

static const char *command_return(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(command_returns); i++) {
        if (!strcmp(command_returns[i].name, name)) {
            return command_returns[i].spec;
        }
    }
    return "any";
}

static bool add_command(Schema *s, const QmpCommand *cmd, GError **err)
{
    g_autoptr(GArray) members = member_array();
    const char *args, *ret;
    JsonObject *o;

    if (cmd->flags & QMP_CMD_EXTRA_ARGS) {
        args = object_add_args(s, cmd, err);
    } else if (add_arg_members(s, members, cmd->args, err)) {
        args = object_type(s, members, NULL, NULL, NULL);
    } else {
        args = NULL;
    }
    ret = args ? spec_type(s, command_return(cmd->name), err) : NULL;
    if (ret == NULL) {
        g_prefix_error(err, "%s: ", cmd->name);
        return false;
    }
    o = new_entry(s->out, cmd->name, "command");
    json_object_set_string_member(o, "arg-type", args);
    json_object_set_string_member(o, "ret-type", ret);
    return true;
}

JsonNode *qmp_schema_build(GError **err)
{
    g_autoptr(GPtrArray) cmds = qmp_command_list();
    g_autoptr(GHashTable) by_key =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    g_autoptr(GHashTable) named =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    Schema s = { json_array_new(), by_key, named, 0 };
    JsonNode *root;

    for (guint i = 0; i < cmds->len; i++) {
        if (!add_command(&s, cmds->pdata[i], err)) {
            json_array_unref(s.out);
            return NULL;
        }
    }
    for (size_t i = 0; i < G_N_ELEMENTS(events); i++) {
        const char *data = spec_type(&s, events[i].spec, err);
        JsonObject *o;

        if (data == NULL) {
            json_array_unref(s.out);
            return NULL;
        }
        o = new_entry(s.out, events[i].name, "event");
        json_object_set_string_member(o, "arg-type", data);
    }
    root = json_node_new(JSON_NODE_ARRAY);
    json_node_take_array(root, s.out);
    return root;
}

static JsonNode *qmp_query_qmp_schema(CgSystem *sys, JsonObject *args,
                                      GError **err)
{
    return qmp_schema_build(err);
}

QMP_DEFINE_COMMAND("query-qmp-schema", qmp_query_qmp_schema, NULL, 0)
