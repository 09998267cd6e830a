/* guest-report.c: read the test guest's report; run a guest to get one. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "guest-report.h"

#include <gio/gio.h>
#include <string.h>

#define BEGIN_PREFIX "report.begin="
#define END_KEY "report.end"

struct GuestReport {
    GHashTable *values;    /* key -> value, both owned */
    GPtrArray *keys;       /* report order; strings owned by values */
};

G_DEFINE_QUARK(guest-report-error-quark, guest_report_error)

void guest_report_free(GuestReport *report)
{
    if (!report) {
        return;
    }
    g_ptr_array_unref(report->keys);
    g_hash_table_unref(report->values);
    g_free(report);
}

static gboolean valid_key(const char *key, gsize len)
{
    if (len == 0) {
        return FALSE;
    }
    for (gsize i = 0; i < len; i++) {
        if (g_ascii_isspace(key[i]) || !g_ascii_isprint(key[i])) {
            return FALSE;
        }
    }
    return TRUE;
}

GuestReport *guest_report_parse(const char *text, GError **error)
{
    g_autoptr(GuestReport) report = g_new0(GuestReport, 1);
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    guint first = 0;
    gboolean found = FALSE;

    report->values = g_hash_table_new_full(g_str_hash, g_str_equal,
                                           g_free, g_free);
    report->keys = g_ptr_array_new();

    for (guint i = 0; lines[i]; i++) {
        gsize len = strlen(lines[i]);

        /* values keep their spaces; only a "\r\n" line end is undone */
        if (len && lines[i][len - 1] == '\r') {
            lines[i][len - 1] = '\0';
        }
        if (!found && g_str_has_prefix(lines[i], BEGIN_PREFIX)) {
            first = i;
            found = TRUE;
        }
    }
    if (!found) {
        g_set_error(error, GUEST_REPORT_ERROR, GUEST_REPORT_ERROR_NO_BEGIN,
                    "guest report: no line starts with '%s'", BEGIN_PREFIX);
        return NULL;
    }
    /* The last piece has no newline after it: an incomplete line. */
    for (guint i = first; lines[i] && lines[i + 1]; i++) {
        const char *line = lines[i];
        const char *eq = strchr(line, '=');
        char *key;

        if (!eq || !valid_key(line, (gsize)(eq - line))) {
            g_set_error(error, GUEST_REPORT_ERROR,
                        GUEST_REPORT_ERROR_MALFORMED,
                        "guest report: line %u is not key=value: '%s'",
                        i - first + 1, line);
            return NULL;
        }
        key = g_strndup(line, (gsize)(eq - line));
        if (g_hash_table_contains(report->values, key)) {
            g_set_error(error, GUEST_REPORT_ERROR,
                        GUEST_REPORT_ERROR_DUPLICATE,
                        "guest report: key '%s' appears twice", key);
            g_free(key);
            return NULL;
        }
        if (g_str_equal(key, END_KEY)) {
            guint64 n = 0;

            if (!g_ascii_string_to_unsigned(eq + 1, 10, 0, G_MAXUINT, &n,
                                            NULL) ||
                n != i - first) {
                g_set_error(error, GUEST_REPORT_ERROR,
                            GUEST_REPORT_ERROR_COUNT,
                            "guest report: '%s' but %u lines were read: "
                            "output was lost or garbled", line, i - first);
                g_free(key);
                return NULL;
            }
        }
        g_hash_table_insert(report->values, key, g_strdup(eq + 1));
        g_ptr_array_add(report->keys, key);
        if (g_str_equal(key, END_KEY)) {
            return g_steal_pointer(&report);
        }
    }
    g_set_error(error, GUEST_REPORT_ERROR, GUEST_REPORT_ERROR_NO_END,
                "guest report: output ends after %u lines without '%s=': "
                "the guest stopped or hung (last line: '%s')",
                report->keys->len, END_KEY,
                report->keys->len ?
                (const char *)g_ptr_array_index(report->keys,
                                                report->keys->len - 1) : "");
    return NULL;
}

const char *guest_report_get(const GuestReport *report, const char *key)
{
    return g_hash_table_lookup(report->values, key);
}

gboolean guest_report_has(const GuestReport *report, const char *key)
{
    return g_hash_table_contains(report->values, key);
}

