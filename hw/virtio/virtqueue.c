/* Split virtqueues: taking checked requests from the rings, returning them. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/virtio/virtio.h"

#include <endian.h>
#include <string.h>

typedef struct {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
} RingDesc;

/* The RAM region holding @gpa, or NULL. */
static const RamRegion *ram_at(AddressSpace *as, uint64_t gpa)
{
    const GPtrArray *ram = address_space_ram(as);

    for (guint i = 0; i < ram->len; i++) {
        const RamRegion *r = g_ptr_array_index(ram, i);
        if (gpa >= r->gpa && gpa - r->gpa < r->size) {
            return r;
        }
    }
    return NULL;
}

/*
 * Host address of [gpa, gpa+len) for a ring or table, which must lie in
 * one RAM region (and not ROM when the device writes it).
 */
static uint8_t *ring_ptr(AddressSpace *as, uint64_t gpa, uint64_t len,
                         bool write)
{
    uint8_t *p = guest_ram_ptr(as, gpa, len);

    if (p != NULL && write && ram_at(as, gpa)->readonly) {
        return NULL;
    }
    return p;
}

typedef struct {
    uint8_t *desc;
    uint8_t *avail;
    uint8_t *used;
} Rings;

static bool get_rings(VirtQueue *vq, Rings *r)
{
    VirtioState *vs = vq->vs;
    uint64_t n = vq->num;

    if ((vq->desc & 15) || (vq->avail & 1) || (vq->used & 3)) {
        virtio_error(vs, "queue %u: misaligned rings (descriptors 0x%"
                     G_GINT64_MODIFIER "x, available 0x%" G_GINT64_MODIFIER
                     "x, used 0x%" G_GINT64_MODIFIER "x)", vq->index,
                     vq->desc, vq->avail, vq->used);
        return false;
    }
    r->desc = ring_ptr(vs->dma, vq->desc, VRING_DESC_SIZE * n, false);
    r->avail = ring_ptr(vs->dma, vq->avail, 4 + 2 * n, false);
    r->used = ring_ptr(vs->dma, vq->used, 4 + VRING_USED_ELEM_SIZE * n,
                       true);
    if (r->desc == NULL) {
        virtio_error(vs, "queue %u: its descriptor table at 0x%"
                     G_GINT64_MODIFIER "x is not in guest RAM", vq->index,
                     vq->desc);
        return false;
    }
    if (r->avail == NULL) {
        virtio_error(vs, "queue %u: its available ring at 0x%"
                     G_GINT64_MODIFIER "x is not in guest RAM", vq->index,
                     vq->avail);
        return false;
    }
    if (r->used == NULL) {
        virtio_error(vs, "queue %u: its used ring at 0x%" G_GINT64_MODIFIER
                     "x is not in writable guest RAM", vq->index, vq->used);
        return false;
    }
    return true;
}

static uint16_t load16(const uint8_t *p)
{
    return le16toh(__atomic_load_n((const uint16_t *)p, __ATOMIC_RELAXED));
}

static void read_desc(const uint8_t *table, unsigned i, RingDesc *d)
{
    uint8_t raw[VRING_DESC_SIZE];

    /* One copy: the guest may rewrite the entry while we look at it. */
    memcpy(raw, table + (size_t)i * VRING_DESC_SIZE, sizeof(raw));
    memcpy(&d->addr, raw, 8);
    memcpy(&d->len, raw + 8, 4);
    memcpy(&d->flags, raw + 12, 2);
    memcpy(&d->next, raw + 14, 2);
    d->addr = le64toh(d->addr);
    d->len = le32toh(d->len);
    d->flags = le16toh(d->flags);
    d->next = le16toh(d->next);
}

