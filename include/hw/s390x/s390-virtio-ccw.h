/* The s390x "s390-ccw-virtio" machine. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_S390X_S390_VIRTIO_CCW_H
#define CGEMU_HW_S390X_S390_VIRTIO_CCW_H

#include "hw/core/machine.h"
#include "hw/s390x/css.h"
#include "hw/s390x/ipl.h"
#include "target/s390x/cpu-models.h"

G_BEGIN_DECLS

/*
 * RAM from 0, up to 248 vCPUs (QEMU's limit), a channel subsystem for the
 * virtio-ccw devices, and the IPL state: what -kernel loaded and the IPL
 * parameter blocks the guest stored with DIAGNOSE 308.
 *
 * Resets: the guest asks for them with DIAGNOSE 308 (re-IPL, clear and
 * normal resets, the protected IPL); the vCPU that decoded the request
 * records it here (s390_ccw_machine_request_reset) and the reset runs in
 * the main loop with every vCPU stopped.  Under KVM the whole s390x reset
 * sequence -- leaving or entering protected mode, putting the loaded
 * images back, the vCPU resets and the IPL CPU's start -- is done by
 * target/s390x/kvm.c when the accelerator resets the vCPUs, so that a
 * failure stops the VM before any vCPU runs again; the board's own reset
 * hook only restores the images when no KVM runs (qtest).
 */
typedef enum {
    S390_RESET_EXTERNAL,        /* start-up, QMP system_reset: a re-IPL */
    S390_RESET_REIPL,           /* DIAGNOSE 308 subcode 3, load clear */
    S390_RESET_MODIFIED_CLEAR,  /* subcode 0 */
    S390_RESET_LOAD_NORMAL,     /* subcode 1 */
    S390_RESET_PV,              /* subcode 10: the protected IPL */
} S390ResetType;

#define TYPE_S390_CCW_MACHINE "s390-ccw-virtio-machine"
#define S390_MAX_CPUS 248

typedef struct S390CcwMachineState {
    MachineState parent_instance;

    S390CpuModel *cpu;          /* -cpu, resolved (by KVM at step 4) */
    void *ram_area;             /* the reservation guest RAM is in */
    int ram_fd;
    S390Css *css;
    uint64_t ipl_psw_addr;      /* where -kernel starts; 0: nothing */
    GPtrArray *images;          /* GBytes of each load record */

    /* DIAGNOSE 308 state (the machine lock protects it). */
    uint8_t iplb[S390_IPLB_SIZE];
    bool iplb_valid;
    uint8_t iplb_pv[S390_IPLB_SIZE];
    bool iplb_pv_valid;
    S390ResetType reset_type;
    unsigned reset_cpu;         /* the vCPU that asked */
    bool pv;                    /* the guest runs protected now */
} S390CcwMachineState;

/* The machine behind @ms, or NULL when it is another board. */
S390CcwMachineState *s390_ccw_machine(MachineState *ms);
/* Its channel subsystem, or NULL. */
S390Css *s390_ccw_machine_css(MachineState *ms);

/* Records a guest-requested reset and asks the main loop for it. */
void s390_ccw_machine_request_reset(S390CcwMachineState *m,
                                    S390ResetType type, unsigned cpu);
/* The pending reset type; it becomes S390_RESET_EXTERNAL again. */
S390ResetType s390_ccw_machine_take_reset(S390CcwMachineState *m,
                                          unsigned *cpu);

/* Puts back what the loaders placed (a re-IPL). */
void s390_ccw_machine_restore_images(S390CcwMachineState *m);

G_END_DECLS

#endif
