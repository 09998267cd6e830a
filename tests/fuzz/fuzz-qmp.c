/* Fuzz target: QMP input, through the stream splitter to the dispatcher. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fuzz.h"

#include "monitor/qmp-session.h"
#include "system/system.h"

#include <string.h>

/*
 * Each input is what one client sends after connecting: it is fed to a
 * fresh session of a fresh system ("-machine none -accel qtest"), so
 * inputs do not influence each other.  The first byte chooses whether
 * capabilities are negotiated first (so that commands run) and how the
 * rest is cut into pieces, since input arrives in arbitrary chunks.
 * Invariant checked: every message the session writes is one JSON object
 * ending with "\r\n", without any other CR or LF in compact mode.
 */

typedef struct Output {
    bool pretty;
    guint messages;
} Output;

static void check_output(void *opaque, const char *text, size_t len)
{
    Output *o = opaque;
    g_autoptr(JsonParser) parser = json_parser_new();

    g_assert(len >= 2 && text[len - 2] == '\r' && text[len - 1] == '\n');
    g_assert(strlen(text) == len);
    if (!o->pretty) {
        g_assert(memchr(text, '\n', len - 1) == NULL);
        g_assert(memchr(text, '\r', len - 2) == NULL);
    }
    g_assert(json_parser_load_from_data(parser, text, (gssize)len, NULL));
    g_assert(JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser)));
    o->messages++;
}

static CgSystem *build_system(void)
{
    static const char *const args[] = { "cgemu-system-fuzz", "-machine",
                                        "none", "-accel", "qtest", NULL };
    CgConfig *cfg = cg_config_new("fuzz");
    g_autoptr(GError) err = NULL;
    CgSystem *sys;

    if (!cg_config_parse(cfg, G_N_ELEMENTS(args) - 1, (char **)args, &err)) {
        g_error("fuzz-qmp: %s", err->message);
    }
    sys = system_new("fuzz", cfg);
    if (!system_build(sys, &err)) {
        g_error("fuzz-qmp: %s", err->message);
    }
    return sys;
}

static void destroy_system(CgSystem *sys)
{
    CgConfig *cfg = sys->cfg;

    system_free(sys);
    cg_config_free(cfg);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    cg_types_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char caps[] = "{\"execute\": \"qmp_capabilities\"}";
    CgSystem *sys;
    QmpSession *s;
    Output out = { 0 };
    size_t chunk;

    if (size == 0) {
        return 0;
    }
    out.pretty = data[0] & 0x80;
    chunk = (data[0] & 0x3f) + 1;
    sys = build_system();
    s = qmp_session_new(sys, out.pretty, check_output, &out);
    qmp_session_open(s);
    g_assert(out.messages == 1);
    if (data[0] & 0x40) {
        qmp_session_feed(s, caps, strlen(caps));
        g_assert(qmp_session_negotiated(s));
    }
    for (size_t off = 1; off < size; off += chunk) {
        qmp_session_feed(s, data + off, MIN(chunk, size - off));
    }
    qmp_session_close(s);
    qmp_session_free(s);
    /* Requests commands made (system_reset, quit) run, as in the loop. */
    while (g_main_context_iteration(sys->ctx, FALSE)) {
    }
    destroy_system(sys);
    return 0;
}
