/* confidential-guest-support under qtest: the types, and failing closed. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "libqtest.h"

#include <string.h>

/*
 * The backends each binary may have (DESIGN.md) and the properties QEMU
 * gives each.  A binary lists a subset: a backend appears once its issue
 * lands; one in the wrong binary, or the abstract type listed as an
 * implementation, is a failure.
 */
typedef struct CgsType {
    const char *target;
    const char *type;
    const char *const *props;
} CgsType;

static const char *const sev_props[] = {
    "sev-device", "policy", "handle", "dh-cert-file", "session-file",
    "cbitpos", "reduced-phys-bits", "kernel-hashes", NULL,
};
static const char *const no_props[] = { NULL };

static const CgsType known[] = {
    { "x86_64", "sev-guest", sev_props },
    { "ppc64", "pef-guest", no_props },
    { "s390x", "s390-pv-guest", no_props },
};

static const CgsType *known_type(const char *type)
{
    for (size_t i = 0; i < G_N_ELEMENTS(known); i++) {
        if (strcmp(known[i].type, type) == 0) {
            return &known[i];
        }
    }
    return NULL;
}

/* The concrete confidential-guest-support types of the running binary. */
static char **list_cgs_types(QTestState *s)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(
        s, "{'execute': 'qom-list-types', 'arguments': "
           "{'implements': 'confidential-guest-support'}}");

    return qtest_json_strings(ret, "name");
}

/* -object help of @target, run as a plain process. */
static char *object_help(const char *target)
{
    char *argv[] = { (char *)qtest_binary(target), (char *)"-object",
                     (char *)"help", NULL };
    g_autoptr(GError) err = NULL;
    char *out = NULL;
    int status = 0;

    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &err));
    g_assert_cmpint(status, ==, 0);
    return out;
}

static void test_types(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, NULL);
    g_auto(GStrv) types = list_cgs_types(s);
    g_autofree char *help = object_help(target);
    g_autoptr(JsonNode) all = NULL;
    g_auto(GStrv) with_abstract = NULL;
    g_autofree char *joined = g_strjoinv(" ", types);

    g_test_message("%s has: %s", target, joined);
    for (char **t = types; *t != NULL; t++) {
        const CgsType *k = known_type(*t);
        g_autofree char *line = g_strdup_printf("\n  %s\n", *t);

        g_assert_nonnull(k);
        g_assert_cmpstr(k->target, ==, target);
        /* Users can create it: -object help lists it. */
        g_assert_nonnull(strstr(help, line));
    }
    /* And every backend that -object help shows is listed. */
    for (size_t i = 0; i < G_N_ELEMENTS(known); i++) {
        g_autofree char *line = g_strdup_printf("\n  %s\n", known[i].type);
        if (strstr(help, line) != NULL) {
            g_assert_true(g_strv_contains((const char *const *)types,
                                          known[i].type));
        }
    }
    /* The abstract type itself only with abstract=true. */
    g_assert_false(g_strv_contains((const char *const *)types,
                                   "confidential-guest-support"));
    all = qtest_qmp_assert_success_ref(
        s, "{'execute': 'qom-list-types', 'arguments': "
           "{'implements': 'confidential-guest-support', 'abstract': true}}");
    with_abstract = qtest_json_strings(all, "name");
    g_assert_true(g_strv_contains((const char *const *)with_abstract,
                                  "confidential-guest-support"));
    g_assert_cmpuint(g_strv_length(with_abstract), ==,
                     g_strv_length(types) + 1);
}

static void test_properties(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, NULL);
    g_auto(GStrv) types = list_cgs_types(s);

    for (char **t = types; *t != NULL; t++) {
        const CgsType *k = known_type(*t);
        g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(
            s, "{'execute': 'qom-list-properties', 'arguments': "
               "{'typename': %s}}", *t);
        g_auto(GStrv) names = qtest_json_strings(ret, "name");
        JsonArray *a = json_node_get_array(ret);

        g_assert_nonnull(k);
        for (const char *const *p = k->props; *p != NULL; p++) {
            g_test_message("%s.%s", *t, *p);
            g_assert_true(g_strv_contains((const char *const *)names, *p));
        }
        for (guint i = 0; i < json_array_get_length(a); i++) {
            JsonObject *o = json_array_get_object_element(a, i);
            g_assert_true(json_object_has_member(o, "type"));
        }
    }
}

/* With qtest nothing can be protected: start-up fails, naming why. */
static void test_fails_closed(const char *target)
{
    g_auto(GStrv) types = NULL;

    {
        g_autoptr(QTestState) s = qtest_init(target, NULL);
        types = list_cgs_types(s);
    }
    for (char **t = types; *t != NULL; t++) {
        static const char *const spellings[] = {
            "-machine confidential-guest-support=cgs0",
            "-machine memory-encryption=cgs0",
        };

        for (size_t i = 0; i < G_N_ELEMENTS(spellings); i++) {
            QTestOptions opts = { .target = target };
            g_autoptr(GError) err = NULL;
            const char *nl;
            g_autofree char *args = g_strdup_printf("-object %s,id=cgs0 %s",
                                                    *t, spellings[i]);
            g_autofree char *prefix = g_strdup_printf(
                "cgemu-system-%s: confidential-guest-support=cgs0: %s "
                "requires the kvm accelerator; qtest cannot run a protected "
                "guest. Use -accel kvm on ", target, *t);

            g_test_message("%s", args);
            g_assert_null(qtest_try_init(&opts, args, &err));
            g_assert_cmpint(err->code, ==, 1);
            g_assert_true(g_str_has_prefix(err->message, prefix));
            /* One line, saying on what host. */
            nl = strchr(err->message, '\n');
            g_assert_true(nl != NULL && nl[1] == '\0');
            g_assert_cmpuint(strlen(err->message), >, strlen(prefix) + 1);
        }
    }
}

/* Without the switch nothing is confidential. */
static void test_query_disabled(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, NULL);
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-confidential-guest-support'}");
    g_autofree char *text = qtest_json_to_string(ret);

    g_assert_cmpstr(text, ==, "{\"enabled\":false}");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_per_target("cgs/types", test_types);
    qtest_add_per_target("cgs/properties", test_properties);
    qtest_add_per_target("cgs/qtest-fails-closed", test_fails_closed);
    qtest_add_per_target("cgs/query-disabled", test_query_disabled);
    return g_test_run();
}
