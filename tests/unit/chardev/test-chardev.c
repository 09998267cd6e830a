/* Unit tests: chardev creation, specs, files, sockets and slow clients. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "chardev/char.h"
#include "util/error.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

typedef struct {
    GString *in;
    int opened;
    int closed;
} Frontend;

static size_t fe_can_receive(void *opaque)
{
    return 4096;
}

static void fe_receive(void *opaque, const uint8_t *buf, size_t len)
{
    g_string_append_len(((Frontend *)opaque)->in, (const char *)buf,
                        (gssize)len);
}

static void fe_event(void *opaque, CharEvent ev)
{
    Frontend *fe = opaque;

    if (ev == CHR_EVENT_OPENED) {
        fe->opened++;
    } else {
        fe->closed++;
    }
}

static const CharFrontendOps fe_ops = {
    .can_receive = fe_can_receive,
    .receive = fe_receive,
    .event = fe_event,
};

static Chardev *new_chardev(CgObject *root, const char *text, GError **err)
{
    g_autoptr(CgOpts) opts = cg_keyval_parse(text, "backend", err);

    return opts ? chardev_new_from_opts(root, opts, err) : NULL;
}

static void expect_fail(CgObject *root, const char *text, const char *msg)
{
    g_autoptr(GError) err = NULL;

    g_assert_null(new_chardev(root, text, &err));
    g_assert_cmpstr(err->message, ==, msg);
}

static void test_errors(void)
{
    g_autoptr(CgObject) root = cg_object_new_root();
    g_autoptr(GError) err = NULL;

    expect_fail(root, "pty,id=c", "unknown chardev backend 'pty'; cgemu has: "
                                  "null, stdio, file, socket");
    expect_fail(root, "null", "a chardev needs an id; add id=NAME");
    expect_fail(root, "null,id=1x",
                "invalid chardev id '1x': an id starts with a letter and has "
                "only letters, digits, '-', '.' and '_'");
    expect_fail(root, "null,id=n,path=/x",
                "chardev backend 'null' has no parameter 'path'; it accepts: "
                "(none)");
    expect_fail(root, "file,id=f", "the file backend needs path=FILE");
    expect_fail(root, "file,id=f,path=/nonexistent/dir/x",
                "cannot open '/nonexistent/dir/x' for writing: No such file "
                "or directory");
    expect_fail(root, "socket,id=s",
                "give exactly one of path= (unix socket), host=,port= (TCP) "
                "or fd= (inherited socket)");
    expect_fail(root, "socket,id=s,path=/x,fd=3",
                "give exactly one of path= (unix socket), host=,port= (TCP) "
                "or fd= (inherited socket)");
    expect_fail(root, "socket,id=s,fd=-1",
                "'fd' expects a file descriptor number, got '-1'");
    expect_fail(root, "socket,id=s,path=/x,server=maybe",
                "'server' expects on or off, got 'maybe'");
    g_assert_nonnull(new_chardev(root, "null,id=n", &err));
    expect_fail(root, "null,id=n",
                "a chardev with id 'n' already exists; ids must be unique");
}

static void test_specs(void)
{
    g_autoptr(CgObject) root = cg_object_new_root();
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("cgemu-chr-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "q.sock", NULL);
    g_autofree char *spec = g_strdup_printf("unix:%s,server,nowait", path);
    Chardev *chr;

    chr = chardev_new_from_spec(root, spec, "compat0", &err);
    g_assert_no_error(err);
    g_assert_true(g_file_test(path, G_FILE_TEST_EXISTS));
    g_assert_true(chardev_find(root, "compat0") == chr);
    g_assert_true(chardev_new_from_spec(root, "chardev:compat0", "x", &err) ==
                  chr);
    g_assert_null(chardev_new_from_spec(root, "chardev:nosuch", "x", &err));
    g_assert_cmpstr(err->message, ==,
                    "no chardev with id 'nosuch'; define it first with "
                    "-chardev BACKEND,id=nosuch");
    g_clear_error(&err);
    g_assert_null(chardev_new_from_spec(root, "mon:stdio", "x", &err));
    g_assert_cmpstr(err->message, ==,
                    "'mon:' multiplexes the human monitor, which cgemu does "
                    "not have; write 'stdio' and use -qmp for a monitor");
    g_clear_error(&err);
    g_assert_null(chardev_new_from_spec(root, "vc", "x", &err));
    g_assert_true(g_str_has_prefix(err->message,
                                   "unsupported character device 'vc'"));
    g_clear_object(&root);
    /* The bound socket goes away with its chardev. */
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_rmdir(dir);
}

