/* Guest address spaces: RAM regions, device I/O regions, checked access. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_CORE_MEMORY_H
#define CGEMU_HW_CORE_MEMORY_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

/*
 * An address space is a flat map of non-overlapping regions: RAM (host
 * memory the accelerator maps into the guest) and I/O regions (device
 * callbacks).  A machine has one for memory and, on x86, one for ports.
 *
 * Locking: every call here, and every device callback, runs with the
 * machine lock held (machine_lock()); vCPU threads take it around device
 * dispatch.  RAM contents are accessed without it (the guest writes RAM
 * concurrently anyway).
 */

typedef struct MemoryOps {
    /* @size is 1, 2, 4 or 8; @offset is relative to the region base. */
    uint64_t (*read)(void *opaque, uint64_t offset, unsigned size);
    void (*write)(void *opaque, uint64_t offset, uint64_t value,
                  unsigned size);
} MemoryOps;

typedef struct RamRegion {
    char *name;
    uint64_t gpa;
    uint64_t size;
    uint8_t *host;      /* mapping in this process */
    int fd;             /* backing memfd, -1 if anonymous */
    uint64_t fd_offset;
    bool readonly;      /* ROM: guest writes are dropped (or trapped) */
    int slot;           /* accelerator slot id, -1 until mapped */
} RamRegion;

typedef struct IoRegion {
    char *name;
    uint64_t base;
    uint64_t size;
    const MemoryOps *ops;
    void *opaque;
} IoRegion;

typedef struct AddressSpace AddressSpace;

/* Told about RAM changes, e.g. the accelerator creating memory slots. */
typedef struct AddressSpaceListener {
    bool (*ram_added)(void *opaque, RamRegion *ram, GError **err);
    void (*ram_removed)(void *opaque, RamRegion *ram);
    void *opaque;
} AddressSpaceListener;

AddressSpace *address_space_new(const char *name, uint64_t size);
void address_space_free(AddressSpace *as);
const char *address_space_name(const AddressSpace *as);

/*
 * Adds host memory @host (from @fd at @fd_offset, or fd -1) at @gpa.
 * Fails on overlap or a listener refusing.  The address space does not own
 * the mapping: the creator unmaps it after removing the region.
 */
RamRegion *address_space_add_ram(AddressSpace *as, const char *name,
                                 uint64_t gpa, uint64_t size, void *host,
                                 int fd, uint64_t fd_offset, bool readonly,
                                 GError **err);
/* The accelerator subscribes; it is told about existing RAM at once. */
bool address_space_add_listener(AddressSpace *as,
                                const AddressSpaceListener *l, GError **err);
/* Removes the listeners whose opaque is @opaque (the subscriber is going
 * away); their ram_removed is not called. */
void address_space_remove_listener(AddressSpace *as, void *opaque);
/* RAM regions in address order; the array is the space's. */
const GPtrArray *address_space_ram(const AddressSpace *as);

/* Maps a device region; fails (naming both) on overlap. */
IoRegion *address_space_add_io(AddressSpace *as, const char *name,
                               uint64_t base, uint64_t size,
                               const MemoryOps *ops, void *opaque,
                               GError **err);
void address_space_remove_io(AddressSpace *as, IoRegion *r);
/* Moves a region (PCI BAR reprogramming); false on overlap. */
bool address_space_move_io(AddressSpace *as, IoRegion *r, uint64_t base,
                           GError **err);

/*
 * Reads/writes guest addresses of any kind: RAM is copied, I/O regions
 * get 1/2/4/8-byte accesses (larger or unaligned ones are split into
 * bytes).  Unbacked addresses read as all-ones and drop writes; the return
 * value says whether every byte was backed.  Used by qtest and by
 * accelerators for MMIO exits.
 */
bool address_space_rw(AddressSpace *as, uint64_t addr, void *buf,
                      uint64_t len, bool is_write);
/* One access of @size (1/2/4/8) bytes, little-endian value. */
bool address_space_read_val(AddressSpace *as, uint64_t addr, unsigned size,
                            uint64_t *val);
bool address_space_write_val(AddressSpace *as, uint64_t addr, unsigned size,
                             uint64_t val);

/*
 * The checked guest-physical access helper.  Every device DMA and every
 * loader goes through these: [gpa, gpa+len) must lie inside one RAM region
 * (overflow-safe).  Returns NULL (and never touches memory) otherwise;
 * guest-caused failures are the caller's to log, never fatal.
 */
void *guest_ram_ptr(AddressSpace *as, uint64_t gpa, uint64_t len);
/* As above but may span adjacent RAM regions. */
bool guest_ram_read(AddressSpace *as, uint64_t gpa, void *buf, uint64_t len);
bool guest_ram_write(AddressSpace *as, uint64_t gpa, const void *buf,
                     uint64_t len);

/* Overflow-safe "does [base, base+len) fit in [lo, lo+size)". */
static inline bool range_within(uint64_t base, uint64_t len, uint64_t lo,
                                uint64_t size)
{
    return base >= lo && len <= size && base - lo <= size - len;
}

G_END_DECLS

#endif
