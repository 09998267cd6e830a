/* Unit tests: virtio-pci layout, registers, virtio-rng, property defaults. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/core/default-props.h"
#include "hw/pci/msix.h"
#include "hw/virtio/virtio-pci.h"
#include "qom/property.h"
#include "qom/user-creatable.h"
#include "vdriver.h"

#include <string.h>

/* --- a confidential-guest-support object for the defaults ----------------- */

typedef struct {
    ConfidentialGuestSupport parent_instance;
} TestCgs;
typedef ConfidentialGuestSupportClass TestCgsClass;

CG_DEFINE_TYPE(TestCgs, test_cgs, "test-cgs",
               CG_TYPE_CONFIDENTIAL_GUEST_SUPPORT)

static void test_cgs_class_init(TestCgsClass *klass)
{
    klass->technology = "test";
}

static void test_cgs_init(TestCgs *self)
{
}

/* Links a test-cgs object /objects/cgs0 and registers its defaults. */
static void machine_set_cgs(TestMachine *tm)
{
    MachineState *ms = CG_MACHINE(tm);
    CgObject *objects = cg_object_get_container(test_machine_root(tm),
                                                "objects");
    g_autoptr(GObject) cgs = g_object_new(test_cgs_get_type(), NULL);

    g_assert_true(cg_object_add_child(objects, "cgs0", CG_OBJECT(cgs), NULL));
    ms->cgs = g_object_ref(CG_CONFIDENTIAL_GUEST_SUPPORT(cgs));
    machine_apply_cgs_defaults(ms);
}

/* --- helpers -------------------------------------------------------------- */

static PCIDevice *add(TestMachine *tm, const char *text)
{
    g_autoptr(GError) err = NULL;
    DeviceState *dev = test_device_add(tm, text, &err);

    g_assert_no_error(err);
    return CG_PCI_DEVICE(dev);
}

static char *add_error(TestMachine *tm, const char *text)
{
    g_autoptr(GError) err = NULL;

    g_assert_null(test_device_add(tm, text, &err));
    g_assert_nonnull(err);
    return g_strdup(err->message);
}

static uint32_t cfg(TestMachine *tm, PCIDevice *pd, unsigned off)
{
    return tm_cfg_read(tm, pd->devfn, off, 4);
}

static uint32_t size_bar(TestMachine *tm, PCIDevice *pd, unsigned off)
{
    uint32_t old = cfg(tm, pd, off), mask;

    tm_cfg_write(tm, pd->devfn, off, 0xffffffff, 4);
    mask = cfg(tm, pd, off);
    tm_cfg_write(tm, pd->devfn, off, old, 4);
    return mask;
}

/* --- layout, as QEMU 7.2 has it ------------------------------------------- */

static void test_layout_transitional(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    PCIDevice *pd = add(tm, "virtio-rng-pci");
    /* Dwords 0x40..0xa0 of QEMU 7.2's virtio-rng-pci, BARs excluded. */
    static const uint32_t qemu_caps[] = {
        0x01100009, 0x00000004, 0x00000000, 0x00001000,   /* common */
        0x03104009, 0x00000004, 0x00001000, 0x00001000,   /* ISR */
        0x04105009, 0x00000004, 0x00002000, 0x00001000,   /* device */
        0x02146009, 0x00000004, 0x00003000, 0x00001000,   /* notify */
        0x00000004,                                       /* multiplier */
        0x05147009, 0, 0, 0, 0,                           /* pci cfg */
        0x00018411, 0x00000001, 0x00000801,               /* MSI-X */
    };

    g_assert_cmphex(cfg(tm, pd, 0x00), ==, 0x10051af4);
    g_assert_cmphex(cfg(tm, pd, 0x08), ==, 0x00ff0000);
    g_assert_cmphex(cfg(tm, pd, 0x2c), ==, 0x00041af4);
    g_assert_cmphex(cfg(tm, pd, 0x34), ==, 0x98);
    g_assert_cmphex(cfg(tm, pd, 0x3c) >> 8 & 0xff, ==, 1);   /* INTA */
    g_assert_cmphex(cfg(tm, pd, 0x04) >> 16, ==, 0x0010);
    for (unsigned i = 0; i < G_N_ELEMENTS(qemu_caps); i++) {
        g_assert_cmphex(cfg(tm, pd, 0x40 + 4 * i), ==, qemu_caps[i]);
    }
    g_assert_cmphex(size_bar(tm, pd, 0x10), ==, 0xffffffe1);   /* 32 ports */
    g_assert_cmphex(size_bar(tm, pd, 0x14), ==, 0xfffff000);   /* MSI-X */
    g_assert_cmphex(size_bar(tm, pd, 0x18), ==, 0);
    g_assert_cmphex(size_bar(tm, pd, 0x20), ==, 0xffffc00c);   /* modern */
    test_machine_free(tm);
}

