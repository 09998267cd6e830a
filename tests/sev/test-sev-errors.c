/* sev-guest fails closed: every way a launch cannot happen ends start-up
 * with exit status 1, one exact line, and no guest instruction run. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sev-test.h"

#include <cpuid.h>
#include <glib/gstdio.h>
#include <string.h>

#define PROG "cgemu-system-x86_64: "

typedef struct {
    const char *name;
    const char *env[3];        /* simulator settings for this case */
    const char *sev_opts;      /* appended to -object sev-guest,id=sev0 */
    const char *args;          /* more options */
    const char *message;       /* stderr, after the program name */
} Case;

static char *case_args(SevEnv *e, const char *sev_opts, const char *args)
{
    return g_strdup_printf("-M pc -nodefaults -serial file:%s "
                           "-object sev-guest,id=sev0%s "
                           "-machine confidential-guest-support=sev0 "
                           "-kernel %s %s", e->serial, sev_opts,
                           sev_test_guest(), args ? args : "");
}

/* Start-up fails with exit 1 and exactly @message; nothing ran. */
static void expect_fail_closed(SevEnv *e, const char *args,
                               const char *message)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *want = g_strdup_printf(PROG "%s\n", message);
    g_autofree char *serial = NULL;
    g_auto(GStrv) calls = NULL;
    QTestState *qts = sev_try_start(e, args, &err);

    g_assert_null(qts);
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, want);
    g_assert_cmpint(err->code, ==, 1);
    serial = sev_serial(e);
    g_assert_cmpstr(serial, ==, "");
    /* The launch never completed. */
    calls = sev_log_lines(e, false);
    for (char **l = calls; *l; l++) {
        g_assert_cmpstr(*l, !=, "sev LAUNCH_FINISH -> ok");
    }
}

static void run_case(gconstpointer data)
{
    const Case *c = data;
    g_autoptr(SevEnv) e = sev_env_new(c->env);
    g_autofree char *args = case_args(e, c->sev_opts, c->args);

    expect_fail_closed(e, args, c->message);
}

