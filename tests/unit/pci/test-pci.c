/* Unit tests: PCI host, config space, BARs, capabilities, INTx, MSI-X. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/pci/msix.h"
#include "test-machine.h"

#include <string.h>

/* --- test devices --------------------------------------------------------- */

/*
 * "test-pci-dev": BAR0 I/O 32 bytes, BAR1 32-bit 4 KiB, BAR2 64-bit
 * prefetchable 16 KiB, BAR4 64-bit 8 GiB (only the 64-bit window has room);
 * two capabilities.  Its BARs read 0xab000000 | offset and remember the
 * last write.
 */
typedef struct {
    PCIDevice parent_instance;
    uint64_t last_off;
    uint64_t last_val;
    unsigned writes;
    uint8_t cap_a, cap_b;
} TestDev;
typedef PCIDeviceClass TestDevClass;

CG_DEFINE_TYPE(TestDev, test_dev, "test-pci-dev", CG_TYPE_PCI_DEVICE)

static uint64_t tdev_read(void *opaque, uint64_t off, unsigned size)
{
    return 0xab000000u | off;
}

static void tdev_write(void *opaque, uint64_t off, uint64_t val,
                       unsigned size)
{
    TestDev *t = opaque;

    t->last_off = off;
    t->last_val = val;
    t->writes++;
}

static const MemoryOps tdev_ops = { .read = tdev_read, .write = tdev_write };

static bool tdev_realize(PCIDevice *pd, GError **err)
{
    TestDev *t = (TestDev *)pd;

    if (!pci_register_bar(pd, 0, PCI_BAR_IO, false, 32, &tdev_ops, t, err) ||
        !pci_register_bar(pd, 1, PCI_BAR_MEM32, false, 4096, &tdev_ops, t,
                          err) ||
        !pci_register_bar(pd, 2, PCI_BAR_MEM64, true, 16384, &tdev_ops, t,
                          err) ||
        !pci_register_bar(pd, 4, PCI_BAR_MEM64, false, 8ull << 30,
                          &tdev_ops, t, err)) {
        return false;
    }
    t->cap_a = pci_add_capability(pd, 0x09, 8, err);
    t->cap_b = pci_add_capability(pd, 0x0a, 6, err);
    return t->cap_a != 0 && t->cap_b != 0;
}

static void test_dev_class_init(TestDevClass *pc)
{
    CG_DEVICE_CLASS(pc)->user_creatable = true;
    pc->vendor_id = 0x1234;
    pc->device_id = 0x5678;
    pc->revision = 3;
    pc->class_code = 0x018000;
    pc->interrupt_pin = 1;
    pc->realize = tdev_realize;
}

static void test_dev_init(TestDev *t)
{
}

/* "test-msix-dev": 4 MSI-X vectors in BAR0, INTB. */
typedef struct {
    PCIDevice parent_instance;
} TestMsixDev;
typedef PCIDeviceClass TestMsixDevClass;

CG_DEFINE_TYPE(TestMsixDev, test_msix_dev, "test-msix-dev",
               CG_TYPE_PCI_DEVICE)

static bool tmsix_realize(PCIDevice *pd, GError **err)
{
    return msix_init(pd, 4, 0, err);
}

static void test_msix_dev_class_init(TestMsixDevClass *pc)
{
    CG_DEVICE_CLASS(pc)->user_creatable = true;
    pc->vendor_id = 0x1234;
    pc->device_id = 0x0001;
    pc->interrupt_pin = 2;
    pc->realize = tmsix_realize;
}

static void test_msix_dev_init(TestMsixDev *t)
{
}

static PCIDevice *add_dev(TestMachine *tm, const char *text)
{
    g_autoptr(GError) err = NULL;
    DeviceState *dev = test_device_add(tm, text, &err);

    g_assert_no_error(err);
    g_assert_nonnull(dev);
    return CG_PCI_DEVICE(dev);
}

static char *add_dev_error(TestMachine *tm, const char *text)
{
    g_autoptr(GError) err = NULL;

    g_assert_null(test_device_add(tm, text, &err));
    g_assert_nonnull(err);
    return g_strdup(err->message);
}

/* --- host and configuration mechanism ------------------------------------- */

