/* pef-guest and pseries under KVM, against the host simulator's POWER. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ppc-test.h"

#include <string.h>

#define PEF "-object pef-guest,id=pef0 " \
            "-machine pseries,confidential-guest-support=pef0 "

/* The boot vCPU's state: entry, r3 = the tree, r4 = the kernel base. */
#define BOOT_REGS                                                             \
    "ppc SET_REGS vcpu=0 pc=0x10 msr=0x8000000000001000 r3=0xff00000 "        \
    "r4=0x0 r5=0x0 -> ok"

typedef struct Guest {
    PpcDir *dir;
    char *kernel;
    char *disk;
} Guest;

static Guest *guest_new(void)
{
    Guest *g = g_new0(Guest, 1);

    g->dir = ppc_dir_new();
    g->kernel = ppc_dir_file(g->dir, "vmlinux");
    g->disk = ppc_dir_file(g->dir, "disk.img");
    ppc_write_kernel(g->kernel, false);
    g_assert_true(g_file_set_contents(g->disk, "", 0, NULL));
    g_assert_true(truncate(g->disk, 1 << 20) == 0);
    return g;
}

static void guest_free(Guest *g)
{
    ppc_dir_free(g->dir);
    g_free(g->kernel);
    g_free(g->disk);
    g_free(g);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Guest, guest_free)

static void assert_lines(char **got, const char *const *want)
{
    g_autofree char *g = g_strjoinv("\n", got);
    g_autofree char *w = g_strjoinv("\n", (char **)want);

    g_assert_cmpstr(g, ==, w);
}

/*
 * A PEF guest launches: ready; KVM is asked for secure guests, then they
 * are enabled, before any memory or vCPU exists; one SVM_OFF per reset
 * (the initial one and each system_reset), each before the vCPU gets its
 * boot state; virtio devices get the confidential defaults.
 */
static void test_launch(void)
{
    g_autoptr(Guest) g = guest_new();
    g_autoptr(PpcSim) sim = ppc_sim_new(NULL);
    g_autofree char *args = g_strdup_printf(
        PEF "-kernel %s -S -device virtio-rng-pci,id=rng0 "
        "-drive file=%s,format=raw,if=none,id=d0 "
        "-device virtio-blk-pci,drive=d0,id=blk0", g->kernel, g->disk);
    g_autoptr(QTestState) s = ppc_sim_start(sim, args);
    g_autoptr(JsonNode) q = NULL;
    g_autofree char *qtext = NULL;
    g_auto(GStrv) log = NULL;
    static const char *const want[] = {
        "kvm open /dev/kvm -> ok",
        "kvm CREATE_VM type=0 -> ok vm=0",
        "ppc CHECK_EXTENSION vm=0 KVM_CAP_PPC_SECURE_GUEST -> 1",
        "ppc ENABLE_CAP vm=0 KVM_CAP_PPC_SECURE_GUEST -> ok",
        "kvm SET_USER_MEMORY_REGION vm=0 slot=0 flags=0x0 gpa=0x0 "
        "size=0x20000000 -> ok",
        "kvm CREATE_VCPU vm=0 id=0 -> ok",
        "ppc ENABLE_CAP vcpu=0 KVM_CAP_PPC_PAPR -> ok",
        "ppc SVM_OFF vm=0 -> ok count=1",
        BOOT_REGS,
        "ppc SVM_OFF vm=0 -> ok count=2",
        BOOT_REGS,
        "ppc SVM_OFF vm=0 -> ok count=3",
        BOOT_REGS,
        NULL,
    };
    static const char *const devs[] = { "rng0", "blk0" };

    q = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-confidential-guest-support'}");
    qtext = qtest_json_to_string(q);
    g_assert_cmpstr(qtext, ==,
                    "{\"enabled\":true,\"type\":\"pef-guest\",\"id\":\"pef0\","
                    "\"ready\":true,\"accelerator\":\"kvm\",\"state\":"
                    "\"secure-mode-unobservable\",\"details\":{"
                    "\"secure-mode-observable\":false,\"note\":\"the guest "
                    "enters secure mode itself through the ultravisor; KVM "
                    "does not tell the emulator whether it has\","
                    "\"svm-off-resets\":1}}");
    for (size_t i = 0; i < G_N_ELEMENTS(devs); i++) {
        g_autofree char *path = g_strdup_printf("/machine/peripheral/%s",
                                                devs[i]);
        g_autofree char *iommu = ppc_qom_get_json(s, path, "iommu_platform");
        g_autofree char *legacy = ppc_qom_get_json(s, path,
                                                   "disable-legacy");

        g_assert_cmpstr(iommu, ==, "true");
        g_assert_cmpstr(legacy, ==, "\"on\"");
    }
    for (int i = 0; i < 2; i++) {
        g_autoptr(JsonNode) ev = NULL;
        JsonObject *data;

        qtest_qmp_assert_success(s, "{'execute': 'system_reset'}");
        ev = qtest_qmp_eventwait_ref(s, "RESET");
        data = json_object_get_object_member(json_node_get_object(ev),
                                             "data");
        g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                        "host-qmp-system-reset");
    }
    log = ppc_sim_log(sim, NULL);
    assert_lines(log, want);
    g_clear_pointer(&q, json_node_unref);
    q = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-confidential-guest-support'}");
    g_assert_cmpint(json_object_get_int_member(
                        json_object_get_object_member(
                            json_node_get_object(q), "details"),
                        "svm-off-resets"), ==, 3);
}

