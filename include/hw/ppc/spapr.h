/* The pseries machine (PAPR): layout, boot state, and its parts' APIs. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_PPC_SPAPR_H
#define CGEMU_HW_PPC_SPAPR_H

#include "hw/core/device.h"
#include "hw/pci/pci-host.h"
#include "target/ppc/cpu-models.h"

G_BEGIN_DECLS

/*
 * Guest-physical layout (docs/system/ppc/pseries.rst):
 *
 *   0 .. RAM size            RAM; the kernel at the physical address its
 *                            ELF gives (0 for Linux), the initrd after it
 *   fw_top - 1 MiB - 64 KiB  RTAS: the 20-byte entry stub
 *   fw_top - 1 MiB           the flattened device tree (at most 1 MiB)
 *                            fw_top = min(RAM size, 256 MiB), so that both
 *                            lie in the real-mode area a guest can reach
 *                            with its MMU off
 *   0x200000000000           PHB I/O window, 64 KiB (bus 0)
 *   0x200080000000           PHB 32-bit MMIO window, 2 GiB (bus 0x80000000)
 *   0x210000000000           PHB 64-bit MMIO window, 1 TiB (bus = CPU)
 *
 * The RTAS and device-tree ranges are /memreserve/ entries of the tree,
 * so the guest leaves them alone.
 */
#define SPAPR_RMA_MAX (256ull << 20)
#define SPAPR_FDT_MAX_SIZE (1ull << 20)
#define SPAPR_RTAS_SIZE (64ull << 10)
#define SPAPR_MIN_RAM (32ull << 20)
#define SPAPR_RAM_ALIGN (64ull << 10)   /* POWER hosts' page size */

#define SPAPR_PHB_BUID 0x800000020000000ull
#define SPAPR_PHB_IO_CPU 0x200000000000ull
#define SPAPR_PHB_IO_SIZE 0x10000ull
#define SPAPR_PHB_MMIO32_BUS 0x80000000ull
#define SPAPR_PHB_MMIO32_CPU 0x200080000000ull
#define SPAPR_PHB_MMIO32_SIZE 0x80000000ull
#define SPAPR_PHB_MMIO64_CPU 0x210000000000ull
#define SPAPR_PHB_MMIO64_SIZE 0x10000000000ull

/* VIO unit addresses are given out from here, as on PowerVM and QEMU. */
#define SPAPR_VIO_REG_BASE 0x71000000u

#define SPAPR_MAX_CPUS 1024
#define SPAPR_MAX_SERIALS 4

/*
 * What the board loaded and where the boot vCPU starts (the accelerator
 * applies it at every reset): the kernel's entry with r3 = the device
 * tree, r4 = the kernel's base, r5 = 0 (no Open Firmware client
 * interface), 64-bit mode, big-endian (a little-endian Linux switches
 * itself at its entry).
 */
typedef struct SpaprBootState {
    bool have_kernel;
    bool kernel_le;             /* the ELF's byte order, for messages */
    uint64_t entry;
    uint64_t kernel_base;
    uint64_t kernel_end;        /* base + memory size of the image */
    uint64_t initrd_base;
    uint64_t initrd_size;       /* 0: no initrd */
    uint64_t fw_top;
    uint64_t rtas_addr;
    uint64_t fdt_addr;
} SpaprBootState;

#define TYPE_SPAPR_MACHINE "pseries-machine"
#define CG_TYPE_SPAPR_MACHINE (spapr_machine_get_type())
CG_DECLARE_TYPE(SpaprMachineState, spapr_machine, CG, SPAPR_MACHINE)

struct _SpaprMachineState {
    MachineState parent_instance;

    PpcCpuConfig cpu;           /* -cpu, fitted to the host under KVM */
    PCIHost *phb;
    SpaprBootState boot;
    GBytes *fdt;                /* the tree placed at the last reset */
    GPtrArray *images;          /* GBytes per load record, for resets */
    unsigned resets;
    uint32_t next_vio_reg;
};

struct _SpaprMachineStateClass {
    MachineStateClass parent_class;
};

/* The pseries machine of @ms, or NULL when @ms is another board. */
SpaprMachineState *spapr_machine(MachineState *ms);

/*
 * Puts back what the loaders placed (kernel, initrd, RTAS, device tree).
 * The board does it at each reset after the first, except for a
 * confidential guest: its memory may be secure until KVM_PPC_SVM_OFF, so
 * the accelerator calls this after that (when spapr->resets > 1).
 */
void spapr_machine_restore_images(SpaprMachineState *spapr);

/* --- spapr-boot.c: -kernel, -initrd ------------------------------------ */