static void test_host_bridge(void)
{
    TestMachine *tm = test_machine_new(16 << 20);

    g_assert_cmphex(tm_cfg_read(tm, 0, 0, 4), ==, 0x12378086);
    g_assert_cmphex(tm_cfg_read(tm, 0, 8, 4) >> 8, ==, 0x060000);
    g_assert_cmphex(tm_cfg_read(tm, 0, 8, 1), ==, 0x02);
    /* Nothing at 01.0: all ones, as a master abort. */
    g_assert_cmphex(tm_cfg_read(tm, PCI_DEVFN(1, 0), 0, 4), ==, 0xffffffff);
    g_assert_cmphex(tm_cfg_read(tm, PCI_DEVFN(1, 0), 2, 2), ==, 0xffff);
    test_machine_free(tm);
}

static void test_type1_access(void)
{
    TestMachine *tm = test_machine_new(16 << 20);

    /* Byte and word reads at 0xcfc + n select bytes of the dword. */
    g_assert_cmphex(tm_cfg_read(tm, 0, 0, 1), ==, 0x86);
    g_assert_cmphex(tm_cfg_read(tm, 0, 1, 1), ==, 0x80);
    g_assert_cmphex(tm_cfg_read(tm, 0, 2, 2), ==, 0x1237);
    g_assert_cmphex(tm_cfg_read(tm, 0, 3, 1), ==, 0x12);
    /* A word write at 0xcfc + 0 reaches the command register. */
    tm_cfg_write(tm, 0, 4, 0x0006, 2);
    g_assert_cmphex(tm_cfg_read(tm, 0, 4, 2), ==, 0x0006);
    /* The latch reads back; bus 1 and a clear enable bit read all ones. */
    tm_io_write(tm, 0xcf8, 0x80000004, 4);
    g_assert_cmphex(tm_io_read(tm, 0xcf8, 4), ==, 0x80000004);
    tm_io_write(tm, 0xcf8, 0x80010000, 4);
    g_assert_cmphex(tm_io_read(tm, 0xcfc, 4), ==, 0xffffffff);
    tm_io_write(tm, 0xcf8, 0x00000000, 4);
    g_assert_cmphex(tm_io_read(tm, 0xcfc, 4), ==, 0xffffffff);
    /* Byte writes to 0xcf8 do not latch an address. */
    tm_io_write(tm, 0xcf8, 0x80000008, 4);
    tm_io_write(tm, 0xcf8, 0x00, 1);
    g_assert_cmphex(tm_io_read(tm, 0xcf8, 4), ==, 0x80000008);
    test_machine_free(tm);
}

static void test_host_config_errors(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    MachineState *ms = CG_MACHINE(tm);
    g_autoptr(GError) err = NULL;
    PCIHostConfig cfg = { .name = "pci2" };

    g_assert_null(pci_host_create(ms, &cfg, &err));
    g_assert_cmpstr(err->message, ==,
                    "PCI host pci2: a 32-bit memory window is required");
    g_clear_error(&err);
    cfg.mmio32 = (PCIHostWindow){ 0xfffff000, 0x2000, 0 };
    g_assert_null(pci_host_create(ms, &cfg, &err));
    g_assert_cmpstr(err->message, ==,
                    "PCI host pci2: the 32-bit memory window "
                    "0xfffff000+0x2000 goes beyond 4 GiB");
    g_clear_error(&err);
    cfg.mmio32 = (PCIHostWindow){ 0xd0000000, 0x1000000, 0 };
    cfg.mmio64 = (PCIHostWindow){ 0xfffffffffffff000ull, 0x2000, 0 };
    g_assert_null(pci_host_create(ms, &cfg, &err));
    g_assert_cmpstr(err->message, ==,
                    "PCI host: the 64-bit memory window "
                    "0xfffffffffffff000+0x2000 wraps around");
    g_clear_error(&err);
    cfg.mmio64 = (PCIHostWindow){ 0 };
    /* 0xcf8 belongs to the first host already. */
    cfg.mmio32 = (PCIHostWindow){ 0xd0000000, 0x1000000, 0 };
    cfg.claim_cf8 = true;
    g_assert_null(pci_host_create(ms, &cfg, &err));
    g_assert_cmpstr(err->message, ==,
                    "pci-config: region 0xcf8+0x8 overlaps pci-config in the "
                    "io address space");
    test_machine_free(tm);
}

/* --- plugging ------------------------------------------------------------- */