/*
 * A guest stands in through scripted hypercalls: console output, an RTAS
 * PCI configuration read of the virtio device at 00.0 (modern-only with
 * PEF: device 0x1044), and RTAS system-reboot, a guest-requested reset
 * that takes the VM out of secure mode again.
 */
static void test_guest_hypercalls(void)
{
    static const char *const script[] = {
        "CGEMU_HOSTSIM_PPC_HCALLS="
        "h:0x58,0x71000000,6,0x6367656d750a0000;"
        "w:0x100000,0000200700000004000000020000000008000000200000000000000"
        "4;"
        "h:0xf000,0x100000;"
        "r:0x10001c,8;"
        "w:0x100100,000020030000000000000001;"
        "h:0xf000,0x100100",
        NULL,
    };
    g_autoptr(Guest) g = guest_new();
    g_autoptr(PpcSim) sim = ppc_sim_new(script);
    g_autofree char *serial = ppc_dir_file(g->dir, "serial.txt");
    g_autofree char *args = g_strdup_printf(
        PEF "-kernel %s -serial file:%s -device virtio-rng-pci -S",
        g->kernel, serial);
    g_autoptr(QTestState) s = ppc_sim_start(sim, args);
    g_autoptr(JsonNode) ev = NULL;
    g_autofree char *out = NULL;
    JsonObject *data;

    /* Run once QMP listens, so that no event goes before it. */
    qtest_qmp_assert_success(s, "{'execute': 'cont'}");
    ppc_sim_wait_line(sim, "ppc HCALL vcpu=0 0x58 -> ret=0 r4=0x71000000 "
                           "r5=0x6 r6=0x6367656d750a0000");
    ppc_sim_wait_line(sim, "ppc HCALL vcpu=0 0xf000 -> ret=0 r4=0x100000 "
                           "r5=0x0 r6=0x0");
    /* RTAS status 0, then vendor 0x1af4 and device 0x1044. */
    ppc_sim_wait_line(sim, "ppc MEM 0x10001c len=8 -> 0000000010441af4");
    ev = qtest_qmp_eventwait_ref(s, "RESET");
    data = json_object_get_object_member(json_node_get_object(ev), "data");
    g_assert_true(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                    "guest-reset");
    ppc_sim_wait_line(sim, "ppc SVM_OFF vm=0 -> ok count=2");
    g_assert_true(g_file_get_contents(serial, &out, NULL, NULL));
    g_assert_cmpstr(out, ==, "cgemu\n");
}

