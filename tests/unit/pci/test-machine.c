/* A machine for unit tests: RAM, an I/O space, a PCI host, recorded IRQs. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "test-machine.h"

#include "hw/core/device.h"
#include "util/keyval.h"

typedef MachineStateClass TestMachineClass;

CG_DEFINE_TYPE(TestMachine, test_machine, "test-pci-machine",
               CG_TYPE_MACHINE)

static void set_intx(void *opaque, int slot, int pin, int level)
{
    TestMachine *tm = opaque;

    tm->intx[slot][pin] = level;
    tm->intx_calls++;
}

/* Line 10 + pin, as a board's routing table would give. */
static uint8_t intx_line(void *opaque, int slot, int pin)
{
    return (uint8_t)(10 + pin);
}

static bool msi_send(void *opaque, uint64_t addr, uint32_t data)
{
    TestMachine *tm = opaque;
    TestMsi m = { addr, data };

    if (tm->msi_fail) {
        return false;
    }
    g_array_append_val(tm->msis, m);
    return true;
}

static bool test_machine_board_init(MachineState *ms, GError **err)
{
    TestMachine *tm = TEST_MACHINE(ms);
    PCIHostConfig cfg = {
        .name = "pci",
        .mmio32 = { TM_MMIO32_BASE, TM_MMIO32_SIZE, 0 },
        .mmio64 = { TM_MMIO64_BASE, TM_MMIO64_SIZE, 0 },
        .io = { TM_IO_BASE, TM_IO_SIZE, 0 },
        .claim_cf8 = true,
        .set_intx = set_intx,
        .intx_line = intx_line,
        .opaque = tm,
    };

    if (machine_add_ram(ms, "ram", 0, ms->ram_size, false, err) == NULL) {
        return false;
    }
    ms->io = address_space_new("io", 0x10000);
    ms->msi_send = msi_send;
    ms->msi_opaque = tm;
    tm->pci = pci_host_create(ms, &cfg, err);
    return tm->pci != NULL;
}

static bool test_machine_plug(MachineState *ms, DeviceState *dev,
                              GError **err)
{
    return pci_host_plug(TEST_MACHINE(ms)->pci, dev, err);
}

static void test_machine_finalize(GObject *obj)
{
    g_array_unref(TEST_MACHINE(obj)->msis);
    G_OBJECT_CLASS(test_machine_parent_class)->finalize(obj);
}

static void test_machine_class_init(TestMachineClass *mc)
{
    G_OBJECT_CLASS(mc)->finalize = test_machine_finalize;
    mc->name = "test-pci";
    mc->desc = "unit test machine with a PCI bus";
    mc->has_pci = true;
    mc->init = test_machine_board_init;
    mc->plug = test_machine_plug;
}

static void test_machine_init(TestMachine *tm)
{
    tm->msis = g_array_new(FALSE, TRUE, sizeof(TestMsi));
}

TestMachine *test_machine_new(uint64_t ram)
{
    g_autoptr(GError) err = NULL;
    CgObject *root;
    MachineState *ms;

    cg_types_init();
    root = cg_object_new_root();
    ms = g_object_new(test_machine_get_type(), NULL);
    ms->ram_size = ram;
    g_assert_true(cg_object_add_child(root, "machine", CG_OBJECT(ms), &err));
    g_object_unref(ms);
    g_assert_true(CG_MACHINE_GET_CLASS(ms)->init(ms, &err));
    g_assert_no_error(err);
    ms->created = true;
    return TEST_MACHINE(ms);
}

CgObject *test_machine_root(TestMachine *tm)
{
    return cg_object_get_root(CG_OBJECT(tm));
}

void test_machine_free(TestMachine *tm)
{
    g_object_unref(test_machine_root(tm));
}

DeviceState *test_device_add(TestMachine *tm, const char *text, GError **err)
{
    g_autoptr(CgOpts) opts = cg_keyval_parse(text, "driver", err);

    if (opts == NULL) {
        return NULL;
    }
    return device_create_from_opts(CG_MACHINE(tm), opts, err);
}

static uint32_t cf8(int devfn, unsigned off)
{
    return 0x80000000u | (uint32_t)devfn << 8 | (off & 0xfc);
}

uint32_t tm_cfg_read(TestMachine *tm, int devfn, unsigned off, unsigned size)
{
    tm_io_write(tm, 0xcf8, cf8(devfn, off), 4);
    return (uint32_t)tm_io_read(tm, 0xcfc + (off & 3), size);
}

void tm_cfg_write(TestMachine *tm, int devfn, unsigned off, uint32_t val,
                  unsigned size)
{
    tm_io_write(tm, 0xcf8, cf8(devfn, off), 4);
    tm_io_write(tm, 0xcfc + (off & 3), val, size);
}

uint64_t tm_mem_read(TestMachine *tm, uint64_t addr, unsigned size)
{
    uint64_t v;

    address_space_read_val(CG_MACHINE(tm)->mem, addr, size, &v);
    return v;
}

void tm_mem_write(TestMachine *tm, uint64_t addr, uint64_t val, unsigned size)
{
    address_space_write_val(CG_MACHINE(tm)->mem, addr, size, val);
}

uint64_t tm_io_read(TestMachine *tm, uint64_t port, unsigned size)
{
    uint64_t v;

    address_space_read_val(CG_MACHINE(tm)->io, port, size, &v);
    return v;
}

void tm_io_write(TestMachine *tm, uint64_t port, uint64_t val, unsigned size)
{
    address_space_write_val(CG_MACHINE(tm)->io, port, size, val);
}