static void test_plug_slots(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    PCIDevice *a = add_dev(tm, "test-pci-dev,id=a");
    PCIDevice *b = add_dev(tm, "test-pci-dev,addr=5");
    PCIDevice *c = add_dev(tm, "test-pci-dev");
    g_autofree char *e1 = add_dev_error(tm, "test-pci-dev,addr=1.0");
    g_autofree char *e2 = add_dev_error(tm, "test-pci-dev,addr=20");
    g_autofree char *e3 = add_dev_error(tm, "test-pci-dev,addr=4.8");

    /* The bridge has 00.0: the first free slot is 01. */
    g_assert_cmpint(a->devfn, ==, PCI_DEVFN(1, 0));
    g_assert_cmpint(b->devfn, ==, PCI_DEVFN(5, 0));
    g_assert_cmpint(c->devfn, ==, PCI_DEVFN(2, 0));
    g_assert_cmpstr(e1, ==,
                    "PCI address 01.0 is already in use by test-pci-dev "
                    "00:01.0 (id a); choose another addr= or leave it out");
    g_assert_cmpstr(e2, ==,
                    "test-pci-dev: invalid addr '20'; expected SLOT or "
                    "SLOT.FN in hex, slot 00..1f, function 0..7 (e.g. "
                    "addr=04.0)");
    g_assert_cmpstr(e3, ==, "test-pci-dev: invalid addr '4.8'; expected SLOT "
                            "or SLOT.FN in hex, slot 00..1f, function 0..7 "
                            "(e.g. addr=04.0)");
    /* The failed devices left their slots free. */
    g_assert_null(pci_host_find(tm->pci, PCI_DEVFN(0x1f, 0)));
    g_assert_cmphex(tm_cfg_read(tm, PCI_DEVFN(1, 0), 0, 4), ==, 0x56781234);
    test_machine_free(tm);
}

static void test_plug_multifunction(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    g_autofree char *e1 = NULL;
    g_autofree char *e2 = NULL;

    add_dev(tm, "test-pci-dev,addr=3.0");
    e1 = add_dev_error(tm, "test-pci-dev,addr=3.1");
    g_assert_cmpstr(e1, ==,
                    "PCI function 03.1 needs function 03.0 to be "
                    "multifunction, but test-pci-dev 00:03.0 is not; add "
                    "multifunction=on to it");
    add_dev(tm, "test-pci-dev,addr=4.2");
    e2 = add_dev_error(tm, "test-pci-dev,addr=4.0");
    g_assert_cmpstr(e2, ==,
                    "PCI slot 04 already has function 2 (test-pci-dev "
                    "00:04.2); add multifunction=on to the device at 04.0");
    add_dev(tm, "test-pci-dev,addr=4.0,multifunction=on");
    add_dev(tm, "test-pci-dev,addr=4.1");
    /* Function 0 says multifunction in its header type. */
    g_assert_cmphex(tm_cfg_read(tm, PCI_DEVFN(4, 0), 0x0e, 1), ==, 0x80);
    g_assert_cmphex(tm_cfg_read(tm, PCI_DEVFN(3, 0), 0x0e, 1), ==, 0x00);
    g_assert_cmphex(tm_cfg_read(tm, PCI_DEVFN(4, 1), 0, 2), ==, 0x1234);
    test_machine_free(tm);
}

/* --- BARs ----------------------------------------------------------------- */

static uint32_t size_bar(TestMachine *tm, int devfn, unsigned off)
{
    uint32_t old = tm_cfg_read(tm, devfn, off, 4);
    uint32_t mask;

    tm_cfg_write(tm, devfn, off, 0xffffffff, 4);
    mask = tm_cfg_read(tm, devfn, off, 4);
    tm_cfg_write(tm, devfn, off, old, 4);
    return mask;
}

