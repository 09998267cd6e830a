/* libqtest: QMP commands, replies and events. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "libqtest-internal.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- building commands ---- */

static void append_json_string(GString *out, const char *str)
{
    if (str == NULL) {
        g_string_append(out, "null");
        return;
    }
    g_string_append_c(out, '"');
    for (const unsigned char *p = (const unsigned char *)str; *p; p++) {
        switch (*p) {
        case '"':
            g_string_append(out, "\\\"");
            break;
        case '\\':
            g_string_append(out, "\\\\");
            break;
        default:
            if (*p < 0x20) {
                g_string_append_printf(out, "\\u%04x", *p);
            } else {
                g_string_append_c(out, (char)*p);
            }
        }
    }
    g_string_append_c(out, '"');
}

/* One conversion at @p (just after '%'); returns where it ends. */
static const char *convert(GString *out, const char *fmt, const char *p,
                           va_list *ap)
{
    int longs = 0;

    while (*p == 'l' && longs < 2) {
        longs++;
        p++;
    }
    switch (*p) {
    case 's':
        append_json_string(out, va_arg(*ap, const char *));
        break;
    case 'd':
    case 'i': {
        long long v = longs == 0   ? va_arg(*ap, int)
                      : longs == 1 ? va_arg(*ap, long)
                                   : va_arg(*ap, long long);
        g_string_append_printf(out, "%lld", v);
        break;
    }
    case 'u': {
        unsigned long long v = longs == 0   ? va_arg(*ap, unsigned)
                               : longs == 1 ? va_arg(*ap, unsigned long)
                                            : va_arg(*ap, unsigned long long);
        g_string_append_printf(out, "%llu", v);
        break;
    }
    case 'f': {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        double d = va_arg(*ap, double);
        if (!isfinite(d)) {
            g_error("libqtest: %f has no JSON form (format '%s')", d, fmt);
        }
        g_string_append(out, g_ascii_formatd(buf, sizeof(buf), "%.17g", d));
        break;
    }
    default:
        g_error("libqtest: unsupported conversion '%%%c' in '%s'", *p, fmt);
    }
    return p + 1;
}

char *qtest_json_vformat(const char *fmt, va_list ap)
{
    GString *out = g_string_new(NULL);
    char quote = 0;
    va_list copy;

    va_copy(copy, ap);
    for (const char *p = fmt; *p != '\0';) {
        char c = *p;

        if (c == '%' && p[1] == '%') {
            g_string_append_c(out, '%');
            p += 2;
        } else if (quote != 0) {
            if (c == '\\' && p[1] != '\0') {
                if (quote == '\'' && p[1] == '\'') {
                    g_string_append_c(out, '\'');
                } else {
                    g_string_append_len(out, p, 2);
                }
                p += 2;
                continue;
            }
            if (c == '%') {
                g_error("libqtest: a conversion inside quotes in '%s'; put "
                        "it outside (%%s adds the quotes)", fmt);
            }
            if (c == quote) {
                g_string_append_c(out, '"');
                quote = 0;
            } else if (c == '"') {
                g_string_append(out, "\\\"");
            } else {
                g_string_append_c(out, c);
            }
            p++;
        } else if (c == '\'' || c == '"') {
            quote = c;
            g_string_append_c(out, '"');
            p++;
        } else if (c == '%') {
            p = convert(out, fmt, p + 1, &copy);
        } else {
            g_string_append_c(out, c);
            p++;
        }
    }
    va_end(copy);
    if (quote != 0) {
        g_error("libqtest: unterminated string in '%s'", fmt);
    }
    return g_string_free(out, FALSE);
}

char *qtest_json_format(const char *fmt, ...)
{
    char *text;
    va_list ap;

    va_start(ap, fmt);
    text = qtest_json_vformat(fmt, ap);
    va_end(ap);
    return text;
}

char *qtest_json_to_string(JsonNode *node)
{
    g_autoptr(JsonGenerator) gen = json_generator_new();

    json_generator_set_root(gen, node);
    return json_generator_to_data(gen, NULL);
}

static gint compare_str_ptrs(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

char **qtest_json_strings(JsonNode *array, const char *member)
{
    GPtrArray *names = g_ptr_array_new();
    JsonArray *a;

    g_assert_true(JSON_NODE_HOLDS_ARRAY(array));
    a = json_node_get_array(array);
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *o = json_array_get_object_element(a, i);
        const char *v = o ? json_object_get_string_member_with_default(
                                o, member, NULL)
                          : NULL;
        if (v != NULL) {
            g_ptr_array_add(names, g_strdup(v));
        }
    }
    g_ptr_array_sort(names, compare_str_ptrs);
    g_ptr_array_add(names, NULL);
    return (char **)g_ptr_array_free(names, FALSE);
}

