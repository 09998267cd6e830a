/* One QMP conversation: greeting, negotiation, dispatch, events. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "monitor/qmp-session.h"

#include "monitor/json-stream.h"
#include "monitor/json-writer.h"
#include "monitor/qmp.h"
#include "util/cutils.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

struct QmpSession {
    CgSystem *sys;
    bool pretty;
    QmpOutputFunc out;
    void *opaque;
    JsonStream *stream;
    bool negotiated;
};

static void stream_value(void *opaque, JsonStreamKind kind, const char *text,
                         size_t len);

QmpSession *qmp_session_new(CgSystem *sys, bool pretty, QmpOutputFunc out,
                            void *opaque)
{
    QmpSession *s = g_new0(QmpSession, 1);

    s->sys = sys;
    s->pretty = pretty;
    s->out = out;
    s->opaque = opaque;
    s->stream = json_stream_new(QMP_MAX_INPUT_SIZE, QMP_MAX_DEPTH,
                                stream_value, s);
    return s;
}

void qmp_session_free(QmpSession *s)
{
    if (s == NULL) {
        return;
    }
    json_stream_free(s->stream);
    g_free(s);
}

bool qmp_session_negotiated(const QmpSession *s)
{
    return s->negotiated;
}

/* Takes @msg (an object node). */
static void send_message(QmpSession *s, JsonNode *msg)
{
    g_autoptr(GString) text = g_string_sized_new(128);

    json_writer_append(text, msg, s->pretty);
    json_node_unref(msg);
    if (s->pretty) {
        /* Every line ends as the message does, as in QEMU. */
        g_string_replace(text, "\n", "\r\n", 0);
    }
    g_string_append(text, "\r\n");
    s->out(s->opaque, text->str, text->len);
}

static JsonNode *object_node(JsonObject *o)
{
    JsonNode *n = json_node_new(JSON_NODE_OBJECT);

    json_node_take_object(n, o);
    return n;
}

void qmp_session_open(QmpSession *s)
{
    JsonObject *qmp = json_object_new();
    JsonObject *greeting = json_object_new();
    JsonNode *caps = json_node_new(JSON_NODE_ARRAY);

    json_stream_reset(s->stream);
    s->negotiated = false;
    /* No capabilities: cgemu has no out-of-band execution. */
    json_node_take_array(caps, json_array_new());
    json_object_set_member(qmp, "version", qmp_version_info());
    json_object_set_member(qmp, "capabilities", caps);
    json_object_set_object_member(greeting, "QMP", qmp);
    send_message(s, object_node(greeting));
}

void qmp_session_close(QmpSession *s)
{
    json_stream_reset(s->stream);
    s->negotiated = false;
}

/* @id may be NULL (none); it is copied. */
static void send_error(QmpSession *s, JsonNode *id, const GError *err)
{
    JsonObject *reply = json_object_new();
    JsonObject *e = json_object_new();

    if (id != NULL) {
        json_object_set_member(reply, "id", json_node_copy(id));
    }
    json_object_set_string_member(e, "class", cg_error_class_name(err));
    json_object_set_string_member(e, "desc", err->message);
    json_object_set_object_member(reply, "error", e);
    send_message(s, object_node(reply));
}

static void send_error_text(QmpSession *s, JsonNode *id, int code,
                            const char *fmt, ...) G_GNUC_PRINTF(4, 5);

static void send_error_text(QmpSession *s, JsonNode *id, int code,
                            const char *fmt, ...)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    err = g_error_new_literal(CG_ERROR, code, msg);
    send_error(s, id, err);
}

/* Takes @ret. */
static void send_return(QmpSession *s, JsonNode *id, JsonNode *ret)
{
    JsonObject *reply = json_object_new();

    json_object_set_member(reply, "return", ret);
    if (id != NULL) {
        json_object_set_member(reply, "id", json_node_copy(id));
    }
    send_message(s, object_node(reply));
}

void qmp_session_event(QmpSession *s, const char *name, JsonNode *data)
{
    JsonObject *ev = json_object_new();
    JsonObject *ts = json_object_new();
    gint64 now = g_get_real_time();

    if (!s->negotiated) {
        json_object_unref(ev);
        json_object_unref(ts);
        return;
    }
    json_object_set_int_member(ts, "seconds", now / G_USEC_PER_SEC);
    json_object_set_int_member(ts, "microseconds", now % G_USEC_PER_SEC);
    json_object_set_object_member(ev, "timestamp", ts);
    json_object_set_string_member(ev, "event", name);
    if (data != NULL &&
        !(JSON_NODE_HOLDS_OBJECT(data) &&
          json_object_get_size(json_node_get_object(data)) == 0)) {
        json_object_set_member(ev, "data", json_node_copy(data));
    }
    send_message(s, object_node(ev));
}

