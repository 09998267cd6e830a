/* isa-serial: a 16550A on the ISA bus, fed by a chardev. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/char/serial-isa.h"

#include "chardev/char.h"
#include "hw/char/serial.h"
#include "hw/i386/x86-machine.h"
#include "util/error.h"

#define ISA_SERIAL_PORTS 4

/* The PC's COM1-COM4. */
static const uint16_t com_iobase[ISA_SERIAL_PORTS] = {
    0x3f8, 0x2f8, 0x3e8, 0x2e8,
};
static const uint8_t com_irq[ISA_SERIAL_PORTS] = { 4, 3, 4, 3 };

typedef struct {
    DeviceState parent_instance;

    uint32_t index;
    uint32_t iobase;
    uint32_t irq;
    char *chardev;

    SerialState uart;
    Chardev *chr;
    IoRegion *io;
} IsaSerial;

typedef DeviceStateClass IsaSerialClass;

enum {
    PROP_0,
    PROP_INDEX,
    PROP_IOBASE,
    PROP_IRQ,
    PROP_CHARDEV,
};

CG_DEFINE_TYPE(IsaSerial, isa_serial, TYPE_ISA_SERIAL, CG_TYPE_DEVICE)

#define ISA_SERIAL(obj)                                                       \
    G_TYPE_CHECK_INSTANCE_CAST((obj), isa_serial_get_type(), IsaSerial)

static uint64_t isa_serial_io_read(void *opaque, uint64_t offset,
                                   unsigned size)
{
    IsaSerial *s = opaque;

    return serial_read(&s->uart, (unsigned)offset);
}

static void isa_serial_io_write(void *opaque, uint64_t offset,
                                uint64_t value, unsigned size)
{
    IsaSerial *s = opaque;

    serial_write(&s->uart, (unsigned)offset, (uint8_t)value);
}

static const MemoryOps isa_serial_io_ops = {
    .read = isa_serial_io_read,
    .write = isa_serial_io_write,
};

/* UART -> chardev (any thread, machine lock held). */
static void uart_write(void *opaque, const uint8_t *buf, size_t len)
{
    IsaSerial *s = opaque;

    if (s->chr != NULL) {
        chardev_write(s->chr, buf, len);
    }
}

static gboolean accept_input_idle(gpointer opaque)
{
    IsaSerial *s = opaque;

    if (s->chr != NULL) {
        chardev_accept_input(s->chr);
    }
    return G_SOURCE_REMOVE;
}

/*
 * Called where the guest read RBR, usually a vCPU thread.  The chardev
 * reads its input in the main loop, so re-arm it there: done from here,
 * it could race with the main loop deciding to pause input.
 */
static void uart_accept_input(void *opaque)
{
    IsaSerial *s = opaque;
    GSource *src;

    if (s->chr == NULL) {
        return;
    }
    src = g_idle_source_new();
    g_source_set_callback(src, accept_input_idle, g_object_ref(s),
                          g_object_unref);
    g_source_attach(src, NULL);
    g_source_unref(src);
}

static const SerialOps uart_ops = {
    .write = uart_write,
    .accept_input = uart_accept_input,
};

/* chardev -> UART (main loop): the UART is the machine's state. */
static size_t fe_can_receive(void *opaque)
{
    IsaSerial *s = opaque;
    MachineState *ms = CG_DEVICE(s)->machine;
    size_t n;

    machine_lock(ms);
    n = serial_can_receive(&s->uart);
    machine_unlock(ms);
    return n;
}

static void fe_receive(void *opaque, const uint8_t *buf, size_t len)
{
    IsaSerial *s = opaque;
    MachineState *ms = CG_DEVICE(s)->machine;

    machine_lock(ms);
    serial_receive(&s->uart, buf, len);
    machine_unlock(ms);
}

static void fe_event(void *opaque, CharEvent event)
{
}

static const CharFrontendOps fe_ops = {
    .can_receive = fe_can_receive,
    .receive = fe_receive,
    .event = fe_event,
};

static bool isa_serial_realize(DeviceState *dev, GError **err)
{
    IsaSerial *s = ISA_SERIAL(dev);
    MachineState *ms = dev->machine;
    const char *tn = cg_object_type_name(CG_OBJECT(dev));
    IrqLine irq;

    if (s->index >= ISA_SERIAL_PORTS) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: index %u is out of range; COM1-COM4 are 0-3", tn,
                    s->index);
        return false;
    }
    if (device_prop_origin(dev, "iobase") == PROP_ORIGIN_CLASS_DEFAULT) {
        s->iobase = com_iobase[s->index];
    }
    if (device_prop_origin(dev, "irq") == PROP_ORIGIN_CLASS_DEFAULT) {
        s->irq = com_irq[s->index];
    }
    /* Only x86 machines have an ISA bus, and they all have ms->io. */
    if (!x86_machine_isa_irq(ms, tn, s->irq, &irq, err)) {
        return false;
    }
    if (s->chardev != NULL) {
        CgObject *root = cg_object_get_root(CG_OBJECT(ms));

        s->chr = chardev_find(root, s->chardev);
        if (s->chr == NULL) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "%s: chardev '%s' not found; create it with "
                        "-chardev BACKEND,id=%s", tn, s->chardev,
                        s->chardev);
            return false;
        }
    }
    serial_init(&s->uart, &uart_ops, s, irq);
    s->io = address_space_add_io(ms->io, tn, s->iobase, 8,
                                 &isa_serial_io_ops, s, err);
    if (s->io == NULL) {
        s->chr = NULL;
        return false;
    }
    if (s->chr != NULL && !chardev_attach(s->chr, &fe_ops, s, err)) {
        address_space_remove_io(ms->io, s->io);
        s->io = NULL;
        s->chr = NULL;
        return false;
    }
    return true;
}

