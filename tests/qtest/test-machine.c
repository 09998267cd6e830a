/* Machines: query-machines, and each machine built and driven by qtest. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "libqtest.h"

#include <string.h>

typedef struct TargetMachines {
    const char *target;
    const char *default_machine;
    const char *const *all;     /* sorted */
} TargetMachines;

static const char *const x86_64_machines[] = { "none", "pc", NULL };
static const char *const ppc64_machines[] = { "none", "pseries", NULL };
static const char *const s390x_machines[] = { "none", "s390-ccw-virtio",
                                              NULL };

static const TargetMachines machines[] = {
    { "x86_64", "pc", x86_64_machines },
    { "ppc64", "pseries", ppc64_machines },
    { "s390x", "s390-ccw-virtio", s390x_machines },
};

static const TargetMachines *machines_of(const char *target)
{
    for (size_t i = 0; i < G_N_ELEMENTS(machines); i++) {
        if (strcmp(machines[i].target, target) == 0) {
            return &machines[i];
        }
    }
    g_assert_not_reached();
}

static void test_query_machines(const char *target)
{
    const TargetMachines *tm = machines_of(target);
    g_autoptr(QTestState) s = qtest_init(target, NULL);
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-machines'}");
    g_auto(GStrv) names = qtest_json_strings(ret, "name");
    JsonArray *a = json_node_get_array(ret);
    g_autofree char *got = g_strjoinv(" ", names);
    g_autofree char *want = g_strjoinv(" ", (char **)tm->all);

    g_assert_cmpstr(got, ==, want);
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *m = json_array_get_object_element(a, i);
        const char *name = json_object_get_string_member(m, "name");
        bool dflt = json_object_get_boolean_member_with_default(
            m, "is-default", false);

        g_assert_true(dflt == (strcmp(name, tm->default_machine) == 0));
        g_assert_cmpint(json_object_get_int_member(m, "cpu-max"), >=, 1);
        g_assert_true(json_object_has_member(m, "hotpluggable-cpus"));
        g_assert_false(json_object_get_boolean_member(m, "deprecated"));
    }
}

/* @machine (NULL: the default) is built, runs, and is what QOM says. */
static void check_machine(const char *target, const char *machine)
{
    const TargetMachines *tm = machines_of(target);
    g_autofree char *args = machine ? g_strdup_printf("-machine %s", machine)
                                    : NULL;
    g_autoptr(QTestState) s = qtest_init(target, args);
    g_autofree char *type = g_strdup_printf(
        "%s-machine", machine ? machine : tm->default_machine);
    g_autoptr(JsonNode) t = NULL;
    g_autoptr(JsonNode) st = NULL;
    g_autoptr(JsonNode) arch = NULL;
    g_autofree char *endian = NULL;

    t = qtest_qmp_assert_success_ref(
        s, "{'execute': 'qom-get', 'arguments': {'path': '/machine', "
           "'property': 'type'}}");
    g_assert_cmpstr(json_node_get_string(t), ==, type);
    st = qtest_qmp_assert_success_ref(s, "{'execute': 'query-status'}");
    g_assert_cmpstr(json_object_get_string_member(json_node_get_object(st),
                                                  "status"),
                    ==, "running");
    arch = qtest_qmp_assert_success_ref(s, "{'execute': 'query-target'}");
    g_assert_cmpstr(json_object_get_string_member(
                        json_node_get_object(arch), "arch"),
                    ==, target);
    endian = qtest_cmd(s, "endianness");
    g_assert_cmpstr(endian, ==,
                    strcmp(target, "x86_64") ? "OK big" : "OK little");
}

static void test_default_machine(const char *target)
{
    check_machine(target, NULL);
}

static void test_each_machine(const char *target)
{
    const TargetMachines *tm = machines_of(target);

    for (const char *const *m = tm->all; *m != NULL; m++) {
        g_test_message("machine %s", *m);
        check_machine(target, *m);
    }
}

/* RAM is where the board puts it, of the size -m asks for. */
static void test_ram_size(const char *target)
{
    g_autoptr(QTestState) s = qtest_init(target, "-m 64");

    qtest_writeq(s, 64 * 1024 * 1024 - 8, 0x0123456789abcdefull);
    g_assert_cmphex(qtest_readq(s, 64 * 1024 * 1024 - 8), ==,
                    0x0123456789abcdefull);
    /* Just beyond: not RAM, whatever the board maps elsewhere. */
    qtest_writeq(s, 64 * 1024 * 1024, 0x0123456789abcdefull);
    g_assert_cmphex(qtest_readq(s, 64 * 1024 * 1024), !=,
                    0x0123456789abcdefull);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_per_target("machine/query-machines", test_query_machines);
    qtest_add_per_target("machine/default", test_default_machine);
    qtest_add_per_target("machine/each", test_each_machine);
    qtest_add_per_target("machine/ram-size", test_ram_size);
    return g_test_run();
}
