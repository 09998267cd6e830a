/* The 16550A UART core. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/char/serial.h"

#include <string.h>

enum {
    REG_RBR_THR = 0,
    REG_IER = 1,
    REG_IIR_FCR = 2,
    REG_LCR = 3,
    REG_MCR = 4,
    REG_LSR = 5,
    REG_MSR = 6,
    REG_SCR = 7,
};

#define IER_RDI 0x01        /* received data available */
#define IER_THRI 0x02       /* THR empty */
#define IER_RLSI 0x04       /* receiver line status */
#define IER_MSI 0x08        /* modem status */

#define IIR_NONE 0x01
#define IIR_MSI 0x00
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_RLSI 0x06
#define IIR_TIMEOUT 0x0c
#define IIR_FIFO_ON 0xc0

#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define FCR_CLEAR_TX 0x04

#define LCR_DLAB 0x80

#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10

#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

#define MSR_CTS 0x10
#define MSR_DSR 0x20
#define MSR_RI 0x40
#define MSR_DCD 0x80

static void rx_clear(SerialState *s);
static void release_input(SerialState *s);

static bool fifo_on(const SerialState *s)
{
    return (s->fcr & FCR_ENABLE) != 0;
}

static unsigned capacity(const SerialState *s)
{
    return fifo_on(s) ? SERIAL_FIFO_SIZE : 1;
}

/* Receive trigger level of FCR bits 7:6. */
static unsigned trigger_level(const SerialState *s)
{
    static const unsigned levels[] = { 1, 4, 8, 14 };

    return fifo_on(s) ? levels[s->fcr >> 6] : 1;
}

static uint8_t iir_source(const SerialState *s)
{
    if ((s->ier & IER_RLSI) && (s->lsr_errors & LSR_OE)) {
        return IIR_RLSI;
    }
    if ((s->ier & IER_RDI) && s->rx_count > 0) {
        /* Below the trigger level the FIFO reports a timeout at once:
         * without a clock, "four character times" is now. */
        return s->rx_count >= trigger_level(s) ? IIR_RDI : IIR_TIMEOUT;
    }
    if ((s->ier & IER_THRI) && s->thr_irq) {
        return IIR_THRI;
    }
    return IIR_NONE;
}

static void update_irq(SerialState *s)
{
    bool level = iir_source(s) != IIR_NONE && (s->mcr & MCR_OUT2);

    if (level != s->irq_level) {
        s->irq_level = level;
        irq_set(&s->irq, level);
    }
}

void serial_init(SerialState *s, const SerialOps *ops, void *opaque,
                 IrqLine irq)
{
    memset(s, 0, sizeof(*s));
    s->ops = ops;
    s->opaque = opaque;
    s->irq = irq;
    serial_reset(s);
}

void serial_reset(SerialState *s)
{
    s->divisor = 12;            /* 9600 baud */
    s->ier = 0;
    s->fcr = 0;
    s->lcr = 0;
    s->mcr = 0;
    s->lsr_errors = 0;
    s->scr = 0;
    s->thr_irq = false;
    rx_clear(s);
    if (s->irq_level) {
        s->irq_level = false;
        irq_lower(&s->irq);
    }
}

static void rx_push(SerialState *s, uint8_t byte)
{
    if (s->rx_count >= capacity(s)) {
        s->lsr_errors |= LSR_OE;
        return;
    }
    s->rx[(s->rx_head + s->rx_count) % SERIAL_FIFO_SIZE] = byte;
    s->rx_count++;
}

static uint8_t rx_pop(SerialState *s)
{
    uint8_t byte;

    if (s->rx_count == 0) {
        return 0;
    }
    byte = s->rx[s->rx_head];
    s->rx_head = (s->rx_head + 1) % SERIAL_FIFO_SIZE;
    s->rx_count--;
    if (!(s->mcr & MCR_LOOP)) {
        release_input(s);
    }
    return byte;
}

static void release_input(SerialState *s)
{
    if (s->input_held) {
        s->input_held = false;
        if (s->ops && s->ops->accept_input) {
            s->ops->accept_input(s->opaque);
        }
    }
}

