/* Unit tests: the lifecycle with a test machine, a test
 * confidential-guest-support type and a test accelerator (none of which
 * exist in the binaries): hook order, defaults, precedence, fail-closed. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/core/default-props.h"
#include "hw/pci/pci-host.h"
#include "hw/virtio/virtio-pci.h"
#include "qom/property.h"
#include "qom/user-creatable.h"
#include "system/system.h"
#include "util/error.h"

#include <string.h>

/* --- a machine with a PCI bus ------------------------------------------ */

typedef struct {
    MachineState parent_instance;
    PCIHost *pci;
} TestMachine;
typedef MachineStateClass TestMachineClass;

CG_DEFINE_TYPE(TestMachine, test_machine, "test-machine", CG_TYPE_MACHINE)

static bool test_machine_board(MachineState *ms, GError **err)
{
    TestMachine *tm = (TestMachine *)ms;
    PCIHostConfig cfg = {
        .name = "pci",
        .mmio32 = { .base = 0x80000000, .size = 0x10000000 },
        .io = { .base = 0x90000000, .size = 0x10000 },
        .io_in_memory = true,
    };

    if (machine_add_main_ram(ms, "test.ram", 0, 0, ms->ram_size, err) ==
        NULL) {
        return false;
    }
    tm->pci = pci_host_create(ms, &cfg, err);
    return tm->pci != NULL;
}

static bool test_machine_plug(MachineState *ms, DeviceState *dev,
                              GError **err)
{
    return pci_host_plug(((TestMachine *)ms)->pci, dev, err);
}

static void test_machine_class_init(TestMachineClass *mc)
{
    mc->name = "test";
    mc->alias = "test-1.0";
    mc->desc = "machine for unit tests";
    mc->is_default = true;
    mc->max_cpus = 4;
    mc->default_ram_size = 2 * 1024 * 1024;
    mc->default_ram_id = "test.ram";
    mc->has_pci = true;
    mc->init = test_machine_board;
    mc->plug = test_machine_plug;
}

static void test_machine_init(TestMachine *self)
{
}

/* --- a confidential-guest-support type ---------------------------------- */

typedef struct {
    ConfidentialGuestSupport parent_instance;
    bool fail_init;
} TestCgs;
typedef ConfidentialGuestSupportClass TestCgsClass;

enum { CGS_PROP_0, CGS_PROP_FAIL_INIT };

CG_DEFINE_TYPE(TestCgs, test_cgs, "test-cgs",
               CG_TYPE_CONFIDENTIAL_GUEST_SUPPORT)

static GString *hook_log;   /* the test's record of hook calls */

static void note(const char *what)
{
    if (hook_log != NULL) {
        g_string_append_printf(hook_log, "%s%s", hook_log->len ? "," : "",
                               what);
    }
}

static bool test_cgs_kvm_init(ConfidentialGuestSupport *cgs,
                              MachineState *ms, GError **err)
{
    note("kvm_init");
    if (((TestCgs *)cgs)->fail_init) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "test-cgs: the host cannot do it");
        return false;
    }
    return true;
}

static bool test_cgs_machine_done(ConfidentialGuestSupport *cgs,
                                  MachineState *ms, GError **err)
{
    note("machine_done");
    return true;
}

static bool test_cgs_kvm_reset(ConfidentialGuestSupport *cgs,
                               MachineState *ms, GError **err)
{
    note("kvm_reset");
    return true;
}

static bool test_cgs_vm_start(ConfidentialGuestSupport *cgs,
                              MachineState *ms, GError **err)
{
    note("vm_start");
    return true;
}

static void test_cgs_set(GObject *o, guint id, const GValue *v, GParamSpec *p)
{
    ((TestCgs *)o)->fail_init = g_value_get_boolean(v);
}

static void test_cgs_get(GObject *o, guint id, GValue *v, GParamSpec *p)
{
    g_value_set_boolean(v, ((TestCgs *)o)->fail_init);
}

