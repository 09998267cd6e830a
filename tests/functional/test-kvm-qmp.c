/* test-kvm-qmp.c: KVM guests driven from outside: QMP and the serial line. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The test guest runs without isa-debug-exit, so it halts for good after
 * its report and the VM stays up.  Over QMP the test starts it (-S, cont),
 * pauses and resumes it, resets it (a second report must follow, with
 * both CPUs online again) and quits; each step is checked by its reply,
 * its event, query-status and the guest's serial output.  Waits are for
 * conditions (a reply, an event, a line of output), bounded by a guard.
 * A second test types a line into the guest's serial port through a
 * socket chardev, more than its FIFO holds at once, and reads it back.
 * The environment is in cgemu-test.h.
 */
#include <gio/gio.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "cgemu-test.h"

#define GUARD_US (60 * G_USEC_PER_SEC)

/* The emulator's serial output, collected by a thread. */
typedef struct Output {
    GMutex lock;
    GCond cond;
    GString *text;
    gboolean eof;
    GInputStream *in;
    GThread *thread;
} Output;

typedef struct Vm {
    GSubprocess *proc;
    Output out;
    char *dir;
    char *sock;
    GSocketConnection *conn;
    GDataInputStream *qin;
    GOutputStream *qout;
    GPtrArray *events;          /* JsonNode *, in arrival order */
} Vm;

static gpointer output_thread(gpointer opaque)
{
    Output *o = opaque;
    char buf[4096];
    gssize n;

    while ((n = g_input_stream_read(o->in, buf, sizeof(buf), NULL, NULL)) >
           0) {
        g_mutex_lock(&o->lock);
        g_string_append_len(o->text, buf, n);
        g_cond_broadcast(&o->cond);
        g_mutex_unlock(&o->lock);
    }
    g_mutex_lock(&o->lock);
    o->eof = TRUE;
    g_cond_broadcast(&o->cond);
    g_mutex_unlock(&o->lock);
    return NULL;
}

/* Reports whose last line ("report.end=N") has fully arrived. */
static guint reports_in(const char *text)
{
    guint n = 0;

    for (const char *p = strstr(text, "\nreport.end="); p;
         p = strstr(p + 1, "\nreport.end=")) {
        n += strchr(p + 1, '\n') != NULL;
    }
    return n;
}

/* Waits until the output holds @n complete reports; returns a copy. */
static char *wait_reports(Vm *vm, guint n)
{
    Output *o = &vm->out;
    gint64 deadline = g_get_monotonic_time() + GUARD_US;
    char *copy;

    g_mutex_lock(&o->lock);
    while (reports_in(o->text->str) < n && !o->eof) {
        if (!g_cond_wait_until(&o->cond, &o->lock, deadline)) {
            break;
        }
    }
    copy = g_strdup(o->text->str);
    g_mutex_unlock(&o->lock);
    if (reports_in(copy) < n) {
        g_test_message("output so far:\n%s", copy);
        g_error("the guest did not print report %u", n);
    }
    return copy;
}

static JsonNode *qmp_read(Vm *vm)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(JsonParser) parser = json_parser_new();
    g_autofree char *line =
        g_data_input_stream_read_line(vm->qin, NULL, NULL, &err);

    g_assert_no_error(err);
    g_assert_nonnull(line);
    json_parser_load_from_data(parser, line, -1, &err);
    g_assert_no_error(err);
    return json_node_copy(json_parser_get_root(parser));
}

/* Sends @cmd and returns its reply; events on the way are kept. */
static JsonNode *qmp(Vm *vm, const char *cmd)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *text = g_strdup_printf("%s\n", cmd);

    g_output_stream_write_all(vm->qout, text, strlen(text), NULL, NULL,
                              &err);
    g_assert_no_error(err);
    for (;;) {
        JsonNode *n = qmp_read(vm);
        JsonObject *o = json_node_get_object(n);

        if (json_object_has_member(o, "event")) {
            g_ptr_array_add(vm->events, n);
            continue;
        }
        return n;
    }
}

static void qmp_ok(Vm *vm, const char *cmd)
{
    g_autoptr(JsonNode) r = qmp(vm, cmd);
    JsonObject *o = json_node_get_object(r);

    if (!json_object_has_member(o, "return")) {
        g_autofree char *s = json_to_string(r, FALSE);
        g_error("%s failed: %s", cmd, s);
    }
}

