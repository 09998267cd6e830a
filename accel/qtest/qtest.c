/* The qtest accelerator: the machine is built, no vCPU ever executes. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "accel/accel.h"

typedef struct {
    AccelState parent_instance;
} QtestAccel;
typedef AccelStateClass QtestAccelClass;

CG_DEFINE_TYPE(QtestAccel, qtest_accel, "qtest-accel", CG_TYPE_ACCEL)

static void qtest_accel_class_init(QtestAccelClass *klass)
{
    klass->name = "qtest";
    klass->desc = "no CPU execution; the guest is driven by a test "
                  "through the qtest protocol";
}

static void qtest_accel_init(QtestAccel *self)
{
}