static void isa_serial_unrealize(DeviceState *dev)
{
    IsaSerial *s = ISA_SERIAL(dev);

    if (s->chr != NULL) {
        chardev_detach(s->chr);
        s->chr = NULL;
    }
    if (s->io != NULL) {
        address_space_remove_io(dev->machine->io, s->io);
        s->io = NULL;
    }
}

static void isa_serial_reset(DeviceState *dev)
{
    serial_reset(&ISA_SERIAL(dev)->uart);
}

static void isa_serial_set_property(GObject *obj, guint id,
                                    const GValue *value, GParamSpec *pspec)
{
    IsaSerial *s = ISA_SERIAL(obj);

    switch (id) {
    case PROP_INDEX:
        s->index = g_value_get_uint(value);
        break;
    case PROP_IOBASE:
        s->iobase = g_value_get_uint(value);
        break;
    case PROP_IRQ:
        s->irq = g_value_get_uint(value);
        break;
    case PROP_CHARDEV:
        g_free(s->chardev);
        s->chardev = g_value_dup_string(value);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void isa_serial_get_property(GObject *obj, guint id, GValue *value,
                                    GParamSpec *pspec)
{
    IsaSerial *s = ISA_SERIAL(obj);

    switch (id) {
    case PROP_INDEX:
        g_value_set_uint(value, s->index);
        break;
    case PROP_IOBASE:
        g_value_set_uint(value, s->iobase);
        break;
    case PROP_IRQ:
        g_value_set_uint(value, s->irq);
        break;
    case PROP_CHARDEV:
        g_value_set_string(value, s->chardev);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void isa_serial_finalize(GObject *obj)
{
    g_free(ISA_SERIAL(obj)->chardev);
    G_OBJECT_CLASS(isa_serial_parent_class)->finalize(obj);
}

static void isa_serial_class_init(IsaSerialClass *dc)
{
    GObjectClass *oc = G_OBJECT_CLASS(dc);
    GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

    oc->set_property = isa_serial_set_property;
    oc->get_property = isa_serial_get_property;
    oc->finalize = isa_serial_finalize;
    dc->desc = "16550A UART (a PC COM port)";
    dc->user_creatable = true;
    dc->bus_type = "isa";
    dc->realize = isa_serial_realize;
    dc->unrealize = isa_serial_unrealize;
    dc->reset = isa_serial_reset;

    g_object_class_install_property(
        oc, PROP_INDEX,
        g_param_spec_uint("index", "index",
                          "COM port number - 1: picks iobase and irq when "
                          "those are not given",
                          0, ISA_SERIAL_PORTS - 1, 0, rw));
    g_object_class_install_property(
        oc, PROP_IOBASE,
        g_param_spec_uint("iobase", "iobase", "I/O port base (8 ports)", 0,
                          0xfff8, 0x3f8, rw));
    g_object_class_install_property(
        oc, PROP_IRQ,
        g_param_spec_uint("irq", "irq", "ISA interrupt", 0, 15, 4, rw));
    g_object_class_install_property(
        oc, PROP_CHARDEV,
        g_param_spec_string("chardev", "chardev",
                            "Id of the chardev the port talks to (none: "
                            "output is dropped)", NULL, rw));
}

static void isa_serial_init(IsaSerial *s)
{
    s->iobase = 0x3f8;
    s->irq = 4;
}

DeviceState *isa_serial_create(MachineState *ms, unsigned index,
                               const char *chardev_id, GError **err)
{
    g_autoptr(DeviceState) dev = device_new(ms, TYPE_ISA_SERIAL, err);
    g_autofree char *idx = g_strdup_printf("%u", index);

    if (dev == NULL ||
        !device_set_prop(dev, "index", CG_OPT_TEXT, idx,
                         PROP_ORIGIN_EXPLICIT, err) ||
        (chardev_id != NULL &&
         !device_set_prop(dev, "chardev", CG_OPT_TEXT, chardev_id,
                          PROP_ORIGIN_EXPLICIT, err)) ||
        !device_realize(dev, false, err)) {
        return NULL;
    }
    return dev;     /* the tree holds it */
}