static void test_bar_sizing(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    PCIDevice *pd = add_dev(tm, "test-pci-dev");
    int d = pd->devfn;

    g_assert_cmphex(size_bar(tm, d, 0x10), ==, 0xffffffe1);  /* I/O 32 */
    g_assert_cmphex(size_bar(tm, d, 0x14), ==, 0xfffff000);  /* mem 4K */
    g_assert_cmphex(size_bar(tm, d, 0x18), ==, 0xffffc00c);  /* 64-bit pf */
    g_assert_cmphex(size_bar(tm, d, 0x1c), ==, 0xffffffff);  /* its top */
    g_assert_cmphex(size_bar(tm, d, 0x20), ==, 0x00000004);  /* 8 GiB */
    g_assert_cmphex(size_bar(tm, d, 0x24), ==, 0xfffffffe);
    /* No BAR, no expansion ROM: nothing sticks. */
    tm_cfg_write(tm, d, 0x30, 0xffffffff, 4);
    g_assert_cmphex(tm_cfg_read(tm, d, 0x30, 4), ==, 0);
    /* Read-only identity. */
    tm_cfg_write(tm, d, 0, 0xffffffff, 4);
    g_assert_cmphex(tm_cfg_read(tm, d, 0, 4), ==, 0x56781234);
    g_assert_cmphex(tm_cfg_read(tm, d, 8, 4), ==, 0x01800003);
    g_assert_cmphex(tm_cfg_read(tm, d, 0x3d, 1), ==, 1);
    test_machine_free(tm);
}

static void test_bar_assigned(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    PCIDevice *a = add_dev(tm, "test-pci-dev");
    PCIDevice *b = add_dev(tm, "test-pci-dev");
    uint32_t io_a = tm_cfg_read(tm, a->devfn, 0x10, 4);
    uint32_t m_a = tm_cfg_read(tm, a->devfn, 0x14, 4);
    uint32_t p_a = tm_cfg_read(tm, a->devfn, 0x18, 4);
    uint64_t big_a = tm_cfg_read(tm, a->devfn, 0x20, 4) |
                     (uint64_t)tm_cfg_read(tm, a->devfn, 0x24, 4) << 32;
    uint32_t io_b = tm_cfg_read(tm, b->devfn, 0x10, 4);

    /* In the windows, naturally aligned, decoding off until the guest
     * enables it. */
    g_assert_cmphex(io_a, ==, TM_IO_BASE | 1);
    g_assert_cmphex(io_b, ==, (TM_IO_BASE + 32) | 1);
    g_assert_cmphex(m_a & ~0xfu, >=, TM_MMIO32_BASE);
    g_assert_cmphex(m_a & 0xfff, ==, 0);
    g_assert_cmphex(p_a & 0x3fff, ==, 0xc);
    g_assert_cmphex(tm_cfg_read(tm, a->devfn, 0x1c, 4), ==, 0);
    g_assert_cmphex(big_a & ~0xfull, ==, TM_MMIO64_BASE);
    g_assert_cmphex(tm_cfg_read(tm, a->devfn, 4, 2), ==, 0);
    g_assert_cmphex(tm_mem_read(tm, m_a & ~0xfu, 4), ==, 0xffffffff);

    /* The guest moves a BAR; reset puts the assignment back. */
    tm_cfg_write(tm, a->devfn, 0x14, 0xe8000000, 4);
    tm_cfg_write(tm, a->devfn, 4, 3, 2);
    devices_reset_all(CG_MACHINE(tm));
    g_assert_cmphex(tm_cfg_read(tm, a->devfn, 0x14, 4), ==, m_a);
    g_assert_cmphex(tm_cfg_read(tm, a->devfn, 4, 2), ==, 0);
    /* The interrupt line comes from the board at reset. */
    g_assert_cmphex(tm_cfg_read(tm, a->devfn, 0x3c, 1), ==, 10);
    test_machine_free(tm);
}