/* The next event of that name (possibly already received). */
static void wait_event(Vm *vm, const char *name)
{
    for (;;) {
        for (guint i = 0; i < vm->events->len; i++) {
            JsonObject *o = json_node_get_object(
                g_ptr_array_index(vm->events, i));

            if (g_str_equal(json_object_get_string_member(o, "event"),
                            name)) {
                g_ptr_array_remove_index(vm->events, i);
                return;
            }
        }
        g_ptr_array_add(vm->events, qmp_read(vm));
    }
}

static void expect_status_is(Vm *vm, const char *status, gboolean running)
{
    g_autoptr(JsonNode) r = qmp(vm, "{\"execute\":\"query-status\"}");
    JsonObject *ret = json_object_get_object_member(json_node_get_object(r),
                                                    "return");

    g_assert_cmpstr(json_object_get_string_member(ret, "status"), ==,
                    status);
    g_assert_cmpint(json_object_get_boolean_member(ret, "running"), ==,
                    running);
}

/* Starts the guest (smp=2); @disk: a raw image for a virtio-blk disk
 * the guest writes sector 1 of, or NULL. */
static void vm_start_with(Vm *vm, const CgemuEnv *env, gboolean paused,
                          const char *disk)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GSocketClient) client = g_socket_client_new();
    g_autoptr(GSocketAddress) addr = NULL;
    g_autoptr(JsonNode) greeting = NULL;
    gint64 deadline = g_get_monotonic_time() + GUARD_US;

    memset(vm, 0, sizeof(*vm));
    vm->dir = g_dir_make_tmp("cgemu-qmp-XXXXXX", &err);
    g_assert_no_error(err);
    vm->sock = g_build_filename(vm->dir, "qmp.sock", NULL);
    vm->events = g_ptr_array_new_with_free_func(
        (GDestroyNotify)json_node_unref);
    g_ptr_array_add(argv, g_strdup(env->cgemu));
    add_args(argv, ARGS("-machine", "pc", "-m", "128", "-smp", "2",
                        "-nodefaults", "-serial", "stdio", "-kernel",
                        env->guest, "-append",
                        disk ? "smp=2 blk-write=1" : "smp=2"));
    if (disk != NULL) {
        g_autofree char *file = g_strdup_printf(
            "driver=file,filename=%s,node-name=f0", disk);
        add_args(argv, ARGS("-blockdev", file, "-blockdev",
                            "driver=raw,file=f0,node-name=d0", "-device",
                            "virtio-blk-pci,drive=d0,id=disk0"));
    }
    g_ptr_array_add(argv, g_strdup("-qmp"));
    g_ptr_array_add(argv, g_strdup_printf("unix:%s,server=on,wait=off",
                                          vm->sock));
    if (paused) {
        g_ptr_array_add(argv, g_strdup("-S"));
    }
    g_ptr_array_add(argv, NULL);
    vm->proc = g_subprocess_newv((const char *const *)argv->pdata,
                                 G_SUBPROCESS_FLAGS_STDOUT_PIPE, &err);
    g_assert_no_error(err);
    g_mutex_init(&vm->out.lock);
    g_cond_init(&vm->out.cond);
    vm->out.text = g_string_new(NULL);
    vm->out.in = g_subprocess_get_stdout_pipe(vm->proc);
    vm->out.thread = g_thread_new("output", output_thread, &vm->out);

    /* The socket exists once the emulator has parsed its options. */
    addr = g_unix_socket_address_new(vm->sock);
    while ((vm->conn = g_socket_client_connect(
                client, G_SOCKET_CONNECTABLE(addr), NULL, NULL)) == NULL) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        g_assert_false(vm->out.eof);
        g_usleep(1000);
    }
    vm->qin = g_data_input_stream_new(
        g_io_stream_get_input_stream(G_IO_STREAM(vm->conn)));
    vm->qout = g_io_stream_get_output_stream(G_IO_STREAM(vm->conn));
    greeting = qmp_read(vm);
    g_assert_true(json_object_has_member(json_node_get_object(greeting),
                                         "QMP"));
    qmp_ok(vm, "{\"execute\":\"qmp_capabilities\"}");
}

static void vm_start(Vm *vm, const CgemuEnv *env, gboolean paused)
{
    vm_start_with(vm, env, paused, NULL);
}