static void test_layout_modern_only(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    PCIDevice *pd = add(tm, "virtio-rng-pci,disable-legacy=on");

    g_assert_cmphex(cfg(tm, pd, 0x00), ==, 0x10441af4);
    g_assert_cmphex(cfg(tm, pd, 0x08), ==, 0x00ff0001);
    g_assert_cmphex(cfg(tm, pd, 0x2c), ==, 0x11001af4);
    g_assert_cmphex(size_bar(tm, pd, 0x10), ==, 0);
    g_assert_cmphex(cfg(tm, pd, 0x10), ==, 0);
    test_machine_free(tm);
}

static void test_layout_legacy_only(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    PCIDevice *pd = add(tm, "virtio-rng-pci,disable-modern=on");
    PCIDevice *nv = add(tm, "virtio-rng-pci,vectors=0");

    g_assert_cmphex(cfg(tm, pd, 0x00), ==, 0x10051af4);
    g_assert_cmphex(cfg(tm, pd, 0x34), ==, 0x40);
    g_assert_cmphex(cfg(tm, pd, 0x40), ==, 0x00010011);
    g_assert_cmphex(cfg(tm, pd, 0x44), ==, 0x00000001);
    g_assert_cmphex(cfg(tm, pd, 0x48), ==, 0x00000801);
    g_assert_cmphex(size_bar(tm, pd, 0x20), ==, 0);
    /* vectors=0: no MSI-X capability or BAR. */
    g_assert_cmphex(cfg(tm, nv, 0x34), ==, 0x84);
    g_assert_cmphex(size_bar(tm, nv, 0x14), ==, 0);
    test_machine_free(tm);
}

static void test_interface_errors(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    g_autofree char *e1 =
        add_error(tm, "virtio-rng-pci,disable-legacy=on,disable-modern=on");
    g_autofree char *e2 = add_error(tm, "virtio-rng-pci,iommu_platform=on");
    g_autofree char *e3 =
        add_error(tm, "virtio-rng-pci,iommu_platform=on,disable-legacy=off");
    g_autofree char *e4 =
        add_error(tm, "virtio-rng-pci,iommu_platform=on,disable-modern=on");
    g_autofree char *e5 = add_error(tm, "virtio-rng-pci,vectors=4000");
    g_autofree char *e6 = add_error(tm, "virtio-rng-pci,rng=nosuch");

    g_assert_cmpstr(e1, ==,
                    "disable-legacy=on and disable-modern=on leave the "
                    "device no interface; turn one of them off");
    g_assert_cmpstr(e2, ==,
                    "iommu_platform=on needs a modern-only device, but the "
                    "legacy interface is on (disable-legacy=auto); add "
                    "disable-legacy=on");
    g_assert_cmpstr(e3, ==,
                    "iommu_platform=on needs a modern-only device, but the "
                    "legacy interface is on (disable-legacy=off); add "
                    "disable-legacy=on");
    g_assert_cmpstr(e4, ==,
                    "iommu_platform=on needs the modern virtio interface, "
                    "but disable-modern=on turns it off; use "
                    "disable-modern=off,disable-legacy=on");
    g_assert_cmpstr(e5, ==,
                    "property 'vectors' expects an integer in 0..2048, got "
                    "'4000'");
    g_assert_cmpstr(e6, ==,
                    "property 'rng': no object 'nosuch' exists; create it "
                    "first with -object TYPE,id=nosuch");
    /* Nothing was left plugged by the failures. */
    g_assert_null(pci_host_find(tm->pci, PCI_DEVFN(1, 0)));
    test_machine_free(tm);
}

/* --- virtio-rng through the modern and legacy interfaces ------------------ */

static bool not_all_zero(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (b[i] != 0) {
            return true;
        }
    }
    return false;
}