/* ---- reading messages ---- */

/*
 * Finds the end of the first JSON object in @q's input (after white
 * space): true with [*start, *end).  cgemu sends objects only; anything
 * else is a bug the test should see.
 */
static bool find_message(QTestQmp *q, size_t *start, size_t *end)
{
    const char *p = (const char *)q->in->data;
    size_t n = q->in->len, i = 0;
    unsigned depth = 0;
    bool in_str = false, esc = false;

    while (i < n && g_ascii_isspace(p[i])) {
        i++;
    }
    if (i == n) {
        g_byte_array_set_size(q->in, 0);
        return false;
    }
    if (p[i] != '{') {
        qtest_fatal(q->s, "cgemu sent something that is not a JSON object "
                    "on QMP: %.100s", p + i);
    }
    *start = i;
    for (; i < n; i++) {
        char c = p[i];
        if (in_str) {
            if (esc) {
                esc = false;
            } else if (c == '\\') {
                esc = true;
            } else if (c == '"') {
                in_str = false;
            }
        } else if (c == '"') {
            in_str = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            *end = i + 1;
            return true;
        }
    }
    return false;
}

/* The next message, or NULL once cgemu has closed the connection. */
static JsonNode *read_message(QTestQmp *q)
{
    for (;;) {
        size_t start = 0, end = 0;
        char buf[65536];
        ssize_t n;

        if (find_message(q, &start, &end)) {
            g_autoptr(JsonParser) parser = json_parser_new();
            g_autoptr(GError) err = NULL;
            JsonNode *node;

            if (!json_parser_load_from_data(
                    parser, (const char *)q->in->data + start,
                    (gssize)(end - start), &err)) {
                qtest_fatal(q->s, "cgemu sent invalid JSON on QMP (%s): "
                            "%.*s", err->message, (int)MIN(end - start, 200),
                            q->in->data + start);
            }
            node = json_node_copy(json_parser_get_root(parser));
            g_byte_array_remove_range(q->in, 0, (guint)end);
            return node;
        }
        if (q->eof) {
            return NULL;
        }
        qtest_wait_readable(q->s, q->fd, "a QMP message");
        n = recv(q->fd, buf, sizeof(buf), 0);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            q->eof = true;
            continue;
        }
        g_byte_array_append(q->in, (const guint8 *)buf, (guint)n);
    }
}

static const char *event_name(JsonNode *msg)
{
    JsonObject *o = json_node_get_object(msg);

    return json_object_get_string_member_with_default(o, "event", NULL);
}

static JsonNode *next_reply_or_null(QTestQmp *q)
{
    JsonNode *msg;

    if (!g_queue_is_empty(q->replies)) {
        return g_queue_pop_head(q->replies);
    }
    while ((msg = read_message(q)) != NULL && event_name(msg) != NULL) {
        g_queue_push_tail(q->events, msg);
    }
    return msg;
}

static QTestQmp *main_conn(QTestState *s)
{
    if (s->qmp == NULL) {
        qtest_fatal(s, "this cgemu was started without QMP (no_qmp)");
    }
    return s->qmp;
}

QTestQmp *qtest_qmp_conn_new(QTestState *s, int fd)
{
    QTestQmp *q = g_new0(QTestQmp, 1);

    q->s = s;
    q->fd = fd;
    q->in = g_byte_array_new();
    q->events = g_queue_new();
    q->replies = g_queue_new();
    return q;
}

void qtest_qmp_conn_free(QTestQmp *q)
{
    close(q->fd);
    g_queue_free_full(q->events, (GDestroyNotify)json_node_unref);
    g_queue_free_full(q->replies, (GDestroyNotify)json_node_unref);
    if (q->greeting != NULL) {
        json_node_unref(q->greeting);
    }
    g_byte_array_unref(q->in);
    g_free(q);
}

bool qtest_qmp_read_greeting(QTestQmp *q)
{
    q->greeting = read_message(q);
    if (q->greeting == NULL) {
        return false;
    }
    if (!json_object_has_member(json_node_get_object(q->greeting), "QMP")) {
        g_autofree char *t = qtest_json_to_string(q->greeting);
        qtest_fatal(q->s, "the first QMP message is not a greeting: %s", t);
    }
    return true;
}

