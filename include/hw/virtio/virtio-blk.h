/* virtio-blk: the block device model, for any transport. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_VIRTIO_VIRTIO_BLK_H
#define CGEMU_HW_VIRTIO_VIRTIO_BLK_H

#include "block/block.h"
#include "hw/virtio/virtio.h"

G_BEGIN_DECLS

/*
 * One request queue.  Requests: IN (read), OUT (write), FLUSH and GET_ID
 * (the serial); anything else completes with VIRTIO_BLK_S_UNSUPP.  A
 * request outside the disk, not a whole number of sectors, a write to a
 * read-only disk or a failing host read or write completes with
 * VIRTIO_BLK_S_IOERR (the first host error is logged).  A request
 * without room for its header or status byte breaks the device.
 *
 * Features: SEG_MAX, BLK_SIZE (512), FLUSH, and RO when the node is
 * read-only.  Configuration space: the 60 bytes of struct
 * virtio_blk_config (capacity in 512-byte sectors, seg_max, blk_size,
 * num_queues = 1; the rest 0).
 *
 * Properties (installed on the transport's class):
 *   drive       node-name of a -blockdev or id of a -drive (required)
 *   serial      the GET_ID string (up to 20 bytes are returned)
 *   queue-size  entries of the queue, a power of two, 4..1024 (256)
 *   bootindex   firmware boot order (libvirt gives bootindex=1); cgemu
 *               boots -kernel/-bios directly, so it is kept and unused
 */
typedef struct VirtIOBlk {
    VirtioState vs;
    char *drive;
    char *serial;
    guint queue_size;
    gint bootindex;           /* -1: none */
    BlockNode *node;          /* attached at realize */
    uint64_t sectors;
    bool warned;              /* a host I/O error was logged */
} VirtIOBlk;

#define VIRTIO_BLK_CONFIG_SIZE 60

enum {
    VIRTIO_BLK_PROP_DRIVE,
    VIRTIO_BLK_PROP_SERIAL,
    VIRTIO_BLK_PROP_QUEUE_SIZE,
    VIRTIO_BLK_PROP_BOOTINDEX,
    VIRTIO_BLK_N_PROPS
};
void virtio_blk_install_properties(GObjectClass *oc, guint first_id);
void virtio_blk_set_property(VirtIOBlk *b, guint prop, const GValue *value);
void virtio_blk_get_property(VirtIOBlk *b, guint prop, GValue *value);
void virtio_blk_init(VirtIOBlk *b);

/*
 * Finds the node in @root's tree and claims it for @user (the device, as
 * messages should name it).
 */
VirtioState *virtio_blk_realize(VirtIOBlk *b, CgObject *root,
                                const char *user, GError **err);
void virtio_blk_unrealize(VirtIOBlk *b);
void virtio_blk_finalize(VirtIOBlk *b);

G_END_DECLS

#endif
