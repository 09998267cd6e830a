/* s390x CPU features: lookup by name, sets, QEMU's way of naming a set. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "target/s390x/cpu-features.h"

#include <string.h>

bool s390_feat_find(const char *name, S390Feat *out)
{
    for (unsigned f = 0; f < S390_FEAT_COUNT; f++) {
        if (strcmp(s390_feat_def(f)->name, name) == 0) {
            *out = (S390Feat)f;
            return true;
        }
    }
    return false;
}

int s390_feat_group_find(const char *name)
{
    for (unsigned g = 0; g < S390_FEAT_GROUP_COUNT; g++) {
        if (strcmp(s390_feat_group_def(g)->name, name) == 0) {
            return (int)g;
        }
    }
    return -1;
}

void s390_feat_set_andnot(S390FeatSet *dst, const S390FeatSet *a,
                          const S390FeatSet *b)
{
    for (unsigned i = 0; i < S390_FEAT_WORDS; i++) {
        dst->w[i] = a->w[i] & ~b->w[i];
    }
}

bool s390_feat_set_empty(const S390FeatSet *s)
{
    for (unsigned i = 0; i < S390_FEAT_WORDS; i++) {
        if (s->w[i] != 0) {
            return false;
        }
    }
    return true;
}

bool s390_feat_set_subset(const S390FeatSet *a, const S390FeatSet *b)
{
    S390FeatSet rest;

    s390_feat_set_andnot(&rest, a, b);
    return s390_feat_set_empty(&rest);
}

void s390_feat_set_foreach_name(const S390FeatSet *s,
                                void (*fn)(const char *name, void *opaque),
                                void *opaque)
{
    S390FeatSet left = *s;

    for (unsigned g = 0; g < S390_FEAT_GROUP_COUNT; g++) {
        const S390FeatGroupDef *gd = s390_feat_group_def(g);
        bool whole = true;

        for (size_t i = 0; whole && i < gd->n_members; i++) {
            whole = s390_feat_test(&left, gd->members[i]);
        }
        if (!whole) {
            continue;
        }
        for (size_t i = 0; i < gd->n_members; i++) {
            s390_feat_del(&left, gd->members[i]);
        }
        fn(gd->name, opaque);
    }
    for (unsigned f = 0; f < S390_FEAT_COUNT; f++) {
        if (s390_feat_test(&left, f)) {
            fn(s390_feat_def(f)->name, opaque);
        }
    }
}

static void append_name(const char *name, void *opaque)
{
    GString *out = opaque;

    g_string_append_printf(out, "%s%s", out->len ? " " : "", name);
}

char *s390_feat_set_to_string(const S390FeatSet *s)
{
    GString *out = g_string_new(NULL);

    s390_feat_set_foreach_name(s, append_name, out);
    return g_string_free(out, FALSE);
}
