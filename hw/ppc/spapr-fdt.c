/* The pseries flattened device tree, built with libfdt. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/ppc/spapr.h"

#include "util/error.h"

#include <libfdt.h>
#include <string.h>

/*
 * docs/system/ppc/pseries.rst lists every node and property and why it
 * is there.  libfdt inserts a new node before its existing siblings, so
 * nodes whose order a reader may care about (vCPUs, vtys) are added last
 * first.
 */

#define SLB_SIZE 32
#define HPT_SHIFT_MIN 18
#define HPT_SHIFT_MAX 46

typedef struct {
    void *fdt;
    int err;
} FdtBuilder;

static int add_node(FdtBuilder *b, int parent, const char *name)
{
    int node;

    if (b->err != 0) {
        return -1;
    }
    node = fdt_add_subnode(b->fdt, parent, name);
    if (node < 0) {
        b->err = node;
    }
    return node;
}

static void prop_str(FdtBuilder *b, int node, const char *name,
                     const char *value)
{
    if (b->err == 0) {
        b->err = fdt_setprop_string(b->fdt, node, name, value);
    }
}

static void prop_u32(FdtBuilder *b, int node, const char *name,
                     uint32_t value)
{
    if (b->err == 0) {
        b->err = fdt_setprop_cell(b->fdt, node, name, value);
    }
}

static void prop_empty(FdtBuilder *b, int node, const char *name)
{
    if (b->err == 0) {
        b->err = fdt_setprop(b->fdt, node, name, NULL, 0);
    }
}

static void prop_bytes(FdtBuilder *b, int node, const char *name,
                       const void *data, size_t len)
{
    if (b->err == 0) {
        b->err = fdt_setprop(b->fdt, node, name, data, (int)len);
    }
}

/* @cells in host order. */
static void prop_cells(FdtBuilder *b, int node, const char *name,
                       const uint32_t *cells, size_t n)
{
    g_autofree uint32_t *be = g_new(uint32_t, MAX(n, 1));

    for (size_t i = 0; i < n; i++) {
        be[i] = cpu_to_fdt32(cells[i]);
    }
    prop_bytes(b, node, name, be, n * sizeof(uint32_t));
}

static uint32_t hpt_shift(uint64_t ram_size)
{
    uint32_t shift = 0;

    /* PAPR suggests a hash table of 1/128 of RAM, a power of two. */
    while (shift < 63 && (1ull << shift) < ram_size) {
        shift++;
    }
    return CLAMP(shift - 7, HPT_SHIFT_MIN, HPT_SHIFT_MAX);
}

static void add_root(FdtBuilder *b)
{
    prop_str(b, 0, "device_type", "chrp");
    prop_str(b, 0, "compatible", "qemu,pseries");
    prop_str(b, 0, "model", "IBM pSeries (emulated by cgemu)");
    prop_u32(b, 0, "#address-cells", 2);
    prop_u32(b, 0, "#size-cells", 2);
}

static void add_cpu(FdtBuilder *b, SpaprMachineState *spapr, int cpus,
                    unsigned index)
{
    MachineState *ms = CG_MACHINE(spapr);
    const PpcCpuConfig *cfg = &spapr->cpu;
    const PpcCpuModel *m = cfg->model;
    static const uint32_t seg_sizes[] = { 0x1c, 0x28, 0xffffffff,
                                          0xffffffff };
    const uint32_t gserver[2] = { index, 0 };
    const uint32_t pft[2] = { 0, hpt_shift(ms->ram_size) };
    g_autofree char *name = g_strdup_printf("%s@%x", m->dt_name, index);
    const uint8_t *pa;
    const uint32_t *cells;
    size_t n;
    int node = add_node(b, cpus, name);

    prop_str(b, node, "device_type", "cpu");
    prop_u32(b, node, "reg", index);
    prop_u32(b, node, "cpu-version", ppc_cpu_config_version(cfg));
    prop_u32(b, node, "clock-frequency", PPC_CLOCK_HZ);
    prop_u32(b, node, "timebase-frequency", PPC_TIMEBASE_HZ);
    prop_u32(b, node, "i-cache-size", m->icache_size);
    prop_u32(b, node, "i-cache-line-size", m->cache_line);
    prop_u32(b, node, "i-cache-block-size", m->cache_line);
    prop_u32(b, node, "d-cache-size", m->dcache_size);
    prop_u32(b, node, "d-cache-line-size", m->cache_line);
    prop_u32(b, node, "d-cache-block-size", m->cache_line);
    prop_u32(b, node, "slb-size", SLB_SIZE);
    prop_u32(b, node, "ibm,slb-size", SLB_SIZE);
    prop_str(b, node, "status", "okay");
    prop_empty(b, node, "64-bit");
    prop_u32(b, node, "ibm,purr", 1);
    prop_u32(b, node, "ibm,spurr", 1);
    prop_u32(b, node, "ibm,vmx", 2);
    prop_u32(b, node, "ibm,dfp", 1);
    prop_u32(b, node, "ibm,dec-bits", m->dec_bits);
    prop_u32(b, node, "ibm,chip-id", 0);
    prop_u32(b, node, "ibm,ppc-interrupt-server#s", index);
    prop_cells(b, node, "ibm,ppc-interrupt-gserver#s", gserver, 2);
    prop_cells(b, node, "ibm,pft-size", pft, 2);
    prop_cells(b, node, "ibm,processor-segment-sizes", seg_sizes,
               G_N_ELEMENTS(seg_sizes));
    cells = ppc_dt_segment_page_sizes(&n);
    prop_cells(b, node, "ibm,segment-page-sizes", cells, n);
    cells = ppc_dt_radix_ap_encodings(&n);
    prop_cells(b, node, "ibm,processor-radix-AP-encodings", cells, n);
    pa = ppc_dt_pa_features(&n);
    prop_bytes(b, node, "ibm,pa-features", pa, n);
}

