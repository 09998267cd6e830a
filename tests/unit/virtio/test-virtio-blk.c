/* Unit tests: virtio-blk-pci requests against a temporary image file. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "block/block.h"
#include "hw/virtio/virtio-pci.h"
#include "vdriver.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define IMG_SIZE (64 * 1024)
#define HDR VD_BUF
#define DATA (VD_BUF + 0x1000)
#define STATUS (VD_BUF + 0x8000)

typedef struct {
    char *dir;
    char *img;
    TestMachine *tm;
    PCIDevice *pd;
    VDrv d;
} Fix;

static uint8_t pattern(size_t i)
{
    return (uint8_t)(i * 13 + (i >> 9));
}

static void make_image(const char *path, size_t size)
{
    g_autofree uint8_t *buf = g_malloc(size);

    for (size_t i = 0; i < size; i++) {
        buf[i] = pattern(i);
    }
    g_assert_true(g_file_set_contents(path, (char *)buf, (gssize)size, NULL));
}

static void node(Fix *f, const char *fmt)
{
    g_autofree char *text = g_strdup_printf(fmt, f->img);
    g_autoptr(CgOpts) o = cg_keyval_parse(text, NULL, NULL);
    g_autoptr(GError) err = NULL;

    g_assert_nonnull(block_blockdev_add(test_machine_root(f->tm), o, &err));
    g_assert_no_error(err);
}

static void device(Fix *f, const char *text, bool modern)
{
    g_autoptr(GError) err = NULL;
    DeviceState *dev = test_device_add(f->tm, text, &err);

    g_assert_no_error(err);
    f->pd = CG_PCI_DEVICE(dev);
    vdrv_open(&f->d, f->tm, f->pd, modern);
    vdrv_negotiate(&f->d, modern ? VIRTIO_BIT(VIRTIO_F_VERSION_1) : 0);
    vdrv_queue(&f->d, modern ? 16 : 0);
    vdrv_driver_ok(&f->d);
}

static void fix_setup(Fix *f, gconstpointer data)
{
    f->dir = g_dir_make_tmp("cgemu-vblk-XXXXXX", NULL);
    f->img = g_build_filename(f->dir, "disk.img", NULL);
    make_image(f->img, IMG_SIZE);
    f->tm = test_machine_new(16 << 20);
}

static void fix_teardown(Fix *f, gconstpointer data)
{
    test_machine_free(f->tm);
    g_unlink(f->img);
    g_rmdir(f->dir);
    g_free(f->img);
    g_free(f->dir);
}

/*
 * One request: header, then @len data bytes (device-writable when
 * @dev_writes), then the status byte.  Returns the status; *used gets
 * the used length.
 */
static uint8_t request(Fix *f, uint32_t type, uint64_t sector, uint32_t len,
                       bool dev_writes, uint32_t *used)
{
    uint8_t hdr[16] = { 0 };
    uint8_t st = 0xee;
    VBuf b[3] = {
        { HDR, 16, false },
        { DATA, len, dev_writes },
        { STATUS, 1, true },
    };
    uint32_t u = 0;

    memcpy(hdr, &type, 4);
    memcpy(hdr + 8, &sector, 8);
    vdrv_write_ram(&f->d, HDR, hdr, 16);
    vdrv_write_ram(&f->d, STATUS, &st, 1);
    if (len == 0) {
        b[1] = b[2];
    }
    g_assert_true(vdrv_request(&f->d, b, len ? 3 : 2, &u));
    vdrv_read_ram(&f->d, STATUS, &st, 1);
    if (used != NULL) {
        *used = u;
    }
    return st;
}

