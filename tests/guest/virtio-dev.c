/* virtio-dev.c: virtio device discovery, negotiation, rng and blk drivers. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "virtio.h"

#define PCI_COMMAND 0x04
#define PCI_CMD_IO 0x1
#define PCI_CMD_MEM 0x2
#define PCI_CMD_MASTER 0x4
#define PCI_SUBSYSTEM_ID 0x2e

#define VIRTIO_BLK_F_RO (1ull << 5)
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_GET_ID 8
#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_ID_BYTES 20
#define SECTOR 512
#define BLK_WRITE_SECTOR 1
#define RNG_BYTES 16

static const char *type_name(unsigned type)
{
    static const char *const names[] = {
        [1] = "net", [2] = "blk", [3] = "console", [4] = "rng",
        [5] = "balloon", [8] = "scsi", [9] = "9p", [16] = "gpu",
        [18] = "input", [19] = "vsock", [26] = "fs",
    };

    if (type < ARRAY_SIZE(names) && names[type]) {
        return names[type];
    }
    return "other";
}

/* --- virtio-rng --------------------------------------------------------- */

void virtio_rng_run(VirtioDev *vd)
{
    Guest *g = vd->g;
    VirtQueue vq;
    uint8_t *buf = dma_alloc(g, RNG_BYTES, 16);
    const char *err;
    uint32_t got = 0;
    bool nonzero = false;

    err = buf ? virtqueue_init(vd, &vq, 0) : "out-of-dma-memory";
    if (buf) {
        memset(buf, 0, RNG_BYTES);
    }
    if (!err) {
        virtio_set_status(vd, virtio_get_status(vd) | VIRTIO_STATUS_DRIVER_OK);
    }
    /* A device may hand out fewer bytes than asked for: ask again. */
    for (unsigned round = 0; !err && got < RNG_BYTES && round < 8; round++) {
        VqBuf b = { buf + got, RNG_BYTES - got, true };
        uint32_t len = 0;

        err = virtqueue_transfer(&vq, &b, 1, &len);
        if (!err && len > RNG_BYTES - got) {
            err = "used-len-too-big";
        }
        if (!err) {
            got += len;
        }
    }
    if (err) {
        rep_line(g, "%s.rng.error=%s", vd->key, err);
    }
    for (unsigned i = 0; i < got; i++) {
        nonzero |= buf[i] != 0;
    }
    rep_line(g, "%s.rng.bytes=%u", vd->key, got);
    rep_part(g, "%s.rng.hex=", vd->key);
    if (buf) {
        rep_hex(g, buf, got);
    }
    rep_end(g);
    /* 16 zero bytes mean the device did not write the buffer. */
    check(g, !err && got == RNG_BYTES && nonzero, "%s.rng", vd->key);
}

/* --- virtio-blk --------------------------------------------------------- */

typedef struct __attribute__((packed)) BlkReqHdr {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
} BlkReqHdr;

typedef struct BlkIo {
    VirtQueue vq;
    BlkReqHdr *hdr;
    uint8_t *status;
} BlkIo;

/* Header, data, status: three descriptors, which legacy devices without
 * ANY_LAYOUT require. */
static const char *blk_request(BlkIo *io, uint32_t type, uint64_t sector,
                               void *data, uint32_t len, bool device_writes,
                               uint8_t *status)
{
    VqBuf b[3] = {
        { io->hdr, sizeof(*io->hdr), false },
        { data, len, device_writes },
        { io->status, 1, true },
    };
    const char *err;

    io->hdr->type = type;
    io->hdr->reserved = 0;
    io->hdr->sector = sector;
    *io->status = 0xff;
    err = virtqueue_transfer(&io->vq, b, 3, NULL);
    *status = *io->status;
    return err;
}

static const char *blk_status_name(uint8_t s)
{
    switch (s) {
    case 0:
        return "ok";
    case 1:
        return "io-error";
    case 2:
        return "unsupported";
    default:
        return "no-status";
    }
}

