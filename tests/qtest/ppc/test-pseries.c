/* The pseries machine under qtest: device tree, boot files, errors. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ppc-test.h"

#include <libfdt.h>
#include <string.h>
#include <unistd.h>

/* With the default 512 MiB: the top of the 256 MiB real-mode area. */
#define FDT_ADDR 0x0ff00000ull

static void assert_has(const char *text, const char *line)
{
    if (strstr(text, line) == NULL) {
        g_error("'%s' is not in:\n%s", line, text);
    }
}

static void assert_lacks(const char *text, const char *what)
{
    if (strstr(text, what) != NULL) {
        g_error("'%s' should not be in:\n%s", what, text);
    }
}

static unsigned count(const char *text, const char *what)
{
    unsigned n = 0;

    for (const char *p = strstr(text, what); p; p = strstr(p + 1, what)) {
        n++;
    }
    return n;
}

static void test_builds(void)
{
    g_autoptr(QTestState) s = qtest_init(
        "ppc64", "-smp 2 -device virtio-rng-pci,id=rng0");
    g_autoptr(JsonNode) cpus = qtest_qmp_assert_success_ref(
        s, "{'execute': 'query-cpus-fast'}");
    g_autofree char *type = ppc_qom_get_json(s, "/machine", "type");
    g_autofree char *legacy = ppc_qom_get_json(s, "/machine/peripheral/rng0",
                                               "disable-legacy");

    g_assert_cmpstr(type, ==, "\"pseries-machine\"");
    g_assert_cmpuint(json_array_get_length(json_node_get_array(cpus)), ==, 2);
    /* Without the switch, virtio keeps its defaults. */
    g_assert_cmpstr(legacy, ==, "\"auto\"");
    g_assert_true(qtest_big_endian(s));
}

/* dumpdtb: one vCPU, no -kernel, nothing but the defaults. */
static void test_dumpdtb_minimal(void)
{
    g_autoptr(PpcDir) d = ppc_dir_new();
    g_autofree char *dtb = ppc_dir_file(d, "a.dtb");
    g_autofree char *args = g_strdup_printf(
        "-accel qtest -machine pseries,dumpdtb=%s", dtb);
    g_autofree char *err = NULL;
    g_autofree char *want_err = g_strdup_printf(
        "cgemu-system-ppc64: info: dtb dumped to %s. Exiting.\n", dtb);
    g_autoptr(GBytes) blob = NULL;
    g_autofree char *dts = NULL;

    g_assert_cmpint(ppc_run(args, NULL, &err), ==, 0);
    g_assert_cmpstr(err, ==, want_err);
    blob = ppc_read_dtb(dtb);
    dts = ppc_dtc(dtb);
    assert_has(dts, "/memreserve/\t0x000000000fef0000 0x0000000000010000;");
    assert_has(dts, "/memreserve/\t0x000000000ff00000 0x0000000000100000;");
    assert_has(dts, "\tdevice_type = \"chrp\";");
    assert_has(dts, "\tcompatible = \"qemu,pseries\";");
    assert_has(dts, "\t\tPowerPC,POWER9@0 {");
    assert_lacks(dts, "PowerPC,POWER9@1");
    assert_has(dts, "\t\t\tcpu-version = <0x4e1200>;");
    assert_has(dts, "\t\t\ttimebase-frequency = <0x1e848000>;");
    assert_has(dts, "\t\t\tibm,ppc-interrupt-server#s = <0x00>;");
    assert_has(dts, "\t\t\td-cache-size = <0x8000>;");
    assert_has(dts, "\t\t\tibm,pft-size = <0x00 0x16>;");
    assert_has(dts, "\tmemory@0 {\n\t\treg = <0x00 0x00 0x00 0x20000000>;");
    assert_has(dts, "\t\tstdout-path = \"/vdevice/vty@71000000\";");
    assert_lacks(dts, "bootargs");
    assert_lacks(dts, "linux,initrd-start");
    assert_has(dts, "\t\tlinux,rtas-base = <0xfef0000>;");
    assert_has(dts, "\t\tibm,read-pci-config = <0x2007>;");
    assert_has(dts, "\t\tvty@71000000 {\n\t\t\treg = <0x71000000>;\n"
                    "\t\t\tcompatible = \"hvterm1\";");
    assert_has(dts, "\tpci@800000020000000 {");
    assert_has(dts, "\t\tranges = <0x1000000 0x00 0x00 0x2000 0x00 0x00 "
                    "0x10000 0x2000000 0x00 0x80000000 0x2000 0x80000000 "
                    "0x00 0x80000000 0x3000000 0x2100 0x00 0x2100 0x00 "
                    "0x100 0x00>;");
    assert_lacks(dts, "pci1af4");
}

