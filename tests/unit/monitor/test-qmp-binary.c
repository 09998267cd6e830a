/* Binary tests: QMP of cgemu-system-x86_64 over real sockets and stdio. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* How long a read may block before the test gives up (a hang, not a
 * timing assertion). */
#define IO_TIMEOUT_SEC 60

typedef struct {
    char *dir;
    GSubprocess *proc;
    GDataInputStream *out;     /* the child's stdout */
    GOutputStream *in;         /* the child's stdin */
} Child;

/* The child dies with the test, whatever way the test ends. */
static void child_setup(gpointer data)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
}

static Child *child_new(void)
{
    Child *c = g_new0(Child, 1);
    g_autoptr(GError) err = NULL;

    c->dir = g_dir_make_tmp("cgemu-qmp-XXXXXX", &err);
    g_assert_no_error(err);
    return c;
}

/* Starts the binary with @args (NULL-terminated), stdin and stdout piped;
 * @fd (if >= 0) becomes the child's fd 3. */
static void child_spawn(Child *c, const char *const *args, int fd)
{
    g_autoptr(GSubprocessLauncher) l = g_subprocess_launcher_new(
        G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    g_autoptr(GError) err = NULL;
    const char *bin = g_getenv("CGEMU_X86_64");

    g_assert_nonnull(bin);
    g_ptr_array_add(argv, (gpointer)bin);
    for (const char *const *a = args; *a; a++) {
        g_ptr_array_add(argv, (gpointer)*a);
    }
    g_ptr_array_add(argv, NULL);
    g_subprocess_launcher_set_child_setup(l, child_setup, NULL, NULL);
    if (fd >= 0) {
        g_subprocess_launcher_take_fd(l, fd, 3);
    }
    c->proc = g_subprocess_launcher_spawnv(
        l, (const char *const *)argv->pdata, &err);
    g_assert_no_error(err);
    c->out = g_data_input_stream_new(g_subprocess_get_stdout_pipe(c->proc));
    c->in = g_subprocess_get_stdin_pipe(c->proc);
}

static void child_free(Child *c)
{
    if (c->proc != NULL) {
        g_subprocess_force_exit(c->proc);
        g_subprocess_wait(c->proc, NULL, NULL);
        g_object_unref(c->proc);
    }
    g_clear_object(&c->out);
    if (c->dir != NULL) {
        g_autoptr(GDir) d = g_dir_open(c->dir, 0, NULL);
        const char *name;
        while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
            g_autofree char *p = g_build_filename(c->dir, name, NULL);
            g_unlink(p);
        }
        g_rmdir(c->dir);
        g_free(c->dir);
    }
    g_free(c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Child, child_free)

/* --- a QMP connection ---------------------------------------------------- */

typedef struct {
    GSocketConnection *conn;
    GDataInputStream *in;
    GOutputStream *out;
} Qmp;

static Qmp *qmp_connect(const char *path)
{
    g_autoptr(GSocketClient) client = g_socket_client_new();
    g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(path);
    g_autoptr(GError) err = NULL;
    Qmp *q = g_new0(Qmp, 1);

    q->conn = g_socket_client_connect(client, G_SOCKET_CONNECTABLE(addr),
                                      NULL, &err);
    g_assert_no_error(err);
    g_socket_set_timeout(g_socket_connection_get_socket(q->conn),
                         IO_TIMEOUT_SEC);
    q->in = g_data_input_stream_new(
        g_io_stream_get_input_stream(G_IO_STREAM(q->conn)));
    q->out = g_io_stream_get_output_stream(G_IO_STREAM(q->conn));
    return q;
}

static void qmp_close(Qmp *q)
{
    g_object_unref(q->in);
    g_io_stream_close(G_IO_STREAM(q->conn), NULL, NULL);
    g_object_unref(q->conn);
    g_free(q);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Qmp, qmp_close)

static void send_all(GOutputStream *out, const void *buf, size_t len)
{
    g_autoptr(GError) err = NULL;

    g_output_stream_write_all(out, buf, len, NULL, NULL, &err);
    g_assert_no_error(err);
}

/* One compact message (a line ending in "\r\n"), without the "\r";
 * NULL at end of file. */
static char *read_line(GDataInputStream *in)
{
    g_autoptr(GError) err = NULL;
    char *line = g_data_input_stream_read_line(in, NULL, NULL, &err);

    g_assert_no_error(err);
    if (line != NULL) {
        g_assert_true(g_str_has_suffix(line, "\r"));
        line[strlen(line) - 1] = '\0';
    }
    return line;
}

/* One pretty message: lines up to a "}" at the left margin. */
static char *read_pretty(GDataInputStream *in)
{
    g_autoptr(GString) msg = g_string_new(NULL);

    for (;;) {
        g_autofree char *line = read_line(in);
        g_assert_nonnull(line);
        g_string_append_printf(msg, "%s\n", line);
        if (!strcmp(line, "}")) {
            return g_string_free(g_steal_pointer(&msg), FALSE);
        }
    }
}

/* The message with its timestamp replaced by "T". */
static char *masked(char *line)
{
    g_autoptr(GRegex) re = g_regex_new(
        "^\\{\"timestamp\": \\{\"seconds\": [0-9]+, \"microseconds\": "
        "[0-9]+\\}", 0, 0, NULL);
    char *out = g_regex_replace(re, line, -1, 0, "{\"timestamp\": T", 0,
                                NULL);

    g_free(line);
    return out;
}

static void expect_line(GDataInputStream *in, const char *want)
{
    g_autofree char *got = masked(read_line(in));

    g_assert_cmpstr(got, ==, want);
}

static const char *const greeting =
    "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, "
    "\"major\": 7}, \"package\": \"cgemu-";

static void expect_greeting(GDataInputStream *in)
{
    g_autofree char *got = read_line(in);

    g_assert_nonnull(got);
    g_assert_true(g_str_has_prefix(got, greeting));
    g_assert_true(g_str_has_suffix(got, "\"capabilities\": []}}"));
}

static void send_str(GOutputStream *out, const char *s)
{
    send_all(out, s, strlen(s));
}

/* --- tests -------------------------------------------------------------- */

/*
 * -qmp unix:PATH,server=on,wait=off and -qmp stdio at once: both greet,
 * events go to both, quit ends the process with status 0.  The unix
 * socket is created before the stdio monitor greets, so the greeting on
 * stdout says the socket is ready: no polling.
 */
static void test_unix_and_stdio(void)
{
    g_autoptr(Child) c = child_new();
    g_autofree char *sock = g_build_filename(c->dir, "qmp.sock", NULL);
    g_autofree char *spec = g_strdup_printf("unix:%s,server=on,wait=off",
                                            sock);
    const char *args[] = { "-M", "pc", "-accel", "qtest", "-S",
                           "-nodefaults", "-qmp", spec, "-qmp", "stdio",
                           NULL };
    g_autoptr(Qmp) q = NULL;
    g_autoptr(GError) err = NULL;

    child_spawn(c, args, -1);
    expect_greeting(c->out);
    q = qmp_connect(sock);
    expect_greeting(q->in);

    send_str(q->out, "{\"execute\": \"qmp_capabilities\"}");
    expect_line(q->in, "{\"return\": {}}");
    send_str(c->in, "{\"execute\": \"qmp_capabilities\", \"id\": \"s\"}\n");
    expect_line(c->out, "{\"return\": {}, \"id\": \"s\"}");

    send_str(q->out, "{\"execute\": \"query-status\"}");
    expect_line(q->in, "{\"return\": {\"status\": \"prelaunch\", "
                       "\"singlestep\": false, \"running\": false}}");
    send_str(q->out, "{\"execute\": \"cont\"}");
    expect_line(q->in, "{\"timestamp\": T, \"event\": \"RESUME\"}");
    expect_line(q->in, "{\"return\": {}}");
    expect_line(c->out, "{\"timestamp\": T, \"event\": \"RESUME\"}");
    send_str(c->in, "{\"execute\": \"query-status\"}");
    expect_line(c->out, "{\"return\": {\"status\": \"running\", "
                        "\"singlestep\": false, \"running\": true}}");

    send_str(c->in, "{\"execute\": \"quit\"}");
    expect_line(c->out, "{\"timestamp\": T, \"event\": \"SHUTDOWN\", "
                        "\"data\": {\"guest\": false, \"reason\": "
                        "\"host-qmp-quit\"}}");
    expect_line(c->out, "{\"return\": {}}");
    expect_line(q->in, "{\"timestamp\": T, \"event\": \"SHUTDOWN\", "
                       "\"data\": {\"guest\": false, \"reason\": "
                       "\"host-qmp-quit\"}}");
    g_assert_null(read_line(q->in));
    g_subprocess_wait(c->proc, NULL, &err);
    g_assert_no_error(err);
    g_assert_true(g_subprocess_get_if_exited(c->proc));
    g_assert_cmpint(g_subprocess_get_exit_status(c->proc), ==, 0);
}

/* A listening socket made by the test (as libvirt does). */
static int listen_socket(const char *path)
{
    g_autoptr(GSocket) s = NULL;
    g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(path);
    g_autoptr(GError) err = NULL;

    s = g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM,
                     G_SOCKET_PROTOCOL_DEFAULT, &err);
    g_assert_no_error(err);
    g_socket_bind(s, addr, TRUE, &err);
    g_assert_no_error(err);
    g_socket_listen(s, &err);
    g_assert_no_error(err);
    return dup(g_socket_get_fd(s));
}

