/* Unit tests: -blockdev and -drive options, block nodes and their I/O. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "block/block.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
    char *dir;
    char *img;                /* 1000 bytes: i * 7 */
    char *ro_img;             /* mode 0444 */
    CgObject *root;
} Fix;

static void fix_setup(Fix *f, gconstpointer data)
{
    uint8_t buf[1000];

    for (unsigned i = 0; i < sizeof(buf); i++) {
        buf[i] = (uint8_t)(i * 7);
    }
    cg_types_init();
    f->dir = g_dir_make_tmp("cgemu-block-XXXXXX", NULL);
    g_assert_nonnull(f->dir);
    /* Others (nobody, in the permission test) may look inside. */
    g_chmod(f->dir, 0755);
    f->img = g_build_filename(f->dir, "disk.img", NULL);
    f->ro_img = g_build_filename(f->dir, "ro.img", NULL);
    g_assert_true(g_file_set_contents(f->img, (char *)buf, sizeof(buf),
                                      NULL));
    g_assert_true(g_file_set_contents(f->ro_img, "x", 1, NULL));
    g_chmod(f->img, 0644);
    g_chmod(f->ro_img, 0444);
    f->root = cg_object_new_root();
}

static void fix_teardown(Fix *f, gconstpointer data)
{
    g_object_unref(f->root);
    g_unlink(f->img);
    g_unlink(f->ro_img);
    g_rmdir(f->dir);
    g_free(f->img);
    g_free(f->ro_img);
    g_free(f->dir);
}

/* "@IMG@" and "@RO@" in @text become the fixture's images. */
static CgOpts *opts_of(Fix *f, const char *text)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(GString) s = g_string_new(text);
    CgOpts *o;

    g_string_replace(s, "@IMG@", f->img, 0);
    g_string_replace(s, "@RO@", f->ro_img, 0);
    g_string_replace(s, "@DIR@", f->dir, 0);
    o = cg_opts_parse(s->str, NULL, true, &err);
    g_assert_no_error(err);
    return o;
}

static char *expand(Fix *f, const char *text)
{
    g_autoptr(GString) s = g_string_new(text);

    g_string_replace(s, "@IMG@", f->img, 0);
    g_string_replace(s, "@RO@", f->ro_img, 0);
    g_string_replace(s, "@DIR@", f->dir, 0);
    return g_string_free(g_steal_pointer(&s), FALSE);
}

