/* s390-pv-guest and the protected IPL, against the host simulator's KVM. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "libqtest.h"

#include <glib/gstdio.h>
#include <inttypes.h>
#include <string.h>

/*
 * cgemu-system-s390x runs with libcgemu-hostsim.so preloaded and
 * CGEMU_HOSTSIM_KVM_ARCH=s390x: /dev/kvm is a simulated IBM Z KVM with an
 * Ultravisor model, and vCPU 0's KVM_RUN follows a script that stands in
 * for the guest (its DIAGNOSE 308 requests).  The test builds a protected
 * image the way the model checks it -- an IPL block of type 5, an SE
 * header whose digests cover the components' pages, the components --
 * and has -device loader place it in guest memory.  It then reads the
 * simulator's call log, cgemu's stderr and QMP.
 */
#define IPLB_ADDR 0x8000
#define HDR_ADDR 0x20000
#define HDR_LEN 512             /* 416 + one key slot + tag */
#define PAGE 4096

typedef struct {
    uint64_t tweak, addr, size;
} Comp;

static const Comp comps[] = {
    { 0x100, 0x100000, 0x1800 },    /* two pages, the second half empty */
    { 0x200, 0x110000, 0x1000 },
};

typedef struct {
    char *dir;
    char *log;
    char *loaders;              /* -device loader,... for the image */
} Fx;

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) {
        p[i] = (uint8_t)(v >> (24 - 8 * i));
    }
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, v >> 32);
    put32(p + 4, (uint32_t)v);
}

static uint8_t comp_byte(unsigned c, uint64_t off)
{
    return (uint8_t)(0x11 * (c + 1) + off * 7);
}

static char *write_blob(Fx *fx, const char *name, const uint8_t *data,
                        size_t len, uint64_t addr)
{
    g_autofree char *path = g_build_filename(fx->dir, name, NULL);

    g_assert_true(g_file_set_contents(path, (const char *)data, len, NULL));
    return g_strdup_printf("-device loader,file=%s,addr=0x%" PRIx64 " ",
                           path, addr);
}

/* The SE header as the simulator's Ultravisor checks it. */
static void build_header(uint8_t *h, uint64_t ald_shift)
{
    GChecksum *pld = g_checksum_new(G_CHECKSUM_SHA512);
    GChecksum *ald = g_checksum_new(G_CHECKSUM_SHA512);
    GChecksum *tld = g_checksum_new(G_CHECKSUM_SHA512);
    uint64_t pages = 0;
    gsize len = 64;

    memset(h, 0, HDR_LEN);
    memcpy(h, "IBMSecEx", 8);
    put32(h + 8, 0x100);
    put32(h + 12, HDR_LEN);
    put64(h + 32, 1);                           /* one key slot */
    for (size_t c = 0; c < G_N_ELEMENTS(comps); c++) {
        uint64_t size = (comps[c].size + PAGE - 1) & ~(uint64_t)(PAGE - 1);

        for (uint64_t off = 0; off < size; off += PAGE) {
            uint8_t page[PAGE] = { 0 }, b[16];

            for (uint64_t i = 0; i < PAGE && off + i < comps[c].size; i++) {
                page[i] = comp_byte(c, off + i);
            }
            put64(b, comps[c].addr + off + ald_shift);
            g_checksum_update(ald, b, 8);
            put64(b, comps[c].tweak);
            put64(b + 8, off);
            g_checksum_update(tld, b, 16);
            g_checksum_update(pld, page, PAGE);
            pages++;
        }
    }
    put64(h + 48, pages);
    g_checksum_get_digest(pld, h + 224, &len);
    g_checksum_get_digest(ald, h + 288, &len);
    g_checksum_get_digest(tld, h + 352, &len);
    g_checksum_free(pld);
    g_checksum_free(ald);
    g_checksum_free(tld);
}

/* A protected image placed by -device loader; @ald_shift != 0 makes the
 * header name other page addresses than the block (VERIFY must fail). */
