/* The running system: lifecycle steps, run state, requests and events. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_SYSTEM_SYSTEM_H
#define CGEMU_SYSTEM_SYSTEM_H

#include "accel/accel.h"
#include "hw/core/machine.h"
#include "system/options.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* QMP's RunState names come from runstate_name(). */
typedef enum {
    RUN_STATE_PRELAUNCH,
    RUN_STATE_RUNNING,
    RUN_STATE_PAUSED,
    RUN_STATE_SHUTDOWN,
    RUN_STATE_INTERNAL_ERROR,
    RUN_STATE_GUEST_PANICKED,
} RunState;

const char *runstate_name(RunState state);

/* Receives QMP events (monitors subscribe). */
typedef void (*EventSink)(void *opaque, const char *name, JsonNode *data);

/*
 * One VM and everything around it.  Created by system_new(); each
 * lifecycle step below is a function of its own, called in order by
 * cgemu_main() and, piecewise, by tests.  Nothing here is global: two
 * systems may exist in one process (unit tests do).
 */
typedef struct CgSystem {
    const char *target;       /* "x86_64" */
    char *binary;             /* "cgemu-system-x86_64" */
    CgConfig *cfg;
    CgObject *root;           /* "/" */
    MachineState *machine;    /* "/machine" */
    AccelState *accel;        /* "/accel" is not in the tree; owned here */

    RunState state;
    bool vm_started;          /* cgs vm_start done */
    bool migration_events;    /* QMP migrate-set-capabilities "events" */
    bool quit;                /* the main loop should end */
    int exit_status;
    GMainContext *ctx;
    GMainLoop *loop;
    GThread *main_thread;     /* the one that runs the main loop */
    GPtrArray *sinks;         /* EventSink registrations */
    GPtrArray *cleanups;      /* run in reverse at system_free */
} CgSystem;

CgSystem *system_new(const char *target, CgConfig *cfg);
void system_free(CgSystem *sys);

/* Step 1 is cg_config_parse; help requests are answered here (exit 0). */
bool system_answer_help(CgSystem *sys);

/* Steps 2-10, each failing with one error for the user. */
bool system_create_objects(CgSystem *sys, GError **err);        /* 2 */
bool system_create_machine(CgSystem *sys, GError **err);        /* 3 */
bool system_init_accel(CgSystem *sys, GError **err);            /* 4 */
bool system_apply_cgs_defaults(CgSystem *sys, GError **err);    /* 5 */
bool system_board_init(CgSystem *sys, GError **err);            /* 6 */
bool system_create_devices(CgSystem *sys, GError **err);        /* 7 */
bool system_machine_done(CgSystem *sys, GError **err);          /* 8 */
bool system_check_cgs(CgSystem *sys, GError **err);             /* 9 */
bool system_reset(CgSystem *sys, ShutdownCause cause,
                  GError **err);                                /* 10 */
/* All of 2..10 in order. */
bool system_build(CgSystem *sys, GError **err);

/* Step 11: starts vCPUs (unless -S) and runs the main loop to the end. */
int system_run(CgSystem *sys);

/* QMP stop/cont; cont runs cgs vm_start the first time. */
bool system_vm_stop(CgSystem *sys, GError **err);
bool system_vm_cont(CgSystem *sys, GError **err);
/* Ends the main loop (QMP quit, signals). */
void system_quit(CgSystem *sys, ShutdownCause cause);

void system_add_event_sink(CgSystem *sys, EventSink sink, void *opaque);
void system_remove_event_sink(CgSystem *sys, EventSink sink, void *opaque);
/* Emits @name with @data (may be NULL; consumed) to every sink. */
void system_emit_event(CgSystem *sys, const char *name, JsonNode *data);

/* A function to run when the system is freed (reverse order). */
void system_add_cleanup(CgSystem *sys, GDestroyNotify fn, gpointer data);

/*
 * The entry point of every binary: parses, builds, runs; returns the exit
 * status (0 ok / 1 configuration error / the guest's debug-exit status).
 */
int cgemu_main(int argc, char **argv, const char *target);

/*
 * Names the binary that has @type_name when this one does not (e.g.
 * "sev-guest" -> "cgemu-system-x86_64"); NULL when no binary has it.
 */
const char *cg_type_foreign_binary(const char *type_name);

G_END_DECLS

#endif