/* The emulator must have ended by itself with @status. */
static void vm_end(Vm *vm, int status)
{
    g_autoptr(GError) err = NULL;

    g_subprocess_wait(vm->proc, NULL, &err);
    g_assert_no_error(err);
    g_thread_join(vm->out.thread);
    g_assert_true(g_subprocess_get_if_exited(vm->proc));
    g_assert_cmpint(g_subprocess_get_exit_status(vm->proc), ==, status);
    g_object_unref(vm->qin);
    g_object_unref(vm->conn);
    g_object_unref(vm->proc);
    g_ptr_array_unref(vm->events);
    g_string_free(vm->out.text, TRUE);
    g_mutex_clear(&vm->out.lock);
    g_cond_clear(&vm->out.cond);
    g_unlink(vm->sock);
    g_rmdir(vm->dir);
    g_free(vm->sock);
    g_free(vm->dir);
}

/* The report that ends as report number @n (from 1) of @text. */
static GuestReport *report_n(const char *text, guint n)
{
    const char *p = text;
    g_autoptr(GError) err = NULL;
    GuestReport *r;

    for (guint i = 1; i < n; i++) {
        p = strstr(p, "\nreport.end=");
        g_assert_nonnull(p);
        p++;
    }
    r = guest_report_parse(p, &err);
    g_assert_no_error(err);
    return r;
}

static void expect_smp2_pass(const GuestReport *r)
{
    assert_kv(r, "result", "pass");
    assert_kv(r, "cpus.online", "2");
}

/* Counter @name of the "stats" of @o. */
static gint64 stat_of(JsonObject *o, const char *name)
{
    return json_object_get_int_member(json_object_get_object_member(o,
                                                                    "stats"),
                                      name);
}

/*
 * query-blockstats after the guest read sector 0 and wrote and read back
 * sector 1 (blk-write=1): the device's counters and the file node's.
 */
static void test_blockstats(gconstpointer data)
{
    const CgemuEnv *env = data;
    g_autofree char *dir = g_dir_make_tmp("cgemu-blk-XXXXXX", NULL);
    g_autofree char *disk = g_build_filename(dir, "disk.img", NULL);
    g_autofree char *zeros = g_malloc0(1 << 20);
    g_autofree char *out = NULL;
    g_autoptr(JsonNode) r = NULL;
    g_autoptr(JsonNode) nodes = NULL;
    JsonArray *list;
    JsonObject *dev, *parent;
    Vm vm;

    if (!env->kvm) {
        g_test_skip(env->no_kvm_reason);
        return;
    }
    g_assert_true(g_file_set_contents(disk, zeros, 1 << 20, NULL));
    vm_start_with(&vm, env, FALSE, disk);
    out = wait_reports(&vm, 1);
    g_assert_nonnull(strstr(out, "virtio.0.blk.write=ok"));
    r = qmp(&vm, "{\"execute\":\"query-blockstats\"}");
    list = json_object_get_array_member(json_node_get_object(r), "return");
    g_assert_cmpuint(json_array_get_length(list), ==, 1);
    dev = json_array_get_object_element(list, 0);
    g_assert_cmpstr(json_object_get_string_member(dev, "qdev"), ==,
                    "/machine/peripheral/disk0/virtio-backend");
    g_assert_cmpstr(json_object_get_string_member(dev, "node-name"), ==,
                    "d0");
    /* sector 0 read (GET_ID is not I/O), sector 1 written, read back */
    g_assert_cmpint(stat_of(dev, "wr_operations"), ==, 1);
    g_assert_cmpint(stat_of(dev, "wr_bytes"), ==, 512);
    g_assert_cmpint(stat_of(dev, "wr_highest_offset"), ==, 1024);
    g_assert_cmpint(stat_of(dev, "rd_operations"), ==, 2);
    g_assert_cmpint(stat_of(dev, "rd_bytes"), ==, 1024);
    g_assert_cmpint(stat_of(dev, "failed_wr_operations"), ==, 0);
    parent = json_object_get_object_member(dev, "parent");
    g_assert_cmpstr(json_object_get_string_member(parent, "node-name"), ==,
                    "f0");
    g_assert_cmpint(stat_of(parent, "wr_bytes"), ==, 512);
    nodes = qmp(&vm, "{\"execute\":\"query-blockstats\",\"arguments\":"
                     "{\"query-nodes\":true}}");
    list = json_object_get_array_member(json_node_get_object(nodes),
                                        "return");
    g_assert_cmpuint(json_array_get_length(list), ==, 2);
    qmp_ok(&vm, "{\"execute\":\"quit\"}");
    vm_end(&vm, 0);
    g_unlink(disk);
    g_rmdir(dir);
}

