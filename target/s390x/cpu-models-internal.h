/* s390x CPU models: the data tables, shared by the files of the models. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_TARGET_S390X_CPU_MODELS_INTERNAL_H
#define CGEMU_TARGET_S390X_CPU_MODELS_INTERNAL_H

#include "target/s390x/cpu-models.h"

/* A list of features in a table. */
typedef struct S390FeatList {
    const S390Feat *feats;
    size_t n;
} S390FeatList;

/*
 * What one generation and GA level changes, relative to the one before,
 * in each of the three sets QEMU keeps per CPU definition: base (static,
 * never changes between releases), default (what the model enables) and
 * full (everything the hardware has, what a user may turn on).  A
 * definition's sets are these changes applied in order up to its own
 * generation and GA.  Full sets only grow.
 */
typedef struct S390GenDelta {
    uint8_t gen, ga;
    S390FeatList base_add, base_del;
    S390FeatList dflt_add, dflt_del;
    S390FeatList full_add;
} S390GenDelta;

const S390GenDelta *s390_gen_deltas(size_t *n);

/* The "qemu" model: gen15a's default set with these changes. */
void s390_qemu_model_changes(S390FeatList *add, S390FeatList *del);

#endif
