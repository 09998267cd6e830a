/* Functions shared between the files of system/ only. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_SYSTEM_INTERNAL_H
#define CGEMU_SYSTEM_INTERNAL_H

#include "system/system.h"

/* Main-loop handlers of the requests in MachineRequestOps. */
void system_handle_shutdown(CgSystem *sys, ShutdownCause cause);
void system_handle_reset(CgSystem *sys, ShutdownCause cause);
void system_handle_exit(CgSystem *sys, int status);
void system_handle_fail(CgSystem *sys, const char *message);

/* The MachineRequestOps that post to @sys's main loop. */
const MachineRequestOps *system_request_ops(void);

#endif
