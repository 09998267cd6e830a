/* -daemonize and -pidfile: running detached, as libvirt starts emulators. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_SYSTEM_DAEMON_H
#define CGEMU_SYSTEM_DAEMON_H

#include "system/options.h"

G_BEGIN_DECLS

typedef struct Daemon Daemon;

/*
 * Call once the command line is parsed, before any thread or chardev
 * exists.  With -daemonize the process forks: the parent waits until the
 * child reports start-up (daemon_ready) and then returns NULL with
 * *parent_status set to the exit status it must end with (0 started, 1
 * failed; the child printed why on the shared stderr).  The child (or,
 * without -daemonize, the process itself) gets a Daemon; with -pidfile
 * the file is written and locked (another holder is an error).  NULL with
 * *parent_status == -1 is an error in @err.
 */
Daemon *daemon_start(const CgConfig *cfg, int *parent_status, GError **err);

/* Start-up succeeded (0) or failed: tell the waiting parent; on success
 * the child then detaches its stdio.  No-op without -daemonize. */
void daemon_ready(Daemon *d, int status);

/* At exit: tells a still-waiting parent, removes the pidfile, frees. */
void daemon_finish(Daemon *d, int status);

G_END_DECLS

#endif