static void expect_blockdev_error(Fix *f, const char *text,
                                  const char *message)
{
    g_autoptr(CgOpts) o = opts_of(f, text);
    g_autoptr(GError) err = NULL;
    g_autofree char *want = expand(f, message);

    g_assert_null(block_blockdev_add(f->root, o, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, want);
}

static void expect_drive_error(Fix *f, const char *text, const char *message)
{
    g_autoptr(CgOpts) o = opts_of(f, text);
    g_autoptr(GError) err = NULL;
    g_autofree char *want = expand(f, message);

    g_assert_null(block_drive_add(f->root, o, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, want);
}

static BlockNode *blockdev(Fix *f, const char *text)
{
    g_autoptr(CgOpts) o = opts_of(f, text);
    g_autoptr(GError) err = NULL;
    BlockNode *bn = block_blockdev_add(f->root, o, &err);

    g_assert_no_error(err);
    return bn;
}

static void test_blockdev_errors(Fix *f, gconstpointer data)
{
    static const char *const cases[][2] = {
        { "filename=@IMG@,node-name=a",
          "driver= is required, e.g. driver=file,filename=PATH,"
          "node-name=NAME" },
        { "driver=qcow2,node-name=a,file=b",
          "driver 'qcow2' is not supported; cgemu has driver=file and "
          "driver=raw (convert other formats to raw, e.g. with qemu-img "
          "convert -O raw)" },
        { "driver=file,node-name=a,filename=@IMG@,cache.direct=on",
          "unsupported parameter 'cache.direct' for driver=file; cgemu "
          "accepts: driver, node-name, filename, read-only, auto-read-only, "
          "discard" },
        { "driver=file,filename=@IMG@",
          "node-name= is required so that a device can use the node "
          "(drive=NAME)" },
        { "driver=file,filename=@IMG@,node-name=1a",
          "invalid node-name '1a': it starts with a letter and has only "
          "letters, digits, '-', '.' and '_'" },
        { "driver=file,node-name=a", "filename= is required for driver=file" },
        { "driver=file,node-name=a,filename=@DIR@/none",
          "cannot open '@DIR@/none': No such file or directory" },
        { "driver=file,node-name=a,filename=@DIR@",
          "'@DIR@' is a directory, not a disk image" },
        { "driver=file,node-name=a,filename=@DIR@,read-only=on",
          "'@DIR@' is a directory; give a regular file or a block device" },
        { "driver=file,node-name=a,filename=/dev/null,read-only=on",
          "'/dev/null' is not a disk image; give a regular file or a block "
          "device" },
        { "driver=file,node-name=a,filename=@IMG@,read-only=maybe",
          "'read-only' expects on or off, not 'maybe'" },
        { "driver=file,node-name=a,filename=@IMG@,discard=full",
          "discard='full' is not valid; use ignore or unmap" },
        { "{\"driver\": \"file\", \"node-name\": \"j\", \"filename\": "
          "\"@IMG@\", \"read-only\": \"on\"}",
          "'read-only' expects a boolean, got a JSON string" },
        { "{\"driver\": \"file\", \"node-name\": 5, \"filename\": \"@IMG@\"}",
          "'node-name' expects a string, got a JSON integer" },
        { "driver=raw,node-name=r",
          "file= is required for driver=raw: give the node-name of a "
          "driver=file -blockdev defined before it" },
        { "driver=raw,node-name=r,file=nope",
          "file='nope': no block node has that name; define the driver=file "
          "-blockdev with node-name=nope before this one" },
        { "driver=raw,node-name=r,file=x,filename=@IMG@",
          "unsupported parameter 'filename' for driver=raw; cgemu accepts: "
          "driver, node-name, file, read-only, discard" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        expect_blockdev_error(f, cases[i][0], cases[i][1]);
    }
    /* Nothing was left behind by the failures. */
    g_assert_null(block_node_find(f->root, "a"));
    g_assert_null(block_node_find(f->root, "j"));
}

static void test_blockdev_ok(Fix *f, gconstpointer data)
{
    BlockNode *a = blockdev(f, "driver=file,node-name=a,filename=@IMG@,"
                               "discard=unmap,auto-read-only=on");
    BlockNode *r;
    g_autofree char *path = NULL;

    g_assert_true(block_node_find(f->root, "a") == a);
    g_assert_cmpuint(a->size, ==, 1000);
    g_assert_false(a->read_only);
    g_assert_cmpstr(a->driver, ==, "file");
    path = cg_object_canonical_path(CG_OBJECT(a));
    g_assert_cmpstr(path, ==, "/block/a");
    expect_blockdev_error(f, "driver=file,node-name=a,filename=@IMG@",
                          "node-name 'a' is already used by another "
                          "-blockdev or -drive; names must be unique");
    /* A raw node over it takes it: no device may use the file node. */
    r = blockdev(f, "driver=raw,node-name=r,file=a");
    g_assert_cmpstr(r->driver, ==, "raw");
    g_assert_cmpuint(r->size, ==, 1000);
    g_assert_cmpstr(a->user, ==, "raw node 'r'");
    expect_blockdev_error(f, "driver=raw,node-name=r2,file=a",
                          "block node 'a' is already in use by raw node "
                          "'r'; a node serves one device (define another "
                          "-blockdev or -drive for a second one)");
    /* Read-only file node under a writable raw node. */
    blockdev(f, "driver=file,node-name=ro,filename=@IMG@,read-only=on");
    expect_blockdev_error(f, "driver=raw,node-name=r3,file=ro",
                          "node 'r3' would be writable, but its file node "
                          "'ro' is read-only; add read-only=on");
    g_assert_nonnull(blockdev(f, "driver=raw,node-name=r3,file=ro,"
                                 "read-only=on"));
    /* The JSON form. */
    g_assert_true(blockdev(f, "{\"driver\": \"file\", \"node-name\": \"js\","
                              " \"filename\": \"@IMG@\", \"read-only\": "
                              "true}")->read_only);
}

static void test_drive(Fix *f, gconstpointer data)
{
    static const char *const cases[][2] = {
        { "file=@IMG@,format=raw,id=d",
          "if=ide (the default) is not supported; give if=none and attach "
          "the drive with -device virtio-blk-pci,drive=ID" },
        { "file=@IMG@,format=raw,if=virtio,id=d",
          "if=virtio is not supported; give if=none and attach the drive "
          "with -device virtio-blk-pci,drive=ID" },
        { "file=@IMG@,if=none,id=d",
          "format= is required: give format=raw (cgemu does not guess image "
          "formats)" },
        { "file=@IMG@,if=none,id=d,format=qcow2",
          "format=qcow2 is not supported; only format=raw is (convert the "
          "image with qemu-img convert -O raw)" },
        { "if=none,id=d,format=raw", "file= is required: the path of the "
                                     "image" },
        { "file=@IMG@,if=none,format=raw",
          "id= is required so that -device virtio-blk-pci,drive=ID can use "
          "the drive" },
        { "file=@IMG@,if=none,format=raw,id=d,cache=none",
          "unsupported parameter 'cache' for -drive; cgemu accepts: file, "
          "format, if, id, readonly, read-only" },
        { "file=@IMG@,if=none,format=raw,id=d,readonly=on,read-only=on",
          "give readonly= or read-only=, not both" },
        { "file=@DIR@/x,if=none,format=raw,id=d",
          "cannot open '@DIR@/x': No such file or directory" },
    };
    g_autoptr(CgOpts) o = NULL;
    g_autoptr(GError) err = NULL;
    BlockNode *bn;

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        expect_drive_error(f, cases[i][0], cases[i][1]);
    }
    o = opts_of(f, "file=@IMG@,format=raw,if=none,id=d0,readonly=on");
    bn = block_drive_add(f->root, o, &err);
    g_assert_no_error(err);
    g_assert_true(bn->read_only);
    g_assert_true(block_node_find(f->root, "d0") == bn);
    /* -drive ids and node-names share one namespace. */
    expect_blockdev_error(f, "driver=file,node-name=d0,filename=@IMG@",
                          "node-name 'd0' is already used by another "
                          "-blockdev or -drive; names must be unique");
}

static void test_create_nodes(Fix *f, gconstpointer data)
{
    g_autoptr(GPtrArray) bd = g_ptr_array_new_with_free_func(
        (GDestroyNotify)cg_opts_free);
    g_autoptr(GPtrArray) dr = g_ptr_array_new_with_free_func(
        (GDestroyNotify)cg_opts_free);
    g_autoptr(GError) err = NULL;
    g_autofree char *want = NULL;

    /* A raw node may only name a file node given before it. */
    g_ptr_array_add(bd, opts_of(f, "driver=raw,node-name=r,file=a"));
    g_ptr_array_add(bd, opts_of(f, "driver=file,node-name=a,"
                                   "filename=@IMG@"));
    g_assert_false(block_create_nodes(f->root, bd, dr, &err));
    g_assert_cmpstr(err->message, ==,
                    "-blockdev driver=raw,node-name=r,file=a: file='a': no "
                    "block node has that name; define the driver=file "
                    "-blockdev with node-name=a before this one");
    g_clear_error(&err);
    g_ptr_array_remove_index(bd, 0);
    g_ptr_array_add(bd, opts_of(f, "driver=raw,node-name=r,file=a"));
    g_ptr_array_add(dr, opts_of(f, "file=@IMG@,format=raw,if=none"));
    g_assert_false(block_create_nodes(f->root, bd, dr, &err));
    want = expand(f, "-drive file=@IMG@,format=raw,if=none: id= is required "
                     "so that -device virtio-blk-pci,drive=ID can use the "
                     "drive");
    g_assert_cmpstr(err->message, ==, want);
    g_assert_nonnull(block_node_find(f->root, "r"));
}

/* As an unprivileged user (root may write anything), what opening the
 * 0444 image for writing says; run in a child that drops privileges. */
static char *open_as_nobody(Fix *f)
{
    int fds[2];
    pid_t pid;
    int status;
    g_autoptr(GString) out = g_string_new(NULL);
    char buf[512];
    ssize_t n;

    g_assert_cmpint(pipe(fds), ==, 0);
    pid = fork();
    g_assert_cmpint(pid, >=, 0);
    if (pid == 0) {
        g_autoptr(GError) err = NULL;
        g_autoptr(GString) s = g_string_new(NULL);
        g_autoptr(CgOpts) o1 =
            opts_of(f, "driver=file,node-name=a,filename=@RO@");
        g_autoptr(CgOpts) o2 =
            opts_of(f, "file=@RO@,format=raw,if=none,id=d");
        g_autoptr(CgOpts) o3 = opts_of(f, "driver=file,node-name=b,"
                                          "filename=@RO@,auto-read-only=on");
        BlockNode *bn;

        if (geteuid() == 0 && (setresgid(65534, 65534, 65534) != 0 ||
                               setresuid(65534, 65534, 65534) != 0)) {
            _exit(2);
        }
        if (block_blockdev_add(f->root, o1, &err) == NULL) {
            g_string_append_printf(s, "%s\n", err->message);
        }
        g_clear_error(&err);
        if (block_drive_add(f->root, o2, &err) == NULL) {
            g_string_append_printf(s, "%s\n", err->message);
        }
        g_clear_error(&err);
        bn = block_blockdev_add(f->root, o3, &err);
        g_string_append_printf(s, "auto-read-only gives read-only=%d\n",
                               bn ? bn->read_only : -1);
        g_string_replace(s, f->ro_img, "@RO@", 0);
        if (write(fds[1], s->str, s->len) != (ssize_t)s->len) {
            _exit(3);
        }
        _exit(0);
    }
    close(fds[1]);
    while ((n = read(fds[0], buf, sizeof(buf))) > 0) {
        g_string_append_len(out, buf, n);
    }
    close(fds[0]);
    g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
    g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return g_string_free(g_steal_pointer(&out), FALSE);
}

static void test_permission(Fix *f, gconstpointer data)
{
    g_autofree char *out = open_as_nobody(f);

    g_assert_cmpstr(out, ==,
                    "cannot open '@RO@' for writing: Permission denied; add "
                    "read-only=on to use it read-only\n"
                    "cannot open '@RO@' for writing: Permission denied; add "
                    "readonly=on to use it read-only\n"
                    "auto-read-only gives read-only=1\n");
}

static void test_io(Fix *f, gconstpointer data)
{
    BlockNode *a = blockdev(f, "driver=file,node-name=a,filename=@IMG@");
    BlockNode *r = blockdev(f, "driver=raw,node-name=r,file=a");
    BlockNode *ro = blockdev(f, "driver=file,node-name=ro,filename=@IMG@,"
                                "read-only=on");
    g_autoptr(GError) err = NULL;
    uint8_t buf[64], back[64];
    struct iovec iov[2] = { { buf, 24 }, { buf + 24, 40 } };
    g_autofree char *contents = NULL;
    gsize len;

    /* Across the end of the image: the tail reads as zeros. */
    memset(buf, 0xee, sizeof(buf));
    g_assert_cmpint(block_node_preadv(r, 980, iov, 2), ==, 64);
    g_assert_cmphex(buf[0], ==, (uint8_t)(980 * 7));
    g_assert_cmphex(buf[19], ==, (uint8_t)(999 * 7));
    g_assert_cmphex(buf[20], ==, 0);
    g_assert_cmphex(buf[63], ==, 0);
    /* Write through the raw node; read back through the file. */
    memset(buf, 0x5a, sizeof(buf));
    g_assert_cmpint(block_node_pwritev(r, 100, iov, 2), ==, 64);
    g_assert_cmpint(block_node_flush(r), ==, 0);
    g_assert_true(g_file_get_contents(f->img, &contents, &len, NULL));
    g_assert_cmpuint(len, ==, 1000);
    g_assert_cmphex((uint8_t)contents[99], ==, (uint8_t)(99 * 7));
    g_assert_cmphex((uint8_t)contents[100], ==, 0x5a);
    g_assert_cmphex((uint8_t)contents[163], ==, 0x5a);
    g_assert_cmphex((uint8_t)contents[164], ==, (uint8_t)(164 * 7));
    /* Read-only nodes refuse writes; silly offsets are refused. */
    g_assert_cmpint(block_node_pwritev(ro, 0, iov, 2), ==, -EROFS);
    g_assert_cmpint(block_node_preadv(ro, UINT64_MAX - 8, iov, 2), ==,
                    -EINVAL);
    iov[0].iov_base = back;
    iov[0].iov_len = 64;
    g_assert_cmpint(block_node_preadv(ro, 100, iov, 1), ==, 64);
    g_assert_cmpmem(back, 64, buf, 64);
    /* Exclusive use. */
    g_assert_true(block_node_attach(ro, "dev0", &err));
    g_assert_false(block_node_attach(ro, "dev1", &err));
    g_assert_cmpstr(err->message, ==,
                    "block node 'ro' is already in use by dev0; a node serves "
                    "one device (define another -blockdev or -drive for a "
                    "second one)");
    block_node_detach(ro);
    g_clear_error(&err);
    g_assert_true(block_node_attach(ro, "dev1", &err));
    g_assert_nonnull(a);
}

#define ADD(path, fn)                                                         \
    g_test_add("/block/" path, Fix, NULL, fix_setup, fn, fix_teardown)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    ADD("blockdev/errors", test_blockdev_errors);
    ADD("blockdev/ok", test_blockdev_ok);
    ADD("drive", test_drive);
    ADD("create-nodes", test_create_nodes);
    ADD("permission", test_permission);
    ADD("io", test_io);
    return g_test_run();
}
