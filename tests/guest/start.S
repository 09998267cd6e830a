/* start.S: PVH entry of the test guest, long-mode switch, exception stubs. */
/* SPDX-License-Identifier: GPL-2.0-or-later */

#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define SEL_CODE64 0x08
#define SEL_DATA 0x10
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define CR0_PE 0x1
#define CR0_PG 0x80000000
#define CR4_PAE 0x20
#define PTE_P 0x01
#define PTE_RW 0x02
#define PTE_PWT 0x08
#define PTE_PCD 0x10
#define PTE_PS 0x80

/*
 * The PVH entry note.  The descriptor is 8 bytes: QEMU 7.2 reads a 64-bit
 * value from a 64-bit ELF, later versions and Xen read 32 bits; the
 * little-endian layout satisfies both.  The note segment is 4-aligned,
 * because QEMU rounds the name size up to the segment's alignment.
 */
    .section .note.pvh, "a", @note
    .balign 4
    .long 4
    .long 8
    .long XEN_ELFNOTE_PHYS32_ENTRY
    .asciz "Xen"
    .balign 4
    .quad pvh_start32

/*
 * Entered in 32-bit protected mode with paging off and %ebx holding the
 * physical address of the hvm_start_info structure.  Nothing else (stack,
 * GDT, IDT) may be assumed.
 */
    .section .text.boot, "ax"
    .code32
    .globl pvh_start32
pvh_start32:
    cli
    cld
    movl %ebx, %esi

    movl $__bss_start, %edi
    movl $__bss_end, %ecx
    subl %edi, %ecx
    shrl $2, %ecx
    xorl %eax, %eax
    rep stosl

    lgdt gdt_desc
    movl $SEL_DATA, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    movl %eax, %fs
    movl %eax, %gs
    movl $boot_stack_top, %esp

    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl $pml4, %eax
    movl %eax, %cr3
    movl $MSR_EFER, %ecx
    rdmsr
    orl $EFER_LME, %eax
    wrmsr
    movl %cr0, %eax
    orl $(CR0_PG | CR0_PE), %eax
    movl %eax, %cr0
    ljmp $SEL_CODE64, $long_entry

    .code64
long_entry:
    movl $boot_stack_top, %esp
    movl %esi, %edi
    call guest_main
1:  cli
    hlt
    jmp 1b

/*
 * Exception stubs, 16 bytes apart so that cpu.c can compute their
 * addresses.  A zero is pushed where the CPU pushes no error code; the
 * vectors with one are the set bits of EXC_WITH_ERROR (8, 10-14, 17, 21,
 * 29, 30).
 */
#define EXC_WITH_ERROR 0x60227d00
    .balign 16
    .globl exc_stubs
exc_stubs:
    .set vec, 0
    .rept 32
    .balign 16
    .if ((EXC_WITH_ERROR >> vec) & 1) == 0
    pushq $0
    .endif
    pushq $vec
    jmp exc_common
    .set vec, vec + 1
    .endr

exc_common:
    movq %rsp, %rdi
    andq $-16, %rsp
    call guest_exception
2:  cli
    hlt
    jmp 2b

    .section .rodata
/*
 * Real-mode code the application processors run after SIPI: copied to a
 * page below 1 MiB, it counts itself in and halts for good.
 */
    .balign 16
    .globl ap_trampoline, ap_trampoline_count, ap_trampoline_end
    .code16
ap_trampoline:
    cli
    movw %cs, %ax
    movw %ax, %ds
    lock incw (ap_trampoline_count - ap_trampoline)
3:  hlt
    jmp 3b
    .balign 4
ap_trampoline_count:
    .long 0
ap_trampoline_end:
    .code64

    .balign 8
gdt:
    .quad 0
    .quad 0x00af9a000000ffff    /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff    /* 0x10: flat data */
gdt_end:
gdt_desc:
    .word gdt_end - gdt - 1
    .quad gdt

/*
 * Identity map of 0-4 GiB with 2 MiB pages, built by the assembler so that
 * it costs no instructions at run time.  The top GiB (MMIO: PCI BARs,
 * IOAPIC, local APIC) is uncached.
 */
    .section .data.pagetables, "aw"
    .balign 4096
    .globl pml4, pdpt0
pml4:
    .quad pdpt0 + (PTE_P | PTE_RW)
    .fill 511, 8, 0
pdpt0:
    .quad pd_low + 0x0000 + (PTE_P | PTE_RW)
    .quad pd_low + 0x1000 + (PTE_P | PTE_RW)
    .quad pd_low + 0x2000 + (PTE_P | PTE_RW)
    .quad pd_low + 0x3000 + (PTE_P | PTE_RW)
    .fill 508, 8, 0
pd_low:
    .set i, 0
    .rept 2048
    .if i >= 1536
    .quad (i << 21) | (PTE_P | PTE_RW | PTE_PS | PTE_PWT | PTE_PCD)
    .else
    .quad (i << 21) | (PTE_P | PTE_RW | PTE_PS)
    .endif
    .set i, i + 1
    .endr

    .section .bss.noinit, "aw", @nobits
    .balign 16
boot_stack:
    .skip 32768
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