static void test_rng_modern(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    PCIDevice *pd = add(tm, "virtio-rng-pci,addr=3");
    VBuf b = { VD_BUF, 16, true };
    uint8_t bytes[16];
    uint32_t len = 0;
    VDrv d;

    vdrv_open(&d, tm, pd, true);
    g_assert_cmphex(vdrv_offered(&d), ==,
                    VIRTIO_BIT(VIRTIO_F_VERSION_1) |
                        VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC));
    g_assert_cmphex(vdrv_common_read(&d, VPCI_COMMON_NUMQ, 2), ==, 1);
    g_assert_cmphex(vdrv_negotiate(&d, VIRTIO_BIT(VIRTIO_F_VERSION_1)), ==,
                    0x0b);
    vdrv_queue(&d, 0);
    g_assert_cmpuint(d.qsize, ==, 8);
    g_assert_cmphex(vdrv_common_read(&d, VPCI_COMMON_Q_ENABLE, 2), ==, 1);
    g_assert_cmphex(vdrv_common_read(&d, VPCI_COMMON_Q_DESCLO, 8), ==,
                    VD_RING);
    vdrv_driver_ok(&d);
    g_assert_cmphex(vdrv_status(&d), ==, 0x0f);
    g_assert_true(vdrv_request(&d, &b, 1, &len));
    g_assert_cmpuint(len, ==, 16);
    vdrv_read_ram(&d, VD_BUF, bytes, 16);
    g_assert_true(not_all_zero(bytes, 16));
    /* INTx (no MSI-X enabled) until the ISR is read. */
    g_assert_cmpint(tm->intx[3][0], ==, 1);
    g_assert_cmphex(vdrv_read_isr(&d), ==, 1);
    g_assert_cmpint(tm->intx[3][0], ==, 0);
    g_assert_cmphex(vdrv_read_isr(&d), ==, 0);
    /* Reset through the status register and by a machine reset. */
    vdrv_set_status(&d, 0);
    g_assert_cmphex(vdrv_status(&d), ==, 0);
    g_assert_cmphex(vdrv_common_read(&d, VPCI_COMMON_Q_ENABLE, 2), ==, 0);
    vdrv_negotiate(&d, VIRTIO_BIT(VIRTIO_F_VERSION_1));
    devices_reset_all(CG_MACHINE(tm));
    g_assert_cmphex(CG_VIRTIO_PCI(pd)->vs->status, ==, 0);
    test_machine_free(tm);
}

static void test_rng_backend_link(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    g_autoptr(GError) err = NULL;
    g_autoptr(CgOpts) o = cg_keyval_parse(
        "rng-random,id=zero,filename=/dev/zero", "qom-type", &err);
    PCIDevice *pd;
    VBuf b = { VD_BUF, 32, true };
    uint8_t bytes[32];
    uint32_t len;
    VDrv d;

    g_assert_nonnull(user_creatable_add(test_machine_root(tm), o, &err));
    pd = add(tm, "virtio-rng-pci,rng=zero,disable-legacy=on");
    memset(bytes, 0x55, sizeof(bytes));
    vdrv_open(&d, tm, pd, true);
    vdrv_write_ram(&d, VD_BUF, bytes, sizeof(bytes));
    vdrv_negotiate(&d, VIRTIO_BIT(VIRTIO_F_VERSION_1));
    vdrv_queue(&d, 4);
    vdrv_driver_ok(&d);
    g_assert_true(vdrv_request(&d, &b, 1, &len));
    g_assert_cmpuint(len, ==, 32);
    vdrv_read_ram(&d, VD_BUF, bytes, sizeof(bytes));
    /* The bytes came from /dev/zero, not from the builtin default. */
    g_assert_false(not_all_zero(bytes, 32));
    test_machine_free(tm);
}

static void test_rng_legacy(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    PCIDevice *pd = add(tm, "virtio-rng-pci,disable-modern=on");
    VBuf b[2] = { { VD_BUF, 8, true }, { VD_BUF + 8, 8, true } };
    uint8_t bytes[16] = { 0 };
    uint32_t len;
    VDrv d;

    vdrv_open(&d, tm, pd, false);
    /* 32 feature bits, no VERSION_1. */
    g_assert_cmphex(vdrv_offered(&d), ==, 1u << VIRTIO_F_INDIRECT_DESC);
    g_assert_cmphex(vdrv_negotiate(&d, 0), ==, 0x03);
    vdrv_queue(&d, 0);
    g_assert_cmpuint(d.qsize, ==, 8);
    g_assert_cmphex(tm_io_read(tm, d.io + VPCI_LEGACY_QUEUE_PFN, 4), ==,
                    VD_RING >> 12);
    vdrv_driver_ok(&d);
    g_assert_cmphex(vdrv_status(&d), ==, 0x07);
    vdrv_write_ram(&d, VD_BUF, bytes, 16);
    g_assert_true(vdrv_request(&d, b, 2, &len));
    g_assert_cmpuint(len, ==, 16);
    vdrv_read_ram(&d, VD_BUF, bytes, 16);
    g_assert_true(not_all_zero(bytes, 16));
    g_assert_cmphex(vdrv_read_isr(&d), ==, 1);
    test_machine_free(tm);
}