static void fx_init(Fx *fx, uint64_t ald_shift)
{
    uint8_t iplb[PAGE] = { 0 };
    uint8_t hdr[HDR_LEN];
    GString *args = g_string_new(NULL);

    fx->dir = g_dir_make_tmp("cgemu-s390-pv-XXXXXX", NULL);
    g_assert_nonnull(fx->dir);
    fx->log = g_build_filename(fx->dir, "hostsim.log", NULL);
    put32(iplb, 0x88 + 24 * G_N_ELEMENTS(comps));
    iplb[12] = 5;                               /* protected */
    put32(iplb + 0x74, G_N_ELEMENTS(comps));
    put64(iplb + 0x78, HDR_ADDR);
    put64(iplb + 0x80, HDR_LEN);
    for (size_t c = 0; c < G_N_ELEMENTS(comps); c++) {
        uint8_t *e = iplb + 0x88 + 24 * c;
        g_autofree uint8_t *data = g_malloc(comps[c].size);
        g_autofree char *name = g_strdup_printf("comp%zu", c);
        g_autofree char *dev = NULL;

        put64(e, comps[c].tweak);
        put64(e + 8, comps[c].addr);
        put64(e + 16, comps[c].size);
        for (uint64_t i = 0; i < comps[c].size; i++) {
            data[i] = comp_byte(c, i);
        }
        dev = write_blob(fx, name, data, comps[c].size, comps[c].addr);
        g_string_append(args, dev);
    }
    build_header(hdr, ald_shift);
    {
        g_autofree char *h = write_blob(fx, "hdr", hdr, sizeof(hdr),
                                        HDR_ADDR);
        g_autofree char *b = write_blob(fx, "iplb", iplb, sizeof(iplb),
                                        IPLB_ADDR);

        g_string_append(args, h);
        g_string_append(args, b);
    }
    fx->loaders = g_string_free(args, FALSE);
}

static void fx_cleanup(Fx *fx)
{
    g_autoptr(GDir) d = g_dir_open(fx->dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
        g_autofree char *path = g_build_filename(fx->dir, name, NULL);
        g_unlink(path);
    }
    g_rmdir(fx->dir);
    g_free(fx->dir);
    g_free(fx->log);
    g_free(fx->loaders);
}

/* The simulator's configuration for cgemu's process. */
static char **env(Fx *fx, const char *script, const char *extra)
{
    GPtrArray *e = g_ptr_array_new();

    g_ptr_array_add(e, g_strdup_printf("LD_PRELOAD=%s",
                                       g_getenv("CGEMU_TEST_HOSTSIM_LIB")));
    g_ptr_array_add(e, g_strdup("ASAN_OPTIONS=verify_asan_link_order=0"));
    g_ptr_array_add(e, g_strdup("CGEMU_HOSTSIM_KVM_ARCH=s390x"));
    g_ptr_array_add(e, g_strdup_printf("CGEMU_HOSTSIM_LOG=%s", fx->log));
    if (script != NULL) {
        g_ptr_array_add(e, g_strdup_printf("CGEMU_HOSTSIM_S390_SCRIPT=%s",
                                           script));
    }
    if (extra != NULL) {
        g_auto(GStrv) more = g_strsplit(extra, " ", -1);
        for (char **m = more; *m != NULL; m++) {
            g_ptr_array_add(e, g_strdup(*m));
        }
    }
    g_ptr_array_add(e, NULL);
    return (char **)g_ptr_array_free(e, FALSE);
}

static QTestState *start(Fx *fx, const char *script, const char *extra_env,
                         const char *args, GError **err)
{
    g_auto(GStrv) e = env(fx, script, extra_env);
    QTestOptions opts = {
        .target = "s390x",
        .accel = "kvm",
        .env = (const char *const *)e,
    };
    /* Paused (-S) until the test is listening: no event is missed. */
    g_autofree char *all = g_strdup_printf("-S -smp 1 %s %s", fx->loaders,
                                           args ? args : "");

    return qtest_try_init(&opts, all, err);
}

static void go(QTestState *s)
{
    qtest_qmp_assert_success(s, "{'execute': 'cont'}");
}

