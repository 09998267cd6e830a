/* Property precedence: class default < -global < explicit, via qom-get. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "libqtest.h"

#include <string.h>

#define RNG "/machine/peripheral/rng0"

/* qom-get of @prop of rng0, as compact JSON ("\"on\"", "true"). */
static char *get_prop(QTestState *s, const char *prop)
{
    g_autoptr(JsonNode) v = qtest_qmp_assert_success_ref(
        s, "{'execute': 'qom-get', 'arguments': {'path': %s, "
           "'property': %s}}", RNG, prop);

    return qtest_json_to_string(v);
}

/*
 * Starts @target with @args and a virtio-rng-pci "rng0" given @devopts;
 * NULL when the machine has no PCI bus (then that is checked).
 */
static QTestState *start(const char *target, const char *args,
                         const char *devopts)
{
    QTestOptions opts = { .target = target };
    g_autoptr(GError) err = NULL;
    g_autofree char *all = g_strdup_printf(
        "-nodefaults %s -device virtio-rng-pci,id=rng0%s%s", args,
        *devopts ? "," : "", devopts);
    QTestState *s = qtest_try_init(&opts, all, &err);

    if (s == NULL) {
        g_autofree char *expected = g_strdup_printf(
            "cgemu-system-%s: -device virtio-rng-pci,id=rng0%s%s: "
            "virtio-rng-pci needs a PCI bus, which machine ", target,
            *devopts ? "," : "", devopts);
        g_test_message("%s", err->message);
        g_assert_true(g_str_has_prefix(err->message, expected));
    }
    return s;
}

typedef struct Case {
    const char *args;
    const char *devopts;
    const char *disable_legacy;
    const char *iommu_platform;
} Case;

static const Case cases[] = {
    /* The class defaults. */
    { "", "", "\"auto\"", "false" },
    /* -global by the device's type, by a parent type, in both spellings. */
    { "-global virtio-rng-pci.disable-legacy=on", "", "\"on\"", "false" },
    { "-global virtio-pci.disable-legacy=on", "", "\"on\"", "false" },
    { "-global driver=virtio-rng-pci,property=disable-legacy,value=off", "",
      "\"off\"", "false" },
    { "-global virtio-pci.disable-legacy=on "
      "-global virtio-device.iommu_platform=on",
      "", "\"on\"", "true" },
    /* Several -global for one property: the last one given wins. */
    { "-global virtio-rng-pci.disable-legacy=on "
      "-global virtio-pci.disable-legacy=off",
      "", "\"off\"", "false" },
    /* An explicit property beats every -global. */
    { "-global virtio-rng-pci.disable-legacy=on", "disable-legacy=off",
      "\"off\"", "false" },
    { "-global virtio-pci.disable-legacy=on "
      "-global virtio-device.iommu_platform=on",
      "iommu_platform=off", "\"on\"", "false" },
    { "", "disable-legacy=on,iommu_platform=on", "\"on\"", "true" },
};

static void test_precedence(const char *target)
{
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const Case *c = &cases[i];
        g_autoptr(QTestState) s = NULL;
        g_autofree char *dl = NULL, *ip = NULL;

        g_test_message("%s -device virtio-rng-pci,%s", c->args, c->devopts);
        s = start(target, c->args, c->devopts);
        if (s == NULL) {
            return;     /* no PCI bus: checked by start() */
        }
        dl = get_prop(s, "disable-legacy");
        ip = get_prop(s, "iommu_platform");
        g_assert_cmpstr(dl, ==, c->disable_legacy);
        g_assert_cmpstr(ip, ==, c->iommu_platform);
    }
}

/* A -global for a property no type has is refused before anything runs. */
static void test_bad_global(const char *target)
{
    QTestOptions opts = { .target = target };
    g_autoptr(GError) err = NULL;
    g_autofree char *prefix = g_strdup_printf(
        "cgemu-system-%s: -global virtio-pci.disable-legacyy=on: ", target);

    g_assert_null(qtest_try_init(&opts,
                                 "-global virtio-pci.disable-legacyy=on",
                                 &err));
    g_assert_cmpint(err->code, ==, 1);
    g_test_message("%s", err->message);
    g_assert_true(g_str_has_prefix(err->message, prefix));
    g_assert_nonnull(strstr(err->message, "disable-legacy"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_per_target("default-props/precedence", test_precedence);
    qtest_add_per_target("default-props/bad-global", test_bad_global);
    return g_test_run();
}
