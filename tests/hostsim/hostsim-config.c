/*
 * Host simulator core: configuration variables and fault injection.
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "hostsim-core.h"

#include <string.h>
#include <unistd.h>

/* Variables the core itself reads. */
static const char *const hostsim_core_vars[] = {
    HOSTSIM_ENV_PREFIX "LOG",
    HOSTSIM_ENV_PREFIX "FAIL",
    NULL,
};

/* One entry of CGEMU_HOSTSIM_FAIL. */
typedef struct HostsimFaultRule {
    const HostsimModel *model;
    const char *command; /* points into the model's fault_commands */
    HostsimFault fault;
    unsigned nth;        /* 0: every call */
} HostsimFaultRule;

static GArray *hostsim_fault_rules;   /* HostsimFaultRule */
static GHashTable *hostsim_fault_counts; /* "model.command" -> count */

static bool hostsim_strv_has(const char *const *v, const char *s)
{
    for (; v && *v; v++) {
        if (strcmp(*v, s) == 0) {
            return true;
        }
    }
    return false;
}

static void hostsim_known_vars(GString *out)
{
    size_t n = hostsim_model_count();

    for (const char *const *v = hostsim_core_vars; *v; v++) {
        g_string_append_printf(out, "%s%s", out->len ? ", " : "", *v);
    }
    for (size_t i = 0; i < n; i++) {
        const char *const *v = hostsim_model_at(i)->env_vars;

        for (; v && *v; v++) {
            g_string_append_printf(out, ", %s", *v);
        }
    }
}

bool hostsim_config_check_names(GError **errp)
{
    size_t n = hostsim_model_count();

    for (char **e = environ; e && *e; e++) {
        g_autofree char *name = NULL;
        const char *eq;
        bool known;

        if (!g_str_has_prefix(*e, HOSTSIM_ENV_PREFIX)) {
            continue;
        }
        eq = strchr(*e, '=');
        name = eq ? g_strndup(*e, eq - *e) : g_strdup(*e);
        known = hostsim_strv_has(hostsim_core_vars, name);
        for (size_t i = 0; i < n && !known; i++) {
            known = hostsim_strv_has(hostsim_model_at(i)->env_vars, name);
        }
        if (!known) {
            g_autoptr(GString) list = g_string_new(NULL);

            hostsim_known_vars(list);
            g_set_error(errp, HOSTSIM_ERROR, 0,
                        "unknown variable %s. Known variables: %s",
                        name, list->str);
            return false;
        }
    }
    return true;
}

/* --- typed variables --- */

const char *hostsim_env_string(const char *name, const char *dflt)
{
    const char *v = g_getenv(name);

    return v && *v ? v : dflt;
}

bool hostsim_env_bool(const char *name, bool dflt, bool *out, GError **errp)
{
    const char *v = hostsim_env_string(name, NULL);

    if (!v) {
        *out = dflt;
    } else if (strcmp(v, "1") == 0) {
        *out = true;
    } else if (strcmp(v, "0") == 0) {
        *out = false;
    } else {
        g_set_error(errp, HOSTSIM_ERROR, 0,
                    "%s='%s' is not a boolean. Use 0 or 1", name, v);
        return false;
    }
    return true;
}

bool hostsim_env_uint(const char *name, unsigned dflt, unsigned max,
                      unsigned *out, GError **errp)
{
    const char *v = hostsim_env_string(name, NULL);
    guint64 value;

    if (!v) {
        *out = dflt;
        return true;
    }
    if (!g_ascii_string_to_unsigned(v, 10, 0, max, &value, NULL)) {
        g_set_error(errp, HOSTSIM_ERROR, 0,
                    "%s='%s' is not a number. Use a decimal number "
                    "from 0 to %u", name, v, max);
        return false;
    }
    *out = value;
    return true;
}

static bool hostsim_parse_hex(const char *text, uint8_t *out, size_t len)
{
    if (strlen(text) != len * 2) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        int hi = g_ascii_xdigit_value(text[2 * i]);
        int lo = g_ascii_xdigit_value(text[2 * i + 1]);

        if (hi < 0 || lo < 0) {
            return false;
        }
        out[i] = hi << 4 | lo;
    }
    return true;
}