static void test_lifecycle(gconstpointer data)
{
    const CgemuEnv *env = data;
    Vm vm;
    g_autofree char *out1 = NULL;
    g_autofree char *out2 = NULL;
    g_autoptr(GuestReport) r1 = NULL;
    g_autoptr(GuestReport) r2 = NULL;

    if (!env->kvm) {
        g_test_skip(env->no_kvm_reason);
        return;
    }
    vm_start(&vm, env, TRUE);
    /* -S: nothing has run */
    expect_status_is(&vm, "prelaunch", FALSE);
    g_mutex_lock(&vm.out.lock);
    g_assert_cmpstr(vm.out.text->str, ==, "");
    g_mutex_unlock(&vm.out.lock);

    qmp_ok(&vm, "{\"execute\":\"cont\"}");
    wait_event(&vm, "RESUME");
    out1 = wait_reports(&vm, 1);
    r1 = report_n(out1, 1);
    expect_smp2_pass(r1);
    expect_status_is(&vm, "running", TRUE);

    /* Each vCPU runs on a thread of its own, which QMP names. */
    {
        g_autoptr(JsonNode) r = qmp(&vm, "{\"execute\":\"query-cpus-fast\"}");
        JsonArray *cpus = json_object_get_array_member(
            json_node_get_object(r), "return");
        gint64 pid = atoll(g_subprocess_get_identifier(vm.proc));
        gint64 t0, t1;

        g_assert_cmpuint(json_array_get_length(cpus), ==, 2);
        t0 = json_object_get_int_member(json_array_get_object_element(cpus, 0),
                                        "thread-id");
        t1 = json_object_get_int_member(json_array_get_object_element(cpus, 1),
                                        "thread-id");
        g_assert_cmpint(t0, >, 0);
        g_assert_cmpint(t0, !=, pid);
        g_assert_cmpint(t1, !=, pid);
        g_assert_cmpint(t0, !=, t1);
    }

    /* both vCPUs halted in the guest: stop must still reach them */
    qmp_ok(&vm, "{\"execute\":\"stop\"}");
    wait_event(&vm, "STOP");
    expect_status_is(&vm, "paused", FALSE);
    qmp_ok(&vm, "{\"execute\":\"cont\"}");
    wait_event(&vm, "RESUME");
    expect_status_is(&vm, "running", TRUE);

    /* a reset boots the guest again: the APs answer SIPIs again */
    qmp_ok(&vm, "{\"execute\":\"system_reset\"}");
    wait_event(&vm, "RESET");
    out2 = wait_reports(&vm, 2);
    r2 = report_n(out2, 2);
    expect_smp2_pass(r2);
    assert_kv(r2, "boot.start-info", "ok");
    expect_status_is(&vm, "running", TRUE);

    qmp_ok(&vm, "{\"execute\":\"quit\"}");
    wait_event(&vm, "SHUTDOWN");
    vm_end(&vm, 0);
}

/* A reset while paused leaves it paused; cont then boots afresh. */
static void test_reset_paused(gconstpointer data)
{
    const CgemuEnv *env = data;
    Vm vm;
    g_autofree char *out = NULL;
    g_autoptr(GuestReport) r = NULL;

    if (!env->kvm) {
        g_test_skip(env->no_kvm_reason);
        return;
    }
    vm_start(&vm, env, FALSE);
    g_free(wait_reports(&vm, 1));
    qmp_ok(&vm, "{\"execute\":\"stop\"}");
    wait_event(&vm, "STOP");
    qmp_ok(&vm, "{\"execute\":\"system_reset\"}");
    wait_event(&vm, "RESET");
    expect_status_is(&vm, "paused", FALSE);
    g_mutex_lock(&vm.out.lock);
    g_assert_cmpuint(reports_in(vm.out.text->str), ==, 1);
    g_mutex_unlock(&vm.out.lock);
    qmp_ok(&vm, "{\"execute\":\"cont\"}");
    out = wait_reports(&vm, 2);
    r = report_n(out, 2);
    expect_smp2_pass(r);
    qmp_ok(&vm, "{\"execute\":\"quit\"}");
    vm_end(&vm, 0);
}