/*
 * json-glib keeps the last of two members with the same name; QEMU
 * refuses such input, and so do we: a command must not mean something
 * other than what its first reading suggests.  The parser's signals count
 * the members it set on each object; an object that ends up smaller had
 * a duplicate.
 */
typedef struct {
    GHashTable *counts;     /* JsonObject * -> number of members parsed */
    bool duplicate;
} DupCheck;

static void on_member(JsonParser *p, JsonObject *obj, const char *name,
                      gpointer opaque)
{
    DupCheck *dc = opaque;
    guint n = GPOINTER_TO_UINT(g_hash_table_lookup(dc->counts, obj));

    g_hash_table_insert(dc->counts, obj, GUINT_TO_POINTER(n + 1));
}

static void on_object_end(JsonParser *p, JsonObject *obj, gpointer opaque)
{
    DupCheck *dc = opaque;
    guint n = GPOINTER_TO_UINT(g_hash_table_lookup(dc->counts, obj));

    if (n != json_object_get_size(obj)) {
        dc->duplicate = true;
    }
    g_hash_table_remove(dc->counts, obj);
}

/* "line 1 column 7: unexpected character ..." from json-glib's message. */
static char *parse_error_text(const char *msg)
{
    unsigned line, col;
    int off = 0;

    if (sscanf(msg, "<data>:%u:%u: Parse error: %n", &line, &col, &off) ==
            2 &&
        off > 0) {
        return g_strdup_printf("line %u column %u: %s", line, col,
                               msg + off);
    }
    return g_strdup(msg);
}

static JsonNode *parse(const char *text, size_t len, GError **err)
{
    g_autoptr(JsonParser) parser = json_parser_new_immutable();
    g_autoptr(GError) local = NULL;
    DupCheck dc = { .counts = g_hash_table_new(NULL, NULL) };
    JsonNode *root = NULL;

    g_signal_connect(parser, "object-member", G_CALLBACK(on_member), &dc);
    g_signal_connect(parser, "object-end", G_CALLBACK(on_object_end), &dc);
    if (!json_parser_load_from_data(parser, text, (gssize)len, &local)) {
        g_autofree char *why = parse_error_text(local->message);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC, "JSON parse error, %s",
                    why);
    } else if (dc.duplicate) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "JSON parse error, duplicate key: an object names the "
                    "same member twice");
    } else {
        root = json_parser_steal_root(parser);
    }
    g_hash_table_unref(dc.counts);
    return root;
}

static void dispatch_capabilities(QmpSession *s, JsonNode *id,
                                  JsonObject *args)
{
    JsonNode *enable = json_object_get_member(args, "enable");

    if (enable != NULL &&
        json_array_get_length(json_node_get_array(enable)) > 0) {
        /* The schema admits only "oob". */
        send_error_text(s, id, CG_ERROR_GENERIC,
                        "Capability 'oob' is not available: cgemu has no "
                        "out-of-band execution; call qmp_capabilities "
                        "without 'enable'");
        return;
    }
    s->negotiated = true;
    send_return(s, id, qmp_return_empty());
}

static void set_not_found_error(const char *name, GError **err)
{
    g_autoptr(GPtrArray) list = qmp_command_list();
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    const char *hint;

    for (guint i = 0; i < list->len; i++) {
        const QmpCommand *c = g_ptr_array_index(list, i);
        g_ptr_array_add(names, (gpointer)c->name);
    }
    hint = cg_suggest(name, (const char *const *)names->pdata, names->len);
    if (hint != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_COMMAND_NOT_FOUND,
                    "The command %s has not been found; did you mean %s?",
                    name, hint);
    } else {
        g_set_error(err, CG_ERROR, CG_ERROR_COMMAND_NOT_FOUND,
                    "The command %s has not been found; query-commands "
                    "lists the commands of this binary", name);
    }
}