bool hostsim_env_hex(const char *name, const char *dflt, uint8_t *out,
                     size_t len, GError **errp)
{
    const char *v = hostsim_env_string(name, NULL);

    if (!v) {
        if (!hostsim_parse_hex(dflt, out, len)) {
            g_error("hostsim: bad default for %s", name);
        }
        return true;
    }
    if (!hostsim_parse_hex(v, out, len)) {
        g_set_error(errp, HOSTSIM_ERROR, 0,
                    "%s='%s' is not %zu bytes of hex. Use exactly %zu hex "
                    "digits", name, v, len, len * 2);
        return false;
    }
    return true;
}

bool hostsim_env_choice(const char *name, const char *const *choices,
                        unsigned dflt, unsigned *out, GError **errp)
{
    const char *v = hostsim_env_string(name, NULL);
    g_autofree char *list = NULL;

    if (!v) {
        *out = dflt;
        return true;
    }
    for (unsigned i = 0; choices[i]; i++) {
        if (strcmp(v, choices[i]) == 0) {
            *out = i;
            return true;
        }
    }
    list = g_strjoinv(", ", (char **)choices);
    g_set_error(errp, HOSTSIM_ERROR, 0, "%s='%s' is not valid. Use one of: %s",
                name, v, list);
    return false;
}

/* --- fault injection --- */

/*
 * Find the model and the model's own spelling of @command; "model.COMMAND"
 * selects the model explicitly.
 */
static bool hostsim_fault_command(const char *spec, const HostsimModel **model,
                                  const char **command, GError **errp)
{
    size_t n = hostsim_model_count();
    const char *dot = strchr(spec, '.');
    g_autofree char *want_model = NULL;
    const char *want = spec;
    g_autoptr(GString) known = g_string_new(NULL);

    if (dot) {
        want_model = g_strndup(spec, dot - spec);
        want = dot + 1;
    }
    *model = NULL;
    for (size_t i = 0; i < n; i++) {
        const HostsimModel *m = hostsim_model_at(i);

        if (want_model && strcmp(want_model, m->name) != 0) {
            continue;
        }
        for (const char *const *c = m->fault_commands; c && *c; c++) {
            g_string_append_printf(known, "%s%s.%s", known->len ? ", " : "",
                                   m->name, *c);
            if (strcmp(*c, want) != 0) {
                continue;
            }
            if (*model) {
                g_set_error(errp, HOSTSIM_ERROR, 0,
                            "command %s in %sFAIL is ambiguous. Write it as "
                            "%s.%s or %s.%s", want, HOSTSIM_ENV_PREFIX,
                            (*model)->name, want, m->name, want);
                return false;
            }
            if (!hostsim_model_active(i)) {
                g_set_error(errp, HOSTSIM_ERROR, 0,
                            "command %s in %sFAIL belongs to model %s, which "
                            "is not enabled", want, HOSTSIM_ENV_PREFIX,
                            m->name);
                return false;
            }
            *model = m;
            *command = *c;
        }
    }
    if (!*model && want_model && !known->len) {
        g_autoptr(GString) models = g_string_new(NULL);

        for (size_t i = 0; i < n; i++) {
            g_string_append_printf(models, "%s%s", models->len ? ", " : "",
                                   hostsim_model_at(i)->name);
        }
        g_set_error(errp, HOSTSIM_ERROR, 0,
                    "unknown model '%s' in %sFAIL entry '%s'. Known models: "
                    "%s", want_model, HOSTSIM_ENV_PREFIX, spec, models->str);
        return false;
    }
    if (!*model) {
        g_set_error(errp, HOSTSIM_ERROR, 0,
                    "unknown command '%s' in %sFAIL. Known commands: %s",
                    spec, HOSTSIM_ENV_PREFIX, known->str);
        return false;
    }
    return true;
}

