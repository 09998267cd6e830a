/* isa-serial: the PC COM port device. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_CHAR_SERIAL_ISA_H
#define CGEMU_HW_CHAR_SERIAL_ISA_H

#include "hw/core/device.h"

G_BEGIN_DECLS

/*
 * Properties (QEMU's): index (0-3: COM1-COM4, picks iobase and irq when
 * they are not given), iobase (default 0x3f8), irq (default 4), chardev
 * (the id of a chardev; without one, output is dropped and no input
 * comes).
 */
#define TYPE_ISA_SERIAL "isa-serial"

/*
 * An on-board COM port number @index talking to chardev @chardev_id (may
 * be NULL), created and realized.  Returns the device (the tree holds it).
 */
DeviceState *isa_serial_create(MachineState *ms, unsigned index,
                               const char *chardev_id, GError **err);

G_END_DECLS

#endif