/* The simulator's lines of the s390 model, from @from on ("" = all). */
static char *s390_log(Fx *fx, const char *from)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    GString *out = g_string_new(NULL);
    bool on = from[0] == '\0';

    g_assert_true(g_file_get_contents(fx->log, &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l != NULL; l++) {
        if (!g_str_has_prefix(*l, "s390 ")) {
            continue;
        }
        on |= strcmp(*l + 5, from) == 0;
        if (on) {
            g_string_append_printf(out, "%s\n", *l + 5);
        }
    }
    return g_string_free(out, FALSE);
}

static char *query_cgs(QTestState *s)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-confidential-guest-support'}");

    return qtest_json_to_string(ret);
}

static char *run_state(QTestState *s)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-status'}");

    return g_strdup(json_object_get_string_member(json_node_get_object(ret),
                                                  "status"));
}

#define SWITCH "-object s390-pv-guest,id=pv0 " \
               "-machine s390-ccw-virtio,confidential-guest-support=pv0 "
#define PV_SCRIPT "d:8,0x8000;d:10,0"

/* The switch with a capable host and model: ready, then protected. */
static void test_protected_ipl(void)
{
    Fx fx;
    g_autoptr(GError) err = NULL;
    QTestState *s;
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;
    g_autofree char *log = NULL;

    fx_init(&fx, 0);
    /* -no-shutdown: when the guest powers off, cgemu stays for QMP. */
    s = start(&fx, PV_SCRIPT ";q", NULL,
              SWITCH "-cpu z15,unpack=on -no-shutdown", &err);
    g_assert_no_error(err);
    before = query_cgs(s);
    g_assert_cmpstr(before, ==,
                    "{\"enabled\":true,\"type\":\"s390-pv-guest\",\"id\":"
                    "\"pv0\",\"ready\":true,\"accelerator\":\"kvm\","
                    "\"state\":\"ready\",\"details\":{\"protected\":"
                    "false,\"max-cpus\":247}}");
    go(s);
    qtest_qmp_eventwait(s, "RESET");
    qtest_qmp_eventwait(s, "SHUTDOWN");
    after = query_cgs(s);
    g_assert_cmpstr(after, ==,
                    "{\"enabled\":true,\"type\":\"s390-pv-guest\",\"id\":"
                    "\"pv0\",\"ready\":true,\"accelerator\":\"kvm\","
                    "\"state\":\"protected\",\"details\":{\"protected\":"
                    "true,\"max-cpus\":247}}");
    log = s390_log(&fx, "RUN vcpu=0 -> DIAG 0x308 subcode=8 addr=0x8000");
    g_assert_cmpstr(log, ==,
                    "RUN vcpu=0 -> DIAG 0x308 subcode=8 addr=0x8000\n"
                    "DIAG 0x308 vcpu=0 done r5=0x1 protected=0\n"
                    /* the protected IPL */
                    "RUN vcpu=0 -> DIAG 0x308 subcode=10 addr=0x0\n"
                    "CHECK_EXTENSION KVM_CAP_S390_PROTECTED -> 1\n"
                    "NORMAL_RESET vcpu=0 -> ok\n"
                    "SET_MP_STATE vcpu=0 STOPPED -> ok\n"
                    "PV ENABLE vm=0 -> ok\n"
                    "PV SET_SEC_PARMS vm=0 len=512 -> ok\n"
                    "PV UNPACK vm=0 addr=0x100000 size=0x2000 tweak=0x100 "
                    "-> ok pages=2\n"
                    "PV UNPACK vm=0 addr=0x110000 size=0x1000 tweak=0x200 "
                    "-> ok pages=1\n"
                    "PV PREP_RESET vm=0 -> ok\n"
                    "PV VERIFY vm=0 -> ok\n"
                    "SET_MP_STATE vcpu=0 OPERATING -> ok\n"
                    "DIAG 0x308 vcpu=0 done r5=0x0 protected=1\n"
                    "RUN vcpu=0 -> disabled wait at 0xfff\n");
    qtest_quit(s);
    fx_cleanup(&fx);
}

