/* QMP monitors: the QMP protocol on character devices. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_MONITOR_MONITOR_H
#define CGEMU_MONITOR_MONITOR_H

#include "chardev/char.h"
#include "system/system.h"

G_BEGIN_DECLS

/*
 * A monitor is the frontend of one chardev.  When a client connects it
 * gets the greeting; it must then negotiate with qmp_capabilities; after
 * that it may run commands (include/monitor/qmp.h) and receives every
 * event of the system (system_emit_event) with a timestamp.  When the
 * client goes away the monitor forgets it and greets the next one.
 *
 * Input is read only once the system's main loop runs (system_run):
 * a client that connects early (libvirt connects as soon as the socket
 * exists) is greeted at once, but its commands wait until the machine is
 * complete and the accelerator started, as in QEMU.
 */
typedef struct Monitor Monitor;

/*
 * Attaches a monitor to @chr; fails if the chardev already has a
 * frontend.  @pretty indents replies (-mon pretty=on).  The monitor lives
 * until system_free(@sys); the pointer is borrowed.
 */
Monitor *monitor_new(CgSystem *sys, Chardev *chr, bool pretty, GError **err);

/*
 * The monitors of the command line, after the -chardev chardevs exist:
 * each -qmp SPEC gets a chardev "compat_monitorN" (as QEMU names them)
 * and a monitor; each -mon chardev=ID[,pretty=on] a monitor on chardev
 * ID.  Errors name the option.
 */
bool monitor_create_all(CgSystem *sys, GError **err);

G_END_DECLS

#endif