static void test_access_platform(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    PCIDevice *pd = add(tm, "virtio-rng-pci,disable-legacy=on,"
                            "iommu_platform=on");
    uint64_t vp = VIRTIO_BIT(VIRTIO_F_VERSION_1);
    uint64_t ap = VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM);
    VDrv d;

    vdrv_open(&d, tm, pd, true);
    g_assert_cmphex(vdrv_offered(&d) >> 32, ==, 3);
    /* The driver declines ACCESS_PLATFORM: FEATURES_OK reads back clear,
     * exactly as QEMU 7.2 answers (status 0x03). */
    g_assert_cmphex(vdrv_negotiate(&d, vp), ==, 0x03);
    vdrv_set_status(&d, 0x83);
    g_assert_cmphex(vdrv_status(&d), ==, 0x83);
    /* Accepting it works. */
    g_assert_cmphex(vdrv_negotiate(&d, vp | ap), ==, 0x0b);
    /* Without VERSION_1 a modern driver is refused too. */
    g_assert_cmphex(vdrv_negotiate(&d, ap), ==, 0x03);
    test_machine_free(tm);
}

static void test_msix_vectors(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    PCIDevice *pd = add(tm, "virtio-rng-pci,disable-legacy=on,vectors=3");
    uint8_t cap = (uint8_t)cfg(tm, pd, 0x34);
    uint64_t table = cfg(tm, pd, 0x14) & ~0xfu;
    VBuf b = { VD_BUF, 4, true };
    TestMsi *m;
    VDrv d;

    g_assert_cmphex(cfg(tm, pd, cap) & 0xff, ==, 0x11);
    vdrv_open(&d, tm, pd, true);
    vdrv_negotiate(&d, VIRTIO_BIT(VIRTIO_F_VERSION_1));
    vdrv_queue(&d, 0);
    /* No MSI-X vector 3 exists: reads back NO_VECTOR. */
    vdrv_common_write(&d, VPCI_COMMON_MSIX, 3, 2);
    g_assert_cmphex(vdrv_common_read(&d, VPCI_COMMON_MSIX, 2), ==, 0xffff);
    vdrv_common_write(&d, VPCI_COMMON_MSIX, 0, 2);
    vdrv_common_write(&d, VPCI_COMMON_Q_MSIX, 2, 2);
    g_assert_cmphex(vdrv_common_read(&d, VPCI_COMMON_Q_MSIX, 2), ==, 2);
    tm_mem_write(tm, table + 2 * 16, 0xfee01000, 4);
    tm_mem_write(tm, table + 2 * 16 + 8, 0x31, 4);
    tm_mem_write(tm, table + 2 * 16 + 12, 0, 4);
    tm_cfg_write(tm, pd->devfn, cap + 2, 0x8000, 2);
    g_assert_true(msix_enabled(pd));
    vdrv_driver_ok(&d);
    g_assert_true(vdrv_request(&d, &b, 1, NULL));
    g_assert_cmpuint(tm->msis->len, ==, 1);
    m = &g_array_index(tm->msis, TestMsi, 0);
    g_assert_cmphex(m->addr, ==, 0xfee01000);
    g_assert_cmphex(m->data, ==, 0x31);
    g_assert_cmpint(tm->intx[PCI_SLOT(pd->devfn)][0], ==, 0);
    test_machine_free(tm);
}

