/* Block nodes: host images that -blockdev and -drive open for devices. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_BLOCK_BLOCK_H
#define CGEMU_BLOCK_BLOCK_H

#include "qom/object.h"
#include "util/keyval.h"

#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

G_BEGIN_DECLS

/*
 * A block node is an object at /block/NAME in the tree of the machine
 * (NAME is a -blockdev node-name or a -drive id; they share one
 * namespace).  Nodes are made only from the command line, in lifecycle
 * step 2, never with -object.  Devices find them by name
 * (block_node_find) and attach exclusively: a node serves at most one
 * user, a device or a node stacked on it.
 *
 * Drivers:
 *   file   a host file or block device, read and written with
 *          preadv/pwritev, flushed with fdatasync; opened when the node is
 *          created, so a missing file or a permission problem stops
 *          start-up with a message naming the option and the file
 *   raw    a raw image over a file node (file=NODE): the layer libvirt
 *          puts on top of its storage nodes
 * I/O is synchronous, in the thread that handles the guest's request.
 */

#define TYPE_BLOCK_NODE "block-node"
#define CG_TYPE_BLOCK_NODE (block_node_get_type())
CG_DECLARE_TYPE(BlockNode, block_node, CG, BLOCK_NODE)

/*
 * I/O accounting, as QMP query-blockstats reports it.  Updated with
 * atomic adds by whichever thread does the I/O; read without a lock.
 * "invalid": refused before reaching the host (out of range, read-only);
 * "failed": the host's read/write/fsync failed.
 */
typedef struct BlockStats {
    uint64_t rd_bytes, wr_bytes;
    uint64_t rd_ops, wr_ops, flush_ops;
    uint64_t rd_ns, wr_ns, flush_ns;
    uint64_t failed_rd, failed_wr, failed_flush;
    uint64_t invalid_rd, invalid_wr;
    uint64_t wr_highest_offset;
    int64_t last_io_us;       /* monotonic; 0: no I/O yet */
} BlockStats;

struct _BlockNode {
    CgObject parent_instance;

    char *node_name;
    char *driver;             /* "file" or "raw" */
    char *filename;           /* file: the host path */
    bool read_only;
    uint64_t size;            /* bytes */
    int fd;                   /* file: the open image; -1 otherwise */
    BlockNode *file;          /* raw: the node below (a reference) */
    char *user;               /* who attached it, or NULL */
    BlockStats stats;         /* I/O through this node */
};

struct _BlockNodeClass {
    CgObjectClass parent_class;
};

/*
 * Lifecycle step 2: every -blockdev in order (a raw node names a file node
 * given before it), then every -drive.  Errors start with the option and
 * its text ("-blockdev driver=file,...: ") and say what to change.
 */
bool block_create_nodes(CgObject *root, const GPtrArray *blockdevs,
                        const GPtrArray *drives, GError **err);

/*
 * One -blockdev: driver=file (filename, node-name, read-only,
 * auto-read-only, discard) or driver=raw (file, node-name, read-only,
 * discard).  Any other driver or key is refused naming what is accepted.
 * The JSON form takes the same keys (nested objects are refused by the
 * option parser: name the file node instead).
 */
BlockNode *block_blockdev_add(CgObject *root, const CgOpts *opts,
                              GError **err);
/*
 * One -drive: file=PATH, format=raw, if=none, id=ID, readonly (or
 * read-only).  Other interfaces and formats are refused with the fix.
 */
BlockNode *block_drive_add(CgObject *root, const CgOpts *opts, GError **err);

/* /block/@name in @root's tree, or NULL. */
BlockNode *block_node_find(CgObject *root, const char *name);

/*
 * Claims @bn for @user ("virtio-blk-pci 00:04.0 (id disk0)"); an error
 * naming the current user when it is taken.  block_node_detach releases.
 */
bool block_node_attach(BlockNode *bn, const char *user, GError **err);
void block_node_detach(BlockNode *bn);

/*
 * I/O at byte @offset: the number of bytes transferred or -errno.  A read
 * past the end of the image returns zeros for that part; a write past it
 * grows a regular file.  Writes to a read-only node return -EROFS.
 */
ssize_t block_node_preadv(BlockNode *bn, uint64_t offset,
                          const struct iovec *iov, int iovcnt);
ssize_t block_node_pwritev(BlockNode *bn, uint64_t offset,
                           const struct iovec *iov, int iovcnt);
int block_node_flush(BlockNode *bn);

G_END_DECLS

#endif
