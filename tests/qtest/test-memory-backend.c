/* memory-backend-ram/-file/-memfd as the guest's RAM (-machine
 * memory-backend=ID): what the guest writes is the backend's memory,
 * where each board puts it, with the host treatment asked for. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "libqtest.h"

#include <gio/gio.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    const char *target;
    const char *ram_id;     /* query-machines default-ram-id */
} Board;

static const Board boards[] = {
    { "x86_64", "pc.ram" },
    { "ppc64", "ppc_spapr.ram" },
    { "s390x", "s390.ram" },
};

static const Board *board_of(const char *target)
{
    for (size_t i = 0; i < G_N_ELEMENTS(boards); i++) {
        if (!strcmp(boards[i].target, target)) {
            return &boards[i];
        }
    }
    g_assert_not_reached();
}

/* The guest writes at @gpa; the file has it at @offset. */
static void expect_in_file(QTestState *s, const char *file, uint64_t gpa,
                           uint64_t offset, uint64_t value)
{
    g_autoptr(GFile) f = g_file_new_for_path(file);
    g_autoptr(GFileInputStream) in = NULL;
    uint64_t got = 0;
    gsize n = 0;

    qtest_writeq(s, gpa, value);
    in = g_file_read(f, NULL, NULL);
    g_assert_nonnull(in);
    g_assert_true(g_seekable_seek(G_SEEKABLE(in), (goffset)offset,
                                  G_SEEK_SET, NULL, NULL));
    g_assert_true(g_input_stream_read_all(G_INPUT_STREAM(in), &got,
                                          sizeof(got), &n, NULL, NULL));
    g_assert_cmpuint(n, ==, sizeof(got));
    /* qtest writes in the guest's byte order */
    if (qtest_big_endian(s)) {
        got = GUINT64_FROM_BE(got);
    } else {
        got = GUINT64_FROM_LE(got);
    }
    g_assert_cmphex(got, ==, value);
}

/* The RAM is the file: at offset = gpa on boards with one RAM block. */
static void test_file_is_ram(const char *target)
{
    const Board *b = board_of(target);
    g_autofree char *args = g_strdup_printf(
        "-object memory-backend-file,id=%s,size=256M,share=on,"
        "mem-path={tmpdir}/guest.ram -machine memory-backend=%s",
        b->ram_id, b->ram_id);
    g_autoptr(QTestState) s = qtest_init(target, args);
    g_autofree char *file =
        g_build_filename(qtest_tmpdir(s), "guest.ram", NULL);
    struct stat st;

    g_assert_cmpint(stat(file, &st), ==, 0);
    g_assert_cmpuint(st.st_size, ==, 256u << 20);
    expect_in_file(s, file, 0x2000, 0x2000, 0x1122334455667788ull);
    expect_in_file(s, file, (256u << 20) - 8, (256u << 20) - 8,
                   0x0badc0dedeadbeefull);
}

/*
 * pc splits one block: its first 640 KiB at 0, the same offsets from
 * 1 MiB up to 3 GiB, the rest above 4 GiB.
 */
static void test_pc_layout(void)
{
    g_autoptr(QTestState) s = qtest_init(
        "x86_64", "-object memory-backend-file,id=pc.ram,size=5G,share=on,"
        "mem-path={tmpdir}/guest.ram -machine memory-backend=pc.ram");
    g_autofree char *file =
        g_build_filename(qtest_tmpdir(s), "guest.ram", NULL);

    expect_in_file(s, file, 0x9f000, 0x9f000, 1);
    expect_in_file(s, file, 0x100000, 0x100000, 2);
    expect_in_file(s, file, 0xbffffff8ull, 0xbffffff8ull, 3);
    expect_in_file(s, file, 0x100000000ull, 0xc0000000ull, 4);
    expect_in_file(s, file, 0x17ffffff8ull, 0x13ffffff8ull, 5);
}

