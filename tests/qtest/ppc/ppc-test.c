/* Helpers for the pseries and pef-guest tests: files, dtc, hostsim. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "ppc-test.h"

#include <glib/gstdio.h>
#include <libfdt.h>
#include <string.h>

static const char *need_env(const char *name)
{
    const char *v = g_getenv(name);

    if (v == NULL) {
        g_error("%s is not set; run the test through meson", name);
    }
    return v;
}

PpcDir *ppc_dir_new(void)
{
    PpcDir *d = g_new0(PpcDir, 1);

    d->path = g_dir_make_tmp("cgemu-ppc-XXXXXX", NULL);
    g_assert_nonnull(d->path);
    return d;
}

void ppc_dir_free(PpcDir *d)
{
    g_autoptr(GDir) dir = NULL;
    const char *name;

    if (d == NULL) {
        return;
    }
    dir = g_dir_open(d->path, 0, NULL);
    while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
        g_autofree char *p = g_build_filename(d->path, name, NULL);
        g_unlink(p);
    }
    g_rmdir(d->path);
    g_free(d->path);
    g_free(d);
}

char *ppc_dir_file(PpcDir *d, const char *name)
{
    return g_build_filename(d->path, name, NULL);
}

static void put(uint8_t *p, uint64_t v, unsigned size, bool le)
{
    for (unsigned i = 0; i < size; i++) {
        p[le ? i : size - 1 - i] = (uint8_t)(v >> (8 * i));
    }
}

void ppc_write_kernel(const char *path, bool le)
{
    uint8_t d[0x1000 + PPC_KERNEL_SIZE] = { 0 };

    memcpy(d, "\x7f" "ELF", 4);
    d[4] = 2;
    d[5] = le ? 1 : 2;
    d[6] = 1;
    put(d + 16, 2, 2, le);
    put(d + 18, 21, 2, le);
    put(d + 20, 1, 4, le);
    put(d + 24, 0xc000000000000000ull + PPC_KERNEL_ENTRY, 8, le);
    put(d + 32, 64, 8, le);
    put(d + 52, 64, 2, le);
    put(d + 54, 56, 2, le);
    put(d + 56, 1, 2, le);
    put(d + 64, 1, 4, le);
    put(d + 68, 7, 4, le);
    put(d + 72, 0x1000, 8, le);
    put(d + 80, 0xc000000000000000ull, 8, le);
    put(d + 88, 0, 8, le);
    put(d + 96, PPC_KERNEL_SIZE, 8, le);
    put(d + 104, PPC_KERNEL_SIZE, 8, le);
    for (unsigned i = 0; i < PPC_KERNEL_SIZE; i++) {
        d[0x1000 + i] = (uint8_t)(i * 3 + 5);
    }
    g_assert_true(g_file_set_contents(path, (const char *)d, sizeof(d),
                                      NULL));
}

int ppc_run(const char *args, const char *const *env, char **err)
{
    g_auto(GStrv) words = NULL;
    g_auto(GStrv) envp = g_get_environ();
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_autoptr(GError) error = NULL;
    int status = -1;

    g_assert_true(g_shell_parse_argv(args, NULL, &words, &error));
    g_ptr_array_add(argv, (gpointer)qtest_binary("ppc64"));
    for (char **w = words; *w; w++) {
        g_ptr_array_add(argv, *w);
    }
    g_ptr_array_add(argv, NULL);
    for (const char *const *e = env; e && *e; e++) {
        g_auto(GStrv) kv = g_strsplit(*e, "=", 2);
        envp = g_environ_setenv(envp, kv[0], kv[1], TRUE);
    }
    g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, envp,
                               G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                               err, &status, &error));
    g_assert_no_error(error);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

GBytes *ppc_read_dtb(const char *path)
{
    char *data = NULL;
    gsize len = 0;

    g_assert_true(g_file_get_contents(path, &data, &len, NULL));
    g_assert_cmpint(fdt_check_full(data, len), ==, 0);
    g_assert_cmpuint(fdt_totalsize(data), ==, len);
    return g_bytes_new_take(data, len);
}

char *ppc_dtc(const char *path)
{
    const char *argv[] = { "dtc", "-q", "-I", "dtb", "-O", "dts", path,
                           NULL };
    g_autoptr(GError) error = NULL;
    g_autofree char *err = NULL;
    char *out = NULL;
    int status = -1;

    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH,
                               NULL, NULL, &out, &err, &status, &error));
    g_assert_no_error(error);
    g_assert_cmpstr(err, ==, "");
    g_assert_cmpint(status, ==, 0);
    return out;
}

PpcSim *ppc_sim_new(const char *const *extra)
{
    PpcSim *s = g_new0(PpcSim, 1);

    s->dir = ppc_dir_new();
    s->log = ppc_dir_file(s->dir, "hostsim.log");
    s->env = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(s->env, g_strdup_printf(
                                "LD_PRELOAD=%s",
                                need_env("CGEMU_TEST_HOSTSIM_LIB")));
    g_ptr_array_add(s->env, g_strdup("ASAN_OPTIONS=verify_asan_link_order=0"));
    g_ptr_array_add(s->env, g_strdup("CGEMU_HOSTSIM_KVM_ARCH=ppc64"));
    g_ptr_array_add(s->env, g_strdup_printf("CGEMU_HOSTSIM_LOG=%s", s->log));
    for (const char *const *x = extra; x && *x; x++) {
        g_ptr_array_add(s->env, g_strdup(*x));
    }
    g_ptr_array_add(s->env, NULL);
    return s;
}

void ppc_sim_free(PpcSim *s)
{
    if (s == NULL) {
        return;
    }
    ppc_dir_free(s->dir);
    g_free(s->log);
    g_ptr_array_unref(s->env);
    g_free(s);
}

static QTestOptions sim_options(PpcSim *sim)
{
    return (QTestOptions){
        .target = "ppc64",
        .accel = "kvm",
        .env = (const char *const *)sim->env->pdata,
    };
}

QTestState *ppc_sim_start(PpcSim *sim, const char *args)
{
    QTestOptions o = sim_options(sim);

    return qtest_init_with(&o, args);
}

QTestState *ppc_sim_try_start(PpcSim *sim, const char *args, GError **err)
{
    QTestOptions o = sim_options(sim);

    return qtest_try_init(&o, args, err);
}

char **ppc_sim_log(PpcSim *sim, const char *prefix)
{
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    GPtrArray *out = g_ptr_array_new();

    if (!g_file_get_contents(sim->log, &text, NULL, NULL)) {
        text = g_strdup("");
    }
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (**l != '\0' && (prefix == NULL || g_str_has_prefix(*l, prefix))) {
            g_ptr_array_add(out, g_strdup(*l));
        }
    }
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

void ppc_sim_wait_line(PpcSim *sim, const char *line)
{
    const char *t = g_getenv("CGEMU_QTEST_TIMEOUT");
    gint64 deadline = g_get_monotonic_time() +
                      (t ? g_ascii_strtoll(t, NULL, 10) : 60) *
                          G_USEC_PER_SEC;

    for (;;) {
        g_auto(GStrv) lines = ppc_sim_log(sim, NULL);

        if (g_strv_contains((const char *const *)lines, line)) {
            return;
        }
        if (g_get_monotonic_time() > deadline) {
            g_autofree char *all = g_strjoinv("\n", lines);
            g_error("timed out waiting for '%s' in the log:\n%s", line, all);
        }
        g_usleep(10 * 1000);
    }
}

char *ppc_qom_get_json(QTestState *s, const char *path, const char *prop)
{
    g_autoptr(JsonNode) r = qtest_qmp_assert_success_ref(
        s, "{'execute': 'qom-get', 'arguments': {'path': %s, "
           "'property': %s}}", path, prop);

    return qtest_json_to_string(r);
}
