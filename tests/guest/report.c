/* report.c: the test guest's report on COM1 and its verdict on port 0xf4. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Report format, version 1 (docs/devel/test-guest.rst is the reference;
 * keep both in step).  One "key=value" per line, keys unique, the value
 * runs to the end of the line.  N below is an index from 0.
 *
 *   report.begin=cgemu-test-guest     first line
 *   report.version=1
 *   boot.protocol=pvh
 *   boot.start-info=ok|invalid        magic 0x336ec578 found at %ebx
 *   boot.start-info-version=V
 *   boot.modules=N  boot.rsdp=0xADDR
 *   boot.memmap-entries=N  boot.ram-kib=K
 *   cmdline=TEXT                      as received (may be empty)
 *   cmdline.errors=N  cmdline.error=TOKEN (first bad option, if any)
 *   cpu.vendor=STR  cpu.max-leaf=0xL  cpu.max-ext-leaf=0xL
 *   cpu.phys-bits=N
 *   cpu.sev-leaf=present|absent       CPUID 0x8000001F
 *   cpu.8000001f.eax=0xV  cpu.8000001f.ebx=0xV
 *   cpu.sme=0|1  cpu.sev=0|1  cpu.sev-es=0|1
 *   cpu.cbitpos=N  cpu.reduced-phys-bits=N
 *   smp.requested=N                   0 without smp=
 *   cpus.online=N                     with smp= only
 *   pci.functions=N
 *   pci.N.bdf=00:DD.F  pci.N.id=VVVV:DDDD  pci.N.class=CCSSPP
 *   virtio.devices=N
 *   virtio.N.bdf  virtio.N.device-id=0xDDDD
 *   virtio.N.kind=transitional|modern
 *   virtio.N.type=T  virtio.N.type-name=NAME
 *   virtio.N.bars-assigned=K          BARs the guest assigned itself
 *   virtio.N.transport=modern|legacy|none
 *   virtio.N.features.offered=0x%016x  virtio.N.features.accepted=...
 *   virtio.N.version-1.offered|accepted=0|1
 *   virtio.N.access-platform.offered|accepted=0|1
 *   virtio.N.features-ok=1|0|n/a      n/a: legacy interface
 *   virtio.N.refusal=expected         with refuse=access-platform
 *   virtio.N.error=TEXT               a step the device did not complete
 *   virtio.N.rng.bytes=N  virtio.N.rng.hex=HEX
 *   virtio.N.blk.capacity=SECTORS  virtio.N.blk.read-only=0|1
 *   virtio.N.blk.sector0.crc32=0xC  virtio.N.blk.sector0.head=HEX16
 *   virtio.N.blk.id=TEXT
 *   virtio.N.blk.write=ok|mismatch|io-error|not-requested|
 *                      skipped-read-only|skipped-too-small
 *   virtio.N.status=0xS               device status at the end
 *   dump.gpa=0xA  dump.len=N  dump.crc32=0xC  dump.hex=HEX  dump.error=TEXT
 *   exception.vector=V  exception.error=0xE  exception.rip=0xR
 *   exception.cr2=0xA                 only after a CPU exception
 *   check.NAME=pass|fail              one per check, as it is made
 *   result=pass | result=fail failed=NAME,NAME,...
 *   report.end=L                      L = lines from report.begin on,
 *                                     excluding this one
 *
 * Then the guest writes 0 (all checks passed) or 1 to the 32-bit
 * isa-debug-exit port 0xf4; QEMU exits with status 1 or 3.
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
        size_t need = strlen(name) + (g->nfailed ? 1 : 0);

        if (used + need + 4 < sizeof(g->failed)) {
            fmt(g->failed + used, sizeof(g->failed) - used, "%s%s",
                g->nfailed ? "," : "", name);
        } else if (used + 4 < sizeof(g->failed) &&
                   (used < 3 || !str_eq(g->failed + used - 3, "..."))) {
            fmt(g->failed + used, sizeof(g->failed) - used, ",...");
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
