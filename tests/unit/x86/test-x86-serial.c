/* test-x86-serial.c: the 16550A core against a recording backend. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/char/serial.h"

#include <glib.h>
#include <string.h>

enum { RBR = 0, THR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4,
       LSR = 5, MSR = 6, SCR = 7 };

/* Stands in for the chardev and the interrupt controller. */
typedef struct {
    GString *out;
    unsigned accepts;
    int irq;
    unsigned irq_changes;
} Fake;

static void fake_write(void *opaque, const uint8_t *buf, size_t len)
{
    Fake *f = opaque;

    g_string_append_len(f->out, (const char *)buf, (gssize)len);
}

static void fake_accept(void *opaque)
{
    Fake *f = opaque;

    f->accepts++;
}

static void fake_irq(void *opaque, int n, int level)
{
    Fake *f = opaque;

    g_assert_cmpint(n, ==, 4);
    f->irq = level;
    f->irq_changes++;
}

static const SerialOps fake_ops = {
    .write = fake_write,
    .accept_input = fake_accept,
};

static void setup(SerialState *s, Fake *f)
{
    IrqLine line = { .handler = fake_irq, .opaque = f, .n = 4 };

    memset(f, 0, sizeof(*f));
    f->out = g_string_new(NULL);
    serial_init(s, &fake_ops, f, line);
}

static void teardown(Fake *f)
{
    g_string_free(f->out, TRUE);
}

/* What the test guest does: FIFOs on, then 16 bytes per THRE. */
static void test_burst(void)
{
    SerialState s;
    Fake f;
    const char *msg = "report.begin=cgemu-test-guest\nreport.version=1\n";

    setup(&s, &f);
    serial_write(&s, IER, 0);
    serial_write(&s, LCR, 0x03);
    serial_write(&s, FCR, 0x07);
    g_assert_cmphex(serial_read(&s, IIR), ==, 0xc1);   /* FIFOs, no irq */
    for (size_t i = 0; i < strlen(msg); i += 16) {
        g_assert_cmphex(serial_read(&s, LSR), ==, 0x60);
        for (size_t j = i; j < i + 16 && msg[j]; j++) {
            serial_write(&s, THR, (uint8_t)msg[j]);
        }
    }
    g_assert_cmpstr(f.out->str, ==, msg);
    g_assert_cmpuint(f.irq_changes, ==, 0);
    teardown(&f);
}

/* A missing UART reads 0xff; ours never does, in any register. */
static void test_registers(void)
{
    SerialState s;
    Fake f;

    setup(&s, &f);
    g_assert_cmphex(serial_read(&s, LSR), ==, 0x60);
    g_assert_cmphex(serial_read(&s, MSR), ==, 0xb0);
    g_assert_cmphex(serial_read(&s, IIR), ==, 0x01);
    serial_write(&s, SCR, 0x5a);
    g_assert_cmphex(serial_read(&s, SCR), ==, 0x5a);
    /* DLAB: the divisor latch replaces RBR/THR and IER */
    serial_write(&s, LCR, 0x83);
    serial_write(&s, 0, 0x01);
    serial_write(&s, 1, 0x00);
    g_assert_cmphex(serial_read(&s, 0), ==, 0x01);
    g_assert_cmphex(serial_read(&s, 1), ==, 0x00);
    serial_write(&s, LCR, 0x03);
    g_assert_cmphex(serial_read(&s, IER), ==, 0);
    g_assert_cmpstr(f.out->str, ==, "");
    serial_write(&s, MCR, 0xff);
    g_assert_cmphex(serial_read(&s, MCR), ==, 0x1f);
    /* LSR and MSR ignore writes */
    serial_write(&s, LSR, 0);
    g_assert_cmphex(serial_read(&s, LSR), ==, 0x60);
    teardown(&f);
}

/* THRE interrupt: raised when enabled, acknowledged by reading IIR. */
static void test_thre_interrupt(void)
{
    SerialState s;
    Fake f;

    setup(&s, &f);
    serial_write(&s, IER, 0x02);
    /* pending, but OUT2 gates the line as on a PC */
    g_assert_cmphex(serial_read(&s, IIR) & 0x0f, ==, 0x02);
    g_assert_cmpint(f.irq, ==, 0);
    serial_write(&s, THR, 'a');
    serial_write(&s, MCR, 0x08);
    g_assert_cmpint(f.irq, ==, 1);
    g_assert_cmphex(serial_read(&s, IIR), ==, 0x02);
    g_assert_cmpint(f.irq, ==, 0);
    g_assert_cmphex(serial_read(&s, IIR), ==, 0x01);
    serial_write(&s, THR, 'b');
    g_assert_cmpint(f.irq, ==, 1);
    serial_write(&s, IER, 0);
    g_assert_cmpint(f.irq, ==, 0);
    g_assert_cmpstr(f.out->str, ==, "ab");
    teardown(&f);
}