static void test_broken_device(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    PCIDevice *pd = add(tm, "virtio-rng-pci,addr=5");
    VirtioState *vs = CG_VIRTIO_PCI(pd)->vs;
    VDrv d;

    vdrv_open(&d, tm, pd, true);
    vdrv_negotiate(&d, VIRTIO_BIT(VIRTIO_F_VERSION_1));
    vdrv_queue(&d, 0);
    vdrv_driver_ok(&d);
    /* The descriptor table moved outside RAM (the queue is enabled, so the
     * driver cannot do that through the registers; the core must still
     * cope).  The device breaks; NEEDS_RESET shows, INTx tells. */
    vs->vq[0].desc = 0xf0000000;
    tm_mem_write(tm, d.bar4 + d.notify, 0, 2);
    g_assert_true(vs->broken);
    g_assert_cmphex(vdrv_status(&d), ==, 0x4f);
    g_assert_cmpint(tm->intx[5][0], ==, 1);
    g_assert_cmphex(vdrv_read_isr(&d), ==, VIRTIO_ISR_CONFIG);
    vdrv_set_status(&d, 0);
    g_assert_false(vs->broken);
    /* queue_enable=0 is not allowed (virtio 1.1), as in QEMU. */
    vdrv_negotiate(&d, VIRTIO_BIT(VIRTIO_F_VERSION_1));
    vdrv_common_write(&d, VPCI_COMMON_Q_ENABLE, 0, 2);
    g_assert_cmpstr(vs->broken_reason, ==,
                    "queue 0: queue_enable written with 0; only 1 is "
                    "allowed");
    vdrv_set_status(&d, 0);
    /* A size that is not a power of two. */
    vdrv_negotiate(&d, VIRTIO_BIT(VIRTIO_F_VERSION_1));
    vdrv_common_write(&d, VPCI_COMMON_Q_SIZE, 3, 2);
    vdrv_common_write(&d, VPCI_COMMON_Q_ENABLE, 1, 2);
    g_assert_cmpstr(vs->broken_reason, ==,
                    "queue 0: size 3 is not a power of two between 1 and 8");
    /* Registers of a queue that does not exist read 0 and ignore writes. */
    vdrv_common_write(&d, VPCI_COMMON_Q_SELECT, 7, 2);
    vdrv_common_write(&d, VPCI_COMMON_Q_ENABLE, 1, 2);
    g_assert_cmphex(vdrv_common_read(&d, VPCI_COMMON_Q_SIZE, 2), ==, 0);
    g_assert_cmphex(vdrv_common_read(&d, VPCI_COMMON_Q_MSIX, 2), ==, 0xffff);
    test_machine_free(tm);
}

static void test_register_widths(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    PCIDevice *pd = add(tm, "virtio-rng-pci");
    VDrv d;

    vdrv_open(&d, tm, pd, true);
    vdrv_negotiate(&d, VIRTIO_BIT(VIRTIO_F_VERSION_1));
    /* A 64-bit write of a ring address, then byte reads of it. */
    vdrv_common_write(&d, VPCI_COMMON_Q_DESCLO, 0x1122334455667000ull, 8);
    g_assert_cmphex(vdrv_common_read(&d, VPCI_COMMON_Q_DESCHI, 4), ==,
                    0x11223344);
    g_assert_cmphex(vdrv_common_read(&d, VPCI_COMMON_Q_DESCLO + 1, 1), ==,
                    0x70);
    /* A dword read across status, generation and queue_select. */
    g_assert_cmphex(vdrv_common_read(&d, VPCI_COMMON_STATUS, 4), ==, 0x0b);
    /* Past the end of the common structure and in the notify area. */
    g_assert_cmphex(vdrv_common_read(&d, 0x40, 4), ==, 0);
    g_assert_cmphex(tm_mem_read(tm, d.bar4 + d.notify, 2), ==, 0);
    /* The legacy window of the same device sees the same status. */
    g_assert_cmphex(tm_io_read(tm, d.io + VPCI_LEGACY_STATUS, 1), ==, 0x0b);
    test_machine_free(tm);
}

static void test_pci_cfg_access(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    PCIDevice *pd = add(tm, "virtio-rng-pci");
    VDrv d;
    uint8_t cap;

    vdrv_open(&d, tm, pd, true);
    cap = vdrv_find_cap(&d, VIRTIO_PCI_CAP_PCI_CFG);
    g_assert_cmphex(cap, ==, 0x84);
    vdrv_negotiate(&d, VIRTIO_BIT(VIRTIO_F_VERSION_1));
    /* BAR4, offset of device_status, one byte: read it through config. */
    tm_cfg_write(tm, pd->devfn, cap + 4, 4, 1);
    tm_cfg_write(tm, pd->devfn, cap + 8, VPCI_COMMON_STATUS, 4);
    tm_cfg_write(tm, pd->devfn, cap + 12, 1, 4);
    g_assert_cmphex(tm_cfg_read(tm, pd->devfn, cap + 16, 4), ==, 0x0b);
    /* And write it: a reset. */
    tm_cfg_write(tm, pd->devfn, cap + 16, 0, 4);
    g_assert_cmphex(vdrv_status(&d), ==, 0);
    /* A window outside the BAR does nothing. */
    tm_cfg_write(tm, pd->devfn, cap + 8, 0x4000, 4);
    tm_cfg_write(tm, pd->devfn, cap + 16, 0x77, 4);
    g_assert_cmphex(tm_cfg_read(tm, pd->devfn, cap + 16, 4), ==, 0x77);
    test_machine_free(tm);
}

/* --- a guest that writes anything anywhere -------------------------------- */

