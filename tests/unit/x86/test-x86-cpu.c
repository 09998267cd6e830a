/* test-x86-cpu.c: -cpu parsing and the CPUID table each vCPU gets. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "target/i386/cpu-models.h"
#include "util/error.h"

#include <glib.h>
#include <string.h>

#define E(fn, idx, fl, a, b, c, d)                                           \
    { .function = (fn), .index = (idx), .flags = (fl), .eax = (a),            \
      .ebx = (b), .ecx = (c), .edx = (d) }
#define IDX KVM_CPUID_FLAG_SIGNIFCANT_INDEX

/* What an AMD EPYC host's KVM offered on the build machines (abridged). */
static const struct kvm_cpuid_entry2 host[] = {
    E(0, 0, 0, 0x10, 0x68747541, 0x444d4163, 0x69746e65),
    E(1, 0, 0, 0x00a00f11, 0x00020800, 0x81202000, 0x078bfbff),
    E(4, 0, IDX, 0x00004121, 0x01c0003f, 0x3f, 0),
    E(6, 0, 0, 4, 0, 0, 0),
    E(7, 0, IDX, 0, 0x01800002, 4, 0xa8000000),
    E(0xb, 0, IDX, 1, 2, 0x100, 7),
    E(0xb, 1, IDX, 4, 16, 0x201, 7),
    E(0xd, 0, IDX, 0x207, 0x988, 0x988, 0),
    E(0x40000000, 0, 0, 0x40000001, 0x4b4d564b, 0x564b4d56, 0x4d),
    E(0x40000001, 0, 0, 0x01007efb, 0, 0, 0),
    E(0x80000000, 0, 0, 0x80000022, 0x68747541, 0x444d4163, 0x69746e65),
    E(0x80000001, 0, 0, 0x00a00f11, 0x40000000, 0x00400393, 0x23d3fbff),
    E(0x80000005, 0, 0, 0xff40ff40, 0xff40ff40, 0x20080140, 0x20080140),
    E(0x80000008, 0, 0, 0x3030, 0x110ad205, 0x7001, 0),
    E(0x8000001e, 0, 0, 5, 0x105, 0, 0),
    E(0x8000001f, 0, 0, 0x1000f, 0x173, 0x1fd, 1),
};

static GArray *build(const char *cpu, const uint32_t *req, size_t nreq,
                     unsigned index)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(X86CpuConfig) cfg = x86_cpu_config_parse(cpu, &err);

    g_assert_no_error(err);
    return x86_cpuid_build(cfg, host, G_N_ELEMENTS(host), req, nreq, index,
                           4);
}

static const struct kvm_cpuid_entry2 *leaf(GArray *t, uint32_t fn,
                                           uint32_t idx)
{
    const struct kvm_cpuid_entry2 *e = x86_cpuid_find(t, fn, idx);

    if (e == NULL) {
        g_error("leaf 0x%x.%u missing", fn, idx);
    }
    return e;
}

