/* Block nodes: the node type, lookup, exclusive use and I/O. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "block/block.h"

#include "util/error.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

enum {
    PROP_0,
    PROP_NODE_NAME,
    PROP_DRIVER,
    PROP_FILENAME,
    PROP_READ_ONLY,
};

CG_DEFINE_TYPE(BlockNode, block_node, TYPE_BLOCK_NODE, CG_TYPE_OBJECT)

BlockNode *block_node_find(CgObject *root, const char *name)
{
    CgObject *block = cg_object_get_child(root, "block");
    CgObject *obj = block ? cg_object_get_child(block, name) : NULL;

    return obj != NULL && CG_IS_BLOCK_NODE(obj) ? CG_BLOCK_NODE(obj) : NULL;
}

bool block_node_attach(BlockNode *bn, const char *user, GError **err)
{
    if (bn->user != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "block node '%s' is already in use by %s; a node serves "
                    "one device (define another -blockdev or -drive for a "
                    "second one)", bn->node_name, bn->user);
        return false;
    }
    bn->user = g_strdup(user);
    return true;
}

void block_node_detach(BlockNode *bn)
{
    g_clear_pointer(&bn->user, g_free);
}

/* The innermost node, where the file is. */
static BlockNode *file_node(BlockNode *bn)
{
    while (bn->file != NULL) {
        bn = bn->file;
    }
    return bn;
}

static uint64_t iov_total(const struct iovec *iov, int iovcnt)
{
    uint64_t total = 0;

    for (int i = 0; i < iovcnt; i++) {
        total += iov[i].iov_len;
    }
    return total;
}

/* Drops the first @n bytes of the vector (an array the caller owns). */
static void iov_advance(struct iovec **iov, int *iovcnt, size_t n)
{
    while (n > 0 && *iovcnt > 0) {
        size_t step = MIN(n, (*iov)->iov_len);

        (*iov)->iov_base = (uint8_t *)(*iov)->iov_base + step;
        (*iov)->iov_len -= step;
        n -= step;
        if ((*iov)->iov_len == 0) {
            (*iov)++;
            (*iovcnt)--;
        }
    }
}

static bool offset_ok(uint64_t offset, uint64_t len)
{
    return offset <= INT64_MAX && len <= (uint64_t)INT64_MAX - offset;
}

static ssize_t do_preadv(BlockNode *bn, uint64_t offset,
                         const struct iovec *iov, int iovcnt)
{
    BlockNode *f = file_node(bn);
    uint64_t total = iov_total(iov, iovcnt);
    g_autofree struct iovec *copy = g_memdup2(iov, sizeof(*iov) * iovcnt);
    struct iovec *v = copy;
    int n = iovcnt;

    if (f->fd < 0 || !offset_ok(offset, total) || total > SSIZE_MAX) {
        return -EINVAL;
    }
    while (n > 0) {
        ssize_t got = preadv(f->fd, v, MIN(n, IOV_MAX), (off_t)offset);

        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            return -errno;
        }
        if (got == 0) {
            /* Past the end of the image: the rest reads as zeros. */
            for (int i = 0; i < n; i++) {
                memset(v[i].iov_base, 0, v[i].iov_len);
            }
            break;
        }
        offset += (uint64_t)got;
        iov_advance(&v, &n, (size_t)got);
    }
    return (ssize_t)total;
}

static ssize_t do_pwritev(BlockNode *bn, uint64_t offset,
                          const struct iovec *iov, int iovcnt)
{
    BlockNode *f = file_node(bn);
    uint64_t total = iov_total(iov, iovcnt);
    g_autofree struct iovec *copy = g_memdup2(iov, sizeof(*iov) * iovcnt);
    struct iovec *v = copy;
    int n = iovcnt;

    if (bn->read_only || f->read_only) {
        return -EROFS;
    }
    if (f->fd < 0 || !offset_ok(offset, total) || total > SSIZE_MAX) {
        return -EINVAL;
    }
    while (n > 0) {
        ssize_t put = pwritev(f->fd, v, MIN(n, IOV_MAX), (off_t)offset);

        if (put < 0 && errno == EINTR) {
            continue;
        }
        if (put < 0) {
            return -errno;
        }
        if (put == 0) {
            return -EIO;
        }
        offset += (uint64_t)put;
        iov_advance(&v, &n, (size_t)put);
    }
    return (ssize_t)total;
}

static int do_flush(BlockNode *bn)
{
    BlockNode *f = file_node(bn);

    if (f->fd < 0 || f->read_only) {
        return 0;
    }
    while (fdatasync(f->fd) < 0) {
        if (errno != EINTR) {
            return -errno;
        }
    }
    return 0;
}

typedef enum { IO_READ, IO_WRITE, IO_FLUSH } IoKind;

static void add(uint64_t *counter, uint64_t n)
{
    __atomic_add_fetch(counter, n, __ATOMIC_RELAXED);
}

/* One request's outcome into @st (the node asked and, below a raw node,
 * the file node: the same I/O passes through both, as in QEMU). */
