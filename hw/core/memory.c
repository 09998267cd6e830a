/* Guest address spaces: RAM regions, device I/O regions, checked access. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/core/memory.h"

#include "util/error.h"

#include <string.h>

struct AddressSpace {
    char *name;
    uint64_t size;
    GPtrArray *ram;         /* RamRegion *, sorted by gpa */
    GPtrArray *io;          /* IoRegion *, sorted by base */
    GArray *listeners;      /* AddressSpaceListener */
};

static void ram_free(gpointer p)
{
    RamRegion *r = p;

    g_free(r->name);
    g_free(r);
}

static void io_free(gpointer p)
{
    IoRegion *r = p;

    g_free(r->name);
    g_free(r);
}

AddressSpace *address_space_new(const char *name, uint64_t size)
{
    AddressSpace *as = g_new0(AddressSpace, 1);

    as->name = g_strdup(name);
    as->size = size;
    as->ram = g_ptr_array_new_with_free_func(ram_free);
    as->io = g_ptr_array_new_with_free_func(io_free);
    as->listeners = g_array_new(FALSE, TRUE, sizeof(AddressSpaceListener));
    return as;
}

void address_space_free(AddressSpace *as)
{
    if (as == NULL) {
        return;
    }
    for (guint i = 0; i < as->ram->len; i++) {
        RamRegion *r = g_ptr_array_index(as->ram, i);
        for (guint j = 0; j < as->listeners->len; j++) {
            AddressSpaceListener *l =
                &g_array_index(as->listeners, AddressSpaceListener, j);
            if (l->ram_removed) {
                l->ram_removed(l->opaque, r);
            }
        }
    }
    g_ptr_array_unref(as->ram);
    g_ptr_array_unref(as->io);
    g_array_unref(as->listeners);
    g_free(as->name);
    g_free(as);
}

const char *address_space_name(const AddressSpace *as)
{
    return as->name;
}

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

/* The name of whatever occupies part of [base, base+size), or NULL. */
static const char *occupant(AddressSpace *as, uint64_t base, uint64_t size,
                            const IoRegion *ignore)
{
    for (guint i = 0; i < as->ram->len; i++) {
        RamRegion *r = g_ptr_array_index(as->ram, i);
        if (overlaps(base, size, r->gpa, r->size)) {
            return r->name;
        }
    }
    for (guint i = 0; i < as->io->len; i++) {
        IoRegion *r = g_ptr_array_index(as->io, i);
        if (r != ignore && overlaps(base, size, r->base, r->size)) {
            return r->name;
        }
    }
    return NULL;
}

static bool check_range(AddressSpace *as, const char *name, uint64_t base,
                        uint64_t size, const IoRegion *ignore, GError **err)
{
    const char *other;

    if (size == 0 || !range_within(base, size, 0, as->size)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: region 0x%" G_GINT64_MODIFIER "x+0x%"
                    G_GINT64_MODIFIER "x does not fit the %s address space",
                    name, base, size, as->name);
        return false;
    }
    other = occupant(as, base, size, ignore);
    if (other != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: region 0x%" G_GINT64_MODIFIER "x+0x%"
                    G_GINT64_MODIFIER "x overlaps %s in the %s address space",
                    name, base, size, other, as->name);
        return false;
    }
    return true;
}

static gint compare_ram(gconstpointer a, gconstpointer b)
{
    const RamRegion *ra = *(RamRegion *const *)a;
    const RamRegion *rb = *(RamRegion *const *)b;

    return ra->gpa < rb->gpa ? -1 : ra->gpa > rb->gpa;
}

static gint compare_io(gconstpointer a, gconstpointer b)
{
    const IoRegion *ra = *(IoRegion *const *)a;
    const IoRegion *rb = *(IoRegion *const *)b;

    return ra->base < rb->base ? -1 : ra->base > rb->base;
}

