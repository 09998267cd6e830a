/* Error domain, codes and reporting helpers. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_UTIL_ERROR_H
#define CGEMU_UTIL_ERROR_H

#include <glib.h>
#include <stdbool.h>

G_BEGIN_DECLS

#define CG_ERROR (cg_error_quark())
GQuark cg_error_quark(void);

/*
 * The codes map one to one to QMP error classes (cg_error_class_name());
 * everything that is not one of the specific classes is GENERIC.
 */
typedef enum {
    CG_ERROR_GENERIC,           /* GenericError */
    CG_ERROR_COMMAND_NOT_FOUND, /* CommandNotFound */
    CG_ERROR_DEVICE_NOT_FOUND,  /* DeviceNotFound */
    CG_ERROR_DEVICE_NOT_ACTIVE, /* DeviceNotActive */
    CG_ERROR_KVM_MISSING_CAP,   /* KVMMissingCap */
} CgErrorCode;

/* The QMP "class" of @err: GenericError unless @err is a CG_ERROR code. */
const char *cg_error_class_name(const GError *err);

/*
 * Messages to stderr, one line each, prefixed with the program name (and a
 * timestamp after cg_log_set_timestamps(true)).  error_report is for the
 * final reason a start-up fails; warn_report for things that still run.
 */
void cg_error_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void cg_warn_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void cg_info_report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void cg_log_set_timestamps(bool on);

/* Prints @err with cg_error_report (no-op when NULL). */
void cg_error_report_err(const GError *err);

G_END_DECLS

#endif
