/* cmdline.c: options of the test guest, from the PVH command line. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Space-separated key=value options.  Numbers are decimal, or hexadecimal
 * with a 0x prefix.  An unknown key, a bad value or a repeated key is an
 * error: the report shows it and the run fails, so that a typo in a test
 * cannot silently turn a check off.
 *
 *   dump=GPA,LEN               hex dump of guest-physical memory (LEN <= 4096)
 *   blk-write=0|1              write/read-back test on writable virtio-blk
 *   refuse=access-platform     never accept VIRTIO_F_ACCESS_PLATFORM
 *   smp=N                      start the APs, expect N CPUs in all (1..255)
 *   expect-access-platform=0|1 every virtio device does (not) offer it
 *   expect-legacy=0|1          every virtio device is (not) driven legacy
 *   pci-reassign=0|1           assign all virtio BARs from the guest's own
 *                              windows even when firmware assigned them
 *   expect-pit=0|1             there is (not) an 8254 timer
 */
#include "guest.h"

enum {
    OPT_DUMP = 1 << 0,
    OPT_BLK_WRITE = 1 << 1,
    OPT_REFUSE = 1 << 2,
    OPT_SMP = 1 << 3,
    OPT_EXPECT_AP = 1 << 4,
    OPT_EXPECT_LEGACY = 1 << 5,
    OPT_PCI_REASSIGN = 1 << 6,
    OPT_EXPECT_PIT = 1 << 7,
};

static bool key_is(const char *k, size_t klen, const char *name)
{
    return strlen(name) == klen && memcmp(k, name, klen) == 0;
}

static bool val_is(const char *v, size_t vlen, const char *s)
{
    return strlen(s) == vlen && memcmp(v, s, vlen) == 0;
}

static bool parse_bool(const char *v, size_t vlen, bool *out)
{
    if (val_is(v, vlen, "0") || val_is(v, vlen, "1")) {
        *out = v[0] == '1';
        return true;
    }
    return false;
}

/* Returns the option bit, 0 for an invalid option, or -1 for an unknown key. */
static int parse_one(Options *o, const char *k, size_t klen,
                     const char *v, size_t vlen)
{
    uint64_t n;
    bool b;

    if (key_is(k, klen, "dump")) {
        size_t comma = 0;

        while (comma < vlen && v[comma] != ',') {
            comma++;
        }
        if (comma == vlen ||
            !parse_u64(v, comma, &o->dump_gpa) ||
            !parse_u64(v + comma + 1, vlen - comma - 1, &o->dump_len) ||
            o->dump_len == 0) {
            return 0;
        }
        o->dump = true;
        return OPT_DUMP;
    }
    if (key_is(k, klen, "blk-write")) {
        if (!parse_bool(v, vlen, &o->blk_write)) {
            return 0;
        }
        return OPT_BLK_WRITE;
    }
    if (key_is(k, klen, "refuse")) {
        if (!val_is(v, vlen, "access-platform")) {
            return 0;
        }
        o->refuse_access_platform = true;
        return OPT_REFUSE;
    }
    if (key_is(k, klen, "smp")) {
        if (!parse_u64(v, vlen, &n) || n < 1 || n > 255) {
            return 0;
        }
        o->smp = (unsigned)n;
        return OPT_SMP;
    }
    if (key_is(k, klen, "expect-access-platform")) {
        if (!parse_bool(v, vlen, &b)) {
            return 0;
        }
        o->expect_access_platform = b;
        return OPT_EXPECT_AP;
    }
    if (key_is(k, klen, "expect-legacy")) {
        if (!parse_bool(v, vlen, &b)) {
            return 0;
        }
        o->expect_legacy = b;
        return OPT_EXPECT_LEGACY;
    }
    if (key_is(k, klen, "pci-reassign")) {
        if (!parse_bool(v, vlen, &o->pci_reassign)) {
            return 0;
        }
        return OPT_PCI_REASSIGN;
    }
    if (key_is(k, klen, "expect-pit")) {
        if (!parse_bool(v, vlen, &b)) {
            return 0;
        }
        o->expect_pit = b;
        return OPT_EXPECT_PIT;
    }
    return -1;
}

void cmdline_parse(Guest *g)
{
    const char *s = g->cmdline;
    unsigned seen = 0;
    unsigned errors = 0;
    char first_error[80] = "";

    g->opt.expect_access_platform = -1;
    g->opt.expect_legacy = -1;
    g->opt.expect_pit = -1;

    while (*s) {
        const char *tok, *eq;
        size_t len;
        int bit = -1;

        while (*s == ' ' || *s == '\t') {
            s++;
        }
        if (!*s) {
            break;
        }
        tok = s;
        while (*s && *s != ' ' && *s != '\t') {
            s++;
        }
        len = (size_t)(s - tok);
        for (eq = tok; eq < s && *eq != '='; eq++) {
        }
        if (eq < s) {
            bit = parse_one(&g->opt, tok, (size_t)(eq - tok), eq + 1,
                            (size_t)(s - eq - 1));
        }
        if (bit <= 0 || (seen & (unsigned)bit)) {
            if (!errors) {
                size_t n = len < sizeof(first_error) - 1 ?
                           len : sizeof(first_error) - 1;

                memcpy(first_error, tok, n);
                first_error[n] = '\0';
            }
            errors++;
            continue;
        }
        seen |= (unsigned)bit;
    }
    rep_line(g, "cmdline.errors=%u", errors);
    if (errors) {
        rep_line(g, "cmdline.error=%s", first_error);
    }
    check(g, errors == 0, "cmdline");
}
