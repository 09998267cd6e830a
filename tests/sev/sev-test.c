/* Helpers for the sev-guest tests under the host simulator. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sev-test.h"

#include <glib/gstdio.h>
#include <nettle/aes.h>
#include <nettle/ctr.h>
#include <string.h>

static const char *need_env(const char *name)
{
    const char *v = g_getenv(name);

    if (v == NULL) {
        g_error("%s is not set; run the test through meson", name);
    }
    return v;
}

const char *sev_test_guest(void)
{
    return need_env("CGEMU_TEST_GUEST");
}

const char *sev_test_bios(void)
{
    return need_env("CGEMU_TEST_BIOS");
}

SevEnv *sev_env_new(const char *const *extra)
{
    SevEnv *e = g_new0(SevEnv, 1);

    e->dir = g_dir_make_tmp("cgemu-sev-XXXXXX", NULL);
    g_assert_nonnull(e->dir);
    e->log = g_build_filename(e->dir, "hostsim.log", NULL);
    e->serial = g_build_filename(e->dir, "serial.txt", NULL);
    e->env = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(e->env, g_strdup_printf("LD_PRELOAD=%s",
                                            need_env("CGEMU_TEST_HOSTSIM_LIB")));
    g_ptr_array_add(e->env, g_strdup("ASAN_OPTIONS=verify_asan_link_order=0"));
    g_ptr_array_add(e->env, g_strdup("CGEMU_HOSTSIM_SEV=1"));
    g_ptr_array_add(e->env, g_strdup_printf("CGEMU_HOSTSIM_LOG=%s", e->log));
    g_ptr_array_add(e->env, g_strdup("CGEMU_HOSTSIM_SEV_TIK=" SEV_TEST_TIK));
    g_ptr_array_add(e->env, g_strdup("CGEMU_HOSTSIM_SEV_TEK=" SEV_TEST_TEK));
    g_ptr_array_add(e->env,
                    g_strdup("CGEMU_HOSTSIM_SEV_MNONCE=" SEV_TEST_MNONCE));
    for (const char *const *x = extra; x && *x; x++) {
        g_ptr_array_add(e->env, g_strdup(*x));
    }
    g_ptr_array_add(e->env, NULL);
    return e;
}

void sev_env_free(SevEnv *e)
{
    if (e == NULL) {
        return;
    }
    g_unlink(e->log);
    g_unlink(e->serial);
    g_rmdir(e->dir);
    g_free(e->log);
    g_free(e->serial);
    g_free(e->dir);
    g_ptr_array_unref(e->env);
    g_free(e);
}

static QTestOptions options(SevEnv *e)
{
    return (QTestOptions){
        .target = "x86_64",
        .accel = "kvm",
        .env = (const char *const *)e->env->pdata,
        .pass_fds = e->pass_fds,
    };
}

QTestState *sev_start(SevEnv *e, const char *args)
{
    QTestOptions o = options(e);

    return qtest_init_with(&o, args);
}

QTestState *sev_try_start(SevEnv *e, const char *args, GError **err)
{
    QTestOptions o = options(e);

    return qtest_try_init(&o, args, err);
}

char **sev_log_lines(SevEnv *e, bool calls_only)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    GPtrArray *out = g_ptr_array_new();

    if (!g_file_get_contents(e->log, &text, NULL, NULL)) {
        text = g_strdup("");
    }
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        char *arrow;
        if (!g_str_has_prefix(*l, "sev ")) {
            continue;
        }
        arrow = calls_only ? strstr(*l, " -> ") : NULL;
        g_ptr_array_add(out, arrow ? g_strndup(*l, (gsize)(arrow - *l))
                                   : g_strdup(*l));
    }
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

char *sev_serial(SevEnv *e)
{
    char *text = NULL;

    if (!g_file_get_contents(e->serial, &text, NULL, NULL)) {
        return g_strdup("");
    }
    return text;
}

void sev_hex16(const char *hex, uint8_t out[16])
{
    for (int i = 0; i < 16; i++) {
        out[i] = (uint8_t)(g_ascii_xdigit_value(hex[2 * i]) << 4 |
                           g_ascii_xdigit_value(hex[2 * i + 1]));
    }
}

static void hmac_sha256(const uint8_t key[16], const uint8_t *data,
                        size_t len, uint8_t out[32])
{
    g_autoptr(GHmac) h = g_hmac_new(G_CHECKSUM_SHA256, key, 16);
    gsize n = 32;

    g_hmac_update(h, data, (gssize)len);
    g_hmac_get_digest(h, out, &n);
    g_assert_cmpuint(n, ==, 32);
}

static void put_le32(GByteArray *b, uint32_t v)
{
    uint8_t le[4] = { v, v >> 8, v >> 16, v >> 24 };

    g_byte_array_append(b, le, 4);
}

void sev_expected_measure(uint8_t major, uint8_t minor, uint8_t build,
                          uint32_t policy, const uint8_t digest[32],
                          const uint8_t mnonce[16], const uint8_t tik[16],
                          uint8_t out[32])
{
    g_autoptr(GByteArray) m = g_byte_array_new();
    uint8_t head[4] = { 0x04, major, minor, build };

    g_byte_array_append(m, head, 4);
    put_le32(m, policy);
    g_byte_array_append(m, digest, 32);
    g_byte_array_append(m, mnonce, 16);
    hmac_sha256(tik, m->data, m->len, out);
}

void sev_build_secret(const uint8_t tik[16], const uint8_t tek[16],
                      const uint8_t iv[16], const uint8_t measure[32],
                      const uint8_t *plain, size_t len, uint8_t header[52],
                      uint8_t *packet)
{
    struct aes128_ctx aes;
    uint8_t ctr[16];
    g_autoptr(GByteArray) m = g_byte_array_new();
    const uint8_t one = 0x01;

    g_assert_cmpuint(len % 16, ==, 0);
    aes128_set_encrypt_key(&aes, tek);
    memcpy(ctr, iv, 16);
    ctr_crypt(&aes, (nettle_cipher_func *)aes128_encrypt, AES_BLOCK_SIZE,
              ctr, len, packet, plain);

    memset(header, 0, 52);          /* FLAGS = 0 */
    memcpy(header + 4, iv, 16);
    g_byte_array_append(m, &one, 1);
    g_byte_array_append(m, header, 4);
    g_byte_array_append(m, iv, 16);
    put_le32(m, (uint32_t)len);
    put_le32(m, (uint32_t)len);
    g_byte_array_append(m, packet, (guint)len);
    g_byte_array_append(m, measure, 32);
    hmac_sha256(tik, m->data, m->len, header + 20);
}

char *sev_qmp_str(QTestState *s, const char *cmd, const char *member)
{
    g_autoptr(JsonNode) r = qtest_qmp_assert_success_ref(
        s, "{'execute': %s}", cmd);

    return g_strdup(json_object_get_string_member(json_node_get_object(r),
                                                  member));
}

int64_t sev_qmp_int(QTestState *s, const char *cmd, const char *member)
{
    g_autoptr(JsonNode) r = qtest_qmp_assert_success_ref(
        s, "{'execute': %s}", cmd);

    return json_object_get_int_member(json_node_get_object(r), member);
}

void sev_query_measure(QTestState *s, uint8_t out[48])
{
    g_autofree char *b64 = sev_qmp_str(s, "query-sev-launch-measure",
                                       "data");
    gsize len = 0;
    g_autofree guchar *raw = g_base64_decode(b64, &len);

    g_assert_cmpuint(len, ==, 48);
    memcpy(out, raw, 48);
}