static void test_qemu64(void)
{
    g_autoptr(GArray) t = build(NULL, NULL, 0, 2);
    const struct kvm_cpuid_entry2 *e;
    char vendor[13] = { 0 };
    char brand[49] = { 0 };

    e = leaf(t, 0, 0);
    g_assert_cmphex(e->eax, ==, 0xd);
    memcpy(vendor, &e->ebx, 4);
    memcpy(vendor + 4, &e->edx, 4);
    memcpy(vendor + 8, &e->ecx, 4);
    g_assert_cmpstr(vendor, ==, "AuthenticAMD");
    e = leaf(t, 1, 0);
    /* family 15 model 107 stepping 1: ext model 6, model 0xb */
    g_assert_cmphex(e->eax, ==, 0x00060fb1);
    g_assert_cmphex(e->ebx >> 24, ==, 2);            /* APIC ID */
    g_assert_cmphex((e->ebx >> 16) & 0xff, ==, 1);
    /* SSE3 is not in the host's set; CX16, x2APIC, hypervisor are */
    g_assert_cmphex(e->ecx, ==, (1u << 13) | (1u << 21) | (1u << 31));
    g_assert_cmphex(e->edx, ==, 0x078bfbfd);      /* no VME, no HTT */
    e = leaf(t, 7, 0);
    g_assert_cmphex(e->ebx | e->ecx | e->edx, ==, 0);
    g_assert_null(x86_cpuid_find(t, 0xd, 0));       /* no XSAVE */
    e = leaf(t, 0x80000000, 0);
    g_assert_cmphex(e->eax, ==, 0x8000000a);
    e = leaf(t, 0x80000001, 0);
    g_assert_cmphex(e->edx, ==, (1u << 11) | (1u << 20) | (1u << 29));
    g_assert_cmphex(e->ecx, ==, 1);
    e = leaf(t, 0x80000008, 0);
    g_assert_cmphex(e->eax, ==, 0x3028);
    g_assert_null(x86_cpuid_find(t, 0x8000001f, 0));
    g_assert_null(x86_cpuid_find(t, 0x8000001e, 0));
    for (uint32_t i = 0; i < 3; i++) {
        const struct kvm_cpuid_entry2 *b = leaf(t, 0x80000002 + i, 0);
        memcpy(brand + 16 * i, &b->eax, 16);
    }
    g_assert_cmpstr(brand, ==, "cgemu virtual CPU (qemu64)");
    leaf(t, 0x40000001, 0);                         /* KVM's own leaves */
    /* topology: one thread, one core, x2APIC ID = index */
    e = leaf(t, 0xb, 0);
    g_assert_cmphex(e->ebx, ==, 1);
    g_assert_cmphex(e->ecx, ==, 0x100);
    g_assert_cmphex(e->edx, ==, 2);
    e = leaf(t, 0xb, 1);
    g_assert_cmphex(e->ecx, ==, 0x201);
    e = leaf(t, 0xb, 2);
    g_assert_cmphex(e->ecx, ==, 2);
    e = leaf(t, 4, 0);
    g_assert_cmphex(e->eax, ==, 0x0121);
}

static void test_host(void)
{
    g_autoptr(GArray) t = build("host", NULL, 0, 3);
    const struct kvm_cpuid_entry2 *e;

    g_assert_cmphex(leaf(t, 0, 0)->eax, ==, 0x10);
    g_assert_cmphex(leaf(t, 0x80000000, 0)->eax, ==, 0x80000022);
    e = leaf(t, 1, 0);
    g_assert_cmphex(e->eax, ==, 0x00a00f11);
    g_assert_cmphex(e->ebx, ==, 0x03010800);
    g_assert_cmphex(e->ecx, ==, 0x81202000);
    g_assert_cmphex(leaf(t, 7, 0)->ebx, ==, 0x01800002);
    g_assert_cmphex(leaf(t, 0x80000008, 0)->eax, ==, 0x3030);
    g_assert_cmphex(leaf(t, 0x80000008, 0)->ecx, ==, 0);    /* no cores */
    e = leaf(t, 0x8000001e, 0);
    g_assert_cmphex(e->eax, ==, 3);
    g_assert_cmphex(e->ebx, ==, 0);
    e = leaf(t, 0xb, 1);
    g_assert_cmphex(e->ebx, ==, 1);                 /* host's 16 gone */
    g_assert_cmphex(e->edx, ==, 3);
    leaf(t, 0x8000001f, 0);
    leaf(t, 0xd, 0);
}

/* sev-guest's way to see leaf 0x8000001F with the default model. */
static void test_required_leaf(void)
{
    static const uint32_t req[] = { 0x8000001f, 0x8000abcd };
    g_autoptr(GArray) t = build(NULL, req, G_N_ELEMENTS(req), 0);
    const struct kvm_cpuid_entry2 *e = leaf(t, 0x8000001f, 0);

    g_assert_cmphex(e->eax, ==, 0x1000f);
    g_assert_cmphex(e->ebx, ==, 0x173);
    /* the level covers it; a leaf KVM lacks is not invented */
    g_assert_cmphex(leaf(t, 0x80000000, 0)->eax, ==, 0x8000001f);
    g_assert_null(x86_cpuid_find(t, 0x8000abcd, 0));
}

