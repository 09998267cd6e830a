/* bios.S: a 64 KiB flat firmware image that reports on COM1 and exits. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Mapped at the top of the first MiB (0xf0000) and below 4 GiB; the CPU
 * starts at 0xfffffff0, the last 16 bytes.  Everything runs in real mode
 * from the segment 0xf000: no stack, no RAM is touched.  The report uses
 * the test guest's format, so the same parser reads it.
 */
#define COM1 0x3f8
#define DEBUG_EXIT_PORT 0xf4

    .code16
    .section .text, "ax"
start:
    cli
    cld
    movw %cs, %ax
    movw %ax, %ds
    movw $(COM1 + 1), %dx       /* IER: no interrupts */
    xorb %al, %al
    outb %al, %dx
    movw $(COM1 + 3), %dx       /* LCR: 8N1 */
    movb $0x03, %al
    outb %al, %dx
    movw $(COM1 + 2), %dx       /* FCR: FIFOs off, one byte per THRE */
    xorb %al, %al
    outb %al, %dx
    movw $message, %si
next_char:
    lodsb
    testb %al, %al
    jz done
    movb %al, %bl
    movw $(COM1 + 5), %dx
    movw $0xffff, %cx           /* bounded: a missing UART reads 0xff */
wait_thre:
    inb %dx, %al
    testb $0x20, %al
    loopz wait_thre
    movw $COM1, %dx
    movb %bl, %al
    outb %al, %dx
    jmp next_char
done:
    xorl %eax, %eax             /* verdict 0: QEMU exits with status 1 */
    movw $DEBUG_EXIT_PORT, %dx
    outl %eax, %dx
park:
    hlt
    jmp park

message:
    .ascii "\nreport.begin=cgemu-test-bios\n"
    .ascii "report.version=1\n"
    .ascii "bios=hello\n"
    .ascii "result=pass\n"
    .asciz "report.end=4\n"

    .org 0xfff0, 0xff
reset_vector:
    ljmp $0xf000, $start
    .org 0x10000, 0xff

    .section .note.GNU-stack, "", @progbits