/* At start-up: ready, and the virtio defaults on the ccw devices. */
static void test_ready_and_defaults(void)
{
    Fx fx;
    g_autoptr(GError) err = NULL;
    QTestState *s;
    g_autofree char *cgs = NULL;
    g_autofree char *err_text = NULL;
    g_autoptr(JsonNode) on = NULL;
    g_autoptr(JsonNode) off = NULL;
    char *d;

    fx_init(&fx, 0);
    s = start(&fx, NULL, NULL,
              SWITCH "-device virtio-rng-ccw,id=rng0 "
              "-device virtio-rng-ccw,id=rng1,iommu_platform=off", &err);
    g_assert_no_error(err);
    go(s);
    cgs = query_cgs(s);
    /* The default CPU model is host, which has unpack here. */
    g_assert_cmpstr(cgs, ==,
                    "{\"enabled\":true,\"type\":\"s390-pv-guest\",\"id\":"
                    "\"pv0\",\"ready\":true,\"accelerator\":\"kvm\","
                    "\"state\":\"ready\",\"details\":{\"protected\":false,"
                    "\"max-cpus\":247}}");
    on = qtest_qmp_assert_success_ref(
        s, "{'execute': 'qom-get', 'arguments': {'path': "
           "'/machine/peripheral/rng0', 'property': 'iommu_platform'}}");
    g_assert_true(json_node_get_boolean(on));
    off = qtest_qmp_assert_success_ref(
        s, "{'execute': 'qom-get', 'arguments': {'path': "
           "'/machine/peripheral/rng1', 'property': 'iommu_platform'}}");
    g_assert_false(json_node_get_boolean(off));
    /* disable-legacy does not exist on ccw: that default skips them. */
    d = qtest_qmp_assert_error(
        s, "GenericError",
        "{'execute': 'qom-get', 'arguments': {'path': "
        "'/machine/peripheral/rng0', 'property': 'disable-legacy'}}");
    g_assert_nonnull(strstr(d, "disable-legacy"));
    g_free(d);
    err_text = qtest_stderr(s);
    g_assert_cmpstr(err_text, ==,
                    "cgemu-system-s390x: warning: virtio-rng-ccw id=rng1: "
                    "iommu_platform=off (-device) overrides the default "
                    "iommu_platform=on that confidential-guest-support "
                    "(s390-pv-guest 'pv0') sets; the guest may not work "
                    "protected\n");
    qtest_quit(s);
    fx_cleanup(&fx);
}

/* Start-up refused under the simulator, with the exact line. */
static void expect_refused(const char *extra_env, const char *args,
                           const char *want)
{
    Fx fx;
    g_autoptr(GError) err = NULL;
    g_autofree char *line = g_strdup_printf("cgemu-system-s390x: %s\n",
                                            want);

    fx_init(&fx, 0);
    g_test_message("%s %s", extra_env ? extra_env : "", args);
    g_assert_null(start(&fx, NULL, extra_env, args, &err));
    g_assert_nonnull(err);
    g_assert_cmpint(err->code, ==, 1);
    g_assert_cmpstr(err->message, ==, line);
    fx_cleanup(&fx);
}

static void test_fails_closed(void)
{
    expect_refused("CGEMU_HOSTSIM_S390_PROTECTED=0", SWITCH,
                   "-accel kvm: s390-pv-guest: this host cannot run "
                   "protected guests: its KVM lacks KVM_CAP_S390_PROTECTED. "
                   "Check that the host kernel was booted with prot_virt=1 "
                   "and that /sys/firmware/uv/prot_virt_host reads 1 (an "
                   "IBM z15 or newer with the Ultravisor)");
    expect_refused(NULL, SWITCH "-cpu z14",
                   "-accel kvm: s390-pv-guest: CPU model z14 lacks the "
                   "unpack facility (161) that protected guests need, and "
                   "no IBM z14 GA1 can have it; use -cpu z15,unpack=on (or "
                   "newer) or -cpu host");
    expect_refused(NULL, SWITCH "-cpu z15",
                   "-accel kvm: s390-pv-guest: CPU model z15 lacks the "
                   "unpack facility (161) that protected guests need; turn "
                   "it on with -cpu z15,unpack=on or use -cpu host");
    expect_refused(NULL, SWITCH "-cpu z16,unpack=off",
                   "-accel kvm: s390-pv-guest: CPU model z16 lacks the "
                   "unpack facility (161) that protected guests need; turn "
                   "it on with -cpu z16,unpack=on or use -cpu host");
    expect_refused("CGEMU_HOSTSIM_S390_UNPACK=0", SWITCH,
                   "-accel kvm: s390-pv-guest: CPU model host lacks the "
                   "unpack facility (161) that protected guests need: this "
                   "host's KVM does not offer it; check that the host "
                   "kernel was booted with prot_virt=1");
    expect_refused("CGEMU_HOSTSIM_S390_UNPACK=0", SWITCH "-cpu z15,unpack=on",
                   "-accel kvm: -cpu z15,unpack=on: this host's KVM cannot "
                   "give the guest these CPU features: unpack; turn them "
                   "off (FEATURE=off) or use -cpu host");
    expect_refused(NULL, SWITCH "-smp 248",
                   "-accel kvm: s390-pv-guest: a protected guest can have at "
                   "most 247 vCPUs (the CPU entries that fit its one-page "
                   "SCLP information block), but -smp asks for 248; lower "
                   "-smp");
}