/* Appends the buffer [addr, addr+len), split where RAM regions end. */
static const char *map_buffer(AddressSpace *as, GArray *sg, uint64_t addr,
                              uint32_t len, bool write)
{
    uint64_t left = len;

    if (len == 0) {
        return "a zero-length buffer";
    }
    if (addr + (len - 1) < addr) {
        return "a buffer that wraps around the address space";
    }
    while (left > 0) {
        const RamRegion *r = ram_at(as, addr);
        struct iovec iov;
        uint64_t chunk;

        if (r == NULL) {
            return "a buffer outside guest RAM";
        }
        if (write && r->readonly) {
            return "a device-writable buffer in ROM";
        }
        if (sg->len >= VIRTIO_SEGS_MAX) {
            return "more than 1024 buffers in one request";
        }
        chunk = MIN(left, r->size - (addr - r->gpa));
        iov.iov_base = guest_ram_ptr(as, addr, chunk);
        iov.iov_len = chunk;
        if (iov.iov_base == NULL) {
            return "a buffer outside guest RAM";
        }
        g_array_append_val(sg, iov);
        addr += chunk;
        left -= chunk;
    }
    return NULL;
}

void virtqueue_element_free(VirtQueueElement *elem)
{
    if (elem != NULL) {
        g_free(elem->sg);
        g_free(elem);
    }
}

/* Walks the chain at @head; NULL with *why set when it is malformed. */
static VirtQueueElement *walk_chain(VirtQueue *vq, const Rings *r,
                                    uint16_t head, const char **why,
                                    uint64_t *bad_addr)
{
    AddressSpace *as = vq->vs->dma;
    g_autoptr(GArray) sg = g_array_new(FALSE, FALSE, sizeof(struct iovec));
    const uint8_t *table = r->desc;
    unsigned tsize = vq->num;
    unsigned i = head;
    unsigned count = 0;
    unsigned out_num = 0, in_num = 0;
    uint64_t out_len = 0, in_len = 0;
    bool indirect = false;
    VirtQueueElement *elem;

    for (;;) {
        RingDesc d;
        guint before;

        /* A chain may visit each entry of its table once: no loops. */
        if (++count > tsize) {
            *why = "a descriptor chain that loops or is longer than its "
                   "table";
            return NULL;
        }
        read_desc(table, i, &d);
        *bad_addr = d.addr;
        if (d.flags & VRING_DESC_F_INDIRECT) {
            if (indirect) {
                *why = "an indirect descriptor inside an indirect table";
                return NULL;
            }
            if (count > 1 || (d.flags & VRING_DESC_F_NEXT)) {
                *why = "an indirect descriptor that is not alone in its "
                       "chain";
                return NULL;
            }
            if (d.len == 0 || d.len % VRING_DESC_SIZE ||
                d.len / VRING_DESC_SIZE > VIRTIO_QUEUE_MAX) {
                *why = "an indirect table that is empty, not a whole "
                       "number of descriptors, or over 1024 of them";
                return NULL;
            }
            table = ring_ptr(as, d.addr, d.len, false);
            if (table == NULL) {
                *why = "an indirect table outside guest RAM";
                return NULL;
            }
            tsize = d.len / VRING_DESC_SIZE;
            indirect = true;
            i = 0;
            count = 0;
            continue;
        }
        if (!(d.flags & VRING_DESC_F_WRITE) && in_num > 0) {
            *why = "a device-readable buffer after a device-writable one";
            return NULL;
        }
        before = sg->len;
        *why = map_buffer(as, sg, d.addr, d.len,
                          (d.flags & VRING_DESC_F_WRITE) != 0);
        if (*why != NULL) {
            return NULL;
        }
        if (d.flags & VRING_DESC_F_WRITE) {
            in_num += sg->len - before;
            in_len += d.len;
        } else {
            out_num += sg->len - before;
            out_len += d.len;
        }
        if (!(d.flags & VRING_DESC_F_NEXT)) {
            break;
        }
        if (d.next >= tsize) {
            *why = "a next index beyond the end of the table";
            return NULL;
        }
        i = d.next;
    }
    elem = g_new0(VirtQueueElement, 1);
    elem->head = head;
    elem->out_num = out_num;
    elem->in_num = in_num;
    elem->out_len = out_len;
    elem->in_len = in_len;
    elem->sg = (struct iovec *)g_array_free(g_steal_pointer(&sg), FALSE);
    return elem;
}