RamRegion *address_space_add_ram(AddressSpace *as, const char *name,
                                 uint64_t gpa, uint64_t size, void *host,
                                 int fd, uint64_t fd_offset, bool readonly,
                                 GError **err)
{
    RamRegion *r;

    if (!check_range(as, name, gpa, size, NULL, err)) {
        return NULL;
    }
    r = g_new0(RamRegion, 1);
    r->name = g_strdup(name);
    r->gpa = gpa;
    r->size = size;
    r->host = host;
    r->fd = fd;
    r->fd_offset = fd_offset;
    r->readonly = readonly;
    r->slot = -1;
    for (guint j = 0; j < as->listeners->len; j++) {
        AddressSpaceListener *l =
            &g_array_index(as->listeners, AddressSpaceListener, j);
        if (l->ram_added && !l->ram_added(l->opaque, r, err)) {
            ram_free(r);
            return NULL;
        }
    }
    g_ptr_array_add(as->ram, r);
    g_ptr_array_sort(as->ram, compare_ram);
    return r;
}

bool address_space_add_listener(AddressSpace *as,
                                const AddressSpaceListener *l, GError **err)
{
    for (guint i = 0; l->ram_added && i < as->ram->len; i++) {
        if (!l->ram_added(l->opaque, g_ptr_array_index(as->ram, i), err)) {
            return false;
        }
    }
    g_array_append_val(as->listeners, *l);
    return true;
}

void address_space_remove_listener(AddressSpace *as, void *opaque)
{
    for (guint i = as->listeners->len; i > 0; i--) {
        if (g_array_index(as->listeners, AddressSpaceListener, i - 1)
                .opaque == opaque) {
            g_array_remove_index(as->listeners, i - 1);
        }
    }
}

const GPtrArray *address_space_ram(const AddressSpace *as)
{
    return as->ram;
}

IoRegion *address_space_add_io(AddressSpace *as, const char *name,
                               uint64_t base, uint64_t size,
                               const MemoryOps *ops, void *opaque,
                               GError **err)
{
    IoRegion *r;

    if (!check_range(as, name, base, size, NULL, err)) {
        return NULL;
    }
    r = g_new0(IoRegion, 1);
    r->name = g_strdup(name);
    r->base = base;
    r->size = size;
    r->ops = ops;
    r->opaque = opaque;
    g_ptr_array_add(as->io, r);
    g_ptr_array_sort(as->io, compare_io);
    return r;
}

void address_space_remove_io(AddressSpace *as, IoRegion *r)
{
    if (r != NULL) {
        g_ptr_array_remove(as->io, r);
    }
}

bool address_space_move_io(AddressSpace *as, IoRegion *r, uint64_t base,
                           GError **err)
{
    if (!check_range(as, r->name, base, r->size, r, err)) {
        return false;
    }
    r->base = base;
    g_ptr_array_sort(as->io, compare_io);
    return true;
}

static RamRegion *find_ram(AddressSpace *as, uint64_t addr)
{
    for (guint i = 0; i < as->ram->len; i++) {
        RamRegion *r = g_ptr_array_index(as->ram, i);
        if (addr >= r->gpa && addr - r->gpa < r->size) {
            return r;
        }
    }
    return NULL;
}

static IoRegion *find_io(AddressSpace *as, uint64_t addr)
{
    /* Binary search: the list is sorted and regions do not overlap. */
    guint lo = 0, hi = as->io->len;

    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        IoRegion *r = g_ptr_array_index(as->io, mid);
        if (addr < r->base) {
            hi = mid;
        } else if (addr - r->base >= r->size) {
            lo = mid + 1;
        } else {
            return r;
        }
    }
    return NULL;
}

bool address_space_read_val(AddressSpace *as, uint64_t addr, unsigned size,
                            uint64_t *val)
{
    uint8_t buf[8] = { 0 };
    bool ok = address_space_rw(as, addr, buf, size, false);
    uint64_t v = 0;

    for (unsigned i = 0; i < size && i < 8; i++) {
        v |= (uint64_t)buf[i] << (8 * i);
    }
    *val = v;
    return ok;
}

bool address_space_write_val(AddressSpace *as, uint64_t addr, unsigned size,
                             uint64_t val)
{
    uint8_t buf[8];

    for (unsigned i = 0; i < 8; i++) {
        buf[i] = (uint8_t)(val >> (8 * i));
    }
    return address_space_rw(as, addr, buf, size, true);
}