static const Case cases[] = {
    { "cbitpos",
      { NULL }, ",cbitpos=47", NULL,
      "-accel kvm: sev-guest: cbitpos=47 does not match this host's C-bit "
      "position 51; set cbitpos=51 (or leave it out)" },
    { "reduced-phys-bits-below-host",
      { "CGEMU_HOSTSIM_SEV_REDUCED_PHYS_BITS=5", NULL },
      ",reduced-phys-bits=3", NULL,
      "-accel kvm: sev-guest: reduced-phys-bits=3 is less than this host's "
      "reduction of 5 bits: the guest would use physical address bits the "
      "hardware loses; set reduced-phys-bits=5 (or leave it out)" },
    { "reduced-phys-bits-range",
      { NULL }, ",reduced-phys-bits=64", NULL,
      "-object sev-guest,id=sev0,reduced-phys-bits=64: property "
      "'reduced-phys-bits' expects an integer in 0..63, got '64'" },
    { "sev-device-missing",
      { "CGEMU_HOSTSIM_SEV_DEVICE_MODE=missing", NULL }, "", NULL,
      "-accel kvm: sev-guest: sev-device=/dev/sev does not exist: the host "
      "has no SEV firmware interface; load the ccp module on an AMD host "
      "with SEV enabled in the BIOS, or point sev-device at the right node" },
    { "sev-device-denied",
      { "CGEMU_HOSTSIM_SEV_DEVICE_MODE=eacces", NULL }, "", NULL,
      "-accel kvm: sev-guest: cannot open sev-device=/dev/sev: permission "
      "denied; run cgemu as a user that may open it (often root or the kvm "
      "group)" },
    { "es-not-offered",
      { "CGEMU_HOSTSIM_SEV_ES=0", NULL }, ",policy=0x5", NULL,
      "-accel kvm: sev-guest: policy 0x5 (nodbg, es) asks for SEV-ES, which "
      "KVM does not offer on this host; load kvm_amd with sev_es=1, or clear "
      "policy bit 0x4 for plain SEV" },
    { "policy-api-too-new",
      { NULL }, ",policy=0x20001", NULL,
      "-accel kvm: sev-guest: policy 0x20001 (nodbg, api>=2.0) needs SEV API "
      "2.0 or newer, but the firmware has 1.55 (build 29); update the host's "
      "SEV firmware or lower the policy's API version" },
    { "es-smp-without-firmware",
      { NULL }, ",policy=0x5", "-smp 2",
      "-accel kvm: sev-guest: SEV-ES with -smp 2 needs firmware that starts "
      "the other vCPUs (their state is encrypted, so cgemu cannot); give "
      "-bios with SEV-ES support (OVMF), or use -smp 1" },
    { "kernel-hashes",
      { NULL }, ",kernel-hashes=on", NULL,
      "-accel kvm: sev-guest: kernel-hashes=on is not supported yet "
      "(measured direct boot needs firmware with a hashes table); use "
      "kernel-hashes=off, or measure the -kernel/-initrd/-append bytes "
      "themselves, as cgemu does by default" },
    { "dh-cert-unreadable",
      { NULL }, ",dh-cert-file=/nonexistent/dh.b64", NULL,
      "-accel kvm: sev-guest: dh-cert-file=/nonexistent/dh.b64: Failed to "
      "open file \xe2\x80\x9c/nonexistent/dh.b64\xe2\x80\x9d: No such file "
      "or directory" },
    { "fail-platform-status",
      { "CGEMU_HOSTSIM_FAIL=PLATFORM_STATUS:INVALID_PLATFORM_STATE", NULL },
      "", NULL,
      "-accel kvm: sev-guest: PLATFORM_STATUS on sev-device=/dev/sev "
      "failed: firmware error INVALID_PLATFORM_STATE (1): the platform "
      "state is invalid" },
    { "fail-init",
      { "CGEMU_HOSTSIM_FAIL=INIT:HWERROR_PLATFORM", NULL }, "", NULL,
      "-accel kvm: sev-guest: KVM_SEV_INIT failed: firmware error "
      "HWERROR_PLATFORM (19): a hardware error occurred" },
    { "fail-es-init",
      { "CGEMU_HOSTSIM_FAIL=ES_INIT:EBUSY", NULL }, ",policy=0x5", NULL,
      "-accel kvm: sev-guest: KVM_SEV_ES_INIT failed: the kernel refused "
      "it: Device or resource busy" },
    { "fail-launch-start",
      { "CGEMU_HOSTSIM_FAIL=LAUNCH_START:POLICY_FAILURE", NULL }, "", NULL,
      "-accel kvm: sev-guest: LAUNCH_START with policy 0x1 (nodbg) failed: "
      "firmware error POLICY_FAILURE (7): the policy is not allowed" },
    { "fail-update-data",
      { "CGEMU_HOSTSIM_FAIL=LAUNCH_UPDATE_DATA:RESOURCE_LIMIT@2", NULL },
      "", NULL, NULL /* filled in by test_update_data */ },
    { "fail-update-vmsa",
      { "CGEMU_HOSTSIM_FAIL=LAUNCH_UPDATE_VMSA:INVALID_GUEST_STATE", NULL },
      ",policy=0x5", NULL,
      "sev-guest: LAUNCH_UPDATE_VMSA failed: firmware error "
      "INVALID_GUEST_STATE (2): the guest state is invalid" },
    { "fail-measure",
      { "CGEMU_HOSTSIM_FAIL=LAUNCH_MEASURE:INVALID_GUEST_STATE@1", NULL },
      "", NULL,
      "sev-guest: LAUNCH_MEASURE (length query) failed: firmware error "
      "INVALID_GUEST_STATE (2): the guest state is invalid" },
    { "fail-finish",
      { "CGEMU_HOSTSIM_FAIL=LAUNCH_FINISH:INACTIVE", NULL }, "", NULL,
      "sev-guest: LAUNCH_FINISH failed: firmware error INACTIVE (8): the "
      "guest is not active" },
};

/* Which firmware piece fails depends on the order of the load records;
 * the message must name it, its range and the firmware status. */
static void test_update_data(void)
{
    g_autoptr(SevEnv) e = sev_env_new(
        (const char *const[]){
            "CGEMU_HOSTSIM_FAIL=LAUNCH_UPDATE_DATA:RESOURCE_LIMIT@2", NULL });
    g_autofree char *bios_args = NULL;
    g_autofree char *args = NULL;
    g_autoptr(GError) err = NULL;

    bios_args = g_strdup_printf("-M pc -nodefaults -serial file:%s "
                                "-object sev-guest,id=sev0 "
                                "-machine confidential-guest-support=sev0 "
                                "-bios %s", e->serial, sev_test_bios());
    g_assert_null(sev_try_start(e, bios_args, &err));
    g_assert_cmpint(err->code, ==, 1);
    g_assert_cmpstr(err->message, ==,
                    PROG "sev-guest: LAUNCH_UPDATE_DATA of bios.isa "
                    "(0xf0000+0x10000) failed: firmware error "
                    "RESOURCE_LIMIT (23): a firmware resource is depleted\n");
    (void)args;
}