#define FULL_ARGS                                                             \
    "-smp 4 -kernel %s -initrd %s -append 'console=hvc0 quiet' "              \
    "-drive file=%s,format=raw,if=none,id=d0 "                                \
    "-device virtio-rng-pci,id=rng0 -device virtio-blk-pci,drive=d0,id=blk0 " \
    "-device spapr-vty"

typedef struct Files {
    PpcDir *dir;
    char *kernel, *initrd, *disk, *dtb;
} Files;

static Files *files_new(void)
{
    Files *f = g_new0(Files, 1);

    f->dir = ppc_dir_new();
    f->kernel = ppc_dir_file(f->dir, "vmlinux");
    f->initrd = ppc_dir_file(f->dir, "initrd");
    f->disk = ppc_dir_file(f->dir, "disk.img");
    f->dtb = ppc_dir_file(f->dir, "b.dtb");
    ppc_write_kernel(f->kernel, false);
    g_assert_true(g_file_set_contents(f->initrd, "cgemu initrd bytes", 18,
                                      NULL));
    g_assert_true(g_file_set_contents(f->disk, "", 0, NULL));
    g_assert_true(truncate(f->disk, 1 << 20) == 0);
    return f;
}

static void files_free(Files *f)
{
    ppc_dir_free(f->dir);
    g_free(f->kernel);
    g_free(f->initrd);
    g_free(f->disk);
    g_free(f->dtb);
    g_free(f);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Files, files_free)

/* dumpdtb: four vCPUs, -initrd, -append, virtio devices, two vtys. */
static void test_dumpdtb_full(void)
{
    g_autoptr(Files) f = files_new();
    g_autofree char *run = g_strdup_printf(FULL_ARGS, f->kernel, f->initrd,
                                           f->disk);
    g_autofree char *args = g_strdup_printf(
        "-accel qtest -machine pseries,dumpdtb=%s %s", f->dtb, run);
    g_autofree char *err = NULL;
    g_autoptr(GBytes) blob = NULL;
    g_autofree char *dts = NULL;

    g_assert_cmpint(ppc_run(args, NULL, &err), ==, 0);
    blob = ppc_read_dtb(f->dtb);
    dts = ppc_dtc(f->dtb);
    g_assert_cmpuint(count(dts, "\t\tPowerPC,POWER9@"), ==, 4);
    for (unsigned i = 0; i < 4; i++) {
        g_autofree char *node = g_strdup_printf(
            "\t\tPowerPC,POWER9@%u {", i);
        g_autofree char *srv = g_strdup_printf(
            "\t\t\tibm,ppc-interrupt-server#s = <0x%02x>;", i);

        assert_has(dts, node);
        assert_has(dts, srv);
    }
    assert_has(dts, "\t\tbootargs = \"console=hvc0 quiet\";");
    /* The initrd right after the kernel, 64 KiB aligned. */
    assert_has(dts, "\t\tlinux,initrd-start = <0x10000>;");
    assert_has(dts, "\t\tlinux,initrd-end = <0x10012>;");
    assert_has(dts, "\t\tvty@71000001 {");
    assert_has(dts, "\t\tstdout-path = \"/vdevice/vty@71000000\";");
    /* virtio-rng-pci at 00.0, virtio-blk-pci at 01.0, BARs assigned. */
    assert_has(dts, "\t\tpci1af4,1005@0 {");
    assert_has(dts, "\t\tpci1af4,1001@1 {");
    assert_has(dts, "\t\t\tvendor-id = <0x1af4>;");
    assert_has(dts, "\t\t\tclass-code = <0x10000>;");
    assert_has(dts, "\t\t\tassigned-addresses = <");
    assert_has(dts, "\t\t\tcompatible = \"pci1af4,1001\";");
}