static void account(BlockStats *st, IoKind kind, uint64_t offset,
                    uint64_t bytes, ssize_t r, int64_t start_us)
{
    uint64_t ns = (uint64_t)(g_get_monotonic_time() - start_us) * 1000;
    uint64_t end = offset + bytes, seen;

    __atomic_store_n(&st->last_io_us, g_get_monotonic_time(),
                     __ATOMIC_RELAXED);
    if (r == -EINVAL || r == -EROFS) {
        add(kind == IO_READ ? &st->invalid_rd : &st->invalid_wr, 1);
        return;
    }
    switch (kind) {
    case IO_READ:
        add(r < 0 ? &st->failed_rd : &st->rd_ops, 1);
        add(&st->rd_ns, ns);
        add(&st->rd_bytes, r < 0 ? 0 : bytes);
        break;
    case IO_WRITE:
        add(r < 0 ? &st->failed_wr : &st->wr_ops, 1);
        add(&st->wr_ns, ns);
        add(&st->wr_bytes, r < 0 ? 0 : bytes);
        seen = __atomic_load_n(&st->wr_highest_offset, __ATOMIC_RELAXED);
        while (r >= 0 && end > seen &&
               !__atomic_compare_exchange_n(&st->wr_highest_offset, &seen,
                                            end, true, __ATOMIC_RELAXED,
                                            __ATOMIC_RELAXED)) {
        }
        break;
    case IO_FLUSH:
        add(r < 0 ? &st->failed_flush : &st->flush_ops, 1);
        add(&st->flush_ns, ns);
        break;
    }
}

static void account_both(BlockNode *bn, IoKind kind, uint64_t offset,
                         uint64_t bytes, ssize_t r, int64_t start_us)
{
    BlockNode *f = file_node(bn);

    account(&bn->stats, kind, offset, bytes, r, start_us);
    if (f != bn) {
        account(&f->stats, kind, offset, bytes, r, start_us);
    }
}

ssize_t block_node_preadv(BlockNode *bn, uint64_t offset,
                          const struct iovec *iov, int iovcnt)
{
    int64_t start = g_get_monotonic_time();
    ssize_t r = do_preadv(bn, offset, iov, iovcnt);

    account_both(bn, IO_READ, offset, iov_total(iov, iovcnt), r, start);
    return r;
}

ssize_t block_node_pwritev(BlockNode *bn, uint64_t offset,
                           const struct iovec *iov, int iovcnt)
{
    int64_t start = g_get_monotonic_time();
    ssize_t r = do_pwritev(bn, offset, iov, iovcnt);

    account_both(bn, IO_WRITE, offset, iov_total(iov, iovcnt), r, start);
    return r;
}

int block_node_flush(BlockNode *bn)
{
    int64_t start = g_get_monotonic_time();
    int r = do_flush(bn);

    account_both(bn, IO_FLUSH, 0, 0, r, start);
    return r;
}

static void block_node_get_property(GObject *obj, guint id, GValue *value,
                                    GParamSpec *pspec)
{
    BlockNode *bn = CG_BLOCK_NODE(obj);

    switch (id) {
    case PROP_NODE_NAME:
        g_value_set_string(value, bn->node_name);
        break;
    case PROP_DRIVER:
        g_value_set_string(value, bn->driver);
        break;
    case PROP_FILENAME:
        g_value_set_string(value, file_node(bn)->filename);
        break;
    case PROP_READ_ONLY:
        g_value_set_boolean(value, bn->read_only);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void block_node_dispose(GObject *obj)
{
    BlockNode *bn = CG_BLOCK_NODE(obj);

    if (bn->file != NULL) {
        block_node_detach(bn->file);
        g_clear_object(&bn->file);
    }
    G_OBJECT_CLASS(block_node_parent_class)->dispose(obj);
}

static void block_node_finalize(GObject *obj)
{
    BlockNode *bn = CG_BLOCK_NODE(obj);

    if (bn->fd >= 0) {
        close(bn->fd);
    }
    g_free(bn->node_name);
    g_free(bn->driver);
    g_free(bn->filename);
    g_free(bn->user);
    G_OBJECT_CLASS(block_node_parent_class)->finalize(obj);
}

static void block_node_class_init(BlockNodeClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);
    GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

    oc->get_property = block_node_get_property;
    oc->dispose = block_node_dispose;
    oc->finalize = block_node_finalize;
    g_object_class_install_property(
        oc, PROP_NODE_NAME,
        g_param_spec_string("node-name", "node-name", "Name of the node",
                            NULL, ro));
    g_object_class_install_property(
        oc, PROP_DRIVER,
        g_param_spec_string("driver", "driver", "file or raw", NULL, ro));
    g_object_class_install_property(
        oc, PROP_FILENAME,
        g_param_spec_string("filename", "filename", "The host image", NULL,
                            ro));
    g_object_class_install_property(
        oc, PROP_READ_ONLY,
        g_param_spec_boolean("read-only", "read-only",
                             "Whether guests may only read", FALSE, ro));
}

static void block_node_init(BlockNode *bn)
{
    bn->fd = -1;
}