static void negotiate_pretty(Qmp *q)
{
    g_autofree char *g = read_pretty(q->in);
    g_autofree char *r = NULL;

    g_assert_true(g_str_has_prefix(g, "{\n    \"QMP\": {\n        "
                                      "\"version\": {\n"));
    send_str(q->out, "{\"execute\": \"qmp_capabilities\"}");
    r = read_pretty(q->in);
    g_assert_cmpstr(r, ==, "{\n    \"return\": {\n    }\n}\n");
}

/*
 * -chardev socket,fd=N,server=on -mon ...,pretty=on: an inherited
 * listening socket.  A 64 MiB command gets one error and the monitor
 * goes on; a client that leaves in the middle of a command leaves the
 * server ready for the next.
 */
static void test_inherited_fd(void)
{
    g_autoptr(Child) c = child_new();
    g_autofree char *sock = g_build_filename(c->dir, "mon.sock", NULL);
    const char *args[] = { "-M", "pc", "-accel", "qtest", "-S",
                           "-nodefaults", "-chardev",
                           "socket,id=mon0,fd=3,server=on,wait=off", "-mon",
                           "chardev=mon0,mode=control,pretty=on", NULL };
    g_autoptr(GString) big = g_string_new(
        "{\"execute\": \"query-status\", \"arguments\": {\"x\": \"");
    g_autofree char *e = NULL;
    g_autofree char *r = NULL;
    Qmp *q;

    child_spawn(c, args, listen_socket(sock));
    q = qmp_connect(sock);
    negotiate_pretty(q);

    while (big->len < 64 * 1024 * 1024) {
        g_string_append(big, "0123456789abcdef0123456789abcdef");
    }
    g_string_append(big, "\"}}\n");
    send_all(q->out, big->str, big->len);
    e = read_pretty(q->in);
    g_assert_cmpstr(e, ==,
                    "{\n    \"error\": {\n        \"class\": "
                    "\"GenericError\",\n        \"desc\": \"JSON parse "
                    "error, the value is larger than 1048576 bytes, the "
                    "limit of one QMP command; it was discarded\"\n    }\n"
                    "}\n");
    send_str(q->out, "{\"execute\": \"query-name\"}");
    r = read_pretty(q->in);
    g_assert_cmpstr(r, ==, "{\n    \"return\": {\n    }\n}\n");

    /* Leave mid-command; the next client is greeted afresh. */
    send_str(q->out, "{\"execute\": \"qmp_capabil");
    qmp_close(q);
    q = qmp_connect(sock);
    negotiate_pretty(q);
    qmp_close(q);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    /* A write to a child that died must fail, not kill the test. */
    signal(SIGPIPE, SIG_IGN);
    g_test_add_func("/qmp/binary/unix-and-stdio", test_unix_and_stdio);
    g_test_add_func("/qmp/binary/inherited-fd", test_inherited_fd);
    return g_test_run();
}
