/* The abstract x86 machine: what boards share with the x86 CPU code. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_I386_X86_MACHINE_H
#define CGEMU_HW_I386_X86_MACHINE_H

#include <stddef.h>     /* hw/core/irq.h uses NULL */

#include "hw/core/irq.h"
#include "hw/core/machine.h"
#include "qom/enums.h"

G_BEGIN_DECLS

typedef struct X86CpuConfig X86CpuConfig;

/*
 * The state the boot vCPU starts in, chosen by the board's loader.  The
 * application processors always start as on a PC: waiting for INIT/SIPI.
 */
typedef enum {
    X86_BOOT_NONE,      /* nothing was loaded: the vCPUs cannot run */
    X86_BOOT_RESET,     /* power-on state: real mode at 0xfffffff0 */
    X86_BOOT_PROT32,    /* 32-bit protected mode, paging off (PVH, Linux
                           32-bit boot protocol) */
    X86_BOOT_LONG64,    /* 64-bit long mode with the loader's page tables
                           (Linux 64-bit boot protocol) */
} X86BootMode;

typedef struct X86BootState {
    X86BootMode mode;
    uint64_t rip;
    uint64_t rbx;       /* PVH: hvm_start_info */
    uint64_t rsi;       /* Linux: boot_params */
    /* PROT32/LONG64: flat segments with these selectors; the GDT the
     * loader placed (limit 0: none, for PVH which needs none). */
    uint16_t cs;
    uint16_t ds;
    uint64_t gdt_base;
    uint16_t gdt_limit;
    uint64_t cr3;       /* LONG64: the PML4 */
    /*
     * The application processors' reset vector, when the firmware names
     * one (SEV-ES: the guest's VMSAs are encrypted with it, so a SIPI
     * cannot redirect them later); 0: the architectural 0xfffffff0.
     */
    uint32_t ap_reset_addr;
} X86BootState;

#define TYPE_X86_MACHINE "x86-machine"
#define CG_TYPE_X86_MACHINE (x86_machine_get_type())
CG_DECLARE_TYPE(X86MachineState, x86_machine, CG, X86_MACHINE)

struct _X86MachineState {
    MachineState parent_instance;

    /* Set by the board (step 6) for the accelerator's vCPU reset. */
    X86BootState boot;
    X86CpuConfig *cpu;          /* -cpu, parsed; owned */
    OnOffAuto pit;              /* -machine pit=: the 8254 timer */

    /*
     * Raises/lowers an interrupt controller input (GSI: ISA IRQ 0-15 and
     * IOAPIC pins 16-23), installed by the accelerator at step 4 (KVM: the
     * in-kernel PIC and IOAPIC).  NULL without one: lines do nothing.
     */
    IrqHandler set_gsi;
    void *gsi_opaque;
};

struct _X86MachineStateClass {
    MachineStateClass parent_class;
};

/* Whether the board has an 8254 timer (-machine pit=on|auto). */
bool x86_machine_has_pit(const X86MachineState *x86ms);

/* An interrupt line to GSI @gsi of @x86ms, for a device to raise. */
IrqLine x86_machine_gsi_line(X86MachineState *x86ms, int gsi);

/*
 * For ISA devices: ISA IRQ @irq (0-15) of @ms, which must be an x86
 * machine (the only ones with an ISA bus); the error names @dev_type.
 */
bool x86_machine_isa_irq(MachineState *ms, const char *dev_type,
                         unsigned irq, IrqLine *line, GError **err);

G_END_DECLS

#endif