/* -m and the backend's size must agree; the backend's id is reserved. */
static void test_errors(const char *target)
{
    const Board *b = board_of(target);
    QTestOptions o = { .target = target };
    g_autofree char *mismatch = g_strdup_printf(
        "-m 128M -object memory-backend-ram,id=%s,size=256M "
        "-machine memory-backend=%s", b->ram_id, b->ram_id);
    g_autofree char *reserved = g_strdup_printf(
        "-object memory-backend-ram,id=%s,size=256M", b->ram_id);
    g_autofree char *want1 = g_strdup_printf(
        "*-machine memory-backend=%s: -m asks for 128 MiB but the backend "
        "has 256 MiB; drop -m (the backend's size is the RAM size) or make "
        "them equal*", b->ram_id);
    g_autofree char *want2 = g_strdup_printf(
        "*object id '%s' is reserved for the RAM of machine *: give "
        "-machine memory-backend=%s to make it the guest's RAM, or change "
        "the object's id*", b->ram_id, b->ram_id);
    g_autoptr(GError) e1 = NULL;
    g_autoptr(GError) e2 = NULL;

    g_assert_null(qtest_try_init(&o, mismatch, &e1));
    g_assert_cmpint(e1->code, ==, 1);
    g_assert_true(g_pattern_match_simple(want1, e1->message));
    g_assert_null(qtest_try_init(&o, reserved, &e2));
    g_assert_cmpint(e2->code, ==, 1);
    g_assert_true(g_pattern_match_simple(want2, e2->message));
}

/* In use: not deletable, not changeable; libvirt's probe finds it. */
static void test_qmp(const char *target)
{
    const Board *b = board_of(target);
    g_autofree char *args = g_strdup_printf(
        "-object memory-backend-memfd,id=%s,size=64M "
        "-machine memory-backend=%s", b->ram_id, b->ram_id);
    g_autoptr(QTestState) s = qtest_init(target, args);
    g_autoptr(JsonNode) machines =
        qtest_qmp_assert_success_ref(s, "{'execute': 'query-machines'}");
    g_autoptr(JsonNode) props = qtest_qmp_assert_success_ref(
        s, "{'execute': 'qom-list-properties', 'arguments': "
           "{'typename': 'memory-backend-file'}}");
    g_auto(GStrv) names = qtest_json_strings(props, "name");
    g_autofree char *del = qtest_qmp_assert_error(
        s, "GenericError", "{'execute': 'object-del', 'arguments': "
                           "{'id': %s}}", b->ram_id);
    g_autofree char *set = qtest_qmp_assert_error(
        s, "GenericError", "{'execute': 'qom-set', 'arguments': {'path': "
                           "%s, 'property': 'size', 'value': 1}}", b->ram_id);
    g_autofree char *want_del = g_strdup_printf(
        "memory-backend-memfd '%s' is in use as the guest's RAM and cannot "
        "be deleted", b->ram_id);
    g_autofree char *want_set = g_strdup_printf(
        "memory-backend-memfd '%s': 'size' cannot change once the backend "
        "is created", b->ram_id);
    JsonArray *list = json_node_get_array(machines);
    guint with_id = 0;

    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *m = json_array_get_object_element(list, i);
        const char *id = json_object_get_string_member_with_default(
            m, "default-ram-id", NULL);
        if (id != NULL) {
            g_assert_cmpstr(id, ==, b->ram_id);
            with_id++;
        }
    }
    g_assert_cmpuint(with_id, ==, 1);   /* the board, not "none" */
    /* what libvirt asks for on every probe */
    for (const char *const *p = (const char *const[]){
             "size", "share", "merge", "dump", "prealloc", "reserve",
             "policy", "prealloc-threads", "mem-path", "pmem", "align",
             "discard-data", "x-use-canonical-path-for-ramblock-id", NULL };
         *p != NULL; p++) {
        g_assert_true(g_strv_contains((const char *const *)names, *p));
    }
    g_assert_cmpstr(del, ==, want_del);
    g_assert_cmpstr(set, ==, want_set);
}

/* --- the host's view of the memory (x86_64) ------------------------------- */

