/* PCI configuration space of virtio-pci devices, read through qtest. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "libqtest.h"

#include <string.h>

/* Configuration mechanism #1: the address at 0xcf8, the data at 0xcfc. */
#define CONFIG_ADDR 0xcf8
#define CONFIG_DATA 0xcfc

static uint32_t cfg_addr(unsigned slot, unsigned reg)
{
    return 0x80000000u | slot << 11 | (reg & 0xfc);
}

static uint32_t cfg_readl(QTestState *s, unsigned slot, unsigned reg)
{
    qtest_outl(s, CONFIG_ADDR, cfg_addr(slot, reg));
    return qtest_inl(s, CONFIG_DATA);
}

static uint8_t cfg_readb(QTestState *s, unsigned slot, unsigned reg)
{
    qtest_outl(s, CONFIG_ADDR, cfg_addr(slot, reg));
    return qtest_inb(s, (uint16_t)(CONFIG_DATA + (reg & 3)));
}

/* The cfg_type of each virtio vendor capability, in list order. */
static GString *virtio_caps(QTestState *s, unsigned slot)
{
    GString *types = g_string_new(NULL);
    unsigned ptr, n = 0;

    g_assert_true(cfg_readl(s, slot, 0x04) >> 16 & 0x10);  /* cap list */
    for (ptr = cfg_readb(s, slot, 0x34); ptr != 0 && n < 48; n++) {
        uint8_t id = cfg_readb(s, slot, ptr);
        if (id == 0x09) {
            g_string_append_printf(types, "%u", cfg_readb(s, slot, ptr + 3));
        } else if (id == 0x11) {
            g_string_append(types, "X");
        }
        ptr = cfg_readb(s, slot, ptr + 1);
    }
    g_assert_cmpuint(n, <, 48);
    return types;
}

typedef struct Expect {
    uint32_t id;            /* device << 16 | vendor */
    uint32_t class_rev;     /* class code << 8 | revision */
    uint32_t subsys;        /* subsystem id << 16 | subsystem vendor */
    bool legacy_io_bar;     /* BAR0 is an I/O BAR (transitional) */
} Expect;

static void check_slot(QTestState *s, unsigned slot, const Expect *e)
{
    g_autoptr(GString) caps = NULL;

    g_assert_cmphex(cfg_readl(s, slot, 0x00), ==, e->id);
    g_assert_cmphex(cfg_readl(s, slot, 0x08), ==, e->class_rev);
    g_assert_cmphex(cfg_readl(s, slot, 0x2c), ==, e->subsys);
    /* Header type 0, a single-function device. */
    g_assert_cmphex(cfg_readb(s, slot, 0x0e), ==, 0x00);
    g_assert_cmphex(cfg_readl(s, slot, 0x10) & 1, ==, e->legacy_io_bar);
    /* common, notify, ISR, device, PCI access; and MSI-X. */
    caps = virtio_caps(s, slot);
    g_assert_true(strchr(caps->str, 'X') != NULL);
    for (const char *t = "12345"; *t; t++) {
        g_assert_true(strchr(caps->str, *t) != NULL);
    }
}

/* Two empty 1 MiB disk images for the virtio-blk devices. */
static void make_disks(const char *dir, void *opaque)
{
    for (int i = 0; i < 2; i++) {
        g_autofree char *name = g_strdup_printf("d%d.img", i);
        g_autofree char *path = g_build_filename(dir, name, NULL);
        g_autofree char *zeros = g_malloc0(1024 * 1024);

        g_assert_true(g_file_set_contents(path, zeros, 1024 * 1024, NULL));
    }
}

static void test_ids(void)
{
    QTestOptions opts = { .target = "x86_64", .prepare = make_disks };
    g_autoptr(QTestState) s = qtest_init_with(
        &opts,
        "-nodefaults -device virtio-rng-pci,addr=5,disable-legacy=on "
        "-device virtio-rng-pci,addr=6,disable-legacy=off "
        "-device virtio-blk-pci,addr=7,drive=d0 "
        "-device virtio-blk-pci,addr=8,drive=d1,disable-legacy=on "
        "-blockdev driver=file,filename={tmpdir}/d0.img,node-name=d0 "
        "-blockdev driver=file,filename={tmpdir}/d1.img,node-name=d1");
    /* virtio ids: 1af4:1040+N modern-only, 1af4:1000+N transitional;
     * subsystem id 0x1100 (modern) or the virtio device id. */
    static const Expect rng_modern = { 0x10441af4, 0x00ff0001, 0x11001af4,
                                       false };
    static const Expect rng_transitional = { 0x10051af4, 0x00ff0000,
                                             0x00041af4, true };
    static const Expect blk_transitional = { 0x10011af4, 0x01000000,
                                             0x00021af4, true };
    static const Expect blk_modern = { 0x10421af4, 0x01000001, 0x11001af4,
                                       false };

    check_slot(s, 5, &rng_modern);
    check_slot(s, 6, &rng_transitional);
    check_slot(s, 7, &blk_transitional);
    check_slot(s, 8, &blk_modern);
    /* The host bridge is the i440FX's; an empty slot reads all-ones. */
    g_assert_cmphex(cfg_readl(s, 0, 0x00), ==, 0x12378086);
    g_assert_cmphex(cfg_readl(s, 9, 0x00), ==, 0xffffffff);
    /* The address register reads back. */
    qtest_outl(s, CONFIG_ADDR, 0x80002804);
    g_assert_cmphex(qtest_inl(s, CONFIG_ADDR), ==, 0x80002804);
}

/* What -global and explicit properties decide shows in the hardware. */
static void test_global_ids(void)
{
    g_autoptr(QTestState) s = qtest_init(
        "x86_64",
        "-nodefaults -global virtio-pci.disable-legacy=on "
        "-device virtio-rng-pci,addr=5 "
        "-device virtio-rng-pci,addr=6,disable-legacy=off");

    g_assert_cmphex(cfg_readl(s, 5, 0x00), ==, 0x10441af4);
    g_assert_cmphex(cfg_readl(s, 6, 0x00), ==, 0x10051af4);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /* Only x86 reaches PCI configuration space through ports. */
    if (qtest_binary("x86_64") != NULL) {
        g_test_add_func("/x86_64/pci/virtio-ids", test_ids);
        g_test_add_func("/x86_64/pci/global-ids", test_global_ids);
    }
    return g_test_run();
}
