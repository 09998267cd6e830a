/* JSON text as QEMU's QMP server writes it. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_MONITOR_JSON_WRITER_H
#define CGEMU_MONITOR_JSON_WRITER_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>

G_BEGIN_DECLS

/*
 * Appends @node to @out in QEMU's spelling, so that a session by hand
 * reads the same on both: members separated by ", " and ": ", members in
 * insertion order, printable ASCII as is and every other character as
 * \uXXXX (upper-case hex, surrogate pairs above U+FFFF), numbers with up
 * to 17 significant digits.  @pretty: one member a line, indented by four
 * spaces, as "-mon pretty=on".  No line terminator is added.
 */
void json_writer_append(GString *out, JsonNode *node, bool pretty);

G_END_DECLS

#endif
