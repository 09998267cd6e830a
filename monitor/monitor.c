/* QMP monitors: a QMP session bound to a chardev, and -qmp / -mon. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "monitor/monitor.h"

#include "monitor/qmp-session.h"
#include "util/cutils.h"
#include "util/error.h"

/* How much input one receive call takes: commands run as they arrive, so
 * this only sets the read size. */
#define MONITOR_READ_SIZE 4096

typedef struct MonitorGate MonitorGate;

struct Monitor {
    CgSystem *sys;
    Chardev *chr;
    QmpSession *session;
    bool started;           /* the main loop runs: input is read */
    MonitorGate *gate;      /* until then, the source that waits for it
                             * (borrowed: the main context owns it) */
};

/*
 * Commands must not run before system_run has started the accelerator:
 * 'cont' would resume vCPUs that do not exist yet.  cgemu_main iterates
 * the main context before system_run (to handle requests made during
 * start-up), so "the first dispatch" is too early.  This source becomes
 * ready only once the system's main loop is running.
 */
struct MonitorGate {
    GSource source;
    Monitor *mon;
};

static gboolean gate_ready(GSource *source)
{
    MonitorGate *g = (MonitorGate *)source;

    return g_main_loop_is_running(g->mon->sys->loop);
}

static gboolean gate_prepare(GSource *source, gint *timeout)
{
    *timeout = -1;
    return gate_ready(source);
}

static gboolean gate_dispatch(GSource *source, GSourceFunc cb, gpointer data)
{
    Monitor *mon = ((MonitorGate *)source)->mon;

    mon->started = true;
    mon->gate = NULL;
    chardev_accept_input(mon->chr);
    return G_SOURCE_REMOVE;
}

static GSourceFuncs gate_funcs = {
    .prepare = gate_prepare,
    .check = gate_ready,
    .dispatch = gate_dispatch,
};

static size_t monitor_can_receive(void *opaque)
{
    Monitor *mon = opaque;

    return mon->started ? MONITOR_READ_SIZE : 0;
}

static void monitor_receive(void *opaque, const uint8_t *buf, size_t len)
{
    Monitor *mon = opaque;

    qmp_session_feed(mon->session, buf, len);
}

static void monitor_event(void *opaque, CharEvent event)
{
    Monitor *mon = opaque;

    if (event == CHR_EVENT_OPENED) {
        qmp_session_open(mon->session);
    } else {
        qmp_session_close(mon->session);
    }
}

static const CharFrontendOps monitor_ops = {
    .can_receive = monitor_can_receive,
    .receive = monitor_receive,
    .event = monitor_event,
};

static void monitor_output(void *opaque, const char *text, size_t len)
{
    Monitor *mon = opaque;

    /* A client that is gone gets nothing; the chardev reports the close
     * and the session then forgets it. */
    chardev_write(mon->chr, text, len);
}

static void monitor_sink(void *opaque, const char *name, JsonNode *data)
{
    Monitor *mon = opaque;

    qmp_session_event(mon->session, name, data);
}

static void monitor_free(gpointer opaque)
{
    Monitor *mon = opaque;

    if (mon->gate != NULL) {
        g_source_destroy(&mon->gate->source);
    }
    system_remove_event_sink(mon->sys, monitor_sink, mon);
    chardev_detach(mon->chr);
    qmp_session_free(mon->session);
    g_object_unref(mon->chr);
    g_free(mon);
}

Monitor *monitor_new(CgSystem *sys, Chardev *chr, bool pretty, GError **err)
{
    Monitor *mon = g_new0(Monitor, 1);

    mon->sys = sys;
    mon->chr = g_object_ref(chr);
    mon->session = qmp_session_new(sys, pretty, monitor_output, mon);
    mon->gate = (MonitorGate *)g_source_new(&gate_funcs,
                                            sizeof(MonitorGate));
    mon->gate->mon = mon;
    g_source_attach(&mon->gate->source, sys->ctx);
    g_source_unref(&mon->gate->source); /* the context holds it */
    /* Attaching may greet a client that is already connected. */
    if (!chardev_attach(chr, &monitor_ops, mon, err)) {
        g_source_destroy(&mon->gate->source);
        qmp_session_free(mon->session);
        g_object_unref(mon->chr);
        g_free(mon);
        return NULL;
    }
    system_add_event_sink(sys, monitor_sink, mon);
    system_add_cleanup(sys, monitor_free, mon);
    return mon;
}

bool monitor_create_all(CgSystem *sys, GError **err)
{
    CgConfig *cfg = sys->cfg;

    for (guint i = 0; i < cfg->qmps->len; i++) {
        const char *spec = g_ptr_array_index(cfg->qmps, i);
        g_autofree char *id = g_strdup_printf("compat_monitor%u", i);
        Chardev *chr = chardev_new_from_spec(sys->root, spec, id, err);

        if (chr == NULL || monitor_new(sys, chr, false, err) == NULL) {
            g_prefix_error(err, "-qmp %s: ", spec);
            return false;
        }
    }
    for (guint i = 0; i < cfg->mons->len; i++) {
        const CgOpts *opts = g_ptr_array_index(cfg->mons, i);
        const char *id = cg_opts_get(opts, "chardev");
        const char *pretty_text = cg_opts_get(opts, "pretty");
        bool pretty = false;
        Chardev *chr;

        if (pretty_text != NULL && !cg_parse_bool(pretty_text, &pretty)) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "-mon %s: 'pretty' expects on or off, got '%s'",
                        opts->text, pretty_text);
            return false;
        }
        chr = id != NULL ? chardev_find(sys->root, id) : NULL;
        if (chr == NULL) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "-mon %s: no chardev with id '%s'; define it with "
                        "-chardev socket,id=%s,path=PATH,server=on,wait=off",
                        opts->text, id ? id : "", id ? id : "ID");
            return false;
        }
        if (monitor_new(sys, chr, pretty, err) == NULL) {
            g_prefix_error(err, "-mon %s: ", opts->text);
            return false;
        }
    }
    return true;
}