/* Every step failing in turn: DISABLE (after ENABLE), the line, a stop. */
static void test_step_failures(void)
{
    static const struct {
        const char *fail;
        const char *step;
        const char *how;
        bool disables;
    } cases[] = {
        { "s390.ENABLE:NO_RESOURCES", "ENABLE",
          "Ultravisor rc 0x0109 rrc 0x0000", false },
        { "s390.ENABLE:ENOMEM", "ENABLE", "KVM: Cannot allocate memory",
          false },
        { "s390.SET_SEC_PARMS:HEADER_VERSION", "SET_SEC_PARMS",
          "Ultravisor rc 0x0103 rrc 0x0000", true },
        { "s390.UNPACK:PAGE_ADDRESS@1",
          "UNPACK of component 1 of 2 (0x2000 bytes at 0x100000, tweak "
          "0x100)", "Ultravisor rc 0x0106 rrc 0x0000", true },
        { "s390.UNPACK:PAGE_UNPACKED@2",
          "UNPACK of component 2 of 2 (0x1000 bytes at 0x110000, tweak "
          "0x200)", "Ultravisor rc 0x0107 rrc 0x0000", true },
        { "s390.PREP_RESET:0x0120", "PREP_RESET",
          "Ultravisor rc 0x0120 rrc 0x0000", true },
        { "s390.VERIFY:VERIFY_FAILED", "VERIFY",
          "Ultravisor rc 0x0108 rrc 0x0000", true },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        Fx fx;
        g_autoptr(GError) err = NULL;
        g_autofree char *extra = g_strdup_printf("CGEMU_HOSTSIM_FAIL=%s",
                                                 cases[i].fail);
        g_autofree char *want = NULL;
        g_autofree char *stderr_text = NULL;
        g_autofree char *log = NULL;
        g_autofree char *state = NULL;
        g_autofree char *cgs = NULL;
        QTestState *s;

        g_test_message("%s", cases[i].fail);
        fx_init(&fx, 0);
        s = start(&fx, PV_SCRIPT, extra, SWITCH "-cpu z15,unpack=on", &err);
        g_assert_no_error(err);
        go(s);
        qtest_qmp_eventwait(s, "STOP");
        state = run_state(s);
        g_assert_cmpstr(state, ==, "internal-error");
        want = cases[i].disables
            ? g_strdup_printf("cgemu-system-s390x: s390-pv-guest 'pv0': the "
                              "protected IPL failed at %s: %s; protection "
                              "was turned off again (DISABLE) and the VM is "
                              "stopped\n", cases[i].step, cases[i].how)
            : g_strdup_printf("cgemu-system-s390x: s390-pv-guest 'pv0': the "
                              "protected IPL failed at %s: %s; the guest "
                              "never ran protected and the VM is stopped\n",
                              cases[i].step, cases[i].how);
        stderr_text = qtest_stderr(s);
        g_assert_cmpstr(stderr_text, ==, want);
        log = s390_log(&fx, "PV ENABLE vm=0 -> ok");
        /* The last Ultravisor call undoes what was done, if anything. */
        g_assert_true(g_str_has_suffix(log, "PV DISABLE vm=0 -> ok\n") ==
                      cases[i].disables);
        g_assert_null(strstr(log, "OPERATING"));
        cgs = query_cgs(s);
        g_assert_nonnull(strstr(cgs, "\"protected\":false"));
        qtest_quit(s);
        fx_cleanup(&fx);
    }
}