/* One access wholly inside @r, of a size the callbacks take. */
static void io_access(IoRegion *r, uint64_t addr, uint8_t *buf,
                      unsigned size, bool is_write)
{
    uint64_t off = addr - r->base;

    if (is_write) {
        uint64_t v = 0;
        for (unsigned i = 0; i < size; i++) {
            v |= (uint64_t)buf[i] << (8 * i);
        }
        if (r->ops->write) {
            r->ops->write(r->opaque, off, v, size);
        }
    } else {
        uint64_t v = r->ops->read ? r->ops->read(r->opaque, off, size)
                                  : UINT64_MAX;
        for (unsigned i = 0; i < size; i++) {
            buf[i] = (uint8_t)(v >> (8 * i));
        }
    }
}

bool address_space_rw(AddressSpace *as, uint64_t addr, void *buf,
                      uint64_t len, bool is_write)
{
    uint8_t *p = buf;
    bool all_backed = true;

    while (len > 0) {
        RamRegion *ram = find_ram(as, addr);
        IoRegion *io;
        uint64_t chunk;

        if (ram != NULL) {
            chunk = MIN(len, ram->size - (addr - ram->gpa));
            if (!is_write) {
                memcpy(p, ram->host + (addr - ram->gpa), chunk);
            } else if (!ram->readonly) {
                memcpy(ram->host + (addr - ram->gpa), p, chunk);
            }
        } else if ((io = find_io(as, addr)) != NULL) {
            uint64_t left = io->size - (addr - io->base);
            bool natural = (len == 1 || len == 2 || len == 4 || len == 8) &&
                           (addr & (len - 1)) == 0 && len <= left;
            chunk = natural ? len : 1;
            io_access(io, addr, p, (unsigned)chunk, is_write);
        } else {
            chunk = 1;
            if (!is_write) {
                *p = 0xff;
            }
            all_backed = false;
        }
        p += chunk;
        len -= chunk;
        if (addr + chunk < addr) {
            /* Wrapped past the top of the address space. */
            return len == 0 && all_backed;
        }
        addr += chunk;
    }
    return all_backed;
}

void *guest_ram_ptr(AddressSpace *as, uint64_t gpa, uint64_t len)
{
    RamRegion *r = find_ram(as, gpa);

    if (r == NULL || !range_within(gpa, len, r->gpa, r->size)) {
        return NULL;
    }
    return r->host + (gpa - r->gpa);
}

static bool ram_copy(AddressSpace *as, uint64_t gpa, uint8_t *buf,
                     uint64_t len, bool is_write)
{
    while (len > 0) {
        RamRegion *r = find_ram(as, gpa);
        uint64_t chunk;

        if (r == NULL) {
            return false;
        }
        chunk = MIN(len, r->size - (gpa - r->gpa));
        if (is_write) {
            memcpy(r->host + (gpa - r->gpa), buf, chunk);
        } else {
            memcpy(buf, r->host + (gpa - r->gpa), chunk);
        }
        buf += chunk;
        len -= chunk;
        if (len > 0 && gpa + chunk < gpa) {
            return false;
        }
        gpa += chunk;
    }
    return true;
}

bool guest_ram_read(AddressSpace *as, uint64_t gpa, void *buf, uint64_t len)
{
    /* Check the whole range first so a failed read copies nothing. */
    for (uint64_t off = 0; off < len;) {
        RamRegion *r = find_ram(as, gpa + off);
        if (r == NULL || gpa + off < gpa) {
            return false;
        }
        off += r->size - (gpa + off - r->gpa);
    }
    return ram_copy(as, gpa, buf, len, false);
}

bool guest_ram_write(AddressSpace *as, uint64_t gpa, const void *buf,
                     uint64_t len)
{
    for (uint64_t off = 0; off < len;) {
        RamRegion *r = find_ram(as, gpa + off);
        if (r == NULL || r->readonly || gpa + off < gpa) {
            return false;
        }
        off += r->size - (gpa + off - r->gpa);
    }
    return ram_copy(as, gpa, (uint8_t *)buf, len, true);
}