static void test_file(void)
{
    g_autoptr(CgObject) root = cg_object_new_root();
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("cgemu-chr-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "out.txt", NULL);
    g_autofree char *text = g_strdup_printf("file,id=f,path=%s", path);
    g_autofree char *got = NULL;
    Frontend fe = { .in = g_string_new(NULL) };
    Chardev *chr = new_chardev(root, text, &err);

    g_assert_no_error(err);
    g_assert_true(chardev_attach(chr, &fe_ops, &fe, &err));
    g_assert_cmpint(fe.opened, ==, 1);
    g_assert_false(chardev_attach(chr, &fe_ops, &fe, &err));
    g_assert_cmpstr(err->message, ==,
                    "chardev 'f' is already in use by another device or "
                    "monitor; give each its own chardev");
    g_assert_true(chardev_write(chr, "hello\n", 6));
    g_assert_true(g_file_get_contents(path, &got, NULL, NULL));
    g_assert_cmpstr(got, ==, "hello\n");
    g_clear_object(&root);
    g_unlink(path);
    g_rmdir(dir);
    g_string_free(fe.in, TRUE);
}

static int connect_unix(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    strcpy(sa.sun_path, path);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    return fd;
}

static void spin_until(bool (*cond)(void *), void *opaque)
{
    for (int i = 0; i < 100000 && !cond(opaque); i++) {
        g_main_context_iteration(NULL, TRUE);
    }
    g_assert_true(cond(opaque));
}

static bool is_opened(void *p)
{
    return ((Frontend *)p)->opened > 0;
}

static bool got_ping(void *p)
{
    return strstr(((Frontend *)p)->in->str, "ping") != NULL;
}

static bool is_closed(void *p)
{
    return ((Frontend *)p)->closed > 0;
}

static void test_socket_server(void)
{
    g_autoptr(CgObject) root = cg_object_new_root();
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("cgemu-chr-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "s.sock", NULL);
    g_autofree char *text =
        g_strdup_printf("socket,id=s,path=%s,server=on,wait=off", path);
    Frontend fe = { .in = g_string_new(NULL) };
    Chardev *chr = new_chardev(root, text, &err);
    char buf[16] = { 0 };
    int fd;

    g_assert_no_error(err);
    g_assert_true(chardev_attach(chr, &fe_ops, &fe, &err));
    g_assert_cmpint(fe.opened, ==, 0);
    g_assert_false(chardev_write(chr, "lost", 4)); /* nobody there yet */
    fd = connect_unix(path);
    spin_until(is_opened, &fe);
    g_assert_cmpint(write(fd, "ping", 4), ==, 4);
    spin_until(got_ping, &fe);
    g_assert_true(chardev_write(chr, "pong", 4));
    g_assert_cmpint(read(fd, buf, 4), ==, 4);
    g_assert_cmpstr(buf, ==, "pong");
    close(fd);
    spin_until(is_closed, &fe);
    /* A new client is accepted after the first one left. */
    fd = connect_unix(path);
    fe.opened = 0;
    spin_until(is_opened, &fe);
    close(fd);
    g_clear_object(&root);
    g_rmdir(dir);
    g_string_free(fe.in, TRUE);
}

static void test_slow_client(void)
{
    g_autoptr(CgObject) root = cg_object_new_root();
    g_autoptr(GError) err = NULL;
    g_autofree char *dir = g_dir_make_tmp("cgemu-chr-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "s.sock", NULL);
    g_autofree char *text =
        g_strdup_printf("socket,id=s,path=%s,server=on,wait=off", path);
    Frontend fe = { .in = g_string_new(NULL) };
    Chardev *chr = new_chardev(root, text, &err);
    g_autofree char *chunk = g_malloc0(1 << 20);
    int fd, i;

    g_assert_true(chardev_attach(chr, &fe_ops, &fe, &err));
    fd = connect_unix(path);
    spin_until(is_opened, &fe);
    /*
     * The client never reads.  Writing must not block (a blocked write
     * would hang this test); past the backlog limit the client is
     * dropped and writes report failure.
     */
    for (i = 0; i < 64 && chardev_write(chr, chunk, 1 << 20); i++) {
    }
    g_assert_cmpint(i, <, 64);
    g_assert_cmpint(i, >=, 16);
    spin_until(is_closed, &fe);
    close(fd);
    g_clear_object(&root);
    g_rmdir(dir);
    g_string_free(fe.in, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    cg_types_init();
    g_test_add_func("/chardev/errors", test_errors);
    g_test_add_func("/chardev/specs", test_specs);
    g_test_add_func("/chardev/file", test_file);
    g_test_add_func("/chardev/socket-server", test_socket_server);
    g_test_add_func("/chardev/slow-client", test_slow_client);
    return g_test_run();
}