/* What the guest gets in memory is what dumpdtb writes, and says. */
static void test_guest_memory(void)
{
    g_autoptr(Files) f = files_new();
    g_autofree char *run = g_strdup_printf(FULL_ARGS, f->kernel, f->initrd,
                                           f->disk);
    g_autofree char *args = g_strdup_printf(
        "-accel qtest -machine pseries,dumpdtb=%s %s", f->dtb, run);
    g_autoptr(GBytes) blob = NULL;
    g_autoptr(QTestState) s = NULL;
    g_autofree uint8_t *mem = NULL;
    const void *fdt;
    gsize len;
    int chosen;
    uint32_t start, end;
    uint8_t kernel[PPC_KERNEL_SIZE];
    char initrd[18];

    g_assert_cmpint(ppc_run(args, NULL, NULL), ==, 0);
    blob = ppc_read_dtb(f->dtb);
    fdt = g_bytes_get_data(blob, &len);
    s = qtest_init("ppc64", run);
    mem = g_malloc(len);
    qtest_memread(s, FDT_ADDR, mem, len);
    g_assert_cmpmem(mem, len, fdt, len);
    chosen = fdt_path_offset(fdt, "/chosen");
    start = fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(
        fdt, chosen, "linux,initrd-start", NULL));
    end = fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(
        fdt, chosen, "linux,initrd-end", NULL));
    g_assert_cmpuint(end - start, ==, sizeof(initrd));
    qtest_memread(s, start, initrd, sizeof(initrd));
    g_assert_cmpmem(initrd, sizeof(initrd), "cgemu initrd bytes", 18);
    qtest_memread(s, 0, kernel, sizeof(kernel));
    for (unsigned i = 0; i < PPC_KERNEL_SIZE; i++) {
        g_assert_cmpuint(kernel[i], ==, (uint8_t)(i * 3 + 5));
    }
    /* The RTAS entry: mr r4,r3 first, big-endian. */
    g_assert_cmphex(qtest_readl(s, 0x0fef0000), ==, 0x7c641b78);
}

/*
 * PCI configuration space through RTAS, the way a pseries guest reaches
 * it: qtest's "rtas" command calls ibm,read-pci-config/write-pci-config
 * with argument and result arrays in guest memory (big-endian words).
 */
#define RTAS_ARGS 0x100000
#define RTAS_RETS 0x100100
#define PHB_BUID 0x800000020000000ull

static uint32_t rtas_config_read(QTestState *s, uint32_t addr,
                                 uint32_t size, uint32_t *status)
{
    g_autofree char *reply = NULL;

    qtest_writel(s, RTAS_ARGS, addr);
    qtest_writel(s, RTAS_ARGS + 4, (uint32_t)(PHB_BUID >> 32));
    qtest_writel(s, RTAS_ARGS + 8, (uint32_t)PHB_BUID);
    qtest_writel(s, RTAS_ARGS + 12, size);
    reply = qtest_cmd(s, "rtas ibm,read-pci-config 4 %u 2 %u", RTAS_ARGS,
                      RTAS_RETS);
    g_assert_cmpstr(reply, ==, "OK 0");
    *status = qtest_readl(s, RTAS_RETS);
    return qtest_readl(s, RTAS_RETS + 4);
}

static void test_qtest_rtas(void)
{
    g_autoptr(Files) f = files_new();
    g_autofree char *args = g_strdup_printf(
        "-M pseries -nodefaults -device virtio-rng-pci,addr=2 "
        "-device virtio-blk-pci,addr=3,drive=d "
        "-blockdev driver=file,filename=%s,node-name=d,read-only=on",
        f->disk);
    g_autoptr(QTestState) s = qtest_init("ppc64", args);
    g_autofree char *unknown = NULL;
    g_autofree char *toomany = NULL;
    uint32_t st;

    /* Slot 2: 1af4:1005 (transitional rng); slot 3: blk 1001. */
    g_assert_cmphex(rtas_config_read(s, 2 << 11, 4, &st), ==, 0x10051af4);
    g_assert_cmpuint(st, ==, 0);
    g_assert_cmphex(rtas_config_read(s, 3 << 11, 2, &st) , ==, 0x1af4);
    g_assert_cmphex(rtas_config_read(s, (3 << 11) | 2, 2, &st), ==, 0x1001);
    /* An empty slot answers all-ones with a hardware error (-1). */
    g_assert_cmphex(rtas_config_read(s, 7 << 11, 4, &st), ==, 0xffffffff);
    g_assert_cmphex(st, ==, 0xffffffff);
    /* Write then read back the interrupt line register. */
    qtest_writel(s, RTAS_ARGS, (2 << 11) | 0x3c);
    qtest_writel(s, RTAS_ARGS + 4, (uint32_t)(PHB_BUID >> 32));
    qtest_writel(s, RTAS_ARGS + 8, (uint32_t)PHB_BUID);
    qtest_writel(s, RTAS_ARGS + 12, 1);
    qtest_writel(s, RTAS_ARGS + 16, 0x5a);
    g_free(qtest_cmd(s, "rtas ibm,write-pci-config 5 %u 1 %u", RTAS_ARGS,
                     RTAS_RETS));
    g_assert_cmpuint(qtest_readl(s, RTAS_RETS), ==, 0);
    g_assert_cmphex(rtas_config_read(s, (2 << 11) | 0x3c, 1, &st), ==, 0x5a);
    /* An unknown name: PAPR's H_PARAMETER (-4), printed unsigned as by
     * QEMU; too many words: refused before anything is read. */
    unknown = qtest_cmd(s, "rtas no-such-call 0 %u 0 %u", RTAS_ARGS,
                        RTAS_RETS);
    g_assert_cmpstr(unknown, ==, "OK 18446744073709551612");
    toomany = qtest_cmd(s, "rtas ibm,read-pci-config 17 %u 2 %u", RTAS_ARGS,
                        RTAS_RETS);
    g_assert_true(g_str_has_prefix(toomany, "FAIL "));
}

