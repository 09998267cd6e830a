/* QMP commands: the table every command registers itself in. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_MONITOR_QMP_H
#define CGEMU_MONITOR_QMP_H

#include "system/system.h"

#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

/*
 * A command is a name, a handler and an argument schema.  The file that
 * implements a command defines it with QMP_DEFINE_COMMAND, which registers
 * it from a constructor, as types register themselves (qom/object.h); there
 * is no central list, so target/i386/sev.c can add query-sev without
 * touching monitor/.  Only the binaries that link the file have the
 * command.
 *
 * The dispatcher checks the arguments against the schema before the
 * handler runs: every member of "arguments" must be in the schema (unless
 * QMP_CMD_EXTRA_ARGS), every non-optional one present, each of its type,
 * and a string with @choices one of them.  A handler can therefore read
 * its arguments without checking their JSON types again.
 *
 * Handlers run in the main loop, one at a time.  They reach devices and
 * objects only through the object layer (qom/); anything that vCPU threads
 * also touch is accessed with the machine lock held (machine_lock()).
 */

typedef enum {
    QMP_ARG_STR,        /* a JSON string */
    QMP_ARG_INT,        /* a JSON integer (int64) */
    QMP_ARG_BOOL,       /* true or false */
    QMP_ARG_NUMBER,     /* an integer or a floating-point number */
    QMP_ARG_OBJECT,     /* a JSON object */
    QMP_ARG_STR_LIST,   /* an array of strings */
    QMP_ARG_ANY,        /* any JSON value but null (qom-set's value) */
} QmpArgType;

typedef struct QmpArg {
    const char *name;
    QmpArgType type;
    bool optional;
    /* For STR and STR_LIST: the accepted strings (a QAPI enum),
     * NULL-terminated; NULL accepts any string. */
    const char *const *choices;
    /* For OBJECT and ANY: its type for query-qmp-schema, in the notation
     * of monitor/qmp-schema.c ("{name: str, ?props: any}"); NULL: any.
     * The handler checks what the table does not. */
    const char *schema;
} QmpArg;

/*
 * Returns the reply's "return" value (a new node the dispatcher consumes),
 * or NULL with @err set; its class comes from cg_error_class_name().  A
 * command with nothing to return returns qmp_return_empty().  @args is
 * never NULL (an empty object when the client sent no arguments).
 */
typedef JsonNode *(*QmpHandler)(CgSystem *sys, JsonObject *args,
                                GError **err);

enum {
    /* Members that are not in the schema are passed to the handler
     * instead of refused (object-add: the object's properties). */
    QMP_CMD_EXTRA_ARGS = 1u << 0,
};

typedef struct QmpCommand {
    const char *name;       /* "query-status" */
    QmpHandler handler;
    const QmpArg *args;     /* ends with { NULL }; NULL: takes none */
    unsigned flags;
} QmpCommand;

/*
 * Adds @cmd (static storage) to the table.  False, with a critical
 * warning, when the name is already taken (the first one stays).  Meant
 * for constructors (QMP_DEFINE_COMMAND); tests may call it directly.
 */
bool qmp_register_command(const QmpCommand *cmd);

/*
 * Defines and registers a command:
 *
 *   static const QmpArg qom_get_args[] = {
 *       { "path", QMP_ARG_STR },
 *       { "property", QMP_ARG_STR },
 *       { NULL },
 *   };
 *   static JsonNode *qmp_qom_get(CgSystem *sys, JsonObject *args,
 *                                GError **err);
 *   QMP_DEFINE_COMMAND("qom-get", qmp_qom_get, qom_get_args, 0)
 *
 * The handler's identifier names the generated symbols, so it must be
 * unique in the file.
 */
#define QMP_DEFINE_COMMAND(NAME, HANDLER, ARGS, FLAGS)                        \
    static const QmpCommand HANDLER##_qmp_command = {                         \
        .name = (NAME),                                                       \
        .handler = (HANDLER),                                                 \
        .args = (ARGS),                                                       \
        .flags = (FLAGS),                                                     \
    };                                                                        \
    static void __attribute__((constructor)) HANDLER##_qmp_register(void)     \
    {                                                                         \
        qmp_register_command(&HANDLER##_qmp_command);                         \
    }

/* The command @name, or NULL. */
const QmpCommand *qmp_find_command(const char *name);
/* Every command, sorted by name; the array is the caller's, the entries
 * are not. */
GPtrArray *qmp_command_list(void);

/*
 * The answer of query-qmp-schema: every command of this binary (with the
 * arguments its QmpArg list accepts), every event, and the types they
 * use, as QEMU's SchemaInfo list.  NULL + @err when a description in
 * monitor/qmp-schema.c does not parse (a bug the tests catch).
 */
JsonNode *qmp_schema_build(GError **err);

/*
 * Checks @args against @cmd's schema (see above).  The error is
 * QEMU's ("Parameter 'x' is missing") followed by what the command takes.
 */
bool qmp_check_args(const QmpCommand *cmd, JsonObject *args, GError **err);

/* Reading checked arguments: the value, or @dflt when absent. */
const char *qmp_arg_str(JsonObject *args, const char *name,
                        const char *dflt);
int64_t qmp_arg_int(JsonObject *args, const char *name, int64_t dflt);
bool qmp_arg_bool(JsonObject *args, const char *name, bool dflt);

/* {} : the return value of a command that returns nothing. */
JsonNode *qmp_return_empty(void);

/* A member of the object being built: "@name": @v. */
static inline void qmp_add_str(JsonBuilder *b, const char *name,
                               const char *v)
{
    json_builder_set_member_name(b, name);
    json_builder_add_string_value(b, v);
}

static inline void qmp_add_int(JsonBuilder *b, const char *name, int64_t v)
{
    json_builder_set_member_name(b, name);
    json_builder_add_int_value(b, v);
}

static inline void qmp_add_bool(JsonBuilder *b, const char *name, bool v)
{
    json_builder_set_member_name(b, name);
    json_builder_add_boolean_value(b, v);
}

/*
 * The version cgemu reports in the greeting and query-version: the QEMU
 * release whose QMP interface it follows (clients such as libvirt decide
 * what to use from it), and "cgemu-<version>" as the package.
 */
#define QMP_QEMU_MAJOR 7
#define QMP_QEMU_MINOR 2
#define QMP_QEMU_MICRO 0

/* {"qemu": {"major", "minor", "micro"}, "package"} */
JsonNode *qmp_version_info(void);

G_END_DECLS

#endif