static void add_cpus(FdtBuilder *b, SpaprMachineState *spapr)
{
    unsigned n = CG_MACHINE(spapr)->smp_cpus;
    int cpus = add_node(b, 0, "cpus");

    prop_u32(b, cpus, "#address-cells", 1);
    prop_u32(b, cpus, "#size-cells", 0);
    for (unsigned i = n; i > 0; i--) {
        add_cpu(b, spapr, cpus, i - 1);
    }
}

static void add_memory(FdtBuilder *b, MachineState *ms)
{
    const uint32_t reg[4] = { 0, 0, (uint32_t)(ms->ram_size >> 32),
                              (uint32_t)ms->ram_size };
    int node = add_node(b, 0, "memory@0");

    prop_str(b, node, "device_type", "memory");
    prop_cells(b, node, "reg", reg, 4);
}

static char *vty_path(DeviceState *vty)
{
    return g_strdup_printf("/vdevice/vty@%x", spapr_vty_reg(vty));
}

static void add_chosen(FdtBuilder *b, SpaprMachineState *spapr,
                       GPtrArray *vtys)
{
    MachineState *ms = CG_MACHINE(spapr);
    const SpaprBootState *boot = &spapr->boot;
    int node = add_node(b, 0, "chosen");

    if (ms->append != NULL) {
        prop_str(b, node, "bootargs", ms->append);
    }
    if (boot->initrd_size > 0) {
        prop_u32(b, node, "linux,initrd-start", (uint32_t)boot->initrd_base);
        prop_u32(b, node, "linux,initrd-end",
                 (uint32_t)(boot->initrd_base + boot->initrd_size));
    }
    if (vtys->len > 0) {
        g_autofree char *path = vty_path(g_ptr_array_index(vtys, 0));

        prop_str(b, node, "stdout-path", path);
        prop_str(b, node, "linux,stdout-path", path);
    }
}

static void add_rtas(FdtBuilder *b, SpaprMachineState *spapr)
{
    const SpaprBootState *boot = &spapr->boot;
    static const char hypertas[] = "hcall-term";
    int node = add_node(b, 0, "rtas");

    prop_u32(b, node, "linux,rtas-base", (uint32_t)boot->rtas_addr);
    prop_u32(b, node, "linux,rtas-entry", (uint32_t)boot->rtas_addr);
    prop_u32(b, node, "rtas-size", (uint32_t)SPAPR_RTAS_SIZE);
    prop_bytes(b, node, "ibm,hypertas-functions", hypertas,
               sizeof(hypertas));
    for (size_t i = 0; i < spapr_rtas_count(); i++) {
        prop_u32(b, node, spapr_rtas_name(i), spapr_rtas_token(i));
    }
}

static void add_vdevice(FdtBuilder *b, GPtrArray *vtys)
{
    int vdev = add_node(b, 0, "vdevice");

    prop_str(b, vdev, "device_type", "vdevice");
    prop_str(b, vdev, "compatible", "IBM,vdevice");
    prop_u32(b, vdev, "#address-cells", 1);
    prop_u32(b, vdev, "#size-cells", 0);
    for (guint i = vtys->len; i > 0; i--) {
        DeviceState *vty = g_ptr_array_index(vtys, i - 1);
        g_autofree char *name = g_strdup_printf("vty@%x",
                                                spapr_vty_reg(vty));
        int node = add_node(b, vdev, name);

        prop_str(b, node, "device_type", "serial");
        prop_str(b, node, "compatible", "hvterm1");
        prop_u32(b, node, "reg", spapr_vty_reg(vty));
    }
}

GBytes *spapr_build_fdt(SpaprMachineState *spapr, GError **err)
{
    MachineState *ms = CG_MACHINE(spapr);
    const SpaprBootState *boot = &spapr->boot;
    g_autoptr(GPtrArray) vtys = spapr_vty_list(ms);
    g_autofree void *fdt = g_malloc0(SPAPR_FDT_MAX_SIZE);
    FdtBuilder b = { .fdt = fdt };
    int r;

    b.err = fdt_create_empty_tree(fdt, SPAPR_FDT_MAX_SIZE);
    if (b.err == 0) {
        b.err = fdt_add_mem_rsv(fdt, boot->rtas_addr, SPAPR_RTAS_SIZE);
    }
    if (b.err == 0) {
        b.err = fdt_add_mem_rsv(fdt, boot->fdt_addr, SPAPR_FDT_MAX_SIZE);
    }
    add_root(&b);
    /* In reverse: the root's children end up in this order. */
    if (b.err == 0) {
        b.err = spapr_phb_dt_populate(spapr, fdt, 0);
    }
    add_vdevice(&b, vtys);
    add_memory(&b, ms);
    add_cpus(&b, spapr);
    add_rtas(&b, spapr);
    add_chosen(&b, spapr, vtys);
    if (b.err == 0) {
        fdt_set_boot_cpuid_phys(fdt, 0);
        b.err = fdt_pack(fdt);
    }
    if (b.err != 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "machine pseries: cannot build the device tree: %s%s",
                    fdt_strerror(b.err),
                    b.err == -FDT_ERR_NOSPACE ? " (more than 1 MiB)" : "");
        return NULL;
    }
    r = fdt_check_full(fdt, fdt_totalsize(fdt));
    if (r != 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "machine pseries: the device tree is malformed: %s",
                    fdt_strerror(r));
        return NULL;
    }
    return g_bytes_new(fdt, fdt_totalsize(fdt));
}