/* A little-endian kernel loads the same way. */
static void test_kernel_le(void)
{
    g_autoptr(PpcDir) d = ppc_dir_new();
    g_autofree char *k = ppc_dir_file(d, "vmlinux-le");
    g_autofree char *args = NULL;
    g_autoptr(QTestState) s = NULL;
    uint8_t kernel[PPC_KERNEL_SIZE];

    ppc_write_kernel(k, true);
    args = g_strdup_printf("-kernel %s", k);
    s = qtest_init("ppc64", args);
    qtest_memread(s, 0, kernel, sizeof(kernel));
    for (unsigned i = 0; i < PPC_KERNEL_SIZE; i++) {
        g_assert_cmpuint(kernel[i], ==, (uint8_t)(i * 3 + 5));
    }
}

static void expect_error(const char *args, const char *msg)
{
    g_autofree char *err = NULL;
    g_autofree char *want = g_strdup_printf("cgemu-system-ppc64: %s\n", msg);

    g_test_message("%s", args);
    g_assert_cmpint(ppc_run(args, NULL, &err), ==, 1);
    g_assert_cmpstr(err, ==, want);
}

static void test_errors(void)
{
    g_autoptr(PpcDir) d = ppc_dir_new();
    g_autofree char *notelf = ppc_dir_file(d, "zImage");
    g_autofree char *a = NULL;
    g_autofree char *m = NULL;

    g_assert_true(g_file_set_contents(notelf, "MZ not an ELF", -1, NULL));
    expect_error("-accel qtest -cpu host",
                 "-cpu host: the host CPU model needs -accel kvm on a POWER "
                 "host; with qtest, name a model (power9, power10)");
    expect_error("-accel qtest -cpu power8",
                 "-cpu power8: unknown CPU model; the pseries machine has: "
                 "power9, power10, host (-cpu help lists them)");
    expect_error("-accel qtest -m 16M",
                 "-m: machine pseries needs at least 32 MiB of RAM (the "
                 "device tree and RTAS live at its top)");
    expect_error("-accel qtest -append quiet",
                 "-append quiet: only valid with -kernel (it goes to the "
                 "kernel cgemu loads)");
    expect_error("-accel qtest -bios slof.bin",
                 "-bios slof.bin: machine pseries has no firmware to "
                 "replace; cgemu boots a ppc64 kernel directly with -kernel");
    a = g_strdup_printf("-accel qtest -kernel %s", notelf);
    m = g_strdup_printf("-kernel %s: not an ELF file; machine pseries boots "
                        "a ppc64 ELF kernel (vmlinux) directly", notelf);
    expect_error(a, m);
    expect_error("-accel qtest -serial null -serial null -serial null "
                 "-serial null -serial null",
                 "-serial: 5 given, but machine pseries takes at most 4 "
                 "(each becomes a spapr-vty)");
    expect_error("-accel qtest -device spapr-vty,reg=0x71000000",
                 "-device spapr-vty,reg=0x71000000: spapr-vty: VIO unit "
                 "address reg=0x71000000 is already in use; choose another "
                 "or leave reg out");
    expect_error("-accel qtest -machine pseries,dumpdtb=/nonexistent/x.dtb",
                 "-machine dumpdtb=/nonexistent/x.dtb: cannot write the "
                 "device tree: No such file or directory");
    expect_error("-accel qtest -object pef-guest,id=pef0 "
                 "-machine pseries,confidential-guest-support=pef0",
                 "confidential-guest-support=pef0: pef-guest requires the "
                 "kvm accelerator; qtest cannot run a protected guest. Use "
                 "-accel kvm on a POWER9 or POWER10 host whose firmware runs "
                 "the ultravisor (PEF enabled)");
    expect_error("-accel qtest -object pef-guest,id=pef0,policy=1",
                 "-object pef-guest,id=pef0,policy=1: pef-guest has no "
                 "property 'policy'; it takes no properties");
}