bool qtest_qmp_handshake(QTestQmp *q)
{
    static const char caps[] = "{\"execute\": \"qmp_capabilities\"}\n";
    g_autoptr(JsonNode) reply = NULL;

    if (!qtest_qmp_read_greeting(q) ||
        !qtest_try_send_all(q->fd, caps, strlen(caps))) {
        return false;
    }
    reply = next_reply_or_null(q);
    if (reply == NULL) {
        return false;
    }
    if (!json_object_has_member(json_node_get_object(reply), "return")) {
        g_autofree char *t = qtest_json_to_string(reply);
        qtest_fatal(q->s, "qmp_capabilities failed: %s", t);
    }
    return true;
}

QTestQmp *qtest_qmp_connect(QTestState *s, const char *path)
{
    int fd = qtest_socket_connect(path);
    QTestQmp *q;

    if (fd < 0) {
        qtest_fatal(s, "cannot connect to the QMP socket %s: %s", path,
                    g_strerror(errno));
    }
    q = qtest_qmp_conn_new(s, fd);
    g_ptr_array_add(s->conns, q);
    if (!qtest_qmp_read_greeting(q)) {
        qtest_fatal(s, "cgemu closed %s without a greeting", path);
    }
    return q;
}

void qtest_qmp_disconnect(QTestQmp *q)
{
    if (q == NULL) {
        return;
    }
    g_ptr_array_remove(q->s->conns, q);
    qtest_qmp_conn_free(q);
}

JsonNode *qtest_qmp_conn_greeting(QTestQmp *q)
{
    return q->greeting;
}

JsonNode *qtest_qmp_conn_receive(QTestQmp *q)
{
    JsonNode *msg = next_reply_or_null(q);

    if (msg == NULL) {
        qtest_fatal(q->s, "cgemu closed the QMP connection while a reply "
                    "was awaited");
    }
    return msg;
}

bool qtest_qmp_conn_wait_closed(QTestQmp *q)
{
    JsonNode *msg = next_reply_or_null(q);

    if (msg == NULL) {
        return true;
    }
    g_queue_push_head(q->replies, msg);
    return false;
}

void qtest_qmp_conn_send_raw(QTestQmp *q, const void *buf, size_t len)
{
    qtest_send_all(q->s, q->fd, buf, len, "the QMP socket");
}

static void send_text(QTestQmp *q, const char *text)
{
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autoptr(GError) err = NULL;
    g_autofree char *line = NULL;

    if (!json_parser_load_from_data(parser, text, -1, &err) ||
        !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
        g_error("libqtest: the command is not one JSON object (%s): %s",
                err ? err->message : "another value", text);
    }
    line = g_strconcat(text, "\n", NULL);
    qtest_qmp_conn_send_raw(q, line, strlen(line));
}

JsonNode *qtest_qmp_conn_cmd(QTestQmp *q, const char *fmt, ...)
{
    g_autofree char *text = NULL;
    va_list ap;

    va_start(ap, fmt);
    text = qtest_json_vformat(fmt, ap);
    va_end(ap);
    send_text(q, text);
    return qtest_qmp_conn_receive(q);
}

JsonNode *qtest_qmp_receive(QTestState *s)
{
    return qtest_qmp_conn_receive(main_conn(s));
}

bool qtest_qmp_wait_closed(QTestState *s)
{
    return qtest_qmp_conn_wait_closed(main_conn(s));
}

void qtest_qmp_send_raw(QTestState *s, const void *buf, size_t len)
{
    qtest_qmp_conn_send_raw(main_conn(s), buf, len);
}

void qtest_qmp_send(QTestState *s, const char *fmt, ...)
{
    g_autofree char *text = NULL;
    va_list ap;

    va_start(ap, fmt);
    text = qtest_json_vformat(fmt, ap);
    va_end(ap);
    send_text(main_conn(s), text);
}

JsonNode *qtest_vqmp(QTestState *s, const char *fmt, va_list ap)
{
    g_autofree char *text = qtest_json_vformat(fmt, ap);

    send_text(main_conn(s), text);
    return qtest_qmp_receive(s);
}

JsonNode *qtest_qmp(QTestState *s, const char *fmt, ...)
{
    JsonNode *reply;
    va_list ap;

    va_start(ap, fmt);
    reply = qtest_vqmp(s, fmt, ap);
    va_end(ap);
    return reply;
}

