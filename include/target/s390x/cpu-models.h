/* s390x CPU models for -cpu: definitions, feature sets, parsing, help. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_TARGET_S390X_CPU_MODELS_H
#define CGEMU_TARGET_S390X_CPU_MODELS_H

#include "target/s390x/cpu-features.h"

G_BEGIN_DECLS

/*
 * The model names are QEMU 7.2's: one definition per machine generation
 * and GA level ("z13", "z14.2", "gen15a", "gen16b"), each also as a static
 * "-base" model, plus "qemu", "max" and, under KVM, "host".  cgemu adds
 * two aliases QEMU 7.2 lacks: "z15" for gen15a and "z16" for gen16a.
 *
 * Each definition has three feature sets (QEMU's): base (what every
 * machine of that level has; the static "-base" model), default (what the
 * model enables) and full (what the hardware can have: a user may only
 * turn on features of the full set).  "unpack" (facility 161, Protected
 * Virtualization) is in the full set from gen15a on and in no default set.
 */
typedef struct S390CpuDef {
    const char *name;           /* "gen15a" */
    const char *alias;          /* "z15", or NULL */
    const char *desc;
    uint16_t type;              /* machine type, 0x8561 */
    uint8_t gen;                /* 15 */
    uint8_t ga;                 /* 1 */
} S390CpuDef;

size_t s390_cpu_def_count(void);
const S390CpuDef *s390_cpu_def_at(size_t i);
/* By name or alias; NULL when unknown. */
const S390CpuDef *s390_cpu_def_find(const char *name);
/* The newest definition with machine type @type, or NULL. */
const S390CpuDef *s390_cpu_def_by_type(uint16_t type);
/* The last (newest) definition. */
const S390CpuDef *s390_cpu_def_newest(void);

void s390_cpu_def_base(const S390CpuDef *def, S390FeatSet *out);
void s390_cpu_def_default(const S390CpuDef *def, S390FeatSet *out);
void s390_cpu_def_full(const S390CpuDef *def, S390FeatSet *out);

/* The first definition whose full set has @f (NULL: none). */
const S390CpuDef *s390_feat_first_def(S390Feat f);

/*
 * What the accelerator offers.  Under KVM it is the host model (from the
 * kernel's CPU-model interface); without KVM there is none (NULL), and
 * nothing executes, so no feature is unavailable.
 */
typedef struct S390HostModel {
    const S390CpuDef *def;      /* the definition the host is closest to */
    S390FeatSet features;       /* what KVM can give a guest */
} S390HostModel;

typedef enum {
    S390_MODEL_DEF,             /* "z14": the default set */
    S390_MODEL_BASE,            /* "z14-base": the base set (static) */
    S390_MODEL_QEMU,            /* "qemu" */
    S390_MODEL_MAX,             /* "max": host under KVM, else "qemu"'s set */
    S390_MODEL_HOST,            /* "host": KVM only */
} S390ModelKind;

/* A resolved -cpu: a model and the features after the user's toggles. */
typedef struct S390CpuModel {
    char *name;                 /* as given: "z15", "gen15a", "z14-base" */
    S390ModelKind kind;
    const S390CpuDef *def;      /* the definition it is based on */
    S390FeatSet features;
} S390CpuModel;

/*
 * The model @name ("z15", "gen15a-base", "qemu", "max", "host") with its
 * own features.  Errors: unknown name (with a suggestion), "host" without
 * @host.  @what prefixes messages ("-cpu z99").
 */
S390CpuModel *s390_cpu_model_new(const char *name, const S390HostModel *host,
                                 const char *what, GError **err);
void s390_cpu_model_free(S390CpuModel *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(S390CpuModel, s390_cpu_model_free)

/*
 * Turns feature or group @name on or off.  Turning on a feature outside
 * the definition's full set fails, naming the first definition that has
 * it.  Unknown names fail with a suggestion.
 */
bool s390_cpu_model_set_feature(S390CpuModel *m, const char *name, bool on,
                                const char *what, GError **err);

/*
 * Parses -cpu "MODEL[,FEATURE=on|off]..." (NULL: the default, "host"
 * under KVM and "qemu" otherwise).  Under KVM (@host not NULL) every
 * feature the result has must be one the host offers.
 */
S390CpuModel *s390_cpu_model_parse(const char *text,
                                   const S390HostModel *host, GError **err);

/* The features of @m the host lacks (empty without @host). */
void s390_cpu_model_unavailable(const S390CpuModel *m,
                                const S390HostModel *host,
                                S390FeatSet *out);

/* Whether @m has @f. */
static inline bool s390_cpu_model_has(const S390CpuModel *m, S390Feat f)
{
    return s390_feat_test(&m->features, f);
}

/*
 * The model to suggest when @m lacks @f: the first definition whose full
 * set has it, under its shortest name ("z15").  NULL when none has it.
 */
const char *s390_cpu_model_suggest(S390Feat f);

/* -cpu help: models, features, groups. */
void s390_cpu_models_help(GString *out);

G_END_DECLS

#endif