gboolean guest_report_get_u64(const GuestReport *report, const char *key,
                              guint64 *value, GError **error)
{
    const char *v = guest_report_get(report, key);
    guint base = 10;

    if (!v) {
        g_set_error(error, GUEST_REPORT_ERROR, GUEST_REPORT_ERROR_NO_KEY,
                    "guest report: no key '%s'", key);
        return FALSE;
    }
    if (g_str_has_prefix(v, "0x")) {
        base = 16;
        v += 2;
    }
    if (!g_ascii_string_to_unsigned(v, base, 0, G_MAXUINT64, value, NULL)) {
        g_set_error(error, GUEST_REPORT_ERROR, GUEST_REPORT_ERROR_NOT_NUMBER,
                    "guest report: '%s=%s' is not a number", key,
                    guest_report_get(report, key));
        return FALSE;
    }
    return TRUE;
}

guint guest_report_size(const GuestReport *report)
{
    return report->keys->len;
}

const char *guest_report_key(const GuestReport *report, guint i)
{
    g_return_val_if_fail(i < report->keys->len, NULL);
    return g_ptr_array_index(report->keys, i);
}

gboolean guest_report_passed(const GuestReport *report)
{
    return g_strcmp0(guest_report_get(report, "result"), "pass") == 0;
}

char **guest_report_failed(const GuestReport *report)
{
    const char *result = guest_report_get(report, "result");
    const char *list;

    if (!result || !g_str_has_prefix(result, "fail failed=")) {
        return g_new0(char *, 1);
    }
    list = result + strlen("fail failed=");
    if (!*list) {
        return g_new0(char *, 1);
    }
    return g_strsplit(list, ",", -1);
}

/* --- running a guest --------------------------------------------------- */

typedef struct RunWait {
    GSubprocess *proc;
    gboolean done;
    gboolean timed_out;
    GBytes *out;
    GBytes *err;
    GError *error;
} RunWait;

static void run_communicated(GObject *src, GAsyncResult *res, gpointer opaque)
{
    RunWait *w = opaque;

    g_subprocess_communicate_finish(G_SUBPROCESS(src), res, &w->out, &w->err,
                                    &w->error);
    w->done = TRUE;
}

static gboolean run_timeout(gpointer opaque)
{
    RunWait *w = opaque;

    w->timed_out = TRUE;
    g_subprocess_force_exit(w->proc);
    return G_SOURCE_REMOVE;
}

/* Bytes to a C string; a stray NUL must not hide what follows it. */
static char *bytes_to_text(GBytes *b)
{
    gsize n = 0;
    const char *data = b ? g_bytes_get_data(b, &n) : NULL;
    char *s = g_malloc(n + 1);

    for (gsize i = 0; i < n; i++) {
        s[i] = data[i] ? data[i] : '?';
    }
    s[n] = '\0';
    return s;
}

GuestRun *guest_run(const char *const *argv, guint timeout_s, GError **error)
{
    g_autoptr(GMainContext) ctx = g_main_context_new();
    g_autoptr(GSubprocess) proc = NULL;
    RunWait w = { 0 };
    GSource *timer;
    GuestRun *run;

    g_main_context_push_thread_default(ctx);
    proc = g_subprocess_newv(argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                             G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
    if (!proc) {
        g_main_context_pop_thread_default(ctx);
        return NULL;
    }
    w.proc = proc;
    g_subprocess_communicate_async(proc, NULL, NULL, run_communicated, &w);
    timer = g_timeout_source_new_seconds(timeout_s);
    g_source_set_callback(timer, run_timeout, &w, NULL);
    g_source_attach(timer, ctx);
    while (!w.done) {
        g_main_context_iteration(ctx, TRUE);
    }
    g_source_destroy(timer);
    g_source_unref(timer);
    g_main_context_pop_thread_default(ctx);

    run = g_new0(GuestRun, 1);
    run->timed_out = w.timed_out;
    run->out = bytes_to_text(w.out);
    run->err = bytes_to_text(w.err);
    if (w.error) {
        /* the pipes broke: keep what came, say why the rest is missing */
        char *err = g_strdup_printf("%s(reading output: %s)\n", run->err,
                                    w.error->message);

        g_free(run->err);
        run->err = err;
        g_error_free(w.error);
    }
    g_clear_pointer(&w.out, g_bytes_unref);
    g_clear_pointer(&w.err, g_bytes_unref);
    g_subprocess_wait(proc, NULL, NULL);
    run->exited = g_subprocess_get_if_exited(proc);
    run->exit_status = run->exited ? g_subprocess_get_exit_status(proc) : -1;
    run->report = guest_report_parse(run->out, &run->report_error);
    return run;
}

void guest_run_free(GuestRun *run)
{
    if (!run) {
        return;
    }
    g_free(run->out);
    g_free(run->err);
    guest_report_free(run->report);
    g_clear_error(&run->report_error);
    g_free(run);
}