static void rx_clear(SerialState *s)
{
    s->rx_head = 0;
    s->rx_count = 0;
    release_input(s);
}

static uint8_t modem_status(const SerialState *s)
{
    uint8_t msr = 0;

    if (!(s->mcr & MCR_LOOP)) {
        return MSR_DCD | MSR_DSR | MSR_CTS;     /* a peer is connected */
    }
    msr |= (s->mcr & MCR_RTS) ? MSR_CTS : 0;
    msr |= (s->mcr & MCR_DTR) ? MSR_DSR : 0;
    msr |= (s->mcr & MCR_OUT1) ? MSR_RI : 0;
    msr |= (s->mcr & MCR_OUT2) ? MSR_DCD : 0;
    return msr;
}

uint8_t serial_read(SerialState *s, unsigned reg)
{
    uint8_t v = 0;

    switch (reg & 7) {
    case REG_RBR_THR:
        if (s->lcr & LCR_DLAB) {
            return (uint8_t)s->divisor;
        }
        v = rx_pop(s);
        break;
    case REG_IER:
        return (s->lcr & LCR_DLAB) ? (uint8_t)(s->divisor >> 8) : s->ier;
    case REG_IIR_FCR:
        v = iir_source(s);
        if (v == IIR_THRI) {
            s->thr_irq = false;     /* reading IIR acknowledges THRE */
        }
        v |= fifo_on(s) ? IIR_FIFO_ON : 0;
        break;
    case REG_LCR:
        return s->lcr;
    case REG_MCR:
        return s->mcr;
    case REG_LSR:
        v = LSR_THRE | LSR_TEMT | s->lsr_errors | (s->rx_count ? LSR_DR : 0);
        s->lsr_errors = 0;
        break;
    case REG_MSR:
        return modem_status(s);
    case REG_SCR:
        return s->scr;
    }
    update_irq(s);
    return v;
}

void serial_write(SerialState *s, unsigned reg, uint8_t value)
{
    switch (reg & 7) {
    case REG_RBR_THR:
        if (s->lcr & LCR_DLAB) {
            s->divisor = (uint16_t)((s->divisor & 0xff00) | value);
            return;
        }
        if (s->mcr & MCR_LOOP) {
            rx_push(s, value);
        } else if (s->ops && s->ops->write) {
            s->ops->write(s->opaque, &value, 1);
        }
        /* Sent at once: the holding register is empty again. */
        s->thr_irq = true;
        break;
    case REG_IER:
        if (s->lcr & LCR_DLAB) {
            s->divisor = (uint16_t)((s->divisor & 0xff) | value << 8);
            return;
        }
        /* Enabling THRE interrupts with THR empty raises one at once. */
        if ((value & IER_THRI) && !(s->ier & IER_THRI)) {
            s->thr_irq = true;
        }
        s->ier = value & 0x0f;
        break;
    case REG_IIR_FCR:
        if ((value ^ s->fcr) & FCR_ENABLE) {
            rx_clear(s);
        }
        if (value & FCR_CLEAR_RX) {
            rx_clear(s);
        }
        s->fcr = value & (FCR_ENABLE | 0xc0);
        break;
    case REG_LCR:
        s->lcr = value;
        return;
    case REG_MCR:
        s->mcr = value & 0x1f;
        if (!(s->mcr & MCR_LOOP) && s->rx_count < capacity(s)) {
            release_input(s);
        }
        break;
    case REG_LSR:
    case REG_MSR:
        return;         /* read-only (factory test registers) */
    case REG_SCR:
        s->scr = value;
        return;
    }
    update_irq(s);
}

size_t serial_can_receive(SerialState *s)
{
    size_t room = s->rx_count < capacity(s) ? capacity(s) - s->rx_count : 0;

    /* In loopback the line is disconnected from the backend. */
    if (s->mcr & MCR_LOOP) {
        room = 0;
    }
    if (room == 0) {
        s->input_held = true;
    }
    return room;
}

void serial_receive(SerialState *s, const uint8_t *buf, size_t len)
{
    if (s->mcr & MCR_LOOP) {
        return;
    }
    for (size_t i = 0; i < len; i++) {
        rx_push(s, buf[i]);
    }
    update_irq(s);
}
