/* The s390x "s390-ccw-virtio" machine. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/core/machine.h"

typedef struct {
    MachineState parent_instance;
} S390CcwMachineState;
typedef MachineStateClass S390CcwMachineStateClass;

CG_DEFINE_TYPE(S390CcwMachineState, s390_ccw_machine,
               "s390-ccw-virtio-machine", CG_TYPE_MACHINE)

static bool s390_ccw_machine_board_init(MachineState *ms, GError **err)
{
    return machine_add_ram(ms, "s390.ram", 0, ms->ram_size, false, err) !=
           NULL;
}

static void s390_ccw_machine_class_init(S390CcwMachineStateClass *mc)
{
    mc->name = "s390-ccw-virtio";
    mc->desc = "VirtIO-ccw based S390 machine";
    mc->is_default = true;
    mc->max_cpus = 1;
    mc->init = s390_ccw_machine_board_init;
}

static void s390_ccw_machine_init(S390CcwMachineState *self)
{
}
