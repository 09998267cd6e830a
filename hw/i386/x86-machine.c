/* The abstract x86 machine. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/i386/x86-machine.h"

#include "qom/enums.h"
#include "target/i386/cpu-models.h"
#include "util/error.h"

enum {
    PROP_0,
    PROP_PIT,
};

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

bool x86_machine_has_pit(const X86MachineState *x86ms)
{
    return x86ms->pit != ON_OFF_AUTO_OFF;
}

static void x86_machine_set_property(GObject *obj, guint id,
                                     const GValue *value, GParamSpec *pspec)
{
    X86MachineState *x86ms = CG_X86_MACHINE(obj);

    switch (id) {
    case PROP_PIT:
        x86ms->pit = (OnOffAuto)g_value_get_enum(value);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void x86_machine_get_property(GObject *obj, guint id, GValue *value,
                                     GParamSpec *pspec)
{
    X86MachineState *x86ms = CG_X86_MACHINE(obj);

    switch (id) {
    case PROP_PIT:
        g_value_set_enum(value, (gint)x86ms->pit);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void x86_machine_finalize(GObject *obj)
{
    X86MachineState *x86ms = CG_X86_MACHINE(obj);

    x86_cpu_config_free(x86ms->cpu);
    G_OBJECT_CLASS(x86_machine_parent_class)->finalize(obj);
}

static void x86_machine_class_init(X86MachineStateClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);

    oc->set_property = x86_machine_set_property;
    oc->get_property = x86_machine_get_property;
    oc->finalize = x86_machine_finalize;

    g_object_class_install_property(
        oc, PROP_PIT,
        g_param_spec_enum("pit", "pit",
                          "The 8254 interval timer (in-kernel under KVM); "
                          "auto means on",
                          CG_TYPE_ON_OFF_AUTO, ON_OFF_AUTO_AUTO,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void x86_machine_init(X86MachineState *x86ms)
{
}