/*
 * Random configuration, register and ring contents with a fixed seed: the
 * devices must survive (this runs under the sanitizers too) and still
 * work for a driver that resets them afterwards.
 */
static void test_random_guest(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    PCIDevice *devs[3] = {
        add(tm, "virtio-rng-pci"),
        add(tm, "virtio-rng-pci,disable-legacy=on,iommu_platform=on"),
        add(tm, "virtio-rng-pci,disable-modern=on,vectors=0"),
    };
    GRand *r = g_rand_new_with_seed(20261127);
    static const unsigned sizes[] = { 1, 2, 4, 8 };
    VBuf b = { VD_BUF, 16, true };
    VDrv d;

    for (unsigned i = 0; i < 200000; i++) {
        PCIDevice *pd = devs[g_rand_int_range(r, 0, 3)];
        unsigned size = sizes[g_rand_int_range(r, 0, 4)];
        /* Small values half the time: they select queues and set bits. */
        uint64_t val = g_rand_boolean(r)
                           ? (uint64_t)g_rand_int_range(r, 0, 16)
                           : (uint64_t)g_rand_int(r) << 32 | g_rand_int(r);
        uint64_t bar4 = (cfg(tm, pd, 0x20) & ~0xfu) |
                        (uint64_t)cfg(tm, pd, 0x24) << 32;
        uint64_t io = cfg(tm, pd, 0x10) & ~3u;
        uint32_t off;

        switch (g_rand_int_range(r, 0, 8)) {
        case 0: /* configuration space, BARs and command excepted */
            off = (uint32_t)g_rand_int_range(r, 0x3c, 0x100);
            tm_cfg_write(tm, pd->devfn, off, (uint32_t)val,
                         MIN(size, 4u));
            break;
        case 1:
            tm_cfg_write(tm, pd->devfn, 4, 0x7, 2);
            break;
        case 2: /* the modern BAR, mostly the common and notify regions */
            off = (uint32_t)g_rand_int_range(r, 0, 0x40);
            if (g_rand_boolean(r)) {
                off += 0x1000 * (uint32_t)g_rand_int_range(r, 0, 4);
            }
            tm_mem_write(tm, bar4 + off, val, size);
            break;
        case 3:
            off = (uint32_t)g_rand_int_range(r, 0, 0x4000);
            tm_mem_read(tm, bar4 + off, size);
            break;
        case 4: /* the legacy ports */
            off = (uint32_t)g_rand_int_range(r, 0, 0x20);
            tm_io_write(tm, io + off, val, MIN(size, 4u));
            break;
        case 5: /* garbage where drivers put rings and buffers */
            off = (uint32_t)g_rand_int_range(r, 0, 0x4000);
            tm_mem_write(tm, VD_RING + off, val, size);
            break;
        case 6: /* ring addresses pointing at the garbage */
            tm_mem_write(tm, bar4 + VPCI_COMMON_Q_DESCLO,
                         VD_RING + g_rand_int_range(r, 0, 0x3000), 4);
            tm_io_write(tm, io + VPCI_LEGACY_QUEUE_PFN,
                        (VD_RING >> 12) + g_rand_int_range(r, 0, 3), 4);
            break;
        default: /* kicks */
            tm_mem_write(tm, bar4 + 0x3000, 0, 2);
            tm_io_write(tm, io + VPCI_LEGACY_QUEUE_NOTIFY, 0, 2);
            break;
        }
    }
    g_rand_free(r);
    /* After a reset the first device works again. */
    devices_reset_all(CG_MACHINE(tm));
    vdrv_open(&d, tm, devs[0], true);
    g_assert_cmphex(vdrv_negotiate(&d, VIRTIO_BIT(VIRTIO_F_VERSION_1)), ==,
                    0x0b);
    vdrv_queue(&d, 0);
    vdrv_driver_ok(&d);
    g_assert_true(vdrv_request(&d, &b, 1, NULL));
    test_machine_free(tm);
}

/* --- default properties --------------------------------------------------- */

static bool prop_bool(DeviceState *dev, const char *name)
{
    gboolean v;

    g_object_get(dev, name, &v, NULL);
    return v;
}

static int prop_enum(DeviceState *dev, const char *name)
{
    int v;

    g_object_get(dev, name, &v, NULL);
    return v;
}

