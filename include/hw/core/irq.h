/* Interrupt lines between devices and interrupt controllers. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_CORE_IRQ_H
#define CGEMU_HW_CORE_IRQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A line is a callback the board wires: a device raises or lowers it and
 * the receiver (an in-kernel irqchip through the accelerator, a bus
 * router) decides what that means.  An unwired line (handler NULL) is a
 * no-op, so devices need not check.
 */
typedef void (*IrqHandler)(void *opaque, int n, int level);

typedef struct IrqLine {
    IrqHandler handler;
    void *opaque;
    int n;
} IrqLine;

static inline void irq_set(const IrqLine *line, int level)
{
    if (line != NULL && line->handler != NULL) {
        line->handler(line->opaque, line->n, level);
    }
}

static inline void irq_raise(const IrqLine *line)
{
    irq_set(line, 1);
}

static inline void irq_lower(const IrqLine *line)
{
    irq_set(line, 0);
}

#endif