/*
 * Computes the firmware area, reads and places -kernel (a ppc64 ELF,
 * either byte order) and -initrd.  Step 6, after RAM.  Without -kernel,
 * boot->have_kernel stays false (and -initrd/-append are errors).
 */
bool spapr_boot_load(MachineState *ms, SpaprBootState *boot, GError **err);

/* Places the RTAS stub and the device tree blob (steps 8 and 10). */
bool spapr_boot_place_firmware(MachineState *ms, const SpaprBootState *boot,
                               GBytes *fdt, GError **err);

/* --- spapr-fdt.c: the device tree -------------------------------------- */

/*
 * Builds the flattened device tree of @spapr as it is now (vCPUs, RAM,
 * boot files, VIO devices, PHB and its devices).  The blob is packed and
 * passes fdt_check_full.  NULL with @err if it exceeds
 * SPAPR_FDT_MAX_SIZE.
 */
GBytes *spapr_build_fdt(SpaprMachineState *spapr, GError **err);

/* --- spapr-pci.c: the PCI host bridge ---------------------------------- */

/* Creates the PHB with the windows above (step 6). */
bool spapr_phb_create(SpaprMachineState *spapr, GError **err);
/* Adds the PHB node and a node per function to @fdt under @parent. */
int spapr_phb_dt_populate(SpaprMachineState *spapr, void *fdt, int parent);

/* --- spapr-vty.c: the VIO console -------------------------------------- */

#define TYPE_SPAPR_VTY "spapr-vty"

/*
 * A vty on chardev @chardev_id (NULL: output is dropped), created and
 * realized; its reg is the next free VIO unit address.
 */
DeviceState *spapr_vty_create(MachineState *ms, const char *chardev_id,
                              GError **err);
/* The vty with unit address @reg, or NULL. */
DeviceState *spapr_vty_find(MachineState *ms, uint32_t reg);
/* Unit address of a vty. */
uint32_t spapr_vty_reg(DeviceState *vty);
/* Output: @len bytes to the chardev.  Input: up to @max bytes taken. */
void spapr_vty_put_chars(DeviceState *vty, const uint8_t *buf, size_t len);
size_t spapr_vty_get_chars(DeviceState *vty, uint8_t *buf, size_t max);
/* Every vty in unit address order (the caller frees the array). */
GPtrArray *spapr_vty_list(MachineState *ms);

/* --- spapr-rtas.c: Run-Time Abstraction Services ----------------------- */

/* RTAS status words (PAPR). */
#define RTAS_OUT_SUCCESS 0
#define RTAS_OUT_HW_ERROR -1
#define RTAS_OUT_PARAM_ERROR -3

/* Each call has a name and a token; the tokens are in /rtas. */
size_t spapr_rtas_count(void);
const char *spapr_rtas_name(size_t i);
uint32_t spapr_rtas_token(size_t i);

/*
 * A call as the guest makes it through the RTAS entry (H_RTAS with the
 * address of an rtas_args block: token, nargs, nret, then nargs
 * arguments and nret results, each a big-endian 32-bit word).  Returns
 * an hcall status: H_SUCCESS once the results are written (the call's
 * own status is result 0), H_PARAMETER if the block is not in RAM.
 * @vcpu is the caller's index, or -1 from qtest.  Machine lock held.
 */
int64_t spapr_rtas_call(SpaprMachineState *spapr, int vcpu, uint64_t args);

/*
 * The same by name with separate argument and result arrays (qtest's
 * "rtas NAME NARGS ARGS NRET RETS").  Returns H_SUCCESS, or H_PARAMETER
 * for an unknown name or arrays outside RAM.
 */
int64_t spapr_rtas_call_by_name(SpaprMachineState *spapr, const char *name,
                                uint32_t nargs, uint64_t args, uint32_t nret,
                                uint64_t rets);

/* --- spapr-hcall.c: hypercalls ----------------------------------------- */

/* PAPR hypercall numbers and statuses cgemu implements. */
#define H_SUCCESS 0
#define H_HARDWARE -1
#define H_FUNCTION -2
#define H_PARAMETER -4
#define H_GET_TERM_CHAR 0x54
#define H_PUT_TERM_CHAR 0x58
/* QEMU's private hypercall for RTAS, made by the RTAS entry stub. */
#define KVMPPC_H_RTAS 0xf000

/*
 * Serves hypercall @nr of vCPU @vcpu with @args (r4-r12 in, and out where
 * the call returns values).  Returns the status for r3.  Called on the
 * vCPU's thread; takes the machine lock.
 */
int64_t spapr_hypercall(SpaprMachineState *spapr, unsigned vcpu, uint64_t nr,
                        uint64_t args[9]);

G_END_DECLS

#endif
