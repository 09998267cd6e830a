/* Unit tests: the guest memory protected virtualization refuses. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "target/s390x/pv.h"

#include <sys/mman.h>
#include <unistd.h>

/*
 * cgemu backs RAM with ordinary memfds; a hugetlbfs-backed region (as a
 * memory backend may one day give) must be found, so that DIAGNOSE 308
 * subcode 10 refuses it with its name.
 */
static void test_huge_pages(void)
{
    g_autoptr(GError) err = NULL;
    AddressSpace *as = address_space_new("memory", UINT64_MAX);
    uint64_t size = 2 * 1024 * 1024;
    void *plain_host = g_malloc0(4096);
    int plain = memfd_create("plain", MFD_CLOEXEC);
    int huge = memfd_create("huge", MFD_CLOEXEC | MFD_HUGETLB);
    char *which = NULL;

    g_assert_cmpint(plain, >=, 0);
    g_assert_nonnull(address_space_add_ram(as, "s390.ram", 0, 4096,
                                           plain_host, plain, 0, false,
                                           &err));
    g_assert_false(s390_pv_ram_on_huge_pages(as, &which));
    g_assert_null(which);
    /* The kernel hands out hugetlb memfds even with no pages reserved:
     * the file system is what tells, nothing is mapped. */
    g_assert_cmpint(huge, >=, 0);
    g_assert_nonnull(address_space_add_ram(as, "huge.ram", size, size,
                                           plain_host, huge, 0, false,
                                           &err));
    g_assert_true(s390_pv_ram_on_huge_pages(as, &which));
    g_assert_cmpstr(which, ==, "huge.ram");
    g_free(which);
    address_space_free(as);
    close(plain);
    close(huge);
    g_free(plain_host);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/s390x/pv/huge-pages", test_huge_pages);
    return g_test_run();
}
