/* libqtest itself: formatting, environment, cleanup when a test dies. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "libqtest.h"

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    return g_test_run();
}