static void test_bar_decode(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    TestDev *t = (TestDev *)add_dev(tm, "test-pci-dev");
    PCIDevice *pd = CG_PCI_DEVICE(t);
    uint64_t mem = tm_cfg_read(tm, pd->devfn, 0x14, 4) & ~0xfu;
    uint64_t pf = tm_cfg_read(tm, pd->devfn, 0x18, 4) & ~0xfu;

    /* Memory decode on: the BARs answer; I/O still off. */
    tm_cfg_write(tm, pd->devfn, 4, 0x2, 2);
    g_assert_cmphex(tm_mem_read(tm, mem + 0x10, 4), ==, 0xab000010);
    g_assert_cmphex(tm_mem_read(tm, pf + 0x3ff0, 4), ==, 0xab003ff0);
    g_assert_cmphex(tm_io_read(tm, TM_IO_BASE + 4, 4), ==, 0xffffffff);
    tm_mem_write(tm, mem + 0x20, 0x55, 1);
    g_assert_cmpuint(t->writes, ==, 1);
    g_assert_cmphex(t->last_off, ==, 0x20);
    g_assert_cmphex(pci_bar_address(pd, 1), ==, mem);
    /* I/O on too. */
    tm_cfg_write(tm, pd->devfn, 4, 0x3, 2);
    g_assert_cmphex(tm_io_read(tm, TM_IO_BASE + 4, 2), ==, 0x0004);
    /* Moving a decoding BAR moves its mapping. */
    tm_cfg_write(tm, pd->devfn, 0x14, 0xe9000000, 4);
    g_assert_cmphex(tm_mem_read(tm, mem + 0x10, 4), ==, 0xffffffff);
    g_assert_cmphex(tm_mem_read(tm, 0xe9000010, 4), ==, 0xab000010);
    /* A 64-bit BAR moved above 4 GiB into the 64-bit window. */
    tm_cfg_write(tm, pd->devfn, 0x1c, 0xa, 4);
    g_assert_cmphex(pci_bar_address(pd, 2), ==, 0xa00000000ull | pf);
    g_assert_cmphex(tm_mem_read(tm, 0xa00000000ull | pf, 4), ==, 0xab000000);
    /* Decode off: everything goes. */
    tm_cfg_write(tm, pd->devfn, 4, 0, 2);
    g_assert_cmphex(tm_mem_read(tm, 0xe9000010, 4), ==, 0xffffffff);
    g_assert_cmphex(pci_bar_address(pd, 1), ==, PCI_BAR_UNMAPPED);
    test_machine_free(tm);
}