VirtQueueElement *virtqueue_pop(VirtQueue *vq)
{
    VirtioState *vs = vq->vs;
    VirtQueueElement *elem;
    const char *why = NULL;
    uint64_t bad_addr = 0;
    uint16_t avail_idx, pending, head;
    Rings r;

    if (vs->broken || !vq->ready || !get_rings(vq, &r)) {
        return NULL;
    }
    avail_idx = load16(r.avail + 2);
    /* The entries behind the index must be read after the index. */
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    pending = (uint16_t)(avail_idx - vq->last_avail_idx);
    if (pending == 0) {
        return NULL;
    }
    if (pending > vq->num) {
        virtio_error(vs, "queue %u: the available index moved by %u, more "
                     "than the %u entries of the queue", vq->index, pending,
                     vq->num);
        return NULL;
    }
    head = load16(r.avail + 4 + 2 * (vq->last_avail_idx % vq->num));
    if (head >= vq->num) {
        virtio_error(vs, "queue %u: request head %u is beyond the %u "
                     "descriptors", vq->index, head, vq->num);
        return NULL;
    }
    elem = walk_chain(vq, &r, head, &why, &bad_addr);
    if (elem == NULL) {
        virtio_error(vs, "queue %u: request %u has %s (descriptor address "
                     "0x%" G_GINT64_MODIFIER "x)", vq->index, head, why,
                     bad_addr);
        return NULL;
    }
    vq->last_avail_idx++;
    return elem;
}

void virtqueue_push(VirtQueue *vq, VirtQueueElement *elem, uint32_t len)
{
    VirtioState *vs = vq->vs;
    uint32_t id = htole32(elem->head);
    uint32_t used_len;
    uint16_t idx;
    uint8_t *slot;
    Rings r;

    if (vs->broken || !vq->ready || !get_rings(vq, &r)) {
        virtqueue_element_free(elem);
        return;
    }
    used_len = htole32((uint32_t)MIN((uint64_t)len, elem->in_len));
    slot = r.used + 4 + VRING_USED_ELEM_SIZE * (vq->used_idx % vq->num);
    memcpy(slot, &id, 4);
    memcpy(slot + 4, &used_len, 4);
    vq->used_idx++;
    idx = htole16(vq->used_idx);
    /* The entry must be visible before the index that publishes it. */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n((uint16_t *)(r.used + 2), idx, __ATOMIC_RELAXED);
    virtqueue_element_free(elem);
}

void virtqueue_notify(VirtQueue *vq)
{
    VirtioState *vs = vq->vs;
    Rings r;

    if (vs->broken || !vq->ready || !get_rings(vq, &r)) {
        return;
    }
    /* Order the used index before reading the driver's flags. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (load16(r.avail) & VRING_AVAIL_F_NO_INTERRUPT) {
        return;
    }
    vs->isr |= VIRTIO_ISR_QUEUE;
    if (vs->transport != NULL && vs->transport->notify != NULL) {
        vs->transport->notify(vs->transport_opaque, vq->vector);
    }
}

size_t virtqueue_elem_read(const VirtQueueElement *elem, uint64_t offset,
                           void *buf, size_t len)
{
    uint8_t *out = buf;
    size_t done = 0;

    for (unsigned i = 0; i < elem->out_num && done < len; i++) {
        const struct iovec *v = &elem->sg[i];
        size_t n;

        if (offset >= v->iov_len) {
            offset -= v->iov_len;
            continue;
        }
        n = MIN(v->iov_len - offset, len - done);
        memcpy(out + done, (uint8_t *)v->iov_base + offset, n);
        done += n;
        offset = 0;
    }
    return done;
}

size_t virtqueue_elem_write(const VirtQueueElement *elem, uint64_t offset,
                            const void *buf, size_t len)
{
    const uint8_t *in = buf;
    size_t done = 0;

    for (unsigned i = 0; i < elem->in_num && done < len; i++) {
        const struct iovec *v = &elem->sg[elem->out_num + i];
        size_t n;

        if (offset >= v->iov_len) {
            offset -= v->iov_len;
            continue;
        }
        n = MIN(v->iov_len - offset, len - done);
        memcpy((uint8_t *)v->iov_base + offset, in + done, n);
        done += n;
        offset = 0;
    }
    return done;
}
