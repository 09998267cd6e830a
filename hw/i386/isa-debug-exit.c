/* isa-debug-exit: a port whose write ends cgemu with a status. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/core/device.h"
#include "util/error.h"

/*
 * As QEMU's: a write of V exits the process with status (V << 1) | 1, so
 * that a guest's status can never look like cgemu's own 0.  Test guests
 * use it to report their verdict.
 */
typedef struct {
    DeviceState parent_instance;

    uint32_t iobase;
    uint32_t iosize;
    IoRegion *io;
} IsaDebugExit;

typedef DeviceStateClass IsaDebugExitClass;

enum {
    PROP_0,
    PROP_IOBASE,
    PROP_IOSIZE,
};

CG_DEFINE_TYPE(IsaDebugExit, isa_debug_exit, "isa-debug-exit",
               CG_TYPE_DEVICE)

#define ISA_DEBUG_EXIT(obj)                                                   \
    G_TYPE_CHECK_INSTANCE_CAST((obj), isa_debug_exit_get_type(),              \
                               IsaDebugExit)

static uint64_t debug_exit_read(void *opaque, uint64_t offset, unsigned size)
{
    return 0;
}

static void debug_exit_write(void *opaque, uint64_t offset, uint64_t value,
                             unsigned size)
{
    IsaDebugExit *d = opaque;

    machine_request_exit(CG_DEVICE(d)->machine, (int)((value << 1) | 1));
}

static const MemoryOps debug_exit_ops = {
    .read = debug_exit_read,
    .write = debug_exit_write,
};

static bool isa_debug_exit_realize(DeviceState *dev, GError **err)
{
    IsaDebugExit *d = ISA_DEBUG_EXIT(dev);
    MachineState *ms = dev->machine;

    if (ms->io == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "isa-debug-exit needs an ISA bus, which machine %s does "
                    "not have", CG_MACHINE_GET_CLASS(ms)->name);
        return false;
    }
    if (d->iosize == 0 || d->iobase + d->iosize > 0x10000) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "isa-debug-exit: iobase 0x%x with iosize 0x%x does not "
                    "fit the 64 KiB I/O space", d->iobase, d->iosize);
        return false;
    }
    d->io = address_space_add_io(ms->io, "isa-debug-exit", d->iobase,
                                 d->iosize, &debug_exit_ops, d, err);
    return d->io != NULL;
}

static void isa_debug_exit_unrealize(DeviceState *dev)
{
    IsaDebugExit *d = ISA_DEBUG_EXIT(dev);

    address_space_remove_io(dev->machine->io, d->io);
    d->io = NULL;
}

static void isa_debug_exit_set_property(GObject *obj, guint id,
                                        const GValue *value,
                                        GParamSpec *pspec)
{
    IsaDebugExit *d = ISA_DEBUG_EXIT(obj);

    switch (id) {
    case PROP_IOBASE:
        d->iobase = g_value_get_uint(value);
        break;
    case PROP_IOSIZE:
        d->iosize = g_value_get_uint(value);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void isa_debug_exit_get_property(GObject *obj, guint id,
                                        GValue *value, GParamSpec *pspec)
{
    IsaDebugExit *d = ISA_DEBUG_EXIT(obj);

    switch (id) {
    case PROP_IOBASE:
        g_value_set_uint(value, d->iobase);
        break;
    case PROP_IOSIZE:
        g_value_set_uint(value, d->iosize);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void isa_debug_exit_class_init(IsaDebugExitClass *dc)
{
    GObjectClass *oc = G_OBJECT_CLASS(dc);
    GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

    oc->set_property = isa_debug_exit_set_property;
    oc->get_property = isa_debug_exit_get_property;
    dc->desc = "ends cgemu with status (value << 1) | 1 when written";
    dc->user_creatable = true;
    dc->bus_type = "isa";
    dc->realize = isa_debug_exit_realize;
    dc->unrealize = isa_debug_exit_unrealize;

    g_object_class_install_property(
        oc, PROP_IOBASE,
        g_param_spec_uint("iobase", "iobase", "I/O port base", 0, 0xffff,
                          0x501, rw));
    g_object_class_install_property(
        oc, PROP_IOSIZE,
        g_param_spec_uint("iosize", "iosize", "number of I/O ports", 1,
                          0x10000, 2, rw));
}

static void isa_debug_exit_init(IsaDebugExit *d)
{
    d->iobase = 0x501;
    d->iosize = 2;
}