/* KVM without the simulator: this host's KVM is not POWER's. */
static void test_kvm_not_power(void)
{
    if (access("/dev/kvm", R_OK | W_OK) != 0) {
        g_test_skip("/dev/kvm is not usable here");
        return;
    }
    expect_error("-accel kvm",
                 "-accel kvm: KVM: this host's KVM runs x86_64 guests, not "
                 "POWER ones (it lacks KVM_CAP_PPC_ENABLE_HCALL); "
                 "cgemu-system-ppc64 needs KVM on a POWER host, or -accel "
                 "qtest to build the machine without running it");
}

static void test_cpu_help(void)
{
    char *argv[] = { (char *)qtest_binary("ppc64"), (char *)"-cpu",
                     (char *)"help", NULL };
    g_autofree char *out = NULL;
    int status = -1;

    g_assert_true(g_spawn_sync(NULL, argv, NULL, 0, NULL, NULL, &out, NULL,
                               &status, NULL));
    g_assert_cmpint(status, ==, 0);
    g_assert_cmpstr(out, ==,
                    "Available CPU models of the pseries machine:\n"
                    "  power9     IBM POWER9 (PVR 0x004e1200), Power ISA 3.0 "
                    "(default)\n"
                    "  power10    IBM POWER10 (PVR 0x00800200), Power ISA "
                    "3.1\n"
                    "  host       the host's own processor (KVM on a POWER "
                    "host only)\n");
}

static void test_power10(void)
{
    g_autoptr(PpcDir) d = ppc_dir_new();
    g_autofree char *dtb = ppc_dir_file(d, "p10.dtb");
    g_autofree char *args = g_strdup_printf(
        "-accel qtest -cpu power10 -machine pseries,dumpdtb=%s", dtb);
    g_autoptr(GBytes) blob = NULL;
    g_autofree char *dts = NULL;

    g_assert_cmpint(ppc_run(args, NULL, NULL), ==, 0);
    blob = ppc_read_dtb(dtb);
    dts = ppc_dtc(dtb);
    assert_has(dts, "\t\tPowerPC,POWER10@0 {");
    assert_has(dts, "\t\t\tcpu-version = <0x800200>;");
    assert_has(dts, "\t\t\ti-cache-size = <0xc000>;");
}

/* pef-guest is a confidential-guest-support type of ppc64 only. */
static void test_cgs_types(void)
{
    static const char *const targets[] = { "ppc64", "x86_64", "s390x" };

    for (size_t i = 0; i < G_N_ELEMENTS(targets); i++) {
        g_autoptr(QTestState) s = NULL;
        g_autoptr(JsonNode) ret = NULL;
        g_auto(GStrv) names = NULL;
        bool ppc = i == 0;

        if (qtest_binary(targets[i]) == NULL) {
            g_assert_false(ppc);
            continue;
        }
        s = qtest_init(targets[i], NULL);
        ret = qtest_qmp_assert_success_ref(
            s, "{'execute': 'qom-list-types', 'arguments': "
               "{'implements': 'confidential-guest-support'}}");
        names = qtest_json_strings(ret, "name");
        g_assert_true(g_strv_contains((const char *const *)names,
                                      "pef-guest") == ppc);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ppc64/pseries/builds", test_builds);
    g_test_add_func("/ppc64/pseries/dumpdtb-minimal", test_dumpdtb_minimal);
    g_test_add_func("/ppc64/pseries/dumpdtb-full", test_dumpdtb_full);
    g_test_add_func("/ppc64/pseries/guest-memory", test_guest_memory);
    g_test_add_func("/ppc64/pseries/qtest-rtas", test_qtest_rtas);
    g_test_add_func("/ppc64/pseries/kernel-le", test_kernel_le);
    g_test_add_func("/ppc64/pseries/power10", test_power10);
    g_test_add_func("/ppc64/pseries/errors", test_errors);
    g_test_add_func("/ppc64/pseries/kvm-not-power", test_kvm_not_power);
    g_test_add_func("/ppc64/pseries/cpu-help", test_cpu_help);
    g_test_add_func("/ppc64/pseries/cgs-types", test_cgs_types);
    return g_test_run();
}
