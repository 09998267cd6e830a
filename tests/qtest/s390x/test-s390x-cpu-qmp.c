/* qtest: s390x CPU models over QMP, against QEMU 7.2's answers. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "libqtest.h"

#include <string.h>

/*
 * The expected expansions are what qemu-system-s390x 7.2 answers (with
 * TCG; the static expansion of a named model does not depend on the
 * accelerator): the "props" of a static expansion, "+" for true and "-"
 * for false, sorted.
 */
static const struct {
    const char *model;
    const char *props;          /* a JSON object of toggles, or NULL */
    const char *base;
    const char *expect;
} known[] = {
    { "z13", NULL, "z13-base",
      "+aefsi +aen +bpb +cmm +cte +edat +edat2 +esop +ipter +msa1 +msa2 "
      "+msa3 +msa4 +msa5 +ppa15 +ri +sea_esop2 +sthyi +te +vx +zpci" },
    { "z14", NULL, "z14-base",
      "+aefsi +aen +bpb +cmm +cte +edat +edat2 +esop +gs +iep +ipter "
      "+mepoch +mepochptff +msa1 +msa2 +msa3 +msa4 +msa5 +msa6 +msa7 +msa8 "
      "+ppa15 +ri +sea_esop2 +sthyi +te +vx +vxeh +vxpd +zpci" },
    { "gen15a", NULL, "gen15a-base",
      "+aefsi +aen +cmm +cte +deflate +edat +edat2 +esop +etoken +gs +iep "
      "+ipter +mepoch +mepochptff +msa1 +msa2 +msa3 +msa4 +msa5 +msa6 +msa7 "
      "+msa8 +msa9 +msa9_pckmo +ppa15 +ri +sea_esop2 +sthyi +te +vx +vxeh "
      "+vxeh2 +vxpd +vxpdeh +zpci" },
    { "gen16a", NULL, "gen16a-base",
      "+aefsi +aen +beareh +cmm +cte +deflate +edat +edat2 +esop +etoken "
      "+gs +iep +ipter +mepoch +mepochptff +msa1 +msa2 +msa3 +msa4 +msa5 "
      "+msa6 +msa7 +msa8 +msa9 +msa9_pckmo +nnpa +pai +paie +ppa15 +rdp +ri "
      "+sea_esop2 +sthyi +te +vx +vxeh +vxeh2 +vxpd +vxpdeh +vxpdeh2 "
      "+zpci" },
    { "z15", "{'unpack': true}", "gen15a-base",
      "+aefsi +aen +cmm +cte +deflate +edat +edat2 +esop +etoken +gs +iep "
      "+ipter +mepoch +mepochptff +msa1 +msa2 +msa3 +msa4 +msa5 +msa6 +msa7 "
      "+msa8 +msa9 +msa9_pckmo +ppa15 +ri +sea_esop2 +sthyi +te +unpack +vx "
      "+vxeh +vxeh2 +vxpd +vxpdeh +zpci" },
    { "z16", "{'unpack': true}", "gen16a-base",
      "+aefsi +aen +beareh +cmm +cte +deflate +edat +edat2 +esop +etoken "
      "+gs +iep +ipter +mepoch +mepochptff +msa1 +msa2 +msa3 +msa4 +msa5 "
      "+msa6 +msa7 +msa8 +msa9 +msa9_pckmo +nnpa +pai +paie +ppa15 +rdp +ri "
      "+sea_esop2 +sthyi +te +unpack +vx +vxeh +vxeh2 +vxpd +vxpdeh "
      "+vxpdeh2 +zpci" },
    { "qemu", NULL, "gen15a-base",
      "+aefsi +aen +ais +esop +iep +kimd-sha-512 +klmd-sha-512 +msa3-base "
      "+msa4-base +msa5-base +msa8-base +prno-trng +sea_esop2 +vx +vxeh "
      "+vxeh2 +zpci -asnlxr -cmpsceh -dateh2 -dfp -dfphp -dfppc -dfpzc -eec "
      "-emon -gen13ptff -hfpm -hfpue -kimd-sha-1 -klmd-sha-1 -km-dea "
      "-km-tdea-128 -km-tdea-192 -kmac-dea -kmac-tdea-128 -kmac-tdea-192 "
      "-kmc-dea -kmc-tdea-128 -kmc-tdea-192 -nonqks -opc -parseh -pfpo "
      "-sema -tods -tsi" },
};

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "+a -b ..." of a props object, sorted ('+' before '-'), as above. */
static char *props_text(JsonObject *props)
{
    g_autoptr(GList) names = json_object_get_members(props);
    g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func(g_free);

    for (GList *l = names; l != NULL; l = l->next) {
        gboolean on = json_object_get_boolean_member(props, l->data);
        g_ptr_array_add(words, g_strdup_printf("%c%s", on ? '+' : '-',
                                               (const char *)l->data));
    }
    g_ptr_array_sort(words, cmp_str);
    g_ptr_array_add(words, NULL);
    return g_strjoinv(" ", (char **)words->pdata);
}