/* A header that names other pages than the block: VERIFY says so. */
static void test_verify_mismatch(void)
{
    Fx fx;
    g_autoptr(GError) err = NULL;
    g_autofree char *stderr_text = NULL;
    g_autofree char *log = NULL;
    QTestState *s;

    fx_init(&fx, PAGE);
    s = start(&fx, PV_SCRIPT, NULL, SWITCH "-cpu z15,unpack=on", &err);
    g_assert_no_error(err);
    go(s);
    qtest_qmp_eventwait(s, "STOP");
    stderr_text = qtest_stderr(s);
    g_assert_cmpstr(stderr_text, ==,
                    "cgemu-system-s390x: s390-pv-guest 'pv0': the protected "
                    "IPL failed at VERIFY: Ultravisor rc 0x0108 rrc 0x0002; "
                    "protection was turned off again (DISABLE) and the VM "
                    "is stopped\n");
    log = s390_log(&fx, "PV VERIFY vm=0 -> error VERIFY_FAILED(0x0108) "
                        "rrc=0x0002");
    g_assert_cmpstr(log, ==,
                    "PV VERIFY vm=0 -> error VERIFY_FAILED(0x0108) "
                    "rrc=0x0002\n"
                    "PV DISABLE vm=0 -> ok\n");
    qtest_quit(s);
    fx_cleanup(&fx);
}

/* Turning protection off fails too: the message says so. */
static void test_disable_fails(void)
{
    Fx fx;
    g_autoptr(GError) err = NULL;
    g_autofree char *stderr_text = NULL;
    QTestState *s;

    fx_init(&fx, 0);
    s = start(&fx, PV_SCRIPT,
              "CGEMU_HOSTSIM_FAIL=s390.VERIFY:VERIFY_FAILED,"
              "s390.DISABLE:EBUSY", SWITCH "-cpu z15,unpack=on", &err);
    g_assert_no_error(err);
    go(s);
    qtest_qmp_eventwait(s, "STOP");
    stderr_text = qtest_stderr(s);
    g_assert_cmpstr(stderr_text, ==,
                    "cgemu-system-s390x: s390-pv-guest 'pv0': the protected "
                    "IPL failed at VERIFY: Ultravisor rc 0x0108 rrc 0x0000; "
                    "turning protection off again failed too (DISABLE: KVM: "
                    "Device or resource busy), so the guest's memory stays "
                    "with the Ultravisor; the VM is stopped\n");
    qtest_quit(s);
    fx_cleanup(&fx);
}

/* Without the switch the guest may still ask, and gets protection. */
static void test_compat_protected(void)
{
    Fx fx;
    g_autoptr(GError) err = NULL;
    g_autofree char *log = NULL;
    QTestState *s;

    fx_init(&fx, 0);
    s = start(&fx, PV_SCRIPT ";q", NULL, "-cpu z15,unpack=on", &err);
    g_assert_no_error(err);
    go(s);
    /* The guest powers off once it runs protected. */
    g_assert_cmpint(qtest_wait_exit(s), ==, 0);
    log = s390_log(&fx, "RUN vcpu=0 -> DIAG 0x308 subcode=10 addr=0x0");
    g_assert_cmpstr(log, ==,
                    "RUN vcpu=0 -> DIAG 0x308 subcode=10 addr=0x0\n"
                    "CHECK_EXTENSION KVM_CAP_S390_PROTECTED -> 1\n"
                    "NORMAL_RESET vcpu=0 -> ok\n"
                    "SET_MP_STATE vcpu=0 STOPPED -> ok\n"
                    "PV ENABLE vm=0 -> ok\n"
                    "PV SET_SEC_PARMS vm=0 len=512 -> ok\n"
                    "PV UNPACK vm=0 addr=0x100000 size=0x2000 tweak=0x100 "
                    "-> ok pages=2\n"
                    "PV UNPACK vm=0 addr=0x110000 size=0x1000 tweak=0x200 "
                    "-> ok pages=1\n"
                    "PV PREP_RESET vm=0 -> ok\n"
                    "PV VERIFY vm=0 -> ok\n"
                    "SET_MP_STATE vcpu=0 OPERATING -> ok\n"
                    "DIAG 0x308 vcpu=0 done r5=0x0 protected=1\n"
                    "RUN vcpu=0 -> disabled wait at 0xfff\n");
    qtest_quit(s);
    fx_cleanup(&fx);
}