static void test_qtest_accel(void)
{
    g_autoptr(SevEnv) e = sev_env_new(NULL);
    g_autofree char *args = case_args(e, "", NULL);
    QTestOptions o = { .target = "x86_64", .accel = "qtest" };
    g_autoptr(GError) err = NULL;

    g_assert_null(qtest_try_init(&o, args, &err));
    g_assert_cmpint(err->code, ==, 1);
    g_assert_cmpstr(err->message, ==,
                    PROG "confidential-guest-support=sev0: sev-guest "
                    "requires the kvm accelerator; qtest cannot run a "
                    "protected guest. Use -accel kvm on an AMD EPYC host "
                    "with SEV enabled in KVM (kvm_amd sev=1)\n");
}

/* Without the simulator the real host answers: these build machines
 * have no SEV, and the message says why in the host's own terms. */
static void test_host_without_sev(void)
{
    g_autoptr(SevEnv) e = sev_env_new(NULL);
    g_autofree char *args = case_args(e, "", NULL);
    QTestOptions o = { .target = "x86_64", .accel = "kvm" };
    g_autoptr(GError) err = NULL;
    g_autofree char *want = NULL;
    unsigned a, b, c, d;
    char vendor[13] = { 0 };

    __cpuid(0, a, b, c, d);
    memcpy(vendor, &b, 4);
    memcpy(vendor + 4, &d, 4);
    memcpy(vendor + 8, &c, 4);
    if (strcmp(vendor, "AuthenticAMD") != 0) {
        want = g_strdup_printf(PROG "-accel kvm: sev-guest: this host's CPU "
                               "(%s) has no AMD SEV; sev-guest needs an AMD "
                               "EPYC host with SEV enabled\n", vendor);
    } else if (__get_cpuid_max(0x80000000, NULL) >= 0x8000001f &&
               __get_cpuid(0x8000001f, &a, &b, &c, &d) && (a & 2)) {
        g_test_skip("this host has SEV: the no-SEV message cannot be seen");
        return;
    } else {
        want = g_strdup(PROG "-accel kvm: sev-guest: this AMD CPU offers no "
                        "SEV (CPUID 0x8000001F); enable SEV/SME in the "
                        "host's BIOS, or use an EPYC host that has it\n");
    }
    g_assert_null(qtest_try_init(&o, args, &err));
    g_assert_cmpint(err->code, ==, 1);
    g_assert_cmpstr(err->message, ==, want);
}

static void test_no_kvm_device(void)
{
    g_autoptr(SevEnv) e = sev_env_new(NULL);
    g_autofree char *args = NULL;
    QTestOptions o = { .target = "x86_64", .accel = "kvm,device=/dev/nokvm",
                       .env = (const char *const *)e->env->pdata };
    g_autoptr(GError) err = NULL;

    args = case_args(e, "", NULL);
    g_assert_null(qtest_try_init(&o, args, &err));
    g_assert_cmpint(err->code, ==, 1);
    g_assert_cmpstr(err->message, ==,
                    PROG "-accel kvm,device=/dev/nokvm: KVM: /dev/nokvm does "
                    "not exist: load the KVM module (modprobe kvm_intel or "
                    "kvm_amd) and enable virtualization in the firmware "
                    "settings\n");
}

static void test_bad_base64(void)
{
    g_autoptr(SevEnv) e = sev_env_new(NULL);
    g_autofree char *file = g_build_filename(e->dir, "session.b64", NULL);
    g_autofree char *opts = g_strdup_printf(",session-file=%s", file);
    g_autofree char *args = case_args(e, opts, NULL);
    g_autofree char *msg = g_strdup_printf(
        "-accel kvm: sev-guest: session-file=%s is not valid base64; give "
        "the file the guest owner produced (e.g. with sevctl), unchanged",
        file);

    g_assert_true(g_file_set_contents(file, "AAAA*BBB\n", -1, NULL));
    expect_fail_closed(e, args, msg);
    g_unlink(file);
}

static void skip_no_kvm(void)
{
    g_test_skip("/dev/kvm is missing: these cases need real KVM under the "
                "host simulator");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sev/errors/qtest-accel", test_qtest_accel);
    if (!g_file_test("/dev/kvm", G_FILE_TEST_EXISTS)) {
        g_test_add_func("/sev/errors/skipped", skip_no_kvm);
        return g_test_run();
    }
    g_test_add_func("/sev/errors/host-without-sev", test_host_without_sev);
    g_test_add_func("/sev/errors/no-kvm-device", test_no_kvm_device);
    g_test_add_func("/sev/errors/bad-base64", test_bad_base64);
    g_test_add_func("/sev/errors/fail-update-data", test_update_data);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *path = NULL;
        if (cases[i].message == NULL) {
            continue;
        }
        path = g_strdup_printf("/sev/errors/%s", cases[i].name);
        g_test_add_data_func(path, &cases[i], run_case);
    }
    return g_test_run();
}