/* The members of a request, checked as QEMU checks them. */
static bool check_request(JsonObject *req, const char **name,
                          JsonObject **args, GError **err)
{
    JsonObjectIter it;
    const char *member;
    JsonNode *node;

    *name = NULL;
    *args = NULL;
    json_object_iter_init_ordered(&it, req);
    while (json_object_iter_next_ordered(&it, &member, &node)) {
        if (!strcmp(member, "execute")) {
            if (!JSON_NODE_HOLDS_VALUE(node) ||
                json_node_get_value_type(node) != G_TYPE_STRING) {
                g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                            "QMP input member 'execute' must be a string");
                return false;
            }
            *name = json_node_get_string(node);
        } else if (!strcmp(member, "arguments")) {
            if (!JSON_NODE_HOLDS_OBJECT(node)) {
                g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                            "QMP input member 'arguments' must be an "
                            "object");
                return false;
            }
            *args = json_node_get_object(node);
        } else if (!strcmp(member, "exec-oob")) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "QMP input member 'exec-oob' is unexpected; cgemu "
                        "has no out-of-band execution: use 'execute'");
            return false;
        } else if (strcmp(member, "id") != 0) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "QMP input member '%s' is unexpected; a command "
                        "has only 'execute', 'arguments' and 'id'", member);
            return false;
        }
    }
    if (*name == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "QMP input lacks member 'execute'");
        return false;
    }
    return true;
}

static void dispatch(QmpSession *s, JsonObject *req)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(JsonObject) empty = json_object_new();
    JsonNode *id = json_object_get_member(req, "id");
    const QmpCommand *cmd;
    const char *name;
    JsonObject *args;
    JsonNode *ret;

    if (!check_request(req, &name, &args, &err)) {
        send_error(s, id, err);
        return;
    }
    if (args == NULL) {
        args = empty;
    }
    if (!s->negotiated && strcmp(name, "qmp_capabilities") != 0) {
        send_error_text(s, id, CG_ERROR_COMMAND_NOT_FOUND,
                        "Expecting capabilities negotiation with "
                        "'qmp_capabilities'");
        return;
    }
    if (s->negotiated && !strcmp(name, "qmp_capabilities")) {
        send_error_text(s, id, CG_ERROR_COMMAND_NOT_FOUND,
                        "Capabilities negotiation is already complete, "
                        "command ignored");
        return;
    }
    cmd = qmp_find_command(name);
    if (cmd == NULL) {
        set_not_found_error(name, &err);
        send_error(s, id, err);
        return;
    }
    if (!qmp_check_args(cmd, args, &err)) {
        send_error(s, id, err);
        return;
    }
    if (!strcmp(name, "qmp_capabilities")) {
        dispatch_capabilities(s, id, args);
        return;
    }
    ret = cmd->handler(s->sys, args, &err);
    if (ret == NULL && err == NULL) {
        /* A handler that broke its contract; say so instead of
         * inventing a success. */
        g_set_error(&err, CG_ERROR, CG_ERROR_GENERIC,
                    "internal error: %s returned no value", name);
    }
    if (err != NULL) {
        if (ret != NULL) {
            json_node_unref(ret);
        }
        send_error(s, id, err);
        return;
    }
    send_return(s, id, ret);
}

static void stream_value(void *opaque, JsonStreamKind kind, const char *text,
                         size_t len)
{
    QmpSession *s = opaque;
    g_autoptr(GError) err = NULL;
    g_autoptr(JsonNode) root = NULL;

    if (s->sys != NULL && s->sys->quit) {
        return; /* after quit, nothing more runs */
    }
    if (kind == JSON_STREAM_ERROR) {
        send_error_text(s, NULL, CG_ERROR_GENERIC, "JSON parse error, %s",
                        text);
        return;
    }
    root = parse(text, len, &err);
    if (root == NULL) {
        send_error(s, NULL, err);
        return;
    }
    if (!JSON_NODE_HOLDS_OBJECT(root)) {
        send_error_text(s, NULL, CG_ERROR_GENERIC,
                        "QMP input must be a JSON object");
        return;
    }
    dispatch(s, json_node_get_object(root));
}

void qmp_session_feed(QmpSession *s, const void *buf, size_t len)
{
    json_stream_feed(s->stream, buf, len);
}

static const char *const capability_names[] = { "oob", NULL };

static const QmpArg capabilities_args[] = {
    { "enable", QMP_ARG_STR_LIST, .optional = true,
      .choices = capability_names },
    { NULL },
};

/* Registered for query-commands and argument checks; the session itself
 * answers it, as negotiation is the session's state. */
static JsonNode *qmp_capabilities_cmd(CgSystem *sys, JsonObject *args,
                                      GError **err)
{
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "qmp_capabilities is handled by the session");
    return NULL;
}

QMP_DEFINE_COMMAND("qmp_capabilities", qmp_capabilities_cmd,
                   capabilities_args, 0)