static void test_receive(void)
{
    SerialState s;
    Fake f;
    uint8_t many[20];

    setup(&s, &f);
    serial_write(&s, MCR, 0x08);
    serial_write(&s, IER, 0x05);
    /* FIFOs off: one byte at a time */
    g_assert_cmpuint(serial_can_receive(&s), ==, 1);
    serial_receive(&s, (const uint8_t *)"x", 1);
    g_assert_cmpint(f.irq, ==, 1);
    g_assert_cmphex(serial_read(&s, IIR), ==, 0x04);
    g_assert_cmpuint(serial_can_receive(&s), ==, 0);
    g_assert_cmphex(serial_read(&s, LSR), ==, 0x61);
    g_assert_cmphex(serial_read(&s, RBR), ==, 'x');
    g_assert_cmpuint(f.accepts, ==, 1);
    g_assert_cmpint(f.irq, ==, 0);
    g_assert_cmphex(serial_read(&s, LSR), ==, 0x60);

    /* FIFOs on, trigger at 4: below it a timeout interrupt, then RDA */
    serial_write(&s, FCR, 0x41);
    g_assert_cmpuint(serial_can_receive(&s), ==, 16);
    serial_receive(&s, (const uint8_t *)"ab", 2);
    g_assert_cmphex(serial_read(&s, IIR), ==, 0xcc);
    serial_receive(&s, (const uint8_t *)"cd", 2);
    g_assert_cmphex(serial_read(&s, IIR), ==, 0xc4);
    memset(many, 'z', sizeof(many));
    serial_receive(&s, many, sizeof(many));     /* 8 too many: overrun */
    g_assert_cmpuint(serial_can_receive(&s), ==, 0);
    g_assert_cmphex(serial_read(&s, IIR), ==, 0xc6);
    g_assert_cmphex(serial_read(&s, LSR), ==, 0x63);
    g_assert_cmphex(serial_read(&s, LSR), ==, 0x61);  /* OE cleared */
    for (const char *p = "abcdzzzzzzzzzzzz"; *p; p++) {
        g_assert_cmphex(serial_read(&s, RBR), ==, (uint8_t)*p);
    }
    g_assert_cmpuint(f.accepts, ==, 2);
    g_assert_cmphex(serial_read(&s, LSR), ==, 0x60);
    g_assert_cmphex(serial_read(&s, RBR), ==, 0);     /* empty */
    g_assert_cmpint(f.irq, ==, 0);

    /* clearing the receive FIFO drops what waits there */
    serial_receive(&s, (const uint8_t *)"q", 1);
    serial_write(&s, FCR, 0x43);
    g_assert_cmphex(serial_read(&s, LSR), ==, 0x60);
    teardown(&f);
}

/* Loopback: what is sent comes back; the backend sees nothing. */
static void test_loopback(void)
{
    SerialState s;
    Fake f;

    setup(&s, &f);
    serial_write(&s, FCR, 0x01);
    serial_write(&s, MCR, 0x1b);
    g_assert_cmphex(serial_read(&s, MSR), ==, 0xb0);   /* RTS,DTR,OUT2 */
    g_assert_cmpuint(serial_can_receive(&s), ==, 0);
    serial_write(&s, THR, 'L');
    g_assert_cmphex(serial_read(&s, RBR), ==, 'L');
    g_assert_cmpstr(f.out->str, ==, "");
    serial_write(&s, MCR, 0x00);
    g_assert_cmpuint(f.accepts, ==, 1);
    g_assert_cmphex(serial_read(&s, MSR), ==, 0xb0);
    teardown(&f);
}

static void test_reset(void)
{
    SerialState s;
    Fake f;

    setup(&s, &f);
    serial_write(&s, MCR, 0x08);
    serial_write(&s, IER, 0x01);
    serial_receive(&s, (const uint8_t *)"r", 1);
    g_assert_cmpint(f.irq, ==, 1);
    serial_reset(&s);
    g_assert_cmpint(f.irq, ==, 0);
    g_assert_cmphex(serial_read(&s, LSR), ==, 0x60);
    g_assert_cmphex(serial_read(&s, IER), ==, 0);
    g_assert_cmphex(serial_read(&s, MCR), ==, 0);
    teardown(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/x86/serial/burst", test_burst);
    g_test_add_func("/x86/serial/registers", test_registers);
    g_test_add_func("/x86/serial/thre-interrupt", test_thre_interrupt);
    g_test_add_func("/x86/serial/receive", test_receive);
    g_test_add_func("/x86/serial/loopback", test_loopback);
    g_test_add_func("/x86/serial/reset", test_reset);
    return g_test_run();
}
