/* The "none" machine: no board, for probing (libvirt) and tests. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/core/machine.h"

/*
 * libvirt probes an emulator's capabilities by starting it with
 * "-machine none" and asking over QMP; every binary has it.  It has no
 * devices, no CPUs and, unless -m is given, no RAM.
 */
typedef struct {
    MachineState parent_instance;
} NullMachine;
typedef MachineStateClass NullMachineClass;

CG_DEFINE_TYPE(NullMachine, null_machine, "none-machine", CG_TYPE_MACHINE)

static bool null_machine_board_init(MachineState *ms, GError **err)
{
    if (ms->ram_size == 0) {
        return true;
    }
    return machine_add_ram(ms, "none.ram", 0, ms->ram_size, false, err) !=
           NULL;
}

static void null_machine_class_init(NullMachineClass *mc)
{
    mc->name = "none";
    mc->desc = "empty machine";
    mc->max_cpus = 1;
    mc->default_ram_size = 0;
    mc->init = null_machine_board_init;
}

static void null_machine_init(NullMachine *self)
{
}