/* Sends @json (single quotes for double) and returns the reply. */
static JsonNode *qmp_text(QTestState *s, const char *json)
{
    g_autofree char *text = g_strdup(json);
    g_autoptr(GError) err = NULL;
    g_autoptr(JsonNode) cmd = NULL;

    g_strdelimit(text, "'", '"');
    cmd = json_from_string(text, &err);
    g_assert_no_error(err);
    return qtest_qmp_node(s, cmd);
}

/* query-cpu-model-expansion; @props is a JSON object text or NULL. */
static JsonObject *expand(QTestState *s, const char *type, const char *model,
                          const char *props, JsonNode **hold)
{
    g_autofree char *cmd = g_strdup_printf(
        "{'execute': 'query-cpu-model-expansion', 'arguments': "
        "{'type': '%s', 'model': {'name': '%s'%s%s}}}", type, model,
        props ? ", 'props': " : "", props ? props : "");
    JsonObject *ret;

    *hold = qmp_text(s, cmd);
    ret = json_object_get_object_member(json_node_get_object(*hold),
                                        "return");
    g_assert_nonnull(ret);
    return json_object_get_object_member(ret, "model");
}

static void test_static_expansion(void)
{
    g_autoptr(QTestState) s = qtest_init("s390x", NULL);

    for (size_t i = 0; i < G_N_ELEMENTS(known); i++) {
        g_autoptr(JsonNode) ret = NULL;
        g_autofree char *text = NULL;
        JsonObject *m = expand(s, "static", known[i].model, known[i].props,
                               &ret);

        g_test_message("%s %s", known[i].model,
                       known[i].props ? known[i].props : "");
        g_assert_cmpstr(json_object_get_string_member(m, "name"), ==,
                        known[i].base);
        text = props_text(json_object_get_object_member(m, "props"));
        g_assert_cmpstr(text, ==, known[i].expect);
    }
}

static void test_full_expansion(void)
{
    g_autoptr(QTestState) s = qtest_init("s390x", NULL);
    g_autoptr(JsonNode) a = NULL;
    g_autoptr(JsonNode) b = NULL;
    g_autoptr(JsonNode) c = NULL;
    JsonObject *z15 = expand(s, "full", "z15", NULL, &a);
    JsonObject *p = json_object_get_object_member(z15, "props");
    JsonObject *base;

    /* Every feature and group, on or off: unpack is off by default. */
    g_assert_cmpstr(json_object_get_string_member(z15, "name"), ==,
                    "gen15a-base");
    g_assert_false(json_object_get_boolean_member(p, "unpack"));
    g_assert_true(json_object_get_boolean_member(p, "msa9"));
    g_assert_false(json_object_get_boolean_member(p, "nnpa"));
    g_assert_false(json_object_get_boolean_member(p, "idter"));
    g_assert_true(json_object_get_boolean_member(p, "zarch"));
    p = json_object_get_object_member(
        expand(s, "full", "z15", "{'unpack': true}", &b), "props");
    g_assert_true(json_object_get_boolean_member(p, "unpack"));
    /* A static model is its base: no props at all. */
    base = expand(s, "static", "z14-base", NULL, &c);
    g_assert_cmpstr(json_object_get_string_member(base, "name"), ==,
                    "z14-base");
    g_assert_false(json_object_has_member(base, "props"));
}