typedef struct {
    char *perms;    /* "rw-p" */
    char *flags;    /* " rd wr mr mw me ac mg " */
    guint64 rss_kib;
} Mapping;

static void mapping_clear(Mapping *m)
{
    g_free(m->perms);
    g_free(m->flags);
}

/* The one mapping of exactly @kib in cgemu's address space. */
static void find_mapping(QTestState *s, unsigned kib, Mapping *out)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/smaps",
                                            (int)qtest_pid(s));
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    g_autofree char *perms = NULL;
    unsigned size = 0, found = 0;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (g_ascii_isxdigit(**l) && strchr(*l, '-') != NULL) {
            g_free(perms);
            perms = g_strndup(strchr(*l, ' ') + 1, 4);
        } else if (g_str_has_prefix(*l, "Size:")) {
            size = (unsigned)g_ascii_strtoull(*l + 5, NULL, 10);
        } else if (g_str_has_prefix(*l, "Rss:") && size == kib) {
            out->rss_kib = g_ascii_strtoull(*l + 4, NULL, 10);
        } else if (g_str_has_prefix(*l, "VmFlags:") && size == kib) {
            out->perms = g_strdup(perms);
            out->flags = g_strdup_printf("%s ", *l + strlen("VmFlags:"));
            found++;
        }
    }
    g_assert_cmpuint(found, ==, 1);
}

static bool has_flag(const Mapping *m, const char *flag)
{
    g_autofree char *word = g_strdup_printf(" %s ", flag);

    return strstr(m->flags, word) != NULL;
}

#define MAP_KIB (48 * 1024)     /* a size no other mapping of cgemu has */

static void host_view(const char *machine, const char *backend, Mapping *m)
{
    g_autofree char *args = g_strdup_printf(
        "-M pc,memory-backend=pc.ram%s -object %s,id=pc.ram,size=48M",
        machine, backend);
    g_autoptr(QTestState) s = qtest_init("x86_64", args);

    find_mapping(s, MAP_KIB, m);
}

static void test_host_view(void)
{
    bool ksm = g_file_test("/sys/kernel/mm/ksm", G_FILE_TEST_IS_DIR);
    Mapping m = { 0 };

    /* ram: private; merge and dump follow the machine */
    host_view("", "memory-backend-ram", &m);
    g_assert_cmpstr(m.perms, ==, "rw-p");
    g_assert_true(has_flag(&m, "mg") == ksm);
    g_assert_false(has_flag(&m, "dd"));
    mapping_clear(&m);
    host_view(",mem-merge=off,dump-guest-core=off", "memory-backend-ram",
              &m);
    g_assert_false(has_flag(&m, "mg"));
    g_assert_true(has_flag(&m, "dd"));
    mapping_clear(&m);
    /* the backend's own settings win */
    host_view(",mem-merge=off", "memory-backend-ram,merge=on,dump=off", &m);
    g_assert_true(has_flag(&m, "mg") == ksm);
    g_assert_true(has_flag(&m, "dd"));
    mapping_clear(&m);
    /* memfd: shared by default; prealloc fills it */
    host_view("", "memory-backend-memfd,prealloc=on", &m);
    g_assert_cmpstr(m.perms, ==, "rw-s");
    g_assert_cmpuint(m.rss_kib, ==, MAP_KIB);
    mapping_clear(&m);
    host_view("", "memory-backend-memfd,share=off", &m);
    g_assert_cmpstr(m.perms, ==, "rw-p");
    g_assert_cmpuint(m.rss_kib, <, MAP_KIB);
    mapping_clear(&m);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_per_target("memory-backend/file-is-ram", test_file_is_ram);
    qtest_add_per_target("memory-backend/errors", test_errors);
    qtest_add_per_target("memory-backend/qmp", test_qmp);
    if (qtest_binary("x86_64") != NULL) {
        g_test_add_func("/x86_64/memory-backend/pc-layout", test_pc_layout);
        g_test_add_func("/x86_64/memory-backend/host-view", test_host_view);
    }
    return g_test_run();
}