static void test_read_write(Fix *f, gconstpointer data)
{
    uint8_t buf[1024], id[20];
    g_autofree char *contents = NULL;
    uint32_t used;
    gsize n;

    node(f, "driver=file,node-name=d0,filename=%s");
    device(f, "virtio-blk-pci,drive=d0,serial=SER-0123", true);
    /* SEG_MAX, BLK_SIZE, FLUSH; no RO. */
    g_assert_cmphex(vdrv_offered(&f->d), ==,
                    VIRTIO_BIT(VIRTIO_F_VERSION_1) |
                        VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC) | (1u << 2) |
                        (1u << 6) | (1u << 9));
    g_assert_cmpuint(vdrv_devcfg(&f->d, 0, 8), ==, IMG_SIZE / 512);
    g_assert_cmpuint(vdrv_devcfg(&f->d, 12, 4), ==, 254);
    g_assert_cmpuint(vdrv_devcfg(&f->d, 20, 4), ==, 512);
    g_assert_cmpuint(vdrv_devcfg(&f->d, 34, 2), ==, 1);
    g_assert_cmphex(tm_cfg_read(f->tm, f->pd->devfn, 0, 4), ==, 0x10011af4);
    g_assert_cmphex(tm_cfg_read(f->tm, f->pd->devfn, 8, 4) >> 8, ==,
                    0x010000);

    /* Read sectors 2-3. */
    g_assert_cmpuint(request(f, VIRTIO_BLK_T_IN, 2, 1024, true, &used), ==,
                     VIRTIO_BLK_S_OK);
    g_assert_cmpuint(used, ==, 1025);
    vdrv_read_ram(&f->d, DATA, buf, sizeof(buf));
    for (size_t i = 0; i < sizeof(buf); i++) {
        g_assert_cmphex(buf[i], ==, pattern(1024 + i));
    }
    /* Write sector 1; the file has it. */
    memset(buf, 0xa5, 512);
    vdrv_write_ram(&f->d, DATA, buf, 512);
    g_assert_cmpuint(request(f, VIRTIO_BLK_T_OUT, 1, 512, false, &used), ==,
                     VIRTIO_BLK_S_OK);
    g_assert_cmpuint(used, ==, 1);
    g_assert_cmpuint(request(f, VIRTIO_BLK_T_FLUSH, 0, 0, false, NULL), ==,
                     VIRTIO_BLK_S_OK);
    g_assert_true(g_file_get_contents(f->img, &contents, &n, NULL));
    g_assert_cmpuint(n, ==, IMG_SIZE);
    g_assert_cmphex((uint8_t)contents[511], ==, pattern(511));
    g_assert_cmphex((uint8_t)contents[512], ==, 0xa5);
    g_assert_cmphex((uint8_t)contents[1023], ==, 0xa5);
    g_assert_cmphex((uint8_t)contents[1024], ==, pattern(1024));
    /* GET_ID: the serial, NUL-padded to 20 bytes. */
    memset(buf, 0xff, 20);
    vdrv_write_ram(&f->d, DATA, buf, 20);
    g_assert_cmpuint(request(f, VIRTIO_BLK_T_GET_ID, 0, 20, true, NULL), ==,
                     VIRTIO_BLK_S_OK);
    vdrv_read_ram(&f->d, DATA, id, 20);
    g_assert_cmpmem(id, 20, "SER-0123\0\0\0\0\0\0\0\0\0\0\0\0", 20);
}

static void test_request_errors(Fix *f, gconstpointer data)
{
    VirtioState *vs;

    node(f, "driver=file,node-name=d0,filename=%s");
    device(f, "virtio-blk-pci,drive=d0", true);
    vs = CG_VIRTIO_PCI(f->pd)->vs;
    /* Past the end, straddling it, overflowing, not whole sectors. */
    g_assert_cmpuint(request(f, VIRTIO_BLK_T_IN, 128, 512, true, NULL), ==,
                     VIRTIO_BLK_S_IOERR);
    g_assert_cmpuint(request(f, VIRTIO_BLK_T_IN, 127, 1024, true, NULL), ==,
                     VIRTIO_BLK_S_IOERR);
    g_assert_cmpuint(request(f, VIRTIO_BLK_T_OUT, UINT64_MAX / 512 + 2, 512,
                             false, NULL),
                     ==, VIRTIO_BLK_S_IOERR);
    g_assert_cmpuint(request(f, VIRTIO_BLK_T_IN, 0, 100, true, NULL), ==,
                     VIRTIO_BLK_S_IOERR);
    /* Unknown request types. */
    g_assert_cmpuint(request(f, 99, 0, 512, true, NULL), ==,
                     VIRTIO_BLK_S_UNSUPP);
    /* The last sector is fine; the device is fine. */
    g_assert_cmpuint(request(f, VIRTIO_BLK_T_IN, 127, 512, true, NULL), ==,
                     VIRTIO_BLK_S_OK);
    g_assert_false(vs->broken);
    /* No room for the header: the request is malformed, the device
     * breaks. */
    {
        VBuf b[2] = { { HDR, 8, false }, { STATUS, 1, true } };

        g_assert_false(vdrv_request(&f->d, b, 2, NULL));
        g_assert_true(vs->broken);
        g_assert_cmpstr(vs->broken_reason, ==,
                        "a request without room for its header");
        g_assert_cmphex(vdrv_status(&f->d), ==, 0x4f);
    }
}

static void test_read_only(Fix *f, gconstpointer data)
{
    uint8_t buf[512];
    g_autofree char *contents = NULL;
    gsize n;

    node(f, "driver=file,node-name=d0,filename=%s,read-only=on");
    device(f, "virtio-blk-pci,drive=d0", true);
    g_assert_true(vdrv_offered(&f->d) & (1u << 5));
    memset(buf, 0x11, sizeof(buf));
    vdrv_write_ram(&f->d, DATA, buf, 512);
    g_assert_cmpuint(request(f, VIRTIO_BLK_T_OUT, 0, 512, false, NULL), ==,
                     VIRTIO_BLK_S_IOERR);
    g_assert_cmpuint(request(f, VIRTIO_BLK_T_IN, 0, 512, true, NULL), ==,
                     VIRTIO_BLK_S_OK);
    vdrv_read_ram(&f->d, DATA, buf, 512);
    g_assert_cmphex(buf[5], ==, pattern(5));
    g_assert_true(g_file_get_contents(f->img, &contents, &n, NULL));
    g_assert_cmphex((uint8_t)contents[0], ==, pattern(0));
}

