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

/* Keyval text of option @def, its keys checked against def->params. */
CgOpts *cg_option_parse(const CgOptionDef *def, const char *arg,
                        const char *implied, GError **err);

/* Boolean @key of @opts into @out (untouched if absent); false + @err
 * ("'KEY' expects on or off, got 'X'") if it is not a boolean. */
bool cg_option_bool(const CgOpts *opts, const char *key, bool *out,
                    GError **err);

/* options-compat.c: -rtc, -boot, -audiodev. */
extern const CgOptionParam rtc_params[];
extern const CgOptionParam boot_params[];
bool opt_rtc(CgConfig *cfg, const CgOptionDef *def, const char *arg,
             GError **err);
bool opt_boot(CgConfig *cfg, const CgOptionDef *def, const char *arg,
              GError **err);
bool opt_audiodev(CgConfig *cfg, const CgOptionDef *def, const char *arg,
                  GError **err);

#endif