static void test_features(void)
{
    g_autoptr(GArray) t = build("qemu64,-x2apic,+svm,lahf_lm=off,+clwb",
                                NULL, 0, 0);
    const struct kvm_cpuid_entry2 *e = leaf(t, 1, 0);

    g_assert_false(e->ecx & (1u << 21));
    /* svm: the host's KVM does not offer it, so it stays off */
    g_assert_cmphex(leaf(t, 0x80000001, 0)->ecx, ==, 0);
    g_assert_cmphex(leaf(t, 7, 0)->ebx, ==, 1u << 24);   /* clwb: offered */

    g_clear_pointer(&t, g_array_unref);
    t = build("host,-hypervisor", NULL, 0, 0);
    g_assert_false(leaf(t, 1, 0)->ecx & (1u << 31));
}

static void expect_parse_error(const char *text, const char *msg)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(X86CpuConfig) cfg = x86_cpu_config_parse(text, &err);

    g_assert_null(cfg);
    g_assert_error(err, CG_ERROR, CG_ERROR_GENERIC);
    g_assert_cmpstr(err->message, ==, msg);
}

static void test_parse(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(X86CpuConfig) cfg =
        x86_cpu_config_parse("max,+x2apic,-x2apic,sse4_2=on", &err);

    g_assert_no_error(err);
    g_assert_cmpstr(cfg->model->name, ==, "max");
    g_assert_cmphex(cfg->remove[X86_W_1_ECX], ==, 1u << 21);
    g_assert_cmphex(cfg->add[X86_W_1_ECX], ==, 1u << 20);
    g_assert_cmpstr(x86_feature_name(X86_W_81_ECX, 2), ==, "svm");
    g_assert_null(x86_feature_name(X86_W_1_EDX, 10));

    expect_parse_error("", "-cpu : unknown CPU model ''; this binary has: "
                       "qemu64, host, max (see -cpu help)");
    expect_parse_error("Host", "-cpu Host: unknown CPU model 'Host'; this "
                       "binary has: qemu64, host, max (see -cpu help)");
    expect_parse_error("host,,+svm", "-cpu host,,+svm: empty feature; write "
                       "MODEL,+FEATURE,-FEATURE or FEATURE=on|off");
    expect_parse_error("host,svm=maybe", "-cpu host,svm=maybe: 'svm' expects "
                       "on or off, got 'maybe'");
    expect_parse_error("host,-frobnicate", "-cpu host,-frobnicate: unknown "
                       "CPU feature 'frobnicate'; see -cpu help");
    expect_parse_error("host,+", "-cpu host,+: unknown CPU feature ''; see "
                       "-cpu help");
}

static void test_help(void)
{
    g_autoptr(GString) out = g_string_new(NULL);
    g_auto(GStrv) lines = NULL;

    x86_cpu_models_help(out);
    g_assert_true(g_str_has_prefix(out->str, "Available CPU models:\n"
                                             "  qemu64     a conservative"));
    lines = g_strsplit(out->str, "\n", -1);
    for (guint i = 0; lines[i]; i++) {
        g_assert_cmpuint(strlen(lines[i]), <=, 80);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/x86/cpu/qemu64", test_qemu64);
    g_test_add_func("/x86/cpu/host", test_host);
    g_test_add_func("/x86/cpu/required-leaf", test_required_leaf);
    g_test_add_func("/x86/cpu/features", test_features);
    g_test_add_func("/x86/cpu/parse", test_parse);
    g_test_add_func("/x86/cpu/help", test_help);
    return g_test_run();
}