static void test_default_precedence(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    MachineState *ms = CG_MACHINE(tm);
    g_autoptr(GError) err = NULL;
    g_autoptr(DeviceState) d1 = NULL;
    g_autoptr(DeviceState) d2 = NULL;
    g_autoptr(DeviceState) d3 = NULL;

    /* Class default. */
    d1 = device_new(ms, "virtio-rng-pci", &err);
    g_assert_false(prop_bool(d1, "iommu_platform"));
    g_assert_cmpint(device_prop_origin(d1, "iommu_platform"), ==,
                    PROP_ORIGIN_CLASS_DEFAULT);
    g_assert_cmpint(prop_enum(d1, "disable-legacy"), ==, ON_OFF_AUTO_AUTO);

    /* Machine default, through the interface and the abstract class. */
    default_props_add(ms->defaults, "virtio-device", "iommu_platform", "on",
                      PROP_ORIGIN_MACHINE, NULL);
    default_props_add(ms->defaults, "virtio-pci", "disable-legacy", "on",
                      PROP_ORIGIN_MACHINE, NULL);
    d2 = device_new(ms, "virtio-blk-pci", &err);
    g_assert_true(prop_bool(d2, "iommu_platform"));
    g_assert_cmpint(device_prop_origin(d2, "iommu_platform"), ==,
                    PROP_ORIGIN_MACHINE);
    g_assert_cmpint(prop_enum(d2, "disable-legacy"), ==, ON_OFF_AUTO_ON);

    /* -global beats the machine default, whatever the order. */
    g_assert_true(default_props_add_global(
        ms->defaults, "virtio-rng-pci.disable-legacy=off", &err));
    g_assert_true(default_props_add_global(
        ms->defaults, "driver=virtio-device,property=iommu_platform,value=off",
        &err));
    d3 = device_new(ms, "virtio-rng-pci", &err);
    g_assert_false(prop_bool(d3, "iommu_platform"));
    g_assert_cmpint(device_prop_origin(d3, "iommu_platform"), ==,
                    PROP_ORIGIN_GLOBAL);
    g_assert_cmpint(prop_enum(d3, "disable-legacy"), ==, ON_OFF_AUTO_OFF);
    /* Explicit beats -global. */
    g_assert_true(device_set_prop(d3, "iommu_platform", CG_OPT_TEXT, "on",
                                  PROP_ORIGIN_EXPLICIT, &err));
    g_assert_true(prop_bool(d3, "iommu_platform"));
    g_assert_cmpint(device_prop_origin(d3, "iommu_platform"), ==,
                    PROP_ORIGIN_EXPLICIT);
    /* virtio-blk-pci is not a virtio-rng-pci: its legacy stays on. */
    g_clear_object(&d2);
    d2 = device_new(ms, "virtio-blk-pci", &err);
    g_assert_cmpint(prop_enum(d2, "disable-legacy"), ==, ON_OFF_AUTO_ON);
    test_machine_free(tm);
}

static void test_global_makes_modern(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    MachineState *ms = CG_MACHINE(tm);
    g_autoptr(GError) err = NULL;
    PCIDevice *pd;
    VDrv d;

    /* What -global virtio-device.iommu_platform=on plus
     * -global virtio-pci.disable-legacy=on give a plain -device. */
    g_assert_true(default_props_add_global(
        ms->defaults, "virtio-device.iommu_platform=on", &err));
    g_assert_true(default_props_add_global(
        ms->defaults, "virtio-pci.disable-legacy=on", &err));
    pd = add(tm, "virtio-rng-pci");
    g_assert_cmphex(cfg(tm, pd, 0), ==, 0x10441af4);
    vdrv_open(&d, tm, pd, true);
    g_assert_cmphex(vdrv_offered(&d) >> 32, ==, 3);
    test_machine_free(tm);
}

static void test_cgs_defaults(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    PCIDevice *pd;
    VDrv d;

    machine_set_cgs(tm);
    pd = add(tm, "virtio-rng-pci,id=rng0");
    g_assert_cmpint(device_prop_origin(CG_DEVICE(pd), "iommu_platform"), ==,
                    PROP_ORIGIN_MACHINE);
    g_assert_cmpint(device_prop_origin(CG_DEVICE(pd), "disable-legacy"), ==,
                    PROP_ORIGIN_MACHINE);
    /* Modern-only and offering ACCESS_PLATFORM. */
    g_assert_cmphex(cfg(tm, pd, 0), ==, 0x10441af4);
    vdrv_open(&d, tm, pd, true);
    g_assert_cmphex(vdrv_offered(&d) >> 32, ==, 3);
    g_assert_cmphex(vdrv_negotiate(&d, VIRTIO_BIT(VIRTIO_F_VERSION_1)), ==,
                    0x03);
    test_machine_free(tm);
}

