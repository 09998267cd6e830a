/* report.c: the test guest's report on COM1 and its verdict on port 0xf4. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Report format, version 1.  docs/devel/test-guest.rst is the reference and
 * explains each key; keep both in step, and bump GUEST_REPORT_VERSION when
 * a key changes meaning.  One "key=value" per line, keys unique, the value
 * runs to the end of the line.  N: index from 0; K: BAR number.
 *
 *   report.begin=cgemu-test-guest  report.version=1
 *   boot.protocol=pvh  boot.start-info=ok|invalid  boot.start-info-version
 *   boot.modules  boot.rsdp  boot.memmap-entries  boot.ram-kib
 *   cmdline=TEXT  cmdline.truncated=1  cmdline.errors  cmdline.error
 *   cpu.vendor  cpu.max-leaf  cpu.max-ext-leaf  cpu.phys-bits
 *   cpu.sev-leaf=present|absent  cpu.8000001f.eax  cpu.8000001f.ebx
 *   cpu.sme  cpu.sev  cpu.sev-es  cpu.cbitpos  cpu.reduced-phys-bits
 *   smp.requested  smp.error  cpus.online
 *   pci.functions  pci.N.bdf  pci.N.id  pci.N.class  pci.overflow
 *   virtio.devices  virtio.ignored
 *   virtio.N.bdf  .device-id  .kind  .type  .type-name  .bars-assigned
 *   virtio.N.barK=io|mem32|mem64:0xADDR  .transport=modern|legacy|none
 *   virtio.N.features.offered  .features.accepted
 *   virtio.N.version-1.offered|accepted  .access-platform.offered|accepted
 *   virtio.N.features-ok=1|0|n/a  .refusal=expected  .error
 *   virtio.N.queue0.size
 *   virtio.N.rng.bytes  .rng.hex  .rng.error
 *   virtio.N.blk.capacity  .blk.read-only  .blk.error
 *   virtio.N.blk.sector0.crc32  .blk.sector0.head  .blk.read.error
 *   virtio.N.blk.id  .blk.id.error  .blk.write  .blk.write.error
 *   virtio.N.status
 *   dump.gpa  dump.len  dump.crc32  dump.hex  dump.error
 *   exception.vector  exception.error  exception.rip  exception.cr2
 *   check.NAME=pass|fail
 *   result=pass | result=fail failed=NAME,NAME,...
 *   report.end=L      L: lines from report.begin on, this one excluded
 *
 * Then the guest writes 0 (every check passed) or 1 to the 32-bit
 * isa-debug-exit port 0xf4: QEMU exits with status 1 or 3.
 */
#include "guest.h"

#define COM1 0x3f8
#define UART_THR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_LSR 5
#define LSR_THRE 0x20
#define DEBUG_EXIT_PORT 0xf4

void uart_init(Guest *g)
{
    outb(COM1 + UART_IER, 0);
    outb(COM1 + UART_LCR, 0x03);     /* 8N1, DLAB off */
    outb(COM1 + UART_FCR, 0x07);     /* FIFOs on and cleared */
    /* A floating bus reads 0xff: then there is nothing to wait for. */
    g->uart_present = inb(COM1 + UART_LSR) != 0xff;
}

/*
 * THRE with FIFOs enabled means the 16-byte transmit FIFO is empty, so one
 * status read covers 16 bytes, sent with one string instruction.
 */
static void uart_write(Guest *g, const char *p, size_t n)
{
    while (n) {
        size_t chunk = n < 16 ? n : 16;

        if (g->uart_present) {
            Wait w = wait_start();

            while (!(inb(COM1 + UART_LSR) & LSR_THRE) && wait_more(&w)) {
            }
        }
        n -= chunk;
        __asm__ volatile("rep outsb"
                         : "+S"(p), "+c"(chunk)
                         : "d"((uint16_t)(COM1 + UART_THR))
                         : "memory");
    }
}

static void line_flush(Guest *g)
{
    uart_write(g, g->line, g->linelen);
    g->linelen = 0;
}

static void line_vadd(Guest *g, const char *f, va_list ap)
{
    /* Room for the longest single piece: the command line and its key. */
    if (g->linelen > sizeof(g->line) - CMDLINE_MAX - 64) {
        line_flush(g);
    }
    g->linelen += vfmt(g->line + g->linelen, sizeof(g->line) - g->linelen,
                       f, ap);
}

void rep_part(Guest *g, const char *f, ...)
{
    va_list ap;

    va_start(ap, f);
    line_vadd(g, f, ap);
    va_end(ap);
}

void rep_hex(Guest *g, const void *buf, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    const uint8_t *p = buf;

    for (size_t i = 0; i < n; i++) {
        if (g->linelen + 3 > sizeof(g->line)) {
            line_flush(g);
        }
        g->line[g->linelen++] = digits[p[i] >> 4];
        g->line[g->linelen++] = digits[p[i] & 15];
    }
}

void rep_end(Guest *g)
{
    if (g->linelen + 1 > sizeof(g->line)) {
        line_flush(g);
    }
    g->line[g->linelen++] = '\n';
    g->lines++;
    line_flush(g);
}

void rep_line(Guest *g, const char *f, ...)
{
    va_list ap;

    va_start(ap, f);
    line_vadd(g, f, ap);
    va_end(ap);
    rep_end(g);
}

bool check(Guest *g, bool ok, const char *name_fmt, ...)
{
    char name[96];
    va_list ap;

    va_start(ap, name_fmt);
    vfmt(name, sizeof(name), name_fmt, ap);
    va_end(ap);
    rep_line(g, "check.%s=%s", name, ok ? "pass" : "fail");
    if (!ok) {
        size_t used = strlen(g->failed);
        size_t need = strlen(name) + 1;

        /* keep room for ",..." once the list no longer fits */
        if (!g->failed_cut && used + need + 5 <= sizeof(g->failed)) {
            fmt(g->failed + used, sizeof(g->failed) - used, "%s%s",
                used ? "," : "", name);
        } else if (!g->failed_cut) {
            fmt(g->failed + used, sizeof(g->failed) - used, ",...");
            g->failed_cut = true;
        }
        g->nfailed++;
    }
    return ok;
}

void guest_finish(Guest *g)
{
    unsigned lines;

    if (g->nfailed) {
        rep_line(g, "result=fail failed=%s", g->failed);
    } else {
        rep_line(g, "result=pass");
    }
    lines = g->lines;
    rep_line(g, "report.end=%u", lines);
    outl(DEBUG_EXIT_PORT, g->nfailed ? 1 : 0);
    /* Without an isa-debug-exit device the write is ignored: park. */
    for (;;) {
        __asm__ volatile("cli; hlt");
    }
}