static void test_bar_misprogrammed(void)
{
    if (g_test_subprocess()) {
        TestMachine *tm = test_machine_new(16 << 20);
        PCIDevice *a = add_dev(tm, "test-pci-dev,addr=3");
        PCIDevice *b = add_dev(tm, "test-pci-dev,addr=4");
        uint32_t bar_a = tm_cfg_read(tm, a->devfn, 0x14, 4);

        tm_cfg_write(tm, a->devfn, 4, 2, 2);
        tm_cfg_write(tm, b->devfn, 4, 2, 2);
        /* b's BAR1 on top of a's: logged once, b's stays unmapped. */
        tm_cfg_write(tm, b->devfn, 0x14, bar_a, 4);
        tm_cfg_write(tm, b->devfn, 0x14, bar_a, 4);
        g_assert_cmphex(pci_bar_address(b, 1), ==, bar_a);
        g_assert_cmphex(tm_mem_read(tm, bar_a, 4), ==, 0xab000000);
        /* Over RAM, outside any window. */
        tm_cfg_write(tm, b->devfn, 0x14, 0x1000, 4);
        g_assert_cmphex(tm_mem_read(tm, 0x1000, 4), ==, 0);
        /* Somewhere valid again: mapped. */
        tm_cfg_write(tm, b->devfn, 0x14, 0xea000000, 4);
        g_assert_cmphex(tm_mem_read(tm, 0xea000004, 4), ==, 0xab000004);
        test_machine_free(tm);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr(
        "*warning: test-pci-dev 00:04.0 BAR1: not mapped at 0xe0000000: "
        "test-pci-dev 00:04.0 BAR1: region 0xe0000000+0x1000 overlaps "
        "test-pci-dev 00:03.0 BAR1 in the memory address space; it stays "
        "unmapped until the guest moves it\n");
    /* One line per BAR until it maps again: a guest cannot flood the log
     * by writing bad addresses. */
    g_test_trap_assert_stderr_unmatched("*not mapped at 0x1000*");
    g_test_trap_assert_stderr_unmatched("*overlaps*overlaps*");
}

/* --- capabilities, INTx, MSI-X -------------------------------------------- */

static void test_capabilities(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    TestDev *t = (TestDev *)add_dev(tm, "test-pci-dev");
    int d = CG_PCI_DEVICE(t)->devfn;
    uint8_t ptr = (uint8_t)tm_cfg_read(tm, d, 0x34, 1);

    g_assert_true(tm_cfg_read(tm, d, 6, 2) & 0x10);
    /* Added last, found first; 4-byte aligned after the header. */
    g_assert_cmphex(ptr, ==, t->cap_b);
    g_assert_cmphex(tm_cfg_read(tm, d, ptr, 1), ==, 0x0a);
    ptr = (uint8_t)tm_cfg_read(tm, d, ptr + 1, 1);
    g_assert_cmphex(ptr, ==, 0x40);
    g_assert_cmphex(t->cap_b, ==, 0x48);
    g_assert_cmphex(tm_cfg_read(tm, d, ptr, 1), ==, 0x09);
    g_assert_cmphex(tm_cfg_read(tm, d, ptr + 1, 1), ==, 0);
    /* The list is read-only to the guest. */
    tm_cfg_write(tm, d, 0x34, 0x80, 1);
    g_assert_cmphex(tm_cfg_read(tm, d, 0x34, 1), ==, t->cap_b);
    test_machine_free(tm);
}

static void test_intx(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    PCIDevice *a = add_dev(tm, "test-pci-dev,addr=6.0,multifunction=on");
    PCIDevice *b = add_dev(tm, "test-pci-dev,addr=6.1");

    pci_set_irq(a, 1);
    g_assert_cmpint(tm->intx[6][0], ==, 1);
    g_assert_true(tm_cfg_read(tm, a->devfn, 6, 2) & 0x08);
    /* Both functions on INTA: the slot's line is their OR. */
    pci_set_irq(b, 1);
    pci_set_irq(a, 0);
    g_assert_cmpint(tm->intx[6][0], ==, 1);
    pci_set_irq(b, 0);
    g_assert_cmpint(tm->intx[6][0], ==, 0);
    /* INTX_DISABLE masks the pin but not the status bit. */
    pci_set_irq(a, 1);
    tm_cfg_write(tm, a->devfn, 4, 0x400, 2);
    g_assert_cmpint(tm->intx[6][0], ==, 0);
    g_assert_true(tm_cfg_read(tm, a->devfn, 6, 2) & 0x08);
    tm_cfg_write(tm, a->devfn, 4, 0, 2);
    g_assert_cmpint(tm->intx[6][0], ==, 1);
    /* Reset drops it. */
    devices_reset_all(CG_MACHINE(tm));
    g_assert_cmpint(tm->intx[6][0], ==, 0);
    test_machine_free(tm);
}

static void test_msix(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    PCIDevice *pd = add_dev(tm, "test-msix-dev");
    int d = pd->devfn;
    uint8_t cap = (uint8_t)tm_cfg_read(tm, d, 0x34, 1);
    uint64_t bar = tm_cfg_read(tm, d, 0x10, 4) & ~0xfu;
    TestMsi *m;

    g_assert_cmphex(tm_cfg_read(tm, d, cap, 1), ==, 0x11);
    g_assert_cmphex(tm_cfg_read(tm, d, cap + 2, 2), ==, 3);   /* 4 vectors */
    g_assert_cmphex(tm_cfg_read(tm, d, cap + 4, 4), ==, 0);   /* BAR0, 0 */
    g_assert_cmphex(tm_cfg_read(tm, d, cap + 8, 4), ==, 0x800);
    g_assert_cmphex(size_bar(tm, d, 0x10), ==, 0xfffff000);
    tm_cfg_write(tm, d, 4, 0x6, 2);                 /* memory + master */
    /* Vectors start masked. */
    g_assert_cmphex(tm_mem_read(tm, bar + 16 + 12, 4), ==, 1);
    tm_mem_write(tm, bar + 16, 0xfee00000, 4);
    tm_mem_write(tm, bar + 16 + 4, 0, 4);
    tm_mem_write(tm, bar + 16 + 8, 0x4041, 4);

    /* Disabled: nothing. */
    msix_notify(pd, 1);
    g_assert_cmpuint(tm->msis->len, ==, 0);
    /* Enabled but masked: pending, sent on unmask. */
    tm_cfg_write(tm, d, cap + 2, 0x8000, 2);
    g_assert_true(msix_enabled(pd));
    msix_notify(pd, 1);
    g_assert_cmpuint(tm->msis->len, ==, 0);
    g_assert_true(msix_is_pending(pd, 1));
    g_assert_cmphex(tm_mem_read(tm, bar + 0x800, 8), ==, 0x2);
    tm_mem_write(tm, bar + 16 + 12, 0, 4);
    g_assert_cmpuint(tm->msis->len, ==, 1);
    m = &g_array_index(tm->msis, TestMsi, 0);
    g_assert_cmphex(m->addr, ==, 0xfee00000);
    g_assert_cmphex(m->data, ==, 0x4041);
    g_assert_false(msix_is_pending(pd, 1));
    /* Function mask, then lifted. */
    tm_cfg_write(tm, d, cap + 2, 0xc000, 2);
    msix_notify(pd, 1);
    g_assert_cmpuint(tm->msis->len, ==, 1);
    tm_cfg_write(tm, d, cap + 2, 0x8000, 2);
    g_assert_cmpuint(tm->msis->len, ==, 2);
    /* No bus master, no message. */
    tm_cfg_write(tm, d, 4, 0x2, 2);
    msix_notify(pd, 1);
    g_assert_cmpuint(tm->msis->len, ==, 2);
    /* Out-of-range vectors and the table size field are ignored. */
    tm_cfg_write(tm, d, 4, 0x6, 2);
    msix_notify(pd, 9);
    tm_cfg_write(tm, d, cap + 2, 0x8000 | 0x7ff, 2);
    g_assert_cmphex(tm_cfg_read(tm, d, cap + 2, 2), ==, 0x8003);
    g_assert_cmpuint(tm->msis->len, ==, 2);
    /* Enabling MSI-X drops a raised INTx (pin B). */
    tm_cfg_write(tm, d, cap + 2, 0, 2);
    pci_set_irq(pd, 1);
    g_assert_cmpint(tm->intx[PCI_SLOT(d)][1], ==, 1);
    tm_cfg_write(tm, d, cap + 2, 0x8000, 2);
    g_assert_cmpint(tm->intx[PCI_SLOT(d)][1], ==, 0);
    /* Reset: disabled, masked again. */
    devices_reset_all(CG_MACHINE(tm));
    g_assert_false(msix_enabled(pd));
    test_machine_free(tm);
}

static void count_dev(PCIDevice *pd, void *opaque)
{
    g_string_append_printf(opaque, "%02x.%x ", PCI_SLOT(pd->devfn),
                           PCI_FUNC(pd->devfn));
}

static void test_host_api(void)
{
    TestMachine *tm = test_machine_new(16 << 20);
    g_autoptr(GString) s = g_string_new(NULL);

    add_dev(tm, "test-pci-dev,addr=9");
    add_dev(tm, "test-msix-dev,addr=2");
    pci_host_foreach(tm->pci, count_dev, s);
    g_assert_cmpstr(s->str, ==, "00.0 02.0 09.0 ");
    g_assert_cmphex(pci_host_config_read(tm->pci, PCI_DEVFN(9, 0), 0, 4), ==,
                    0x56781234);
    g_assert_cmphex(pci_host_config_read(tm->pci, PCI_DEVFN(8, 0), 0, 2), ==,
                    0xffff);
    g_assert_cmphex(pci_host_config_read(tm->pci, PCI_DEVFN(9, 0), 0xfe, 4),
                    ==, 0xffffffff);
    pci_host_config_write(tm->pci, PCI_DEVFN(9, 0), 0x3c, 0x5a, 1);
    g_assert_cmphex(pci_host_config_read(tm->pci, PCI_DEVFN(9, 0), 0x3c, 1),
                    ==, 0x5a);
    g_assert_true(pci_host_machine(tm->pci) == CG_MACHINE(tm));
    g_assert_cmpstr(pci_host_get_config(tm->pci)->name, ==, "pci");
    g_assert_true(cg_object_resolve_path(test_machine_root(tm),
                                         "/machine/pci/bridge") != NULL);
    test_machine_free(tm);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pci/host/bridge", test_host_bridge);
    g_test_add_func("/pci/host/type1-access", test_type1_access);
    g_test_add_func("/pci/host/config-errors", test_host_config_errors);
    g_test_add_func("/pci/host/api", test_host_api);
    g_test_add_func("/pci/plug/slots", test_plug_slots);
    g_test_add_func("/pci/plug/multifunction", test_plug_multifunction);
    g_test_add_func("/pci/bar/sizing", test_bar_sizing);
    g_test_add_func("/pci/bar/assigned", test_bar_assigned);
    g_test_add_func("/pci/bar/decode", test_bar_decode);
    g_test_add_func("/pci/bar/misprogrammed", test_bar_misprogrammed);
    g_test_add_func("/pci/capabilities", test_capabilities);
    g_test_add_func("/pci/intx", test_intx);
    g_test_add_func("/pci/msix", test_msix);
    return g_test_run();
}