static void test_cgs_class_init(TestCgsClass *k)
{
    GObjectClass *oc = G_OBJECT_CLASS(k);

    oc->set_property = test_cgs_set;
    oc->get_property = test_cgs_get;
    k->technology = "test technology";
    k->requirement = "a test host";
    k->kvm_init = test_cgs_kvm_init;
    k->machine_done = test_cgs_machine_done;
    k->kvm_reset = test_cgs_kvm_reset;
    k->vm_start = test_cgs_vm_start;
    g_object_class_install_property(oc, CGS_PROP_FAIL_INIT,
        g_param_spec_boolean("fail-init", NULL, "Fail kvm_init", FALSE,
                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void test_cgs_init(TestCgs *self)
{
}

/* A technology with no hooks at all: missing hooks count as success. */
typedef struct {
    ConfidentialGuestSupport parent_instance;
} BareCgs;
typedef ConfidentialGuestSupportClass BareCgsClass;

CG_DEFINE_TYPE(BareCgs, bare_cgs, "bare-cgs",
               CG_TYPE_CONFIDENTIAL_GUEST_SUPPORT)

static void bare_cgs_class_init(BareCgsClass *k)
{
}

static void bare_cgs_init(BareCgs *self)
{
}

/* --- an accelerator that calls the hooks as KVM does -------------------- */

typedef struct {
    AccelState parent_instance;
} FakeKvm;
typedef AccelStateClass FakeKvmClass;

CG_DEFINE_TYPE(FakeKvm, fake_kvm, "kvm-accel", CG_TYPE_ACCEL)

static bool fake_kvm_init_machine(AccelState *a, MachineState *ms,
                                  GError **err)
{
    return ms->cgs == NULL || cgs_kvm_init(ms->cgs, ms, err);
}

static bool fake_kvm_reset(AccelState *a, GError **err)
{
    MachineState *ms = a->machine;

    return ms->cgs == NULL || cgs_kvm_reset(ms->cgs, ms, err);
}

static void fake_kvm_class_init(FakeKvmClass *k)
{
    k->name = "kvm";
    k->desc = "stand-in for KVM in unit tests";
    k->init_machine = fake_kvm_init_machine;
    k->reset = fake_kvm_reset;
}

static void fake_kvm_init(FakeKvm *self)
{
}

/* --- helpers ------------------------------------------------------------ */

static CgSystem *build(const char *const *args, GError **err)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    CgConfig *cfg = cg_config_new("test");
    CgSystem *sys;

    g_ptr_array_add(argv, "cgemu-system-test");
    for (const char *const *a = args; *a; a++) {
        g_ptr_array_add(argv, (gpointer)*a);
    }
    if (!cg_config_parse(cfg, (int)argv->len, (char **)argv->pdata, err)) {
        cg_config_free(cfg);
        return NULL;
    }
    sys = system_new("test", cfg);
    if (!system_build(sys, err)) {
        system_free(sys);
        cg_config_free(cfg);
        return NULL;
    }
    return sys;
}

static void destroy(CgSystem *sys)
{
    CgConfig *cfg = sys->cfg;

    system_free(sys);
    cg_config_free(cfg);
}

static void build_fails(const char *const *args, const char *message)
{
    g_autoptr(GError) err = NULL;
    CgSystem *sys = build(args, &err);

    g_assert_null(sys);
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, message);
}

static DeviceState *peripheral(CgSystem *sys, const char *id)
{
    g_autofree char *path = g_strdup_printf("/machine/peripheral/%s", id);
    CgObject *o = cg_object_resolve_path(sys->root, path);

    g_assert_nonnull(o);
    return CG_DEVICE(o);
}

static bool get_bool(DeviceState *dev, const char *name)
{
    gboolean v;

    g_object_get(dev, name, &v, NULL);
    return v;
}

static unsigned get_uint(DeviceState *dev, const char *name)
{
    guint v;

    g_object_get(dev, name, &v, NULL);
    return v;
}

static int get_enum(DeviceState *dev, const char *name)
{
    int v;

    g_object_get(dev, name, &v, NULL);
    return v;
}

/* --- tests -------------------------------------------------------------- */

static void test_hook_order(void)
{
    static const char *const args[] = {
        "-object", "test-cgs,id=c0", "-machine",
        "confidential-guest-support=c0", "-accel", "kvm", NULL };
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) log = g_string_new(NULL);
    CgSystem *sys;

    hook_log = log;
    sys = build(args, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(log->str, ==, "kvm_init,machine_done,kvm_reset");
    g_assert_true(sys->machine->cgs->ready);
    g_assert_true(system_vm_cont(sys, &err));
    g_assert_true(system_vm_stop(sys, &err));
    g_assert_true(system_vm_cont(sys, &err));
    g_assert_cmpstr(log->str, ==, "kvm_init,machine_done,kvm_reset,vm_start");
    g_assert_true(system_reset(sys, SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET,
                               &err));
    g_assert_cmpstr(log->str, ==,
                    "kvm_init,machine_done,kvm_reset,vm_start,kvm_reset");
    hook_log = NULL;
    destroy(sys);
}

static void test_missing_hooks(void)
{
    static const char *const args[] = {
        "-object", "bare-cgs,id=c0", "-machine",
        "confidential-guest-support=c0", "-accel", "kvm", NULL };
    g_autoptr(GError) err = NULL;
    CgSystem *sys = build(args, &err);

    g_assert_no_error(err);
    g_assert_true(sys->machine->cgs->ready);
    g_assert_true(system_vm_cont(sys, &err));
    destroy(sys);
}

static void test_fail_closed_qtest(void)
{
    static const char *const args[] = {
        "-object", "test-cgs,id=c0", "-machine",
        "confidential-guest-support=c0", "-accel", "qtest", NULL };
    g_autoptr(GString) log = g_string_new(NULL);

    hook_log = log;
    build_fails(args, "confidential-guest-support=c0: test-cgs requires the "
                      "kvm accelerator; qtest cannot run a protected guest. "
                      "Use -accel kvm on a test host");
    /* No hook ran: a protected launch never started. */
    g_assert_cmpstr(log->str, ==, "");
    hook_log = NULL;
}

static void test_fail_closed_init_error(void)
{
    /* A failing kvm_init ends start-up; no fallback to the next
     * accelerator for a confidential guest. */
    static const char *const args[] = {
        "-object", "test-cgs,id=c0,fail-init=on", "-machine",
        "confidential-guest-support=c0", "-accel", "kvm", "-accel", "qtest",
        NULL };

    build_fails(args, "-accel kvm: test-cgs: the host cannot do it");
}

static void test_fallback_without_cgs(void)
{
    static const char *const args[] = { "-accel", "tcg", "-accel", "qtest",
                                        NULL };
    g_autoptr(GError) err = NULL;
    CgSystem *sys = build(args, &err);

    g_assert_no_error(err);
    g_assert_cmpstr(accel_name(sys->accel), ==, "qtest");
    destroy(sys);
}

static void test_defaults_without_cgs(void)
{
    static const char *const args[] = {
        "-accel", "qtest", "-device", "virtio-rng-pci,id=d0", NULL };
    g_autoptr(GError) err = NULL;
    CgSystem *sys = build(args, &err);
    DeviceState *d;

    g_assert_no_error(err);
    d = peripheral(sys, "d0");
    g_assert_false(get_bool(d, "iommu_platform"));
    g_assert_cmpint(get_enum(d, "disable-legacy"), ==, ON_OFF_AUTO_AUTO);
    g_assert_cmpint(device_prop_origin(d, "iommu_platform"), ==,
                    PROP_ORIGIN_CLASS_DEFAULT);
    g_assert_true(sys->machine->mem_merge);
    destroy(sys);
}

static void test_defaults_with_cgs(void)
{
    static const char *const args[] = {
        "-object", "test-cgs,id=c0", "-machine",
        "confidential-guest-support=c0", "-accel", "kvm",
        "-device", "virtio-rng-pci,id=d0", NULL };
    g_autoptr(GError) err = NULL;
    CgSystem *sys = build(args, &err);
    DeviceState *d;

    g_assert_no_error(err);
    d = peripheral(sys, "d0");
    g_assert_true(get_bool(d, "iommu_platform"));
    g_assert_cmpint(get_enum(d, "disable-legacy"), ==, ON_OFF_AUTO_ON);
    g_assert_cmpint(device_prop_origin(d, "iommu_platform"), ==,
                    PROP_ORIGIN_MACHINE);
    g_assert_cmpint(device_prop_origin(d, "disable-legacy"), ==,
                    PROP_ORIGIN_MACHINE);
    g_assert_false(sys->machine->mem_merge);
    destroy(sys);
}

static void test_precedence(void)
{
    static const char *const args[] = {
        "-object", "test-cgs,id=c0", "-machine",
        "confidential-guest-support=c0", "-accel", "kvm",
        "-global", "virtio-device.iommu_platform=off",
        "-global", "driver=virtio-rng-pci,property=vectors,value=3",
        "-device", "virtio-rng-pci,id=d0",
        "-device", "virtio-rng-pci,id=d1,iommu_platform=on,vectors=5",
        NULL };
    g_autoptr(GError) err = NULL;
    CgSystem *sys;
    DeviceState *d0, *d1;

    if (g_test_subprocess()) {
        sys = build(args, &err);
        g_assert_no_error(err);
        d0 = peripheral(sys, "d0");
        d1 = peripheral(sys, "d1");
        /* machine default (on) < -global (off) */
        g_assert_false(get_bool(d0, "iommu_platform"));
        g_assert_cmpint(device_prop_origin(d0, "iommu_platform"), ==,
                        PROP_ORIGIN_GLOBAL);
        g_assert_cmpint(get_uint(d0, "vectors"), ==, 3);
        g_assert_cmpint(device_prop_origin(d0, "vectors"), ==,
                        PROP_ORIGIN_GLOBAL);
        /* untouched by either: the machine default stands */
        g_assert_cmpint(get_enum(d0, "disable-legacy"), ==, ON_OFF_AUTO_ON);
        g_assert_cmpint(device_prop_origin(d0, "disable-legacy"), ==,
                        PROP_ORIGIN_MACHINE);
        /* -global < explicit */
        g_assert_true(get_bool(d1, "iommu_platform"));
        g_assert_cmpint(device_prop_origin(d1, "iommu_platform"), ==,
                        PROP_ORIGIN_EXPLICIT);
        g_assert_cmpint(get_uint(d1, "vectors"), ==, 5);
        g_assert_cmpint(device_prop_origin(d1, "vectors"), ==,
                        PROP_ORIGIN_EXPLICIT);
        destroy(sys);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    /* One warning, for d0 only: d1's explicit value equals the default. */
    g_test_trap_assert_stderr(
        "*warning: virtio-rng-pci id=d0: iommu_platform=off (-global) "
        "overrides the default iommu_platform=on that "
        "confidential-guest-support (test-cgs 'c0') sets; the guest may not "
        "work protected\n");
}

static void test_explicit_override_warns(void)
{
    static const char *const args[] = {
        "-object", "test-cgs,id=c0", "-machine",
        "confidential-guest-support=c0", "-accel", "kvm",
        "-device", "virtio-rng-pci,id=r0,iommu_platform=off", NULL };
    g_autoptr(GError) err = NULL;
    CgSystem *sys;

    if (g_test_subprocess()) {
        sys = build(args, &err);
        g_assert_no_error(err);
        destroy(sys);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr(
        "*warning: virtio-rng-pci id=r0: iommu_platform=off (-device) "
        "overrides the default iommu_platform=on that "
        "confidential-guest-support (test-cgs 'c0') sets; the guest may not "
        "work protected\n");
}

static void test_no_warning_when_same(void)
{
    static const char *const args[] = {
        "-object", "test-cgs,id=c0", "-machine",
        "confidential-guest-support=c0", "-accel", "kvm",
        "-device", "virtio-rng-pci,id=d0,iommu_platform=on", NULL };
    g_autoptr(GError) err = NULL;
    CgSystem *sys;

    if (g_test_subprocess()) {
        sys = build(args, &err);
        g_assert_no_error(err);
        destroy(sys);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr("");
}

static void test_mem_merge_warning(void)
{
    static const char *const args[] = {
        "-object", "test-cgs,id=c0", "-machine",
        "confidential-guest-support=c0,mem-merge=on", "-accel", "kvm", NULL };
    g_autoptr(GError) err = NULL;
    CgSystem *sys;

    if (g_test_subprocess()) {
        sys = build(args, &err);
        g_assert_no_error(err);
        g_assert_true(sys->machine->mem_merge);
        destroy(sys);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr(
        "*warning: -machine mem-merge=on overrides the default mem-merge=off "
        "of confidential-guest-support (test-cgs 'c0'); the host may merge "
        "and share this guest's pages, which weakens its protection\n");
}

/* The VmFlags of the mapping that starts at @host (" mg dd ... "). */
static char *vm_flags_at(const void *host)
{
    g_autofree char *text = NULL;
    g_autofree char *start = g_strdup_printf("%lx-", (unsigned long)host);
    g_auto(GStrv) lines = NULL;
    bool in = false;

    g_assert_true(g_file_get_contents("/proc/self/smaps", &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (g_ascii_isxdigit(**l) && strchr(*l, '-') != NULL) {
            in = g_str_has_prefix(*l, start);
        } else if (in && g_str_has_prefix(*l, "VmFlags:")) {
            return g_strdup_printf("%s ", *l + strlen("VmFlags:"));
        }
    }
    return NULL;
}

static const RamRegion *main_ram(CgSystem *sys)
{
    const GPtrArray *ram = address_space_ram(sys->machine->mem);

    g_assert_cmpuint(ram->len, >, 0);
    return g_ptr_array_index(ram, 0);
}

/*
 * A memory-backend takes the machine's mem-merge as its default, so a
 * confidential guest's backend is not merged unless it says merge=on
 * (which warns, as mem-merge=on does).
 */
static void test_backend_cgs_merge(void)
{
    static const char *const args[] = {
        "-object", "test-cgs,id=c0", "-object",
        "memory-backend-ram,id=test.ram,size=4M,merge=on", "-machine",
        "confidential-guest-support=c0,memory-backend=test.ram",
        "-accel", "kvm", NULL };
    static const char *const quiet[] = {
        "-object", "test-cgs,id=c0", "-object",
        "memory-backend-ram,id=test.ram,size=4M", "-machine",
        "confidential-guest-support=c0,memory-backend=test.ram",
        "-accel", "kvm", NULL };
    g_autoptr(GError) err = NULL;
    g_autofree char *flags = NULL;
    CgSystem *sys;

    if (g_test_subprocess()) {
        sys = build(args, &err);
        g_assert_no_error(err);
        destroy(sys);
        return;
    }
    sys = build(quiet, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(sys->machine->ram_size, ==, 4u << 20);
    flags = vm_flags_at(main_ram(sys)->host);
    g_assert_nonnull(flags);
    g_assert_null(strstr(flags, " mg "));
    destroy(sys);
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr(
        "*warning: memory-backend-ram 'test.ram': merge=on overrides the "
        "default merge=off of confidential-guest-support (test-cgs 'c0'); "
        "the host may merge and share this guest's pages, which weakens "
        "its protection\n");
}

static void test_link_errors(void)
{
    build_fails((const char *const[]){ "-machine",
                                       "confidential-guest-support=nosuch",
                                       NULL },
                "-machine confidential-guest-support=nosuch: property "
                "'confidential-guest-support': no object 'nosuch' exists; "
                "create it first with -object TYPE,id=nosuch");
    build_fails((const char *const[]){ "-object", "rng-builtin,id=rng0",
                                       "-machine",
                                       "confidential-guest-support=rng0",
                                       NULL },
                "-machine confidential-guest-support=rng0: property "
                "'confidential-guest-support': object 'rng0' is a "
                "rng-builtin, not a confidential-guest-support");
    build_fails((const char *const[]){ "-machine",
                                       "test,confidential-guest-support=",
                                       NULL },
                "-machine confidential-guest-support=: property "
                "'confidential-guest-support' needs the id of a "
                "confidential-guest-support object, got an empty value");
    build_fails((const char *const[]){ "-machine",
                                       "memory-encryption=nosuch", NULL },
                "-machine memory-encryption=nosuch: property "
                "'memory-encryption': no object 'nosuch' exists; create it "
                "first with -object TYPE,id=nosuch");
}

static void test_alias_sets_link(void)
{
    static const char *const args[] = {
        "-object", "test-cgs,id=c0", "-machine", "memory-encryption=c0",
        "-accel", "kvm", NULL };
    g_autoptr(GError) err = NULL;
    CgSystem *sys = build(args, &err);
    g_autoptr(JsonNode) v = NULL;

    g_assert_no_error(err);
    g_assert_nonnull(sys->machine->cgs);
    v = cg_object_get_json(CG_OBJECT(sys->machine),
                           "confidential-guest-support", &err);
    g_assert_cmpstr(json_node_get_string(v), ==, "/objects/c0");
    destroy(sys);
}

static void test_link_frozen_after_creation(void)
{
    static const char *const args[] = {
        "-object", "test-cgs,id=c0", "-object", "test-cgs,id=c1",
        "-machine", "confidential-guest-support=c0", "-accel", "kvm", NULL };
    g_autoptr(GError) err = NULL;
    CgSystem *sys = build(args, &err);

    g_assert_no_error(err);
    g_assert_false(cg_object_set_str(CG_OBJECT(sys->machine),
                                     "confidential-guest-support", "c1",
                                     &err));
    g_assert_cmpstr(err->message, ==,
                    "machine property 'confidential-guest-support' can only "
                    "be set when the machine is created (on the command line "
                    "with -machine)");
    g_assert_true(sys->machine->cgs ==
                  CG_CONFIDENTIAL_GUEST_SUPPORT(cg_object_find(sys->root,
                                                               "c0")));
    destroy(sys);
}

static void test_cgs_in_use(void)
{
    static const char *const args[] = {
        "-object", "test-cgs,id=c0", "-machine",
        "confidential-guest-support=c0", "-accel", "kvm", NULL };
    g_autoptr(GError) err = NULL;
    CgSystem *sys = build(args, &err);

    g_assert_false(user_creatable_del(sys->root, "c0", &err));
    g_assert_cmpstr(err->message, ==,
                    "object 'c0' is in use and cannot be deleted");
    destroy(sys);
}

static void test_global_errors(void)
{
    build_fails((const char *const[]){ "-global", "nosuch.x=1", NULL },
                "-global nosuch.x=1: unknown driver 'nosuch'; -global "
                "applies to device types (see -device help)");
    build_fails((const char *const[]){ "-global",
                                       "virtio-pci.disable-legacy=maybe",
                                       NULL },
                "-global virtio-pci.disable-legacy=maybe: property "
                "'disable-legacy' expects one of auto, on, off, got 'maybe'");
    build_fails((const char *const[]){ "-global", "virtio-device.iommu=on",
                                       NULL },
                "-global virtio-device.iommu=on: virtio-device has no "
                "property 'iommu'; it accepts: iommu_platform");
    build_fails((const char *const[]){ "-global", "novalue", NULL },
                "-global novalue: expected DRIVER.PROPERTY=VALUE, e.g. "
                "virtio-pci.disable-legacy=on");
}

static void test_device_errors(void)
{
    build_fails((const char *const[]){ "-accel", "qtest", "-device",
                                       "virtio-rng-pci,id=d0,foo=1", NULL },
                "-device virtio-rng-pci,id=d0,foo=1: virtio-rng-pci has "
                "no property 'foo'; it accepts: addr, bus, disable-legacy, "
                "disable-modern, iommu_platform, multifunction, rng, "
                "vectors");
    build_fails((const char *const[]){ "-accel", "qtest", "-device",
                                       "virtio-rng-pci,id=d0", "-device",
                                       "virtio-rng-pci,id=d0", NULL },
                "-device virtio-rng-pci,id=d0: a device with id 'd0' "
                "already exists; ids must be unique");
    build_fails((const char *const[]){ "-accel", "qtest", "-device",
                                       "virtio-pci", NULL },
                "-device virtio-pci: 'virtio-pci' is not a device that can "
                "be added with -device; see -device help");
}

static void test_query(void)
{
    static const char *const args[] = {
        "-object", "test-cgs,id=c0", "-machine",
        "confidential-guest-support=c0", "-accel", "kvm", NULL };
    g_autoptr(GError) err = NULL;
    CgSystem *sys = build(args, &err);
    g_autoptr(JsonNode) q = cgs_query(sys->machine->cgs, "kvm");
    g_autoptr(JsonNode) none = cgs_query(NULL, "kvm");
    g_autoptr(JsonGenerator) gen = json_generator_new();
    g_autofree char *text = NULL;
    g_autofree char *none_text = NULL;

    json_generator_set_root(gen, q);
    text = json_generator_to_data(gen, NULL);
    g_assert_cmpstr(text, ==,
                    "{\"enabled\":true,\"type\":\"test-cgs\",\"id\":\"c0\","
                    "\"ready\":true,\"accelerator\":\"kvm\",\"state\":"
                    "\"ready\",\"details\":{}}");
    json_generator_set_root(gen, none);
    none_text = json_generator_to_data(gen, NULL);
    g_assert_cmpstr(none_text, ==, "{\"enabled\":false}");
    destroy(sys);
}

/* A machine can be asked for by an alias (libvirt's versioned names). */
static void test_alias(void)
{
    static const char *const args[] = { "-M", "test-1.0", "-accel", "qtest",
                                        NULL };
    g_autoptr(GError) err = NULL;
    CgSystem *sys = build(args, &err);

    g_assert_no_error(err);
    g_assert_cmpstr(cg_object_type_name(CG_OBJECT(sys->machine)), ==,
                    "test-machine");
    g_assert_true(machine_class_find("test-1.0") ==
                  machine_class_find("test"));
    g_assert_null(machine_class_find("test-2.0"));
    destroy(sys);
}

static void test_smp(void)
{
    build_fails((const char *const[]){ "-accel", "qtest", "-smp", "8", NULL },
                "-smp 8: machine test supports at most 4 vCPUs");
    build_fails((const char *const[]){ "-accel", "qtest", "-smp",
                                       "4,sockets=1,cores=3", NULL },
                "-smp 4,sockets=1,cores=3: the topology gives 3 vCPUs but "
                "maxcpus is 4; make sockets*dies*clusters*cores*threads "
                "equal maxcpus");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    cg_types_init();
    g_test_add_func("/machine/cgs/hook-order", test_hook_order);
    g_test_add_func("/machine/cgs/missing-hooks", test_missing_hooks);
    g_test_add_func("/machine/cgs/fail-closed-qtest", test_fail_closed_qtest);
    g_test_add_func("/machine/cgs/fail-closed-init-error",
                    test_fail_closed_init_error);
    g_test_add_func("/machine/accel/fallback", test_fallback_without_cgs);
    g_test_add_func("/machine/defaults/without-cgs",
                    test_defaults_without_cgs);
    g_test_add_func("/machine/defaults/with-cgs", test_defaults_with_cgs);
    g_test_add_func("/machine/defaults/precedence", test_precedence);
    g_test_add_func("/machine/defaults/explicit-override-warns",
                    test_explicit_override_warns);
    g_test_add_func("/machine/defaults/no-warning-when-same",
                    test_no_warning_when_same);
    g_test_add_func("/machine/defaults/mem-merge-warning",
                    test_mem_merge_warning);
    g_test_add_func("/machine/link/errors", test_link_errors);
    g_test_add_func("/machine/link/alias", test_alias_sets_link);
    g_test_add_func("/machine/link/frozen", test_link_frozen_after_creation);
    g_test_add_func("/machine/link/in-use", test_cgs_in_use);
    g_test_add_func("/machine/global-errors", test_global_errors);
    g_test_add_func("/machine/device-errors", test_device_errors);
    g_test_add_func("/machine/cgs/query", test_query);
    g_test_add_func("/machine/smp", test_smp);
    g_test_add_func("/machine/alias", test_alias);
    g_test_add_func("/machine/memory-backend/cgs-merge",
                    test_backend_cgs_merge);
    return g_test_run();
}
