/* The x86 "pc" machine. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/core/machine.h"

typedef struct {
    MachineState parent_instance;
} PCMachineState;
typedef MachineStateClass PCMachineStateClass;

CG_DEFINE_TYPE(PCMachineState, pc_machine, "pc-machine", CG_TYPE_MACHINE)

static bool pc_machine_board_init(MachineState *ms, GError **err)
{
    return machine_add_ram(ms, "pc.ram", 0, ms->ram_size, false, err) != NULL;
}

static void pc_machine_class_init(PCMachineStateClass *mc)
{
    mc->name = "pc";
    mc->desc = "Standard PC";
    mc->is_default = true;
    mc->max_cpus = 1;
    mc->init = pc_machine_board_init;
}

static void pc_machine_init(PCMachineState *self)
{
}
