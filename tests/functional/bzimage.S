/* bzimage.S: a tiny Linux boot protocol image that reports what it got. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Built twice: with XLOADFLAGS=1 it announces the 64-bit entry point
 * (load address + 0x200), with 0 only the 32-bit one (load address).
 * Both entries run the same report, assembled once per mode, on COM1:
 *
 *   report.begin=cgemu-test-bzimage
 *   entry=32|64
 *   cmdline=<the command line boot_params points to>
 *   initrd.size=0x........          (boot_params ramdisk_size)
 *   initrd.head=<its first 16 bytes, raw>
 *   e820.entries=0x........
 *   boot=0x........                 (1, then 2 after a reset)
 *   result=pass
 *   report.end=8
 *
 * The boot count lives at 0x7000, RAM no loader writes, so it survives a
 * reset.  On the first boot, a command line starting with 'T' ends in a
 * triple fault (through an IDT of non-present gates: some KVM hosts cannot
 * emulate the #GP an IDT limit of 0 would start with), 'K' in a
 * keyboard-controller reset and 'C' in a reset through port 0xcf9;
 * with 'E' it echoes one line it receives on COM1 as "echo=LINE".  Then
 * (and on later boots) the image writes 0 to isa-debug-exit at 0xf4.  Nothing here needs a stack before it sets its own.
 */
#define COM1 0x3f8
#define EXIT_PORT 0xf4
#define LOAD_ADDR 0x100000
#define BOOT_COUNT 0x7000
#define STACK_TOP 0x90000
#define BP_RAMDISK_IMAGE 0x218
#define BP_RAMDISK_SIZE 0x21c
#define BP_CMD_LINE_PTR 0x228
#define BP_E820_ENTRIES 0x1e8

#ifndef XLOADFLAGS
#define XLOADFLAGS 0
#endif

/* Where a payload label is once loaded. */
#define PA(sym) ((sym) - payload + LOAD_ADDR)

    .section .text, "ax"
    .code16
boot_sector:
    .org 0x1f1
    .byte 1                         /* setup_sects: kernel at 0x400 */
    .word 0                         /* root_flags */
    .long 0                         /* syssize: 0 = use the file */
    .word 0                         /* ram_size */
    .word 0xffff                    /* vid_mode */
    .word 0                         /* root_dev */
    .word 0xaa55                    /* boot_flag */
    .byte 0xeb, hdr_end - hdr       /* jump over the header */
hdr:
    .ascii "HdrS"
    .word 0x020f                    /* protocol 2.15 */
    .long 0                         /* realmode_swtch */
    .word 0, 0                      /* start_sys_seg, kernel_version */
    .byte 0                         /* type_of_loader */
    .byte 0x01                      /* loadflags: LOADED_HIGH */
    .word 0                         /* setup_move_size */
    .long LOAD_ADDR                 /* code32_start */
    .long 0, 0                      /* ramdisk_image, ramdisk_size */
    .long 0                         /* bootsect_kludge */
    .word 0                         /* heap_end_ptr */
    .byte 0, 0                      /* ext_loader_ver, ext_loader_type */
    .long 0                         /* cmd_line_ptr */
    .long 0x7fffffff                /* initrd_addr_max */
    .long 0x200000                  /* kernel_alignment */
    .byte 0                         /* relocatable_kernel */
    .byte 0                         /* min_alignment */
    .word XLOADFLAGS                /* xloadflags */
    .long 2047                      /* cmdline_size */
    .long 0                         /* hardware_subarch */
    .quad 0                         /* hardware_subarch_data */
    .long 0, 0                      /* payload_offset, payload_length */
    .quad 0                         /* setup_data */
    .quad LOAD_ADDR                 /* pref_address */
    .long 0x10000                   /* init_size */
hdr_end:

    .org 0x400
payload:
    .code32
    jmp body32

/* The report, for the mode the assembler is in; P prefixes the labels. */
.macro REPORT P, ENTRY_MSG
\P\()_start:
    movl $STACK_TOP, %esp
    movl %esi, %ebp                 /* boot_params */
    incl BOOT_COUNT
    movl $PA(msg_begin), %esi
    call \P\()_puts
    movl $PA(\ENTRY_MSG), %esi
    call \P\()_puts
    movl $PA(msg_cmdline), %esi
    call \P\()_puts
    movl BP_CMD_LINE_PTR(%ebp), %esi
    call \P\()_puts
    call \P\()_newline
    movl $PA(msg_initrd_size), %esi
    call \P\()_puts
    movl BP_RAMDISK_SIZE(%ebp), %eax
    call \P\()_puthex
    movl $PA(msg_initrd_head), %esi
    call \P\()_puts
    movl BP_RAMDISK_SIZE(%ebp), %ebx
    cmpl $16, %ebx
    jbe 1f
    movl $16, %ebx
