/* The ppc64 "pseries" machine (PAPR). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/core/machine.h"

typedef struct {
    MachineState parent_instance;
} SpaprMachineState;
typedef MachineStateClass SpaprMachineStateClass;

CG_DEFINE_TYPE(SpaprMachineState, spapr_machine, "pseries-machine",
               CG_TYPE_MACHINE)

static bool spapr_machine_board_init(MachineState *ms, GError **err)
{
    return machine_add_ram(ms, "ppc_spapr.ram", 0, ms->ram_size, false,
                           err) != NULL;
}

static void spapr_machine_class_init(SpaprMachineStateClass *mc)
{
    mc->name = "pseries";
    mc->desc = "pSeries Logical Partition (PAPR compliant)";
    mc->is_default = true;
    mc->max_cpus = 1;
    mc->has_dumpdtb = true;
    mc->init = spapr_machine_board_init;
}

static void spapr_machine_init(SpaprMachineState *self)
{
}
