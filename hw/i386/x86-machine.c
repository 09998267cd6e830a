/* The abstract x86 machine. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/i386/x86-machine.h"

#include "target/i386/cpu-models.h"
#include "util/error.h"

CG_DEFINE_ABSTRACT_TYPE(X86MachineState, x86_machine, TYPE_X86_MACHINE,
                        CG_TYPE_MACHINE)

/* Read at each call: the accelerator installs set_gsi after devices may
 * already hold their line. */
static void x86_machine_gsi_handler(void *opaque, int gsi, int level)
{
    X86MachineState *x86ms = opaque;

    if (x86ms->set_gsi != NULL) {
        x86ms->set_gsi(x86ms->gsi_opaque, gsi, level);
    }
}

IrqLine x86_machine_gsi_line(X86MachineState *x86ms, int gsi)
{
    return (IrqLine){
        .handler = x86_machine_gsi_handler,
        .opaque = x86ms,
        .n = gsi,
    };
}

bool x86_machine_isa_irq(MachineState *ms, const char *dev_type,
                         unsigned irq, IrqLine *line, GError **err)
{
    if (!CG_IS_X86_MACHINE(ms)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s needs an ISA bus, which machine %s does not have",
                    dev_type, CG_MACHINE_GET_CLASS(ms)->name);
        return false;
    }
    if (irq > 15) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: irq %u is not an ISA IRQ; use 0-15", dev_type, irq);
        return false;
    }
    *line = x86_machine_gsi_line(CG_X86_MACHINE(ms), (int)irq);
    return true;
}

static void x86_machine_finalize(GObject *obj)
{
    X86MachineState *x86ms = CG_X86_MACHINE(obj);

    x86_cpu_config_free(x86ms->cpu);
    G_OBJECT_CLASS(x86_machine_parent_class)->finalize(obj);
}

static void x86_machine_class_init(X86MachineStateClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = x86_machine_finalize;
}

static void x86_machine_init(X86MachineState *x86ms)
{
}
