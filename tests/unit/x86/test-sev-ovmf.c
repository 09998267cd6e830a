/* Unit tests: the firmware GUID table reader of sev-guest. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "../../../target/i386/sev.h"

#include <string.h>

#define SIZE 4096

static void put_guid(uint8_t *p, const char *text)
{
    uint8_t be[16];
    int n = 0;

    for (const char *c = text; *c && n < 16; c++) {
        if (*c != '-') {
            be[n++] = (uint8_t)(g_ascii_xdigit_value(c[0]) << 4 |
                                g_ascii_xdigit_value(c[1]));
            c++;
        }
    }
    p[0] = be[3], p[1] = be[2], p[2] = be[1], p[3] = be[0];
    p[4] = be[5], p[5] = be[4], p[6] = be[7], p[7] = be[6];
    memcpy(p + 8, be + 8, 8);
}

/* An image whose table holds the secret area (8 bytes) then the ES reset
 * block (4 bytes); returns the offset where the table starts. */
static size_t build(uint8_t *img)
{
    size_t end = SIZE - 0x20, pos;
    uint16_t len;

    memset(img, 0xff, SIZE);
    pos = end - 16;
    put_guid(img + pos, "96b582de-1fb2-45f7-baea-a366c55a082d");
    pos -= 2;                       /* table length, written last */
    pos -= 16;
    put_guid(img + pos, SEV_OVMF_ES_RESET_GUID);
    len = 4 + 2 + 16;
    memcpy(img + pos - 2, &len, 2);
    pos -= 2 + 4;
    memcpy(img + pos, "\x00\x00\xff\xff", 4);
    pos -= 16;
    put_guid(img + pos, SEV_OVMF_SECRET_GUID);
    len = 8 + 2 + 16;
    memcpy(img + pos - 2, &len, 2);
    pos -= 2 + 8;
    memcpy(img + pos, "\x00\x00\x80\x00\x00\x10\x00\x00", 8);
    len = (uint16_t)(end - pos);
    memcpy(img + end - 16 - 2, &len, 2);
    return pos;
}

static void test_valid(void)
{
    g_autofree uint8_t *img = g_malloc(SIZE);
    const uint8_t *data;
    size_t len;

    build(img);
    g_assert_true(sev_ovmf_has_table(img, SIZE));
    g_assert_true(sev_ovmf_find(img, SIZE, SEV_OVMF_SECRET_GUID, &data,
                                &len));
    g_assert_cmpuint(len, ==, 8);
    g_assert_cmpmem(data, 8, "\x00\x00\x80\x00\x00\x10\x00\x00", 8);
    g_assert_true(sev_ovmf_find(img, SIZE, SEV_OVMF_ES_RESET_GUID, &data,
                                &len));
    g_assert_cmpuint(len, ==, 4);
    g_assert_false(sev_ovmf_find(img, SIZE,
                                 "11111111-2222-3333-4444-555555555555",
                                 &data, &len));
}

static void test_absent(void)
{
    g_autofree uint8_t *img = g_malloc0(SIZE);
    const uint8_t *data;
    size_t len;

    g_assert_false(sev_ovmf_has_table(img, SIZE));
    g_assert_false(sev_ovmf_find(img, SIZE, SEV_OVMF_SECRET_GUID, &data,
                                 &len));
    g_assert_false(sev_ovmf_has_table(img, 16));
    g_assert_false(sev_ovmf_find(img, 16, SEV_OVMF_SECRET_GUID, &data, &len));
}

/* Lengths that point outside the table or the image are refused. */
static void test_bad_lengths(void)
{
    g_autofree uint8_t *img = g_malloc(SIZE);
    const uint8_t *data;
    size_t len;
    uint16_t v;

    build(img);
    v = 0xffff;                                 /* table longer than image */
    memcpy(img + SIZE - 0x20 - 18, &v, 2);
    g_assert_false(sev_ovmf_find(img, SIZE, SEV_OVMF_SECRET_GUID, &data,
                                 &len));
    build(img);
    v = 3;                                      /* table shorter than its
                                                   own footer */
    memcpy(img + SIZE - 0x20 - 18, &v, 2);
    g_assert_false(sev_ovmf_find(img, SIZE, SEV_OVMF_SECRET_GUID, &data,
                                 &len));
    build(img);
    v = 0;                                      /* a zero-length entry */
    memcpy(img + SIZE - 0x20 - 18 - 16 - 2, &v, 2);
    g_assert_false(sev_ovmf_find(img, SIZE, SEV_OVMF_SECRET_GUID, &data,
                                 &len));
}

/* Random damage never reads outside the image (ASan checks). */
static void test_random_damage(void)
{
    g_autofree uint8_t *img = g_malloc(SIZE);
    g_autoptr(GRand) rand = g_rand_new_with_seed(1234);
    const uint8_t *data;
    size_t len;

    for (int i = 0; i < 20000; i++) {
        size_t start = build(img);
        for (int k = 0; k < 3; k++) {
            size_t off = start + g_rand_int_range(rand, 0,
                                                  (gint32)(SIZE - start));
            img[off] = (uint8_t)g_rand_int(rand);
        }
        if (sev_ovmf_find(img, SIZE, SEV_OVMF_SECRET_GUID, &data, &len)) {
            g_assert_true(data >= img && data + len <= img + SIZE);
        }
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sev/ovmf/valid", test_valid);
    g_test_add_func("/sev/ovmf/absent", test_absent);
    g_test_add_func("/sev/ovmf/bad-lengths", test_bad_lengths);
    g_test_add_func("/sev/ovmf/random-damage", test_random_damage);
    return g_test_run();
}
