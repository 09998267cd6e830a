/* virtio-blk: the block device model, independent of the transport. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/virtio/virtio-blk.h"

#include "util/error.h"

#include <endian.h>
#include <string.h>

#define BLK_HEADER_SIZE 16

static VirtIOBlk *blk_of(VirtioState *vs)
{
    return (VirtIOBlk *)((char *)vs - G_STRUCT_OFFSET(VirtIOBlk, vs));
}

/* The part [offset, offset+len) of a vector; returns the entry count. */
static int sub_iov(const struct iovec *src, unsigned n, uint64_t offset,
                   uint64_t len, struct iovec *dst)
{
    int out = 0;

    for (unsigned i = 0; i < n && len > 0; i++) {
        uint64_t take;

        if (offset >= src[i].iov_len) {
            offset -= src[i].iov_len;
            continue;
        }
        take = MIN(src[i].iov_len - offset, len);
        dst[out].iov_base = (uint8_t *)src[i].iov_base + offset;
        dst[out].iov_len = take;
        out++;
        len -= take;
        offset = 0;
    }
    return out;
}

static uint8_t blk_rw(VirtIOBlk *b, uint64_t sector, const struct iovec *iov,
                      int cnt, uint64_t len, bool write)
{
    ssize_t ret;

    if (len % VIRTIO_BLK_SECTOR != 0 || sector > b->sectors ||
        len / VIRTIO_BLK_SECTOR > b->sectors - sector) {
        return VIRTIO_BLK_S_IOERR;
    }
    if (write && b->node->read_only) {
        return VIRTIO_BLK_S_IOERR;
    }
    if (len == 0) {
        return VIRTIO_BLK_S_OK;
    }
    ret = write ? block_node_pwritev(b->node, sector * VIRTIO_BLK_SECTOR,
                                     iov, cnt)
                : block_node_preadv(b->node, sector * VIRTIO_BLK_SECTOR, iov,
                                    cnt);
    if (ret < 0) {
        if (!b->warned) {
            cg_warn_report("%s: %s of %" G_GUINT64_FORMAT " bytes at sector %"
                           G_GUINT64_FORMAT " failed: %s; the guest gets an "
                           "I/O error", b->vs.label,
                           write ? "write" : "read", len, sector,
                           g_strerror((int)-ret));
            b->warned = true;
        }
        return VIRTIO_BLK_S_IOERR;
    }
    return VIRTIO_BLK_S_OK;
}

/* Handles one request; false when it broke the device. */
static bool blk_request(VirtIOBlk *b, VirtQueue *vq, VirtQueueElement *e)
{
    g_autofree struct iovec *data = NULL;
    uint8_t hdr[BLK_HEADER_SIZE];
    uint8_t id[VIRTIO_BLK_ID_BYTES] = { 0 };
    uint32_t type;
    uint64_t sector, len;
    uint8_t status;
    int cnt;

    if (e->out_len < BLK_HEADER_SIZE || e->in_len < 1) {
        virtio_error(&b->vs, "a request without room for its %s",
                     e->out_len < BLK_HEADER_SIZE ? "header" : "status byte");
        return false;
    }
    virtqueue_elem_read(e, 0, hdr, sizeof(hdr));
    memcpy(&type, hdr, 4);
    memcpy(&sector, hdr + 8, 8);
    type = le32toh(type) & ~VIRTIO_BLK_T_BARRIER;
    sector = le64toh(sector);
    data = g_new(struct iovec, MAX(e->out_num, e->in_num) + 1);

    switch (type) {
    case VIRTIO_BLK_T_IN:
        len = e->in_len - 1;
        cnt = sub_iov(e->sg + e->out_num, e->in_num, 0, len, data);
        status = blk_rw(b, sector, data, cnt, len, false);
        break;
    case VIRTIO_BLK_T_OUT:
        len = e->out_len - BLK_HEADER_SIZE;
        cnt = sub_iov(e->sg, e->out_num, BLK_HEADER_SIZE, len, data);
        status = blk_rw(b, sector, data, cnt, len, true);
        break;
    case VIRTIO_BLK_T_FLUSH:
        status = block_node_flush(b->node) == 0 ? VIRTIO_BLK_S_OK
                                                : VIRTIO_BLK_S_IOERR;
        break;
    case VIRTIO_BLK_T_GET_ID:
        if (b->serial != NULL) {
            memcpy(id, b->serial,
                   MIN(strlen(b->serial), (size_t)VIRTIO_BLK_ID_BYTES));
        }
        virtqueue_elem_write(e, 0, id,
                             (size_t)MIN(e->in_len - 1,
                                         (uint64_t)VIRTIO_BLK_ID_BYTES));
        status = VIRTIO_BLK_S_OK;
        break;
    default:
        status = VIRTIO_BLK_S_UNSUPP;
        break;
    }
    /* The status is the last device-writable byte; QEMU reports the whole
     * writable length as used, and so do we. */
    virtqueue_elem_write(e, e->in_len - 1, &status, 1);
    virtqueue_push(vq, e, (uint32_t)MIN(e->in_len, (uint64_t)UINT32_MAX));
    return true;
}

static void blk_handle(VirtioState *vs, VirtQueue *vq)
{
    VirtIOBlk *b = blk_of(vs);
    VirtQueueElement *elem;
    bool pushed = false;

    while ((elem = virtqueue_pop(vq)) != NULL) {
        if (!blk_request(b, vq, elem)) {
            virtqueue_element_free(elem);
            break;
        }
        pushed = true;
    }
    if (pushed) {
        virtqueue_notify(vq);
    }
}

