/* The running system: run state, the main loop, requests and events. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "system/internal.h"

#include "util/error.h"

#include <glib-unix.h>
#include <signal.h>

typedef struct {
    EventSink sink;
    void *opaque;
} SinkReg;

typedef struct {
    GDestroyNotify fn;
    gpointer data;
} Cleanup;

const char *runstate_name(RunState state)
{
    switch (state) {
    case RUN_STATE_PRELAUNCH:
        return "prelaunch";
    case RUN_STATE_RUNNING:
        return "running";
    case RUN_STATE_PAUSED:
        return "paused";
    case RUN_STATE_SHUTDOWN:
        return "shutdown";
    case RUN_STATE_INTERNAL_ERROR:
        return "internal-error";
    case RUN_STATE_GUEST_PANICKED:
        return "guest-panicked";
    }
    return "prelaunch";
}

CgSystem *system_new(const char *target, CgConfig *cfg)
{
    CgSystem *sys = g_new0(CgSystem, 1);

    sys->target = target;
    sys->binary = g_strdup_printf("cgemu-system-%s", target);
    sys->cfg = cfg;
    sys->root = cg_object_new_root();
    sys->state = RUN_STATE_PRELAUNCH;
    sys->ctx = g_main_context_ref(g_main_context_default());
    sys->loop = g_main_loop_new(sys->ctx, FALSE);
    sys->main_thread = g_thread_self();
    sys->sinks = g_ptr_array_new_with_free_func(g_free);
    sys->cleanups = g_ptr_array_new_with_free_func(g_free);
    return sys;
}

void system_free(CgSystem *sys)
{
    if (sys == NULL) {
        return;
    }
    if (sys->accel != NULL) {
        accel_shutdown(sys->accel);
    }
    for (guint i = sys->cleanups->len; i > 0; i--) {
        Cleanup *c = g_ptr_array_index(sys->cleanups, i - 1);
        c->fn(c->data);
    }
    /* The VM goes before the memory it maps; the tree (machine, devices,
     * objects) last. */
    g_clear_object(&sys->accel);
    if (sys->machine != NULL) {
        sys->machine->accel = NULL;
    }
    sys->machine = NULL;
    g_clear_object(&sys->root);
    /* Let sources that were removed during teardown release their data. */
    while (g_main_context_iteration(sys->ctx, FALSE)) {
    }
    g_ptr_array_unref(sys->cleanups);
    g_ptr_array_unref(sys->sinks);
    g_main_loop_unref(sys->loop);
    g_main_context_unref(sys->ctx);
    g_free(sys->binary);
    g_free(sys);
}

void system_add_cleanup(CgSystem *sys, GDestroyNotify fn, gpointer data)
{
    Cleanup *c = g_new0(Cleanup, 1);

    c->fn = fn;
    c->data = data;
    g_ptr_array_add(sys->cleanups, c);
}

void system_add_event_sink(CgSystem *sys, EventSink sink, void *opaque)
{
    SinkReg *r = g_new0(SinkReg, 1);

    r->sink = sink;
    r->opaque = opaque;
    g_ptr_array_add(sys->sinks, r);
}

void system_remove_event_sink(CgSystem *sys, EventSink sink, void *opaque)
{
    for (guint i = 0; i < sys->sinks->len; i++) {
        SinkReg *r = g_ptr_array_index(sys->sinks, i);
        if (r->sink == sink && r->opaque == opaque) {
            g_ptr_array_remove_index(sys->sinks, i);
            return;
        }
    }
}

void system_emit_event(CgSystem *sys, const char *name, JsonNode *data)
{
    g_autoptr(JsonNode) owned = data;

    if (owned == NULL) {
        owned = json_node_new(JSON_NODE_OBJECT);
        json_node_take_object(owned, json_object_new());
    }
    for (guint i = 0; i < sys->sinks->len; i++) {
        SinkReg *r = g_ptr_array_index(sys->sinks, i);
        r->sink(r->opaque, name, owned);
    }
}

static JsonNode *cause_data(ShutdownCause cause)
{
    JsonObject *o = json_object_new();
    JsonNode *n = json_node_new(JSON_NODE_OBJECT);

    json_object_set_boolean_member(o, "guest", shutdown_cause_is_guest(cause));
    json_object_set_string_member(o, "reason", shutdown_cause_name(cause));
    json_node_take_object(n, o);
    return n;
}

static void set_state(CgSystem *sys, RunState state)
{
    sys->state = state;
}

bool system_vm_stop(CgSystem *sys, GError **err)
{
    /* From prelaunch (-S) QEMU 7.2 stays in prelaunch; so do we. */
    if (sys->state == RUN_STATE_RUNNING) {
        accel_pause(sys->accel);
        set_state(sys, RUN_STATE_PAUSED);
        system_emit_event(sys, "STOP", NULL);
    }
    return true;
}