static void test_unpack_refused(void)
{
    g_autoptr(QTestState) s = qtest_init("s390x", NULL);
    static const struct {
        const char *model;
        const char *desc;
    } old[] = { { "z14", "IBM z14 GA1" }, { "z13", "IBM z13 GA1" },
                { "z14.2", "IBM z14 GA2" } };

    for (size_t i = 0; i < G_N_ELEMENTS(old); i++) {
        g_autofree char *desc = qtest_qmp_assert_error(
            s, "GenericError",
            "{'execute': 'query-cpu-model-expansion', 'arguments': "
            "{'type': 'static', 'model': {'name': %s, 'props': "
            "{'unpack': true}}}}", old[i].model);
        g_autofree char *want = g_strdup_printf(
            "query-cpu-model-expansion: feature 'unpack' is not available "
            "on CPU model %s (%s); it first came with z15 (gen15a, IBM z15 "
            "T01 GA1): use -cpu z15,unpack=on or a newer model",
            old[i].model, old[i].desc);

        g_assert_cmpstr(desc, ==, want);
    }
}

static void test_expansion_errors(void)
{
    g_autoptr(QTestState) s = qtest_init("s390x", NULL);
    char *d;

    d = qtest_qmp_assert_error(
        s, "GenericError", "{'execute': 'query-cpu-model-expansion', "
        "'arguments': {'type': 'static', 'model': {'name': 'z99'}}}");
    g_assert_cmpstr(d, ==, "query-cpu-model-expansion: unknown CPU model "
                           "'z99' (did you mean 'z990'?); see -cpu help");
    g_free(d);
    d = qtest_qmp_assert_error(
        s, "GenericError", "{'execute': 'query-cpu-model-expansion', "
        "'arguments': {'type': 'full', 'model': {'name': 'host'}}}");
    g_assert_cmpstr(d, ==, "query-cpu-model-expansion: CPU model 'host' is "
                           "what this IBM Z host's KVM offers, so it needs "
                           "-accel kvm; with other accelerators name a "
                           "model such as z15");
    g_free(d);
    d = qtest_qmp_assert_error(
        s, "GenericError", "{'execute': 'query-cpu-model-expansion', "
        "'arguments': {'type': 'static', 'model': {'name': 'z15', "
        "'props': {'vx': 'on'}}}}");
    g_assert_cmpstr(d, ==, "Parameter 'vx' expects a boolean (true or "
                           "false)");
    g_free(d);
    d = qtest_qmp_assert_error(
        s, "GenericError", "{'execute': 'query-cpu-model-expansion', "
        "'arguments': {'type': 'static', 'model': {'name': 'z15', "
        "'props': {'vxx': true}}}}");
    g_assert_cmpstr(d, ==, "query-cpu-model-expansion: unknown CPU feature "
                           "'vxx' (did you mean 'vx'?); see -cpu help");
    g_free(d);
    d = qtest_qmp_assert_error(
        s, "GenericError", "{'execute': 'query-cpu-model-expansion', "
        "'arguments': {'type': 'static', 'model': {'name': 'z15', "
        "'flags': {}}}}");
    g_assert_cmpstr(d, ==, "Parameter 'model.flags' is unexpected; a CPU "
                           "model has 'name' and 'props'");
    g_free(d);
    d = qtest_qmp_assert_error(
        s, "GenericError", "{'execute': 'query-cpu-model-expansion', "
        "'arguments': {'type': 'partial', 'model': {'name': 'z15'}}}");
    g_assert_nonnull(strstr(d, "partial"));
    g_free(d);
}