static void blk_write_test(VirtioDev *vd, BlkIo *io, uint64_t capacity,
                           uint8_t *buf)
{
    static const char pattern[] = "cgemu-test-guest";   /* 16 bytes */
    Guest *g = vd->g;
    uint8_t *back = dma_alloc(g, SECTOR, 16);
    const char *res;
    uint8_t st;

    if (!g->opt.blk_write) {
        rep_line(g, "%s.blk.write=not-requested", vd->key);
        return;
    }
    if (vd->offered & VIRTIO_BLK_F_RO) {
        rep_line(g, "%s.blk.write=skipped-read-only", vd->key);
        return;
    }
    if (capacity <= BLK_WRITE_SECTOR || !back) {
        rep_line(g, "%s.blk.write=skipped-too-small", vd->key);
        check(g, false, "%s.blk.write", vd->key);
        return;
    }
    for (unsigned i = 0; i < SECTOR; i++) {
        buf[i] = (uint8_t)pattern[i % 16];
    }
    res = blk_request(io, VIRTIO_BLK_T_OUT, BLK_WRITE_SECTOR, buf, SECTOR,
                      false, &st);
    if (!res && st == VIRTIO_BLK_S_OK) {
        res = blk_request(io, VIRTIO_BLK_T_IN, BLK_WRITE_SECTOR, back, SECTOR,
                          true, &st);
    }
    if (res) {
        rep_line(g, "%s.blk.write.error=%s", vd->key, res);
        res = "io-error";
    } else if (st != VIRTIO_BLK_S_OK) {
        res = "io-error";
    } else if (memcmp(buf, back, SECTOR) != 0) {
        res = "mismatch";
    } else {
        res = "ok";
    }
    rep_line(g, "%s.blk.write=%s", vd->key, res);
    check(g, str_eq(res, "ok"), "%s.blk.write", vd->key);
}

void virtio_blk_run(VirtioDev *vd)
{
    Guest *g = vd->g;
    BlkIo io;
    uint8_t *buf = dma_alloc(g, SECTOR, 16);
    uint8_t *mem = dma_alloc(g, 64, 16);
    char id[VIRTIO_BLK_ID_BYTES + 1];
    uint64_t capacity;
    const char *err;
    uint8_t st = 0xff;

    capacity = virtio_cfg_read64(vd, 0);
    rep_line(g, "%s.blk.capacity=%llu", vd->key, (unsigned long long)capacity);
    rep_line(g, "%s.blk.read-only=%u", vd->key,
             (vd->offered & VIRTIO_BLK_F_RO) ? 1 : 0);
    err = (buf && mem) ? virtqueue_init(vd, &io.vq, 0) : "out-of-dma-memory";
    if (err) {
        rep_line(g, "%s.blk.error=%s", vd->key, err);
        check(g, false, "%s.blk.read", vd->key);
        return;
    }
    io.hdr = (BlkReqHdr *)mem;
    io.status = mem + 32;
    virtio_set_status(vd, virtio_get_status(vd) | VIRTIO_STATUS_DRIVER_OK);

    err = blk_request(&io, VIRTIO_BLK_T_IN, 0, buf, SECTOR, true, &st);
    if (err) {
        rep_line(g, "%s.blk.read.error=%s", vd->key, err);
    } else if (st != VIRTIO_BLK_S_OK) {
        rep_line(g, "%s.blk.read.error=%s", vd->key,
                 blk_status_name(st));
    } else {
        rep_line(g, "%s.blk.sector0.crc32=0x%08x", vd->key,
                 crc32(buf, SECTOR));
        rep_part(g, "%s.blk.sector0.head=", vd->key);
        rep_hex(g, buf, 16);
        rep_end(g);
    }
    if (!check(g, !err && st == VIRTIO_BLK_S_OK, "%s.blk.read", vd->key)) {
        return;
    }

    memset(buf, 0, VIRTIO_BLK_ID_BYTES);
    err = blk_request(&io, VIRTIO_BLK_T_GET_ID, 0, buf, VIRTIO_BLK_ID_BYTES,
                      true, &st);
    if (err || st != VIRTIO_BLK_S_OK) {
        rep_line(g, "%s.blk.id.error=%s", vd->key,
                 err ? err : blk_status_name(st));
    } else {
        /* NUL-terminated unless all 20 bytes are used */
        unsigned n = 0;

        while (n < VIRTIO_BLK_ID_BYTES && buf[n]) {
            id[n] = (buf[n] >= 0x20 && buf[n] < 0x7f) ? (char)buf[n] : '?';
            n++;
        }
        id[n] = '\0';
        rep_line(g, "%s.blk.id=%s", vd->key, id);
    }
    check(g, !err && st == VIRTIO_BLK_S_OK, "%s.blk.id", vd->key);

    blk_write_test(vd, &io, capacity, buf);
}

