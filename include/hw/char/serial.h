/* The 16550A UART core, independent of bus and character backend. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_CHAR_SERIAL_H
#define CGEMU_HW_CHAR_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hw/core/irq.h"

/*
 * Registers (offset 0-7), as a PC's COM port: RBR/THR (DLL with DLAB),
 * IER (DLM with DLAB), IIR/FCR, LCR, MCR, LSR, MSR, SCR.
 *
 * Transmission is instantaneous: THR is handed to the backend at once,
 * so LSR always shows THRE and TEMT, and a guest may write as many bytes
 * as it likes after seeing THRE (a 16550A takes 16).  Received bytes wait
 * in a 16-byte FIFO (1 byte with FIFOs off); when it is full the backend
 * is told to hold input (can_receive returns 0) and accept_input is
 * called once there is room again.
 *
 * The interrupt output follows IIR and is gated by MCR.OUT2, as on a PC.
 * The caller serialises all calls (the machine lock).
 */
typedef struct SerialOps {
    /* Transmit @len bytes (a full backend drops them). */
    void (*write)(void *opaque, const uint8_t *buf, size_t len);
    /* The receive FIFO has room again after being full. */
    void (*accept_input)(void *opaque);
} SerialOps;

#define SERIAL_FIFO_SIZE 16

typedef struct SerialState {
    const SerialOps *ops;
    void *opaque;
    IrqLine irq;

    uint16_t divisor;
    uint8_t ier;
    uint8_t fcr;
    uint8_t lcr;
    uint8_t mcr;
    uint8_t lsr_errors;         /* overrun, latched until LSR is read */
    uint8_t scr;
    bool thr_irq;               /* THR-empty interrupt pending */
    bool input_held;            /* can_receive said 0 */
    bool irq_level;

    uint8_t rx[SERIAL_FIFO_SIZE];
    unsigned rx_head;
    unsigned rx_count;
} SerialState;

void serial_init(SerialState *s, const SerialOps *ops, void *opaque,
                 IrqLine irq);
/* Power-on state; the interrupt line is lowered. */
void serial_reset(SerialState *s);

uint8_t serial_read(SerialState *s, unsigned reg);
void serial_write(SerialState *s, unsigned reg, uint8_t value);

/* Bytes the UART can take now (0: hold input). */
size_t serial_can_receive(SerialState *s);
/* Input from the backend; bytes beyond the room are lost (overrun). */
void serial_receive(SerialState *s, const uint8_t *buf, size_t len);

#endif