bool system_vm_cont(CgSystem *sys, GError **err)
{
    MachineState *ms = sys->machine;

    switch (sys->state) {
    case RUN_STATE_RUNNING:
        return true;
    case RUN_STATE_SHUTDOWN:
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "the guest has shut down; reset it with system_reset "
                    "before cont");
        return false;
    case RUN_STATE_INTERNAL_ERROR:
    case RUN_STATE_GUEST_PANICKED:
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "the VM stopped on an error (%s); it cannot continue",
                    runstate_name(sys->state));
        return false;
    default:
        break;
    }
    /* A failure below is reported on stderr too: it ends the process. */
    if (!sys->vm_started) {
        if (ms->cgs != NULL && ms->cgs->ready &&
            !cgs_vm_start(ms->cgs, ms, err)) {
            /* The launch cannot complete: end, as a failure. */
            cg_error_report("%s", (*err)->message);
            sys->exit_status = 1;
            sys->quit = true;
            g_main_loop_quit(sys->loop);
            return false;
        }
        sys->vm_started = true;
    }
    set_state(sys, RUN_STATE_RUNNING);
    system_emit_event(sys, "RESUME", NULL);
    accel_resume(sys->accel);
    return true;
}

void system_quit(CgSystem *sys, ShutdownCause cause)
{
    if (sys->accel != NULL) {
        accel_pause(sys->accel);
    }
    if (sys->state != RUN_STATE_SHUTDOWN) {
        set_state(sys, RUN_STATE_SHUTDOWN);
        system_emit_event(sys, "SHUTDOWN", cause_data(cause));
    }
    sys->quit = true;
    g_main_loop_quit(sys->loop);
}

void system_handle_shutdown(CgSystem *sys, ShutdownCause cause)
{
    if (sys->quit) {
        return;
    }
    if (sys->cfg->no_shutdown && shutdown_cause_is_guest(cause)) {
        /* -no-shutdown: stop, report, and stay for the monitor. */
        accel_pause(sys->accel);
        set_state(sys, RUN_STATE_SHUTDOWN);
        system_emit_event(sys, "SHUTDOWN", cause_data(cause));
        system_emit_event(sys, "STOP", NULL);
        return;
    }
    system_quit(sys, cause);
}

void system_handle_reset(CgSystem *sys, ShutdownCause cause)
{
    g_autoptr(GError) err = NULL;
    RunState before = sys->state;

    if (sys->quit) {
        return;
    }
    if (sys->cfg->no_reboot && shutdown_cause_is_guest(cause)) {
        system_handle_shutdown(sys, cause);
        return;
    }
    if (!accel_can_reset(sys->accel, &err)) {
        /* Never a guest running from stale state: an orderly end. */
        cg_warn_report("%s; shutting the guest down instead", err->message);
        system_quit(sys, cause);
        return;
    }
    accel_pause(sys->accel);
    if (!system_reset(sys, cause, &err)) {
        system_handle_fail(sys, err->message);
        return;
    }
    system_emit_event(sys, "RESET", cause_data(cause));
    if (before == RUN_STATE_SHUTDOWN) {
        set_state(sys, RUN_STATE_PAUSED);
    } else if (before == RUN_STATE_RUNNING) {
        accel_resume(sys->accel);
    }
}

void system_handle_exit(CgSystem *sys, int status)
{
    if (sys->quit) {
        return;
    }
    sys->exit_status = status;
    if (sys->accel != NULL) {
        accel_pause(sys->accel);
    }
    set_state(sys, RUN_STATE_SHUTDOWN);
    sys->quit = true;
    g_main_loop_quit(sys->loop);
}

void system_handle_fail(CgSystem *sys, const char *message)
{
    if (sys->quit) {
        return;
    }
    cg_error_report("%s", message);
    if (sys->accel != NULL) {
        accel_pause(sys->accel);
    }
    set_state(sys, RUN_STATE_INTERNAL_ERROR);
    system_emit_event(sys, "STOP", NULL);
    if (sys->sinks->len == 0) {
        /* Nobody can inspect or resume it: end, as a failure. */
        sys->exit_status = 1;
        sys->quit = true;
        g_main_loop_quit(sys->loop);
    }
}

static gboolean on_signal(gpointer opaque)
{
    CgSystem *sys = opaque;

    cg_info_report("terminating on signal");
    system_quit(sys, SHUTDOWN_CAUSE_HOST_SIGNAL);
    return G_SOURCE_CONTINUE;
}

int system_run(CgSystem *sys)
{
    g_autoptr(GError) err = NULL;
    guint sig[3];

    if (!accel_start(sys->accel, &err)) {
        cg_error_report_err(err);
        return 1;
    }
    if (!sys->cfg->start_paused && !system_vm_cont(sys, &err)) {
        return 1; /* system_vm_cont reported it */
    }
    sig[0] = g_unix_signal_add(SIGINT, on_signal, sys);
    sig[1] = g_unix_signal_add(SIGTERM, on_signal, sys);
    sig[2] = g_unix_signal_add(SIGHUP, on_signal, sys);
    if (!sys->quit) {
        g_main_loop_run(sys->loop);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(sig); i++) {
        g_source_remove(sig[i]);
    }
    return sys->exit_status;
}