JsonNode *qtest_qmp_node(QTestState *s, JsonNode *cmd)
{
    g_autofree char *text = qtest_json_to_string(cmd);

    send_text(main_conn(s), text);
    return qtest_qmp_receive(s);
}

/* A failed expectation: fails the test (fatally unless the test asked
 * for non-fatal assertions) with @reply in the message. */
static void reply_mismatch(const char *what, JsonNode *reply)
{
    g_autofree char *text = qtest_json_to_string(reply);
    g_autofree char *msg = g_strdup_printf("expected %s, got %s", what,
                                           text);

    g_assertion_message(G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, msg);
}

JsonNode *qtest_reply_return(JsonNode *reply)
{
    JsonObject *o = json_node_get_object(reply);
    JsonNode *ret = json_object_get_member(o, "return");

    if (ret == NULL) {
        reply_mismatch("a successful reply", reply);
        return json_node_new(JSON_NODE_NULL);
    }
    return json_node_copy(ret);
}

char *qtest_reply_error(JsonNode *reply, const char *klass)
{
    g_autofree char *what = g_strdup_printf("an error of class %s",
                                            klass ? klass : "any");
    JsonObject *o = json_node_get_object(reply);
    JsonNode *enode = json_object_get_member(o, "error");
    JsonObject *e = enode && JSON_NODE_HOLDS_OBJECT(enode)
                        ? json_node_get_object(enode)
                        : NULL;
    const char *cls, *desc;

    cls = e ? json_object_get_string_member_with_default(e, "class", NULL)
            : NULL;
    desc = e ? json_object_get_string_member_with_default(e, "desc", NULL)
             : NULL;
    if (cls == NULL || desc == NULL ||
        (klass != NULL && strcmp(cls, klass) != 0)) {
        reply_mismatch(what, reply);
        return g_strdup("");
    }
    return g_strdup(desc);
}

JsonNode *qtest_qmp_assert_success_ref(QTestState *s, const char *fmt, ...)
{
    g_autoptr(JsonNode) reply = NULL;
    va_list ap;

    va_start(ap, fmt);
    reply = qtest_vqmp(s, fmt, ap);
    va_end(ap);
    return qtest_reply_return(reply);
}

void qtest_qmp_assert_success(QTestState *s, const char *fmt, ...)
{
    g_autoptr(JsonNode) reply = NULL;
    va_list ap;

    va_start(ap, fmt);
    reply = qtest_vqmp(s, fmt, ap);
    va_end(ap);
    json_node_unref(qtest_reply_return(reply));
}

char *qtest_qmp_assert_error(QTestState *s, const char *klass,
                             const char *fmt, ...)
{
    g_autoptr(JsonNode) reply = NULL;
    va_list ap;

    va_start(ap, fmt);
    reply = qtest_vqmp(s, fmt, ap);
    va_end(ap);
    return qtest_reply_error(reply, klass);
}

JsonNode *qtest_qmp_greeting(QTestState *s)
{
    return main_conn(s)->greeting;
}

static JsonNode *take_event(QTestQmp *q, const char *name)
{
    for (GList *l = q->events->head; l != NULL; l = l->next) {
        if (g_strcmp0(event_name(l->data), name) == 0) {
            JsonNode *ev = l->data;
            g_queue_delete_link(q->events, l);
            return ev;
        }
    }
    return NULL;
}

JsonNode *qtest_qmp_event_ref(QTestState *s, const char *name)
{
    return take_event(main_conn(s), name);
}

JsonNode *qtest_qmp_eventwait_ref(QTestState *s, const char *name)
{
    QTestQmp *q = main_conn(s);
    JsonNode *msg;

    if ((msg = take_event(q, name)) != NULL) {
        return msg;
    }
    while ((msg = read_message(q)) != NULL) {
        const char *ev = event_name(msg);
        if (ev == NULL) {
            g_queue_push_tail(q->replies, msg);
        } else if (strcmp(ev, name) == 0) {
            return msg;
        } else {
            g_queue_push_tail(q->events, msg);
        }
    }
    qtest_fatal(s, "cgemu closed the QMP connection while event %s was "
                "awaited", name);
}

void qtest_qmp_eventwait(QTestState *s, const char *name)
{
    json_node_unref(qtest_qmp_eventwait_ref(s, name));
}