/* Without the switch nothing of PEF happens. */
static void test_no_switch(void)
{
    g_autoptr(Guest) g = guest_new();
    g_autoptr(PpcSim) sim = ppc_sim_new(NULL);
    g_autofree char *args = g_strdup_printf("-kernel %s -S "
                                            "-device virtio-rng-pci,id=rng0",
                                            g->kernel);
    g_autoptr(QTestState) s = ppc_sim_start(sim, args);
    g_autofree char *legacy = ppc_qom_get_json(
        s, "/machine/peripheral/rng0", "disable-legacy");
    g_auto(GStrv) log = NULL;

    g_assert_cmpstr(legacy, ==, "\"auto\"");
    qtest_qmp_assert_success(s, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(s, "RESET");
    log = ppc_sim_log(sim, "ppc ");
    assert_lines(log, (const char *const[]){
                          "ppc ENABLE_CAP vcpu=0 KVM_CAP_PPC_PAPR -> ok",
                          BOOT_REGS, BOOT_REGS, NULL });
}

/*
 * An older -cpu on a POWER10 host runs in its compatibility mode.  dumpdtb
 * needs no -kernel: the machine exits before anything would run.
 */
static void test_compat_mode(void)
{
    static const char *const p10[] = { "CGEMU_HOSTSIM_PPC_PVR=00800200",
                                       NULL };
    g_autoptr(Guest) g = guest_new();
    g_autoptr(PpcSim) sim = ppc_sim_new(p10);
    g_autofree char *dtb = ppc_dir_file(g->dir, "kvm.dtb");
    g_autofree char *args = g_strdup_printf(
        "-accel kvm -machine pseries,dumpdtb=%s", dtb);
    g_autofree char *dts = NULL;
    g_autoptr(GBytes) blob = NULL;
    g_auto(GStrv) log = NULL;

    g_assert_cmpint(ppc_run(args, (const char *const *)sim->env->pdata,
                            NULL), ==, 0);
    blob = ppc_read_dtb(dtb);
    dts = ppc_dtc(dtb);
    g_assert_nonnull(strstr(dts, "\t\t\tcpu-version = <0xf000005>;"));
    log = ppc_sim_log(sim, "ppc SET_ONE_REG");
    assert_lines(log, (const char *const[]){
                          "ppc SET_ONE_REG vcpu=0 ARCH_COMPAT=0x0f000005 -> "
                          "ok", NULL });
}

static void expect_start_error(const char *const *extra, const char *args,
                               const char *msg)
{
    g_autoptr(PpcSim) sim = ppc_sim_new(extra);
    g_autoptr(Guest) g = guest_new();
    g_autoptr(GError) err = NULL;
    g_autofree char *full = g_strdup_printf("-kernel %s %s", g->kernel, args);
    g_autofree char *want = g_strdup_printf("cgemu-system-ppc64: %s\n", msg);

    g_test_message("%s", args);
    g_assert_null(ppc_sim_try_start(sim, full, &err));
    g_assert_cmpint(err->code, ==, 1);
    g_assert_cmpstr(err->message, ==, want);
}

/* Fail closed: one exact line, exit status 1. */
static void test_fail_closed(void)
{
    static const char *const no_uv[] = {
        "CGEMU_HOSTSIM_PPC_SECURE_GUEST=0", NULL,
    };
    static const char *const busy[] = {
        "CGEMU_HOSTSIM_FAIL=ppc.ENABLE_CAP:EBUSY", NULL,
    };
    static const char *const svm_off[] = {
        "CGEMU_HOSTSIM_FAIL=ppc.SVM_OFF:EIO@1", NULL,
    };

    expect_start_error(no_uv, PEF,
                       "-accel kvm: pef-guest: this host's KVM cannot run "
                       "secure guests (no KVM_CAP_PPC_SECURE_GUEST): an "
                       "ultravisor must be running, from POWER firmware with "
                       "PEF enabled and a host kernel built with "
                       "CONFIG_PPC_UV (the guest then enters secure mode "
                       "itself, booted with svm=on)");
    expect_start_error(busy, PEF,
                       "-accel kvm: pef-guest: KVM refused to allow secure "
                       "mode for this VM (KVM_ENABLE_CAP "
                       "KVM_CAP_PPC_SECURE_GUEST): Device or resource busy "
                       "(EBUSY)");
    expect_start_error(svm_off, PEF,
                       "pef-guest: KVM could not take the guest out of "
                       "secure mode at reset (KVM_PPC_SVM_OFF): Input/output "
                       "error (EIO); refusing to run it");
}

/* SVM_OFF failing at a later reset stops the VM, which stays for QMP. */
static void test_reset_failure_stops(void)
{
    static const char *const svm_off[] = {
        "CGEMU_HOSTSIM_FAIL=ppc.SVM_OFF:EIO@2", NULL,
    };
    g_autoptr(Guest) g = guest_new();
    g_autoptr(PpcSim) sim = ppc_sim_new(svm_off);
    g_autofree char *args = g_strdup_printf(PEF "-kernel %s -S", g->kernel);
    g_autoptr(QTestState) s = ppc_sim_start(sim, args);
    g_autoptr(JsonNode) st = NULL;
    g_autofree char *err = NULL;

    qtest_qmp_assert_success(s, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(s, "STOP");
    st = qtest_qmp_assert_success_ref(s, "{'execute': 'query-status'}");
    g_assert_cmpstr(json_object_get_string_member(json_node_get_object(st),
                                                  "status"), ==,
                    "internal-error");
    err = qtest_stderr(s);
    g_assert_cmpstr(err, ==,
                    "cgemu-system-ppc64: pef-guest: KVM could not take the "
                    "guest out of secure mode at reset (KVM_PPC_SVM_OFF): "
                    "Input/output error (EIO); refusing to run it\n");
    g_assert_null(qtest_qmp_event_ref(s, "RESET"));
}

static void test_kvm_errors(void)
{
    expect_start_error(NULL, "-smp 2",
                       "-smp: machine pseries runs one vCPU under KVM for "
                       "now (its secondary vCPUs cannot yet wait for RTAS "
                       "start-cpu); use -smp 1, or -accel qtest");
    expect_start_error(NULL, "-cpu power10",
                       "-cpu power10: this host is a power9 (PVR "
                       "0x004e1203), which cannot run a newer processor; use "
                       "-cpu host or -cpu power9");
    {
        g_autoptr(PpcSim) sim = ppc_sim_new(NULL);
        g_autoptr(GError) err = NULL;

        g_assert_null(ppc_sim_try_start(sim, "-S", &err));
        g_assert_cmpint(err->code, ==, 1);
        g_assert_cmpstr(err->message, ==,
                        "cgemu-system-ppc64: machine pseries has nothing to "
                        "run: give -kernel FILE (a ppc64 ELF kernel); cgemu "
                        "has no pseries firmware\n");
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ppc64/pef/launch", test_launch);
    g_test_add_func("/ppc64/pef/guest-hypercalls", test_guest_hypercalls);
    g_test_add_func("/ppc64/pef/no-switch", test_no_switch);
    g_test_add_func("/ppc64/pef/compat-mode", test_compat_mode);
    g_test_add_func("/ppc64/pef/fail-closed", test_fail_closed);
    g_test_add_func("/ppc64/pef/reset-failure-stops",
                    test_reset_failure_stops);
    g_test_add_func("/ppc64/pef/kvm-errors", test_kvm_errors);
    return g_test_run();
}