/* --- discovery and negotiation ----------------------------------------- */

/* Every check the options ask for, whatever became of the device. */
static void check_expectations(VirtioDev *vd)
{
    Guest *g = vd->g;

    if (g->opt.expect_access_platform >= 0) {
        bool offered = (vd->offered & VIRTIO_F_ACCESS_PLATFORM) != 0;

        check(g, offered == (g->opt.expect_access_platform == 1),
              "%s.access-platform", vd->key);
    }
    if (g->opt.expect_legacy >= 0) {
        check(g, !vd->modern == (g->opt.expect_legacy == 1),
              "%s.legacy", vd->key);
    }
}

/* Returns true when the device is ready for its driver. */
static bool negotiate(VirtioDev *vd)
{
    Guest *g = vd->g;
    uint64_t want = VIRTIO_F_VERSION_1;
    bool refusal_expected;
    uint8_t st;

    if (!virtio_reset(vd)) {
        rep_line(g, "%s.error=reset-not-completed", vd->key);
        check(g, false, "%s.reset", vd->key);
        return false;
    }
    virtio_set_status(vd, VIRTIO_STATUS_ACKNOWLEDGE);
    virtio_set_status(vd, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    vd->offered = virtio_get_features(vd);
    if (!g->opt.refuse_access_platform) {
        want |= VIRTIO_F_ACCESS_PLATFORM;
    }
    if (vd->type == VIRTIO_TYPE_BLK) {
        want |= VIRTIO_BLK_F_RO;
    }
    vd->accepted = vd->offered & want;
    virtio_set_features(vd, vd->accepted);

    rep_line(g, "%s.features.offered=0x%016llx", vd->key,
             (unsigned long long)vd->offered);
    rep_line(g, "%s.features.accepted=0x%016llx", vd->key,
             (unsigned long long)vd->accepted);
    rep_line(g, "%s.version-1.offered=%u", vd->key,
             (vd->offered & VIRTIO_F_VERSION_1) ? 1 : 0);
    rep_line(g, "%s.version-1.accepted=%u", vd->key,
             (vd->accepted & VIRTIO_F_VERSION_1) ? 1 : 0);
    rep_line(g, "%s.access-platform.offered=%u", vd->key,
             (vd->offered & VIRTIO_F_ACCESS_PLATFORM) ? 1 : 0);
    rep_line(g, "%s.access-platform.accepted=%u", vd->key,
             (vd->accepted & VIRTIO_F_ACCESS_PLATFORM) ? 1 : 0);
    check_expectations(vd);

    if (!vd->modern) {
        /* The legacy interface has no FEATURES_OK handshake. */
        rep_line(g, "%s.features-ok=n/a", vd->key);
        return true;
    }
    if (!check(g, (vd->offered & VIRTIO_F_VERSION_1) != 0, "%s.version-1",
               vd->key)) {
        virtio_set_status(vd, virtio_get_status(vd) | VIRTIO_STATUS_FAILED);
        return false;
    }
    virtio_set_status(vd, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
                      VIRTIO_STATUS_FEATURES_OK);
    st = virtio_get_status(vd);
    rep_line(g, "%s.features-ok=%u", vd->key,
             (st & VIRTIO_STATUS_FEATURES_OK) ? 1 : 0);
    /*
     * A device that requires ACCESS_PLATFORM must not accept a driver that
     * declines it; with refuse=access-platform the refusal is the pass.
     */
    refusal_expected = g->opt.refuse_access_platform &&
                       (vd->offered & VIRTIO_F_ACCESS_PLATFORM);
    if (refusal_expected) {
        rep_line(g, "%s.refusal=expected", vd->key);
    }
    check(g, !(st & VIRTIO_STATUS_FEATURES_OK) == refusal_expected,
          "%s.features-ok", vd->key);
    if (!(st & VIRTIO_STATUS_FEATURES_OK)) {
        virtio_set_status(vd, st | VIRTIO_STATUS_FAILED);
        return false;
    }
    return !refusal_expected;
}

static void probe(Guest *g, const PciFunc *f)
{
    VirtioDev dev;
    VirtioDev *vd = &dev;
    uint16_t cmd;
    int assigned;

    memset(vd, 0, sizeof(*vd));
    vd->g = g;
    vd->pci = f;
    vd->idx = g->nvirtio++;
    fmt(vd->key, sizeof(vd->key), "virtio.%u", vd->idx);
    if (f->device >= 0x1040) {
        vd->type = f->device - 0x1040u;
    } else {
        /* transitional: the subsystem device ID names the type */
        vd->type = pci_read16(f, PCI_SUBSYSTEM_ID);
    }
    rep_line(g, "%s.bdf=00:%02x.%u", vd->key, f->dev, f->fn);
    rep_line(g, "%s.device-id=0x%04x", vd->key, f->device);
    rep_line(g, "%s.kind=%s", vd->key,
             f->device >= 0x1040 ? "modern" : "transitional");
    rep_line(g, "%s.type=%u", vd->key, vd->type);
    rep_line(g, "%s.type-name=%s", vd->key, type_name(vd->type));

    assigned = pci_assign_bars(g, f, g->opt.pci_reassign);
    rep_line(g, "%s.bars-assigned=%d", vd->key, assigned < 0 ? 0 : assigned);
    if (!check(g, assigned >= 0, "%s.bars", vd->key)) {
        return;
    }
    for (unsigned n = 0; n < 6; n++) {
        bool io;
        uint64_t base = pci_bar(f, n, &io);
        bool is64 = !io && ((pci_read32(f, 0x10 + 4 * n) >> 1) & 3) == 2;

        if (base) {
            rep_line(g, "%s.bar%u=%s:0x%llx", vd->key, n,
                     io ? "io" : is64 ? "mem64" : "mem32",
                     (unsigned long long)base);
        }
        n += is64;
    }
    cmd = pci_read16(f, PCI_COMMAND);
    pci_write16(f, PCI_COMMAND,
                cmd | PCI_CMD_IO | PCI_CMD_MEM | PCI_CMD_MASTER);

    if (!virtio_transport_init(vd)) {
        rep_line(g, "%s.transport=none", vd->key);
        check(g, false, "%s.transport", vd->key);
        return;
    }
    rep_line(g, "%s.transport=%s", vd->key, vd->modern ? "modern" : "legacy");

    if (negotiate(vd)) {
        switch (vd->type) {
        case VIRTIO_TYPE_RNG:
            virtio_rng_run(vd);
            break;
        case VIRTIO_TYPE_BLK:
            virtio_blk_run(vd);
            break;
        default:
            /* no driver: leave the device as it is, unused */
            break;
        }
    }
    rep_line(g, "%s.status=0x%02x", vd->key, virtio_get_status(vd));
}

void virtio_probe_all(Guest *g)
{
    unsigned n = 0;

    for (unsigned i = 0; i < g->npci; i++) {
        const PciFunc *f = &g->pci[i];

        if (f->vendor == VIRTIO_VENDOR && f->device >= 0x1000 &&
            f->device <= 0x107f) {
            n++;
        }
    }
    rep_line(g, "virtio.devices=%u", n < MAX_VIRTIO_DEVS ? n : MAX_VIRTIO_DEVS);
    for (unsigned i = 0; i < g->npci && g->nvirtio < MAX_VIRTIO_DEVS; i++) {
        const PciFunc *f = &g->pci[i];

        if (f->vendor == VIRTIO_VENDOR && f->device >= 0x1000 &&
            f->device <= 0x107f) {
            probe(g, f);
        }
    }
    if (n > MAX_VIRTIO_DEVS) {
        rep_line(g, "virtio.ignored=%u", n - MAX_VIRTIO_DEVS);
    }
    if ((g->opt.expect_access_platform >= 0 || g->opt.expect_legacy >= 0) &&
        n == 0) {
        /* an expectation about no device at all cannot have been met */
        check(g, false, "virtio.present");
    }
}
