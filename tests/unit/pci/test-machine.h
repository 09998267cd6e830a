/* A machine for unit tests: RAM, an I/O space, a PCI host, recorded IRQs. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_TESTS_UNIT_PCI_TEST_MACHINE_H
#define CGEMU_TESTS_UNIT_PCI_TEST_MACHINE_H

#include "hw/core/machine.h"
#include "hw/pci/pci-host.h"

/*
 * "test-pci-machine": RAM at 0, a PCI host with the windows below, 0xcf8
 * claimed, INTx and MSIs recorded instead of delivered.
 */
#define TM_MMIO32_BASE 0xe0000000ull
#define TM_MMIO32_SIZE 0x10000000ull
#define TM_MMIO64_BASE 0x800000000ull
#define TM_MMIO64_SIZE 0x800000000ull
#define TM_IO_BASE 0xc000u
#define TM_IO_SIZE 0x4000u

typedef struct TestMsi {
    uint64_t addr;
    uint32_t data;
} TestMsi;

typedef struct TestMachine {
    MachineState parent_instance;
    PCIHost *pci;
    int intx[PCI_SLOTS][4];    /* last level per slot and pin */
    unsigned intx_calls;
    GArray *msis;              /* TestMsi */
    bool msi_fail;             /* msi_send reports failure */
} TestMachine;

GType test_machine_get_type(void);
#define TEST_MACHINE(obj)                                                     \
    G_TYPE_CHECK_INSTANCE_CAST((obj), test_machine_get_type(), TestMachine)

/*
 * A machine with @ram bytes of RAM at 0, created and board-initialised
 * under a new root (/machine).  Free with test_machine_free().
 */
TestMachine *test_machine_new(uint64_t ram);
void test_machine_free(TestMachine *tm);
CgObject *test_machine_root(TestMachine *tm);

/* -device TEXT (keyval); NULL with @err on failure. */
DeviceState *test_device_add(TestMachine *tm, const char *text,
                             GError **err);

/* Configuration space through 0xcf8/0xcfc, as a guest does it. */
uint32_t tm_cfg_read(TestMachine *tm, int devfn, unsigned off,
                     unsigned size);
void tm_cfg_write(TestMachine *tm, int devfn, unsigned off, uint32_t val,
                  unsigned size);

/* Guest memory and port accesses (RAM or device regions). */
uint64_t tm_mem_read(TestMachine *tm, uint64_t addr, unsigned size);
void tm_mem_write(TestMachine *tm, uint64_t addr, uint64_t val,
                  unsigned size);
uint64_t tm_io_read(TestMachine *tm, uint64_t port, unsigned size);
void tm_io_write(TestMachine *tm, uint64_t port, uint64_t val,
                 unsigned size);

#endif