/* Without the switch and without unpack: refused, the guest goes on. */
static void test_compat_refused(void)
{
    Fx fx;
    g_autoptr(GError) err = NULL;
    g_autofree char *log = NULL;
    g_autofree char *text = NULL;
    QTestState *s;

    fx_init(&fx, 0);
    s = start(&fx, PV_SCRIPT ";q", NULL, "-cpu z15,unpack=off", &err);
    g_assert_no_error(err);
    go(s);
    g_assert_cmpint(qtest_wait_exit(s), ==, 0);
    log = s390_log(&fx, "RUN vcpu=0 -> DIAG 0x308 subcode=8 addr=0x8000");
    /* Specification exceptions, as the architecture says; no PV call. */
    g_assert_cmpstr(log, ==,
                    "RUN vcpu=0 -> DIAG 0x308 subcode=8 addr=0x8000\n"
                    "IRQ vcpu=0 program code=0x0006 -> ok\n"
                    "DIAG 0x308 vcpu=0 done r5=0x0 protected=0\n"
                    "RUN vcpu=0 -> DIAG 0x308 subcode=10 addr=0x0\n"
                    "IRQ vcpu=0 program code=0x0006 -> ok\n"
                    "DIAG 0x308 vcpu=0 done r5=0x0 protected=0\n"
                    "RUN vcpu=0 -> disabled wait at 0xfff\n");
    qtest_quit(s);
    fx_cleanup(&fx);

    /* With unpack, on a host without the capability: response 0x0a02. */
    fx_init(&fx, 0);
    s = start(&fx, PV_SCRIPT ";q", "CGEMU_HOSTSIM_S390_PROTECTED=0",
              "-cpu z15,unpack=on", &err);
    g_assert_no_error(err);
    go(s);
    g_assert_cmpint(qtest_wait_exit(s), ==, 0);
    g_free(log);
    log = s390_log(&fx, "RUN vcpu=0 -> DIAG 0x308 subcode=10 addr=0x0");
    g_assert_cmpstr(log, ==,
                    "RUN vcpu=0 -> DIAG 0x308 subcode=10 addr=0x0\n"
                    "CHECK_EXTENSION KVM_CAP_S390_PROTECTED -> 0\n"
                    "DIAG 0x308 vcpu=0 done r5=0xa02 protected=0\n"
                    "RUN vcpu=0 -> disabled wait at 0xfff\n");
    text = qtest_stderr(s);
    g_assert_cmpstr(text, ==,
                    "cgemu-system-s390x: warning: s390x: vCPU 0: the guest "
                    "asked for a protected IPL (DIAGNOSE 308 subcode 10), "
                    "but this host's KVM cannot run protected guests (no "
                    "KVM_CAP_S390_PROTECTED); it continues unprotected\n");
    qtest_quit(s);
    fx_cleanup(&fx);
}