static void test_cgs_override_warning(void)
{
    if (g_test_subprocess()) {
        TestMachine *tm = test_machine_new(16 << 20);
        g_autoptr(GError) err = NULL;
        PCIDevice *pd;

        machine_set_cgs(tm);
        /* Allowed, with one line of warning. */
        pd = add(tm, "virtio-rng-pci,id=rng1,iommu_platform=off");
        g_assert_cmphex(cfg(tm, pd, 0), ==, 0x10441af4);
        /* Re-enabling legacy leaves iommu_platform=on without a
         * modern-only device: refused, after the warning. */
        g_assert_null(test_device_add(
            tm, "virtio-rng-pci,id=rng2,disable-legacy=off", &err));
        g_printerr("error: %s\n", err->message);
        /* Restating the default warns about nothing. */
        add(tm, "virtio-rng-pci,iommu_platform=on");
        test_machine_free(tm);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr(
        "*warning: virtio-rng-pci id=rng1: iommu_platform=off (-device) "
        "overrides the default iommu_platform=on that "
        "confidential-guest-support (test-cgs 'cgs0') sets; the guest may "
        "not work protected\n"
        "*warning: virtio-rng-pci id=rng2: disable-legacy=off (-device) "
        "overrides the default disable-legacy=on that "
        "confidential-guest-support (test-cgs 'cgs0') sets; the guest may "
        "not work protected\n"
        "error: iommu_platform=on needs a modern-only device, but the "
        "legacy interface is on (disable-legacy=off); add "
        "disable-legacy=on\n");
    g_test_trap_assert_stderr_unmatched("*iommu_platform=on (-device)*");
}

static void test_help(void)
{
    g_autofree char *rng = NULL;
    g_autofree char *blk = NULL;
    static const char *const rng_lines[] = {
        "  addr=<str> ",
        "  disable-legacy=<OnOffAuto> ",
        "(one of: auto, on, off) (default: auto)\n",
        "  disable-modern=<bool> ",
        "  iommu_platform=<bool> ",
        "  multifunction=<bool> ",
        "  rng=<link<rng-backend>> ",
        "default: an internal rng-builtin\n",
        "  vectors=<uint32> ",
        "(default: 2)\n",
    };

    cg_types_init();
    rng = cg_class_properties_help(cg_type_lookup("virtio-rng-pci"));
    blk = cg_class_properties_help(cg_type_lookup("virtio-blk-pci"));
    for (size_t i = 0; i < G_N_ELEMENTS(rng_lines); i++) {
        g_assert_nonnull(strstr(rng, rng_lines[i]));
    }
    /* Every boolean shows its default. */
    g_assert_nonnull(strstr(rng, "(virtio 1.x) interface (default: off)\n"));
    g_assert_nonnull(strstr(rng, "confidential guests) (default: off)\n"));
    g_assert_nonnull(strstr(rng, "several functions (default: off)\n"));
    g_assert_nonnull(strstr(blk, "  drive=<str> "));
    g_assert_nonnull(strstr(blk, "  serial=<str> "));
    g_assert_nonnull(strstr(blk, "power of two (default: 256)\n"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    cg_types_init();
    g_test_add_func("/virtio-pci/layout/transitional",
                    test_layout_transitional);
    g_test_add_func("/virtio-pci/layout/modern-only",
                    test_layout_modern_only);
    g_test_add_func("/virtio-pci/layout/legacy-only",
                    test_layout_legacy_only);
    g_test_add_func("/virtio-pci/interface-errors", test_interface_errors);
    g_test_add_func("/virtio-pci/rng/modern", test_rng_modern);
    g_test_add_func("/virtio-pci/rng/backend-link", test_rng_backend_link);
    g_test_add_func("/virtio-pci/rng/legacy", test_rng_legacy);
    g_test_add_func("/virtio-pci/access-platform", test_access_platform);
    g_test_add_func("/virtio-pci/msix", test_msix_vectors);
    g_test_add_func("/virtio-pci/broken", test_broken_device);
    g_test_add_func("/virtio-pci/register-widths", test_register_widths);
    g_test_add_func("/virtio-pci/pci-cfg-access", test_pci_cfg_access);
    g_test_add_func("/virtio-pci/random-guest", test_random_guest);
    g_test_add_func("/virtio-pci/defaults/precedence",
                    test_default_precedence);
    g_test_add_func("/virtio-pci/defaults/global", test_global_makes_modern);
    g_test_add_func("/virtio-pci/defaults/cgs", test_cgs_defaults);
    g_test_add_func("/virtio-pci/defaults/cgs-override-warning",
                    test_cgs_override_warning);
    g_test_add_func("/virtio-pci/help", test_help);
    return g_test_run();
}
