/* Error domain and one-line reporting to stderr. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "util/error.h"

#include <stdio.h>

G_DEFINE_QUARK(cgemu-error-quark, cg_error)

/*
 * The only process-wide setting outside the type registry: how messages are
 * prefixed.  It is set once while the command line is parsed, before any
 * thread exists, and read-only afterwards.
 */
static bool log_timestamps;

void cg_log_set_timestamps(bool on)
{
    log_timestamps = on;
}

const char *cg_error_class_name(const GError *err)
{
    if (err == NULL || err->domain != CG_ERROR) {
        return "GenericError";
    }
    switch ((CgErrorCode)err->code) {
    case CG_ERROR_COMMAND_NOT_FOUND:
        return "CommandNotFound";
    case CG_ERROR_DEVICE_NOT_FOUND:
        return "DeviceNotFound";
    case CG_ERROR_DEVICE_NOT_ACTIVE:
        return "DeviceNotActive";
    case CG_ERROR_KVM_MISSING_CAP:
        return "KVMMissingCap";
    case CG_ERROR_GENERIC:
        break;
    }
    return "GenericError";
}

static void vreport(const char *kind, const char *fmt, va_list ap)
{
    g_autofree char *msg = g_strdup_vprintf(fmt, ap);
    g_autoptr(GString) line = g_string_new(NULL);

    if (log_timestamps) {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc();
        g_autofree char *ts = g_date_time_format_iso8601(now);
        g_string_append_printf(line, "%s ", ts);
    }
    g_string_append_printf(line, "%s: ", g_get_prgname() ? g_get_prgname()
                                                         : "cgemu");
    if (kind != NULL) {
        g_string_append_printf(line, "%s: ", kind);
    }
    g_string_append(line, msg);
    g_string_append_c(line, '\n');
    fputs(line->str, stderr);
    fflush(stderr);
}

void cg_error_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport(NULL, fmt, ap);
    va_end(ap);
}

void cg_warn_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("warning", fmt, ap);
    va_end(ap);
}

void cg_info_report(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("info", fmt, ap);
    va_end(ap);
}

void cg_error_report_err(const GError *err)
{
    if (err != NULL) {
        cg_error_report("%s", err->message);
    }
}