static bool hostsim_fault_error(const HostsimModel *m, const char *command,
                                const char *text, HostsimFault *fault,
                                GError **errp)
{
    bool errno_only = hostsim_strv_has(m->errno_only_commands, command);
    int err = hostsim_errno_from_name(text);
    guint64 number;

    if (err > 0) {
        fault->is_errno = true;
        fault->value = err;
        return true;
    }
    fault->is_errno = false;
    if (!errno_only) {
        if (m->parse_status && m->parse_status(text, &fault->value)) {
            return true;
        }
        bool hex = g_str_has_prefix(text, "0x");

        if (g_ascii_string_to_unsigned(hex ? text + 2 : text, hex ? 16 : 10,
                                       0, UINT32_MAX, &number, NULL)) {
            fault->value = number;
            return true;
        }
    }
    if (errno_only) {
        g_set_error(errp, HOSTSIM_ERROR, 0,
                    "'%s' is not an errno name; %s.%s in %sFAIL fails only "
                    "with an errno such as ENOMEM", text, m->name, command,
                    HOSTSIM_ENV_PREFIX);
    } else {
        g_set_error(errp, HOSTSIM_ERROR, 0,
                    "unknown error '%s' for %s.%s in %sFAIL. Use a %s status "
                    "name or number, or an errno name such as EBUSY",
                    text, m->name, command, HOSTSIM_ENV_PREFIX, m->name);
    }
    return false;
}

static bool hostsim_fault_entry(const char *entry, GError **errp)
{
    HostsimFaultRule rule = { 0 };
    g_autofree char *spec = g_strdup(entry);
    char *colon = strchr(spec, ':');
    char *at;
    guint64 nth = 0;

    if (!colon) {
        g_set_error(errp, HOSTSIM_ERROR, 0,
                    "'%s' in %sFAIL has no error. Write "
                    "COMMAND:ERROR[@N], e.g. LAUNCH_START:POLICY_FAILURE",
                    entry, HOSTSIM_ENV_PREFIX);
        return false;
    }
    *colon = '\0';
    at = strchr(colon + 1, '@');
    if (at) {
        *at = '\0';
        if (!g_ascii_string_to_unsigned(at + 1, 10, 1, UINT_MAX, &nth,
                                        NULL)) {
            g_set_error(errp, HOSTSIM_ERROR, 0,
                        "'@%s' in %sFAIL entry '%s' is not a call number. "
                        "Use @N with N = 1, 2, ...", at + 1,
                        HOSTSIM_ENV_PREFIX, entry);
            return false;
        }
    }
    if (!hostsim_fault_command(spec, &rule.model, &rule.command, errp) ||
        !hostsim_fault_error(rule.model, rule.command, colon + 1, &rule.fault,
                             errp)) {
        return false;
    }
    rule.nth = nth;
    g_array_append_val(hostsim_fault_rules, rule);
    return true;
}

bool hostsim_config_faults(GError **errp)
{
    const char *spec = hostsim_env_string(HOSTSIM_ENV_PREFIX "FAIL", NULL);
    g_auto(GStrv) entries = NULL;

    hostsim_fault_rules = g_array_new(FALSE, FALSE, sizeof(HostsimFaultRule));
    hostsim_fault_counts = g_hash_table_new_full(g_str_hash, g_str_equal,
                                                 g_free, NULL);
    if (!spec) {
        return true;
    }
    entries = g_strsplit(spec, ",", -1);
    for (char **e = entries; *e; e++) {
        if (!hostsim_fault_entry(*e, errp)) {
            return false;
        }
    }
    return true;
}

bool hostsim_fault_take(const HostsimModel *m, const char *command,
                        HostsimFault *fault)
{
    g_autofree char *key = g_strdup_printf("%s.%s", m->name, command);
    unsigned count;

    count = GPOINTER_TO_UINT(g_hash_table_lookup(hostsim_fault_counts, key));
    count++;
    g_hash_table_insert(hostsim_fault_counts, g_steal_pointer(&key),
                        GUINT_TO_POINTER(count));
    for (guint i = 0; i < hostsim_fault_rules->len; i++) {
        HostsimFaultRule *r = &g_array_index(hostsim_fault_rules,
                                             HostsimFaultRule, i);

        if (r->model == m && strcmp(r->command, command) == 0 &&
            (r->nth == 0 || r->nth == count)) {
            *fault = r->fault;
            return true;
        }
    }
    return false;
}