1:  movl BP_RAMDISK_IMAGE(%ebp), %esi
    testl %ebx, %ebx
    jz 3f
2:  movb (%esi), %al
    call \P\()_putc
    incl %esi
    decl %ebx
    jnz 2b
3:  call \P\()_newline
    movl $PA(msg_e820), %esi
    call \P\()_puts
    movzbl BP_E820_ENTRIES(%ebp), %eax
    call \P\()_puthex
    movl $PA(msg_boot), %esi
    call \P\()_puts
    movl BOOT_COUNT, %eax
    call \P\()_puthex
    movl $PA(msg_end), %esi
    call \P\()_puts

    cmpl $1, BOOT_COUNT
    jne \P\()_exit
    movl BP_CMD_LINE_PTR(%ebp), %esi
    movb (%esi), %al
    cmpb $'T', %al
    jne 4f
    lidt PA(empty_idt)              /* int3 -> #NP -> #DF -> triple fault */
    int3
4:  cmpb $'K', %al
    jne 12f
    movb $0xfe, %al
    outb %al, $0x64
5:  hlt
    jmp 5b
12: cmpb $'C', %al
    jne 13f
    movw $0xcf9, %dx                /* PIIX reset control: hard reset */
    movb $0x06, %al
    outb %al, %dx
    jmp 5b
13: cmpb $'E', %al
    jne \P\()_exit
    movl $PA(msg_echo), %esi
    call \P\()_puts
14: movw $(COM1 + 5), %dx           /* wait for a received byte */
    inb %dx, %al
    testb $0x01, %al
    jz 14b
    movw $COM1, %dx
    inb %dx, %al
    cmpb $'\n', %al
    je 15f
    call \P\()_putc
    jmp 14b
15: call \P\()_newline
\P\()_exit:
    xorl %eax, %eax
    movw $EXIT_PORT, %dx
    outl %eax, %dx
6:  hlt
    jmp 6b

/* putc: %al to COM1 after THRE (bounded wait); clobbers %ecx, %edx, %ah */
\P\()_putc:
    movb %al, %ah
    movw $(COM1 + 5), %dx
    movl $0x10000, %ecx
7:  inb %dx, %al
    testb $0x20, %al
    jnz 8f
    decl %ecx
    jnz 7b
8:  movb %ah, %al
    movw $COM1, %dx
    outb %al, %dx
    ret

/* puts: the NUL-terminated string at %esi; advances %esi */
\P\()_puts:
9:  movb (%esi), %al
    testb %al, %al
    jz 10f
    call \P\()_putc
    incl %esi
    jmp 9b
10: ret

\P\()_newline:
    movb $'\n', %al
    jmp \P\()_putc

/* puthex: %eax as 0x and 8 hex digits, then a newline */
\P\()_puthex:
    movl %eax, %edi
    movb $'0', %al
    call \P\()_putc
    movb $'x', %al
    call \P\()_putc
    movl $8, %ebx
11: roll $4, %edi
    movl %edi, %eax
    andl $0xf, %eax
    movb PA(hex_digits)(%eax), %al
    call \P\()_putc
    decl %ebx
    jnz 11b
    jmp \P\()_newline
.endm

    .org payload + 0x200
    .code64
entry64:
    REPORT p64, msg_entry64

    .code32
body32:
    REPORT p32, msg_entry32

msg_begin:
    .asciz "\nreport.begin=cgemu-test-bzimage\n"
msg_entry64:
    .asciz "entry=64\n"
msg_entry32:
    .asciz "entry=32\n"
msg_cmdline:
    .asciz "cmdline="
msg_initrd_size:
    .asciz "initrd.size="
msg_initrd_head:
    .asciz "initrd.head="
msg_e820:
    .asciz "e820.entries="
msg_boot:
    .asciz "boot="
msg_end:
    .asciz "result=pass\nreport.end=8\n"
msg_echo:
    .asciz "echo="
hex_digits:
    .ascii "0123456789abcdef"
    .balign 8
/* 256 gates, none present: RAM no loader writes, zero since power-on. */
empty_idt:
    .word 0xfff
    .quad 0x6000
    .balign 512, 0
payload_end:

    .section .note.GNU-stack, "", @progbits
