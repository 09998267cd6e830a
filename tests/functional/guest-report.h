/* guest-report.h: read the test guest's report; run a guest to get one. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TESTS_FUNCTIONAL_GUEST_REPORT_H
#define TESTS_FUNCTIONAL_GUEST_REPORT_H

#include <glib.h>

/*
 * The report is the text the test guest (tests/guest/) prints on its
 * serial port, one "key=value" per line, from "report.begin=..." to
 * "report.end=N", where N counts the lines before the end marker, starting
 * with the begin marker.  docs/devel/test-guest.rst lists every key.
 */

#define GUEST_REPORT_ERROR (guest_report_error_quark())

typedef enum {
    GUEST_REPORT_ERROR_NO_BEGIN,    /* no line starts with report.begin= */
    GUEST_REPORT_ERROR_NO_END,      /* the output stops before report.end= */
    GUEST_REPORT_ERROR_MALFORMED,   /* a line is not key=value */
    GUEST_REPORT_ERROR_DUPLICATE,   /* a key appears twice */
    GUEST_REPORT_ERROR_COUNT,       /* report.end= disagrees: lines lost */
    GUEST_REPORT_ERROR_NO_KEY,      /* guest_report_get_u64: key absent */
    GUEST_REPORT_ERROR_NOT_NUMBER,  /* guest_report_get_u64: bad value */
} GuestReportError;

GQuark guest_report_error_quark(void);

typedef struct GuestReport GuestReport;

/*
 * Parses the first report found in text (anything before report.begin=,
 * such as firmware messages, and anything after report.end= is ignored;
 * "\r\n" line ends are accepted; a last line without its newline counts
 * as not received).  Returns NULL and sets error when text
 * holds no complete, consistent report.
 */
GuestReport *guest_report_parse(const char *text, GError **error);
void guest_report_free(GuestReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GuestReport, guest_report_free)

/* The value of key, or NULL when the report has no such key. */
const char *guest_report_get(const GuestReport *report, const char *key);
gboolean guest_report_has(const GuestReport *report, const char *key);
/* Decimal, or hexadecimal with a 0x prefix, as the guest prints them. */
gboolean guest_report_get_u64(const GuestReport *report, const char *key,
                              guint64 *value, GError **error);
/* Number of keys, including report.begin and report.end. */
guint guest_report_size(const GuestReport *report);
/* The i-th key in report order (i < guest_report_size()). */
const char *guest_report_key(const GuestReport *report, guint i);
/* TRUE when the report says result=pass. */
gboolean guest_report_passed(const GuestReport *report);
/*
 * The failed checks listed by "result=fail failed=a,b,...", as a
 * NULL-terminated array to free with g_strfreev (empty when passed).
 */
char **guest_report_failed(const GuestReport *report);

typedef struct GuestRun {
    gboolean exited;        /* FALSE: killed by a signal (or timed out) */
    int exit_status;        /* valid when exited */
    gboolean timed_out;     /* the guard killed it */
    char *out;              /* standard output; NUL bytes become '?' */
    char *err;              /* standard error */
    GuestReport *report;    /* parsed from out; NULL if there is none */
    GError *report_error;   /* why report is NULL */
} GuestRun;

/*
 * Runs argv (an emulator whose serial port writes to standard output) with
 * standard input from /dev/null, and kills it after timeout_s seconds: a
 * guard against hangs, not a measurement.  Returns NULL and sets error only
 * when the program cannot be started.
 */
GuestRun *guest_run(const char *const *argv, guint timeout_s, GError **error);
void guest_run_free(GuestRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GuestRun, guest_run_free)

#endif