static void test_legacy_raw(Fix *f, gconstpointer data)
{
    uint8_t buf[512];

    node(f, "driver=file,node-name=f0,filename=%s");
    node(f, "driver=raw,node-name=r0,file=f0");
    device(f, "virtio-blk-pci,drive=r0,disable-modern=on", false);
    g_assert_cmpuint(f->d.qsize, ==, 256);
    /* Legacy config space follows the 20-byte header. */
    g_assert_cmpuint(vdrv_devcfg(&f->d, 0, 4), ==, IMG_SIZE / 512);
    g_assert_cmpuint(request(f, VIRTIO_BLK_T_IN, 3, 512, true, NULL), ==,
                     VIRTIO_BLK_S_OK);
    vdrv_read_ram(&f->d, DATA, buf, 512);
    g_assert_cmphex(buf[0], ==, pattern(3 * 512));
    g_assert_cmphex(buf[511], ==, pattern(4 * 512 - 1));
}

static void test_partial_sector(Fix *f, gconstpointer data)
{
    uint8_t buf[512];

    make_image(f->img, 1000);
    node(f, "driver=file,node-name=d0,filename=%s");
    device(f, "virtio-blk-pci,drive=d0", true);
    /* 1000 bytes: two sectors, the second half zeros. */
    g_assert_cmpuint(vdrv_devcfg(&f->d, 0, 8), ==, 2);
    g_assert_cmpuint(request(f, VIRTIO_BLK_T_IN, 1, 512, true, NULL), ==,
                     VIRTIO_BLK_S_OK);
    vdrv_read_ram(&f->d, DATA, buf, 512);
    g_assert_cmphex(buf[487], ==, pattern(999));
    g_assert_cmphex(buf[488], ==, 0);
    g_assert_cmphex(buf[511], ==, 0);
}

static void test_drive_errors(Fix *f, gconstpointer data)
{
    g_autoptr(GError) err = NULL;
    static const char *const cases[][2] = {
        { "virtio-blk-pci", "drive= is required: give the node-name of a "
                            "-blockdev or the id of a -drive" },
        { "virtio-blk-pci,drive=nope",
          "drive 'nope' not found: define it with -blockdev "
          "...,node-name=nope or -drive ...,id=nope" },
        { "virtio-blk-pci,drive=d0,queue-size=100",
          "queue-size=100 is not a power of two between 4 and 1024" },
        { "virtio-blk-pci,drive=d0,iommu_platform=on",
          "iommu_platform=on needs a modern-only device, but the legacy "
          "interface is on (disable-legacy=auto); add disable-legacy=on" },
    };

    node(f, "driver=file,node-name=d0,filename=%s");
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_assert_null(test_device_add(f->tm, cases[i][0], &err));
        g_assert_cmpstr(err->message, ==, cases[i][1]);
        g_clear_error(&err);
    }
    /* The failures released the node: it can be used, once. */
    g_assert_nonnull(test_device_add(f->tm, "virtio-blk-pci,drive=d0,id=b0",
                                     &err));
    g_assert_null(test_device_add(f->tm, "virtio-blk-pci,drive=d0", &err));
    g_assert_cmpstr(err->message, ==,
                    "block node 'd0' is already in use by virtio-blk-pci "
                    "00:01.0 (id b0); a node serves one device (define "
                    "another -blockdev or -drive for a second one)");
}

static void test_host_error(Fix *f, gconstpointer data)
{
    if (g_test_subprocess()) {
        BlockNode *bn;
        int dirfd;

        node(f, "driver=file,node-name=d0,filename=%s");
        device(f, "virtio-blk-pci,drive=d0,id=disk", true);
        /* The image turns into something that cannot be read (EISDIR). */
        bn = block_node_find(test_machine_root(f->tm), "d0");
        dirfd = open(f->dir, O_RDONLY | O_DIRECTORY);
        g_assert_cmpint(dup2(dirfd, bn->fd), ==, bn->fd);
        close(dirfd);
        for (int i = 0; i < 3; i++) {
            g_assert_cmpuint(request(f, VIRTIO_BLK_T_IN, 4, 512, true, NULL),
                             ==, VIRTIO_BLK_S_IOERR);
        }
        g_assert_false(CG_VIRTIO_PCI(f->pd)->vs->broken);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
    g_test_trap_assert_stderr(
        "*warning: virtio-blk-pci 00:01.0 (id disk): read of 512 bytes at "
        "sector 4 failed: Is a directory; the guest gets an I/O error\n");
    g_test_trap_assert_stderr_unmatched("*failed*failed*");
}

#define ADD(path, fn)                                                         \
    g_test_add("/virtio-blk/" path, Fix, NULL, fix_setup, fn, fix_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    cg_types_init();
    ADD("read-write", test_read_write);
    ADD("request-errors", test_request_errors);
    ADD("read-only", test_read_only);
    ADD("legacy-raw", test_legacy_raw);
    ADD("partial-sector", test_partial_sector);
    ADD("drive-errors", test_drive_errors);
    ADD("host-error", test_host_error);
    return g_test_run();
}
