/* The entry point of each cgemu-system-<target> binary. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "system/system.h"

int main(int argc, char **argv)
{
    return cgemu_main(argc, argv, CGEMU_TARGET);
}