static void test_definitions(void)
{
    g_autoptr(QTestState) s = qtest_init("s390x", NULL);
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-cpu-definitions'}");
    JsonArray *a = json_node_get_array(ret);
    unsigned statics = 0;
    bool z15 = false, host = false;

    /* 38 definitions, each with its static -base, two aliases, qemu and
     * max; no host without KVM. */
    g_assert_cmpuint(json_array_get_length(a), ==, 80);
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *o = json_array_get_object_element(a, i);
        const char *name = json_object_get_string_member(o, "name");
        g_autofree char *type = g_strdup_printf("%s-s390x-cpu", name);

        g_assert_cmpstr(json_object_get_string_member(o, "typename"), ==,
                        type);
        /* Nothing executes under qtest: nothing is unavailable. */
        g_assert_cmpuint(json_array_get_length(json_object_get_array_member(
                             o, "unavailable-features")), ==, 0);
        g_assert_false(json_object_get_boolean_member(o, "deprecated"));
        if (json_object_get_boolean_member(o, "static")) {
            statics++;
            g_assert_true(g_str_has_suffix(name, "-base"));
        }
        if (strcmp(name, "z15") == 0) {
            z15 = true;
            g_assert_cmpstr(json_object_get_string_member(o, "alias-of"), ==,
                            "gen15a");
        }
        host |= strcmp(name, "host") == 0;
        if (strcmp(name, "max") == 0) {
            g_assert_false(json_object_get_boolean_member(o,
                                                          "migration-safe"));
        }
    }
    g_assert_cmpuint(statics, ==, 38);
    g_assert_true(z15);
    g_assert_false(host);
}

/* -cpu: what starts and what is refused, with the exact line. */
static void test_cpu_option(void)
{
    static const struct {
        const char *cpu;
        const char *error;
    } cases[] = {
        { "z15,unpack=on", NULL },
        { "z16,unpack=on,vx=off", NULL },
        { "gen15b,unpack=on,unpack=off", NULL },
        { "z14-base,msa1=on", NULL },
        { "max", NULL },
        { "z14,unpack=on",
          "-cpu z14,unpack=on: feature 'unpack' is not available on CPU "
          "model z14 (IBM z14 GA1); it first came with z15 (gen15a, IBM "
          "z15 T01 GA1): use -cpu z15,unpack=on or a newer model" },
        { "z13,unpack=on",
          "-cpu z13,unpack=on: feature 'unpack' is not available on CPU "
          "model z13 (IBM z13 GA1); it first came with z15 (gen15a, IBM "
          "z15 T01 GA1): use -cpu z15,unpack=on or a newer model" },
        { "z15,+unpack",
          "-cpu z15,+unpack: '+unpack' is not FEATURE=on|off; s390x CPU "
          "features are written unpack=on" },
        { "host",
          "-cpu host: CPU model 'host' is what this IBM Z host's KVM "
          "offers, so it needs -accel kvm; with other accelerators name a "
          "model such as z15" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        QTestOptions opts = { .target = "s390x" };
        g_autoptr(GError) err = NULL;
        g_autofree char *args = g_strdup_printf("-cpu %s", cases[i].cpu);
        QTestState *s = qtest_try_init(&opts, args, &err);

        g_test_message("%s", args);
        if (cases[i].error == NULL) {
            g_assert_no_error(err);
            qtest_quit(s);
        } else {
            g_autofree char *want = g_strdup_printf(
                "cgemu-system-s390x: %s\n", cases[i].error);

            g_assert_null(s);
            g_assert_cmpint(err->code, ==, 1);
            g_assert_cmpstr(err->message, ==, want);
        }
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (qtest_binary("s390x") == NULL) {
        g_test_message("no cgemu-system-s390x configured");
        return g_test_run();
    }
    g_test_add_func("/s390x/cpu-models/static-expansion",
                   test_static_expansion);
    g_test_add_func("/s390x/cpu-models/full-expansion", test_full_expansion);
    g_test_add_func("/s390x/cpu-models/unpack-refused", test_unpack_refused);
    g_test_add_func("/s390x/cpu-models/expansion-errors",
                   test_expansion_errors);
    g_test_add_func("/s390x/cpu-models/definitions", test_definitions);
    g_test_add_func("/s390x/cpu-models/cpu-option", test_cpu_option);
    return g_test_run();
}