static uint64_t blk_get_features(VirtioState *vs)
{
    VirtIOBlk *b = blk_of(vs);
    uint64_t f = VIRTIO_BIT(VIRTIO_BLK_F_SEG_MAX) |
                 VIRTIO_BIT(VIRTIO_BLK_F_BLK_SIZE) |
                 VIRTIO_BIT(VIRTIO_BLK_F_FLUSH);

    if (b->node->read_only) {
        f |= VIRTIO_BIT(VIRTIO_BLK_F_RO);
    }
    return f;
}

static void put_le(uint8_t *p, uint64_t v, unsigned size)
{
    for (unsigned i = 0; i < size; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

static void blk_get_config(VirtioState *vs, uint8_t *config)
{
    VirtIOBlk *b = blk_of(vs);

    memset(config, 0, VIRTIO_BLK_CONFIG_SIZE);
    put_le(config + 0, b->sectors, 8);            /* capacity */
    put_le(config + 12, b->queue_size - 2, 4);    /* seg_max */
    put_le(config + 20, VIRTIO_BLK_SECTOR, 4);    /* blk_size */
    put_le(config + 34, 1, 2);                    /* num_queues */
}

static const VirtioDeviceOps blk_ops = {
    .get_features = blk_get_features,
    .get_config = blk_get_config,
};

VirtioState *virtio_blk_realize(VirtIOBlk *b, CgObject *root,
                                const char *user, GError **err)
{
    BlockNode *node;

    if (b->queue_size < 4 || b->queue_size > VIRTIO_QUEUE_MAX ||
        (b->queue_size & (b->queue_size - 1))) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "queue-size=%u is not a power of two between 4 and %u",
                    b->queue_size, VIRTIO_QUEUE_MAX);
        return NULL;
    }
    if (b->drive == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "drive= is required: give the node-name of a -blockdev "
                    "or the id of a -drive");
        return NULL;
    }
    node = block_node_find(root, b->drive);
    if (node == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "drive '%s' not found: define it with -blockdev "
                    "...,node-name=%s or -drive ...,id=%s", b->drive,
                    b->drive, b->drive);
        return NULL;
    }
    if (!block_node_attach(node, user, err)) {
        return NULL;
    }
    b->node = g_object_ref(node);
    b->sectors = node->size / VIRTIO_BLK_SECTOR +
                 (node->size % VIRTIO_BLK_SECTOR != 0);
    b->warned = false;
    virtio_init(&b->vs, VIRTIO_ID_BLOCK, VIRTIO_BLK_CONFIG_SIZE, &blk_ops);
    virtio_add_queue(&b->vs, (uint16_t)b->queue_size, blk_handle);
    return &b->vs;
}

void virtio_blk_unrealize(VirtIOBlk *b)
{
    if (b->node != NULL) {
        block_node_detach(b->node);
        g_clear_object(&b->node);
    }
}

void virtio_blk_finalize(VirtIOBlk *b)
{
    virtio_blk_unrealize(b);
    g_clear_pointer(&b->drive, g_free);
    g_clear_pointer(&b->serial, g_free);
}

void virtio_blk_init(VirtIOBlk *b)
{
    b->queue_size = 256;
    b->bootindex = -1;
}

void virtio_blk_install_properties(GObjectClass *oc, guint first_id)
{
    GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

    g_object_class_install_property(
        oc, first_id + VIRTIO_BLK_PROP_DRIVE,
        g_param_spec_string("drive", "drive",
                            "Node-name of a -blockdev or id of a -drive "
                            "(required)", NULL, rw));
    g_object_class_install_property(
        oc, first_id + VIRTIO_BLK_PROP_SERIAL,
        g_param_spec_string("serial", "serial",
                            "Disk serial the guest reads with GET_ID (up to "
                            "20 bytes)", NULL, rw));
    g_object_class_install_property(
        oc, first_id + VIRTIO_BLK_PROP_QUEUE_SIZE,
        g_param_spec_uint("queue-size", "queue-size",
                          "Entries of the request queue, a power of two",
                          4, VIRTIO_QUEUE_MAX, 256, rw));
    g_object_class_install_property(
        oc, first_id + VIRTIO_BLK_PROP_BOOTINDEX,
        g_param_spec_int("bootindex", "bootindex",
                         "Firmware boot order (kept, unused: cgemu boots "
                         "-kernel or -bios directly)", -1, G_MAXINT32, -1,
                         rw));
}

void virtio_blk_set_property(VirtIOBlk *b, guint prop, const GValue *value)
{
    switch (prop) {
    case VIRTIO_BLK_PROP_DRIVE:
        g_free(b->drive);
        b->drive = g_value_dup_string(value);
        break;
    case VIRTIO_BLK_PROP_SERIAL:
        g_free(b->serial);
        b->serial = g_value_dup_string(value);
        break;
    case VIRTIO_BLK_PROP_QUEUE_SIZE:
        b->queue_size = g_value_get_uint(value);
        break;
    case VIRTIO_BLK_PROP_BOOTINDEX:
        b->bootindex = g_value_get_int(value);
        break;
    default:
        break;
    }
}

void virtio_blk_get_property(VirtIOBlk *b, guint prop, GValue *value)
{
    switch (prop) {
    case VIRTIO_BLK_PROP_DRIVE:
        g_value_set_string(value, b->drive);
        break;
    case VIRTIO_BLK_PROP_SERIAL:
        g_value_set_string(value, b->serial);
        break;
    case VIRTIO_BLK_PROP_QUEUE_SIZE:
        g_value_set_uint(value, b->queue_size);
        break;
    case VIRTIO_BLK_PROP_BOOTINDEX:
        g_value_set_int(value, b->bootindex);
        break;
    default:
        break;
    }
}
