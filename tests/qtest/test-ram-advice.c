/* Guest RAM as the host kernel sees it: mem-merge and dump-guest-core
 * become madvise flags (VmFlags "mg", "dd" in /proc/PID/smaps). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "libqtest.h"

#include <string.h>

/*
 * The VmFlags of the writable private mapping whose size is within 1 MiB
 * below @kib, or NULL: the board keeps the 384 KiB between 640 KiB and
 * 1 MiB out of RAM, and the kernel may join the two pieces into one
 * mapping or not, depending on where they land.
 */
static char *ram_flags(QTestState *s, unsigned kib)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/smaps",
                                            (int)qtest_pid(s));
    g_autofree char *text = NULL;
    g_auto(GStrv) lines = NULL;
    unsigned size = 0;
    bool rw_private = false;
    char *found = NULL;

    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (g_ascii_isxdigit(**l) && strchr(*l, '-') != NULL) {
            rw_private = strstr(*l, " rw-p ") != NULL;
        } else if (g_str_has_prefix(*l, "Size:")) {
            size = (unsigned)g_ascii_strtoull(*l + 5, NULL, 10);
        } else if (g_str_has_prefix(*l, "VmFlags:") && rw_private &&
                   size <= kib && size >= kib - 1024) {
            g_free(found);
            found = g_strdup_printf("%s ", *l + strlen("VmFlags:"));
        }
    }
    return found;
}

static bool has_flag(const char *flags, const char *flag)
{
    g_autofree char *word = g_strdup_printf(" %s ", flag);

    return strstr(flags, word) != NULL;
}

#define RAM_KIB (64 * 1024)

static void check(const char *machine_opts, bool merge, bool dump)
{
    g_autofree char *args = g_strdup_printf("-M pc%s -m 64M -nodefaults",
                                            machine_opts);
    g_autoptr(QTestState) s = qtest_init("x86_64", args);
    g_autofree char *flags = ram_flags(s, RAM_KIB);

    g_assert_nonnull(flags);
    g_assert_true(has_flag(flags, "mg") == merge);
    g_assert_true(has_flag(flags, "dd") == !dump);
}

static void test_default(void)
{
    if (!g_file_test("/sys/kernel/mm/ksm", G_FILE_TEST_IS_DIR)) {
        g_test_skip("this kernel has no KSM: mem-merge cannot show");
        return;
    }
    check("", true, true);
}

static void test_no_merge(void)
{
    check(",mem-merge=off", false, true);
}

static void test_no_dump(void)
{
    check(",dump-guest-core=off,mem-merge=off", false, false);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (qtest_binary("x86_64") == NULL) {
        return g_test_run();
    }
    g_test_add_func("/x86_64/ram-advice/default", test_default);
    g_test_add_func("/x86_64/ram-advice/mem-merge-off", test_no_merge);
    g_test_add_func("/x86_64/ram-advice/dump-guest-core-off", test_no_dump);
    return g_test_run();
}