/* Connects to a unix socket the emulator is about to create. */
static GSocketConnection *connect_when_ready(const char *path,
                                             GSubprocess *proc)
{
    g_autoptr(GSocketClient) client = g_socket_client_new();
    g_autoptr(GSocketAddress) addr = g_unix_socket_address_new(path);
    gint64 deadline = g_get_monotonic_time() + GUARD_US;
    GSocketConnection *conn;

    while ((conn = g_socket_client_connect(client,
                                           G_SOCKET_CONNECTABLE(addr), NULL,
                                           NULL)) == NULL) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        /* still running: NULL once it has ended */
        g_assert_nonnull(g_subprocess_get_identifier(proc));
        g_usleep(1000);
    }
    return conn;
}

static char *read_line(GDataInputStream *in)
{
    g_autoptr(GError) err = NULL;
    char *line = g_data_input_stream_read_line(in, NULL, NULL, &err);

    g_assert_no_error(err);
    g_assert_nonnull(line);
    return line;
}

/*
 * The bzImage with 'E' echoes a line received on COM1.  The line is
 * longer than the UART's 16-byte FIFO, so input must pause while the
 * FIFO is full and resume as the guest reads.
 */
static void test_serial_echo(gconstpointer data)
{
    const CgemuEnv *env = data;
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = NULL;
    g_autofree char *sock = NULL;
    g_autofree char *chardev = NULL;
    g_autofree char *want = NULL;
    g_autoptr(GSubprocess) proc = NULL;
    g_autoptr(GSocketConnection) conn = NULL;
    g_autoptr(GDataInputStream) in = NULL;
    GString *line = g_string_new(NULL);
    g_autofree char *text = NULL;
    guint lines = 0;

    if (!env->kvm) {
        g_test_skip(env->no_kvm_reason);
        return;
    }
    dir = g_dir_make_tmp("cgemu-serial-XXXXXX", &err);
    g_assert_no_error(err);
    sock = g_build_filename(dir, "com1.sock", NULL);
    chardev = g_strdup_printf("socket,id=com1,path=%s,server=on,wait=off",
                              sock);
    proc = g_subprocess_new(G_SUBPROCESS_FLAGS_NONE, &err, env->cgemu,
                            "-machine", "pc", "-m", "128", "-nodefaults",
                            "-chardev", chardev, "-serial", "chardev:com1",
                            "-device",
                            "isa-debug-exit,iobase=0xf4,iosize=0x04",
                            "-kernel", env->bz64, "-append", "E", NULL);
    g_assert_no_error(err);
    conn = connect_when_ready(sock, proc);
    in = g_data_input_stream_new(
        g_io_stream_get_input_stream(G_IO_STREAM(conn)));
    /* the report first: the guest starts listening after it */
    for (;;) {
        g_autofree char *l = read_line(in);

        lines++;
        if (g_str_equal(l, "report.end=8")) {
            break;
        }
        g_assert_cmpuint(lines, <, 20);
    }
    for (int i = 0; i < 10; i++) {
        g_string_append_printf(line, "line-%d-of-the-echo-test ", i);
    }
    want = g_strdup_printf("echo=%s", line->str);
    g_string_append_c(line, '\n');
    g_output_stream_write_all(
        g_io_stream_get_output_stream(G_IO_STREAM(conn)), line->str,
        line->len, NULL, NULL, &err);
    g_assert_no_error(err);
    text = read_line(in);
    g_assert_cmpstr(text, ==, want);
    g_subprocess_wait(proc, NULL, &err);
    g_assert_no_error(err);
    g_assert_true(g_subprocess_get_if_exited(proc));
    g_assert_cmpint(g_subprocess_get_exit_status(proc), ==, EXIT_PASS);
    g_string_free(line, TRUE);
    g_unlink(sock);
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    CgemuEnv env;
    int ret;

    g_test_init(&argc, &argv, NULL);
    if (!cgemu_env_init(&env, argv[0])) {
        return 1;
    }
    g_test_add_data_func("/kvm-qmp/lifecycle", &env, test_lifecycle);
    g_test_add_data_func("/kvm-qmp/blockstats", &env, test_blockstats);
    g_test_add_data_func("/kvm-qmp/reset-while-paused", &env,
                         test_reset_paused);
    g_test_add_data_func("/kvm-serial/echo", &env, test_serial_echo);
    ret = g_test_run();
    cgemu_env_clear(&env);
    return ret;
}