/* Resets of a protected guest: 1 keeps it protected, 3 leaves. */
static void test_protected_resets(void)
{
    Fx fx;
    g_autoptr(GError) err = NULL;
    g_autofree char *log = NULL;
    g_autofree char *cgs = NULL;
    QTestState *s;

    fx_init(&fx, 0);
    s = start(&fx, PV_SCRIPT ";d:1,0;d:3,0;q", NULL,
              SWITCH "-cpu z15,unpack=on -no-shutdown", &err);
    g_assert_no_error(err);
    go(s);
    qtest_qmp_eventwait(s, "SHUTDOWN");
    cgs = query_cgs(s);
    g_assert_nonnull(strstr(cgs, "\"state\":\"ready\",\"details\":"
                                 "{\"protected\":false"));
    log = s390_log(&fx, "DIAG 0x308 vcpu=0 done r5=0x0 protected=1");
    g_assert_cmpstr(log, ==,
                    "DIAG 0x308 vcpu=0 done r5=0x0 protected=1\n"
                    "RUN vcpu=0 -> DIAG 0x308 subcode=1 addr=0x0\n"
                    "PV UNSHARE_ALL vm=0 -> ok\n"
                    "PV PREP_RESET vm=0 -> ok\n"
                    "NORMAL_RESET vcpu=0 -> ok\n"
                    "SET_MP_STATE vcpu=0 STOPPED -> ok\n"
                    "SET_MP_STATE vcpu=0 OPERATING -> ok\n"
                    "DIAG 0x308 vcpu=0 done r5=0x0 protected=1\n"
                    "RUN vcpu=0 -> DIAG 0x308 subcode=3 addr=0x0\n"
                    "PV DISABLE vm=0 -> ok\n"
                    "CLEAR_RESET vcpu=0 -> ok\n"
                    "SET_MP_STATE vcpu=0 STOPPED -> ok\n"
                    "SET_INITIAL_PSW vcpu=0 mask=0x0000000180000000 addr=0x0 "
                    "-> ok\n"
                    "SET_MP_STATE vcpu=0 OPERATING -> ok\n"
                    "DIAG 0x308 vcpu=0 done r5=0x0 protected=0\n"
                    "RUN vcpu=0 -> disabled wait at 0xfff\n");
    qtest_quit(s);
    fx_cleanup(&fx);
}

/* Under KVM the CPU models follow the host model the kernel reports. */
static void test_kvm_cpu_models(void)
{
    static const char *const unpack[] = { "1", "0" };

    for (size_t i = 0; i < G_N_ELEMENTS(unpack); i++) {
        Fx fx;
        g_autoptr(GError) err = NULL;
        g_autofree char *extra = g_strdup_printf(
            "CGEMU_HOSTSIM_S390_UNPACK=%s", unpack[i]);
        g_autoptr(JsonNode) defs = NULL;
        g_autoptr(JsonNode) host = NULL;
        g_auto(GStrv) names = NULL;
        JsonObject *m, *props;
        QTestState *s;

        fx_init(&fx, 0);
        s = start(&fx, NULL, extra, NULL, &err);
        g_assert_no_error(err);
        defs = qtest_qmp_assert_success_ref(
            s, "{'execute': 'query-cpu-definitions'}");
        names = qtest_json_strings(defs, "name");
        g_assert_true(g_strv_contains((const char *const *)names, "host"));
        host = qtest_qmp_assert_success_ref(
            s, "{'execute': 'query-cpu-model-expansion', 'arguments': "
               "{'type': 'full', 'model': {'name': 'host'}}}");
        m = json_object_get_object_member(json_node_get_object(host),
                                          "model");
        /* The simulated host is a z15 (machine type 8561). */
        g_assert_cmpstr(json_object_get_string_member(m, "name"), ==,
                        "gen15a-base");
        props = json_object_get_object_member(m, "props");
        g_assert_cmpint(json_object_get_boolean_member(props, "unpack"), ==,
                        i == 0);
        qtest_quit(s);
        fx_cleanup(&fx);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (qtest_binary("s390x") == NULL || !g_getenv("CGEMU_TEST_HOSTSIM_LIB")) {
        g_test_message("no cgemu-system-s390x or host simulator configured");
        return g_test_run();
    }
    g_test_add_func("/s390x/pv/protected-ipl", test_protected_ipl);
    g_test_add_func("/s390x/pv/ready-and-defaults", test_ready_and_defaults);
    g_test_add_func("/s390x/pv/fails-closed", test_fails_closed);
    g_test_add_func("/s390x/pv/step-failures", test_step_failures);
    g_test_add_func("/s390x/pv/verify-mismatch", test_verify_mismatch);
    g_test_add_func("/s390x/pv/disable-fails", test_disable_fails);
    g_test_add_func("/s390x/pv/compat-protected", test_compat_protected);
    g_test_add_func("/s390x/pv/compat-refused", test_compat_refused);
    g_test_add_func("/s390x/pv/protected-resets", test_protected_resets);
    g_test_add_func("/s390x/pv/kvm-cpu-models", test_kvm_cpu_models);
    return g_test_run();
}
