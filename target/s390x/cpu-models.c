/* s390x CPU models: definitions, their feature sets, -cpu parsing, help. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cpu-models-internal.h"

#include "util/cutils.h"
#include "util/error.h"

#include <string.h>

/*
 * QEMU 7.2's CPU definitions in order of release (machine type,
 * generation, GA level); the descriptions are the product names.
 */
static const S390CpuDef defs[] = {
    { "z900", NULL, "IBM zSeries 900 GA1", 0x2064, 7, 1 },
    { "z900.2", NULL, "IBM zSeries 900 GA2", 0x2064, 7, 2 },
    { "z900.3", NULL, "IBM zSeries 900 GA3", 0x2064, 7, 3 },
    { "z800", NULL, "IBM zSeries 800 GA1", 0x2066, 7, 3 },
    { "z990", NULL, "IBM zSeries 990 GA1", 0x2084, 8, 1 },
    { "z990.2", NULL, "IBM zSeries 990 GA2", 0x2084, 8, 2 },
    { "z990.3", NULL, "IBM zSeries 990 GA3", 0x2084, 8, 3 },
    { "z890", NULL, "IBM zSeries 890 GA1", 0x2086, 8, 3 },
    { "z990.4", NULL, "IBM zSeries 990 GA4", 0x2084, 8, 4 },
    { "z890.2", NULL, "IBM zSeries 890 GA2", 0x2086, 8, 4 },
    { "z990.5", NULL, "IBM zSeries 990 GA5", 0x2084, 8, 5 },
    { "z890.3", NULL, "IBM zSeries 890 GA3", 0x2086, 8, 5 },
    { "z9EC", NULL, "IBM System z9 EC GA1", 0x2094, 9, 1 },
    { "z9EC.2", NULL, "IBM System z9 EC GA2", 0x2094, 9, 2 },
    { "z9BC", NULL, "IBM System z9 BC GA1", 0x2096, 9, 2 },
    { "z9EC.3", NULL, "IBM System z9 EC GA3", 0x2094, 9, 3 },
    { "z9BC.2", NULL, "IBM System z9 BC GA2", 0x2096, 9, 3 },
    { "z10EC", NULL, "IBM System z10 EC GA1", 0x2097, 10, 1 },
    { "z10EC.2", NULL, "IBM System z10 EC GA2", 0x2097, 10, 2 },
    { "z10BC", NULL, "IBM System z10 BC GA1", 0x2098, 10, 2 },
    { "z10EC.3", NULL, "IBM System z10 EC GA3", 0x2097, 10, 3 },
    { "z10BC.2", NULL, "IBM System z10 BC GA2", 0x2098, 10, 3 },
    { "z196", NULL, "IBM zEnterprise 196 GA1", 0x2817, 11, 1 },
    { "z196.2", NULL, "IBM zEnterprise 196 GA2", 0x2817, 11, 2 },
    { "z114", NULL, "IBM zEnterprise 114 GA1", 0x2818, 11, 2 },
    { "zEC12", NULL, "IBM zEnterprise EC12 GA1", 0x2827, 12, 1 },
    { "zEC12.2", NULL, "IBM zEnterprise EC12 GA2", 0x2827, 12, 2 },
    { "zBC12", NULL, "IBM zEnterprise BC12 GA1", 0x2828, 12, 2 },
    { "z13", NULL, "IBM z13 GA1", 0x2964, 13, 1 },
    { "z13.2", NULL, "IBM z13 GA2", 0x2964, 13, 2 },
    { "z13s", NULL, "IBM z13s GA1", 0x2965, 13, 2 },
    { "z14", NULL, "IBM z14 GA1", 0x3906, 14, 1 },
    { "z14.2", NULL, "IBM z14 GA2", 0x3906, 14, 2 },
    { "z14ZR1", NULL, "IBM z14 Model ZR1 GA1", 0x3907, 14, 1 },
    { "gen15a", "z15", "IBM z15 T01 GA1", 0x8561, 15, 1 },
    { "gen15b", NULL, "IBM z15 T02 GA1", 0x8562, 15, 1 },
    { "gen16a", "z16", "IBM z16 A01 GA1 (machine type 3931)", 0x3931, 16, 1 },
    { "gen16b", NULL, "IBM z16 A02 GA1 (machine type 3932)", 0x3932, 16, 1 },
};

/* QEMU bases its "qemu" model on this definition. */
#define QEMU_MODEL_DEF "gen15a"

size_t s390_cpu_def_count(void)
{
    return G_N_ELEMENTS(defs);
}

const S390CpuDef *s390_cpu_def_at(size_t i)
{
    return i < G_N_ELEMENTS(defs) ? &defs[i] : NULL;
}

const S390CpuDef *s390_cpu_def_find(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(defs); i++) {
        if (strcmp(defs[i].name, name) == 0 ||
            (defs[i].alias != NULL && strcmp(defs[i].alias, name) == 0)) {
            return &defs[i];
        }
    }
    return NULL;
}

const S390CpuDef *s390_cpu_def_by_type(uint16_t type)
{
    const S390CpuDef *found = NULL;

    for (size_t i = 0; i < G_N_ELEMENTS(defs); i++) {
        if (defs[i].type == type) {
            found = &defs[i];
        }
    }
    return found;
}

const S390CpuDef *s390_cpu_def_newest(void)
{
    return &defs[G_N_ELEMENTS(defs) - 1];
}

/* --- feature sets --------------------------------------------------------- */

static void apply(S390FeatSet *s, const S390FeatList *l, bool on)
{
    for (size_t i = 0; i < l->n; i++) {
        if (on) {
            s390_feat_add(s, l->feats[i]);
        } else {
            s390_feat_del(s, l->feats[i]);
        }
    }
}

typedef enum { SET_BASE, SET_DEFAULT, SET_FULL } SetKind;

static void def_set(const S390CpuDef *def, SetKind kind, S390FeatSet *out)
{
    size_t n;
    const S390GenDelta *d = s390_gen_deltas(&n);

    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < n; i++) {
        if (d[i].gen > def->gen ||
            (d[i].gen == def->gen && d[i].ga > def->ga)) {
            break;
        }
        switch (kind) {
        case SET_BASE:
            apply(out, &d[i].base_add, true);
            apply(out, &d[i].base_del, false);
            break;
        case SET_DEFAULT:
            apply(out, &d[i].dflt_add, true);
            apply(out, &d[i].dflt_del, false);
            break;
        case SET_FULL:
            apply(out, &d[i].full_add, true);
            break;
        }
    }
}

void s390_cpu_def_base(const S390CpuDef *def, S390FeatSet *out)
{
    def_set(def, SET_BASE, out);
}

void s390_cpu_def_default(const S390CpuDef *def, S390FeatSet *out)
{
    def_set(def, SET_DEFAULT, out);
}

void s390_cpu_def_full(const S390CpuDef *def, S390FeatSet *out)
{
    def_set(def, SET_FULL, out);
}

const S390CpuDef *s390_feat_first_def(S390Feat f)
{
    for (size_t i = 0; i < G_N_ELEMENTS(defs); i++) {
        S390FeatSet full;

        s390_cpu_def_full(&defs[i], &full);
        if (s390_feat_test(&full, f)) {
            return &defs[i];
        }
    }
    return NULL;
}

const char *s390_cpu_model_suggest(S390Feat f)
{
    const S390CpuDef *d = s390_feat_first_def(f);

    return d == NULL ? NULL : d->alias ? d->alias : d->name;
}

/* --- models --------------------------------------------------------------- */

static void qemu_features(S390FeatSet *out)
{
    S390FeatList add, del;

    s390_cpu_def_default(s390_cpu_def_find(QEMU_MODEL_DEF), out);
    s390_qemu_model_changes(&add, &del);
    apply(out, &add, true);
    apply(out, &del, false);
}

static void model_names(GPtrArray *out)
{
    g_ptr_array_add(out, (gpointer) "qemu");
    g_ptr_array_add(out, (gpointer) "max");
    g_ptr_array_add(out, (gpointer) "host");
    for (size_t i = 0; i < G_N_ELEMENTS(defs); i++) {
        g_ptr_array_add(out, (gpointer)defs[i].name);
        if (defs[i].alias != NULL) {
            g_ptr_array_add(out, (gpointer)defs[i].alias);
        }
    }
}

static void set_unknown_model_error(GError **err, const char *what,
                                    const char *name)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    const char *hint;

    model_names(names);
    hint = cg_suggest(name, (const char *const *)names->pdata, names->len);
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "%s: unknown CPU model '%s'%s%s%s; see -cpu help", what, name,
                hint ? " (did you mean '" : "", hint ? hint : "",
                hint ? "'?)" : "");
}

S390CpuModel *s390_cpu_model_new(const char *name, const S390HostModel *host,
                                 const char *what, GError **err)
{
    g_autoptr(S390CpuModel) m = g_new0(S390CpuModel, 1);
    const S390CpuDef *d;

    if (strcmp(name, "qemu") == 0) {
        m->kind = S390_MODEL_QEMU;
        m->def = s390_cpu_def_find(QEMU_MODEL_DEF);
        qemu_features(&m->features);
    } else if (strcmp(name, "max") == 0 && host == NULL) {
        /* Nothing executes without KVM: "max" is what QEMU's emulator
         * offers, the same set as "qemu". */
        m->kind = S390_MODEL_MAX;
        m->def = s390_cpu_def_find(QEMU_MODEL_DEF);
        qemu_features(&m->features);
    } else if (strcmp(name, "max") == 0 || strcmp(name, "host") == 0) {
        if (host == NULL) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "%s: CPU model 'host' is what this IBM Z host's KVM "
                        "offers, so it needs -accel kvm; with other "
                        "accelerators name a model such as z15", what);
            return NULL;
        }
        m->kind = name[0] == 'm' ? S390_MODEL_MAX : S390_MODEL_HOST;
        m->def = host->def;
        m->features = host->features;
    } else if ((d = s390_cpu_def_find(name)) != NULL) {
        m->kind = S390_MODEL_DEF;
        m->def = d;
        s390_cpu_def_default(d, &m->features);
    } else if (g_str_has_suffix(name, "-base")) {
        g_autofree char *plain = g_strndup(name, strlen(name) - 5);

        d = s390_cpu_def_find(plain);
        /* Only QEMU's own names have static variants. */
        if (d == NULL || strcmp(d->name, plain) != 0) {
            set_unknown_model_error(err, what, name);
            return NULL;
        }
        m->kind = S390_MODEL_BASE;
        m->def = d;
        s390_cpu_def_base(d, &m->features);
    } else {
        set_unknown_model_error(err, what, name);
        return NULL;
    }
    /* Messages name the model as the user did ("z15"). */
    m->name = g_strdup(name);
    return g_steal_pointer(&m);
}

void s390_cpu_model_free(S390CpuModel *m)
{
    if (m != NULL) {
        g_free(m->name);
        g_free(m);
    }
}

static void set_unknown_feature_error(GError **err, const char *what,
                                      const char *name)
{
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    const char *hint;

    for (unsigned f = 0; f < S390_FEAT_COUNT; f++) {
        g_ptr_array_add(names, (gpointer)s390_feat_def(f)->name);
    }
    for (unsigned g = 0; g < S390_FEAT_GROUP_COUNT; g++) {
        g_ptr_array_add(names, (gpointer)s390_feat_group_def(g)->name);
    }
    hint = cg_suggest(name, (const char *const *)names->pdata, names->len);
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "%s: unknown CPU feature '%s'%s%s%s; see -cpu help", what,
                name, hint ? " (did you mean '" : "", hint ? hint : "",
                hint ? "'?)" : "");
}

/* Turning on @f, which the definition's full set lacks. */
static void set_unavailable_error(GError **err, const S390CpuModel *m,
                                  const char *what, const char *kind,
                                  const char *name, S390Feat f)
{
    const S390CpuDef *first = s390_feat_first_def(f);

    if (first == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: %s '%s' is not available on CPU model %s (%s): no "
                    "CPU generation cgemu models has it", what, kind, name,
                    m->name, m->def->desc);
        return;
    }
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "%s: %s '%s' is not available on CPU model %s (%s); it "
                "first came with %s (%s%s%s): use -cpu %s,%s=on or a newer "
                "model", what, kind, name, m->name, m->def->desc,
                first->alias ? first->alias : first->name,
                first->alias ? first->name : "", first->alias ? ", " : "",
                first->desc, first->alias ? first->alias : first->name,
                name);
}

bool s390_cpu_model_set_feature(S390CpuModel *m, const char *name, bool on,
                                const char *what, GError **err)
{
    S390FeatSet full;
    S390Feat f;
    int g;

    s390_cpu_def_full(m->def, &full);
    if (s390_feat_find(name, &f)) {
        if (on && !s390_feat_test(&full, f)) {
            set_unavailable_error(err, m, what, "feature", name, f);
            return false;
        }
        if (on) {
            s390_feat_add(&m->features, f);
        } else {
            s390_feat_del(&m->features, f);
        }
        return true;
    }
    g = s390_feat_group_find(name);
    if (g < 0) {
        set_unknown_feature_error(err, what, name);
        return false;
    }
    for (size_t i = 0; i < s390_feat_group_def(g)->n_members; i++) {
        f = s390_feat_group_def(g)->members[i];
        if (on && !s390_feat_test(&full, f)) {
            set_unavailable_error(err, m, what, "feature group", name, f);
            return false;
        }
    }
    for (size_t i = 0; i < s390_feat_group_def(g)->n_members; i++) {
        f = s390_feat_group_def(g)->members[i];
        if (on) {
            s390_feat_add(&m->features, f);
        } else {
            s390_feat_del(&m->features, f);
        }
    }
    return true;
}

void s390_cpu_model_unavailable(const S390CpuModel *m,
                                const S390HostModel *host, S390FeatSet *out)
{
    if (host == NULL) {
        memset(out, 0, sizeof(*out));
        return;
    }
    s390_feat_set_andnot(out, &m->features, &host->features);
}

static bool parse_toggle(S390CpuModel *m, const char *what, const char *word,
                         GError **err)
{
    const char *eq = strchr(word, '=');
    g_autofree char *name = NULL;
    bool on;

    if (word[0] == '+' || word[0] == '-' || eq == NULL) {
        const char *bare = word[0] == '+' || word[0] == '-' ? word + 1 : word;

        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: '%s' is not FEATURE=on|off; s390x CPU features are "
                    "written %s=%s", what, word, bare,
                    word[0] == '-' ? "off" : "on");
        return false;
    }
    name = g_strndup(word, (gsize)(eq - word));
    if (!cg_parse_bool(eq + 1, &on)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: '%s' expects on or off, got '%s'", what, name,
                    eq + 1);
        return false;
    }
    return s390_cpu_model_set_feature(m, name, on, what, err);
}

S390CpuModel *s390_cpu_model_parse(const char *text,
                                   const S390HostModel *host, GError **err)
{
    g_autofree char *what = NULL;
    g_auto(GStrv) words = NULL;
    g_autoptr(S390CpuModel) m = NULL;
    S390FeatSet missing;

    if (text == NULL) {
        text = host != NULL ? "host" : "qemu";
    }
    what = g_strdup_printf("-cpu %s", text);
    words = g_strsplit(text, ",", -1);
    m = s390_cpu_model_new(words[0] ? words[0] : "", host, what, err);
    if (m == NULL) {
        return NULL;
    }
    for (size_t i = 1; words[i] != NULL; i++) {
        if (!parse_toggle(m, what, words[i], err)) {
            return NULL;
        }
    }
    s390_cpu_model_unavailable(m, host, &missing);
    if (!s390_feat_set_empty(&missing)) {
        g_autofree char *list = s390_feat_set_to_string(&missing);

        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: this host's KVM cannot give the guest these CPU "
                    "features: %s; turn them off (FEATURE=off) or use -cpu "
                    "host", what, list);
        return NULL;
    }
    return g_steal_pointer(&m);
}

/* --- help ----------------------------------------------------------------- */

static void help_line(GString *out, const char *name, const char *desc,
                      const char *flags)
{
    g_string_append_printf(out, "s390 %-15s %-35s%s%s%s\n", name, desc,
                           flags ? " (" : "", flags ? flags : "",
                           flags ? ")" : "");
}

void s390_cpu_models_help(GString *out)
{
    help_line(out, "qemu", "cgemu's QEMU-compatible CPU (gen15a based)",
              "migration-safe");
    help_line(out, "max", "all the accelerator offers (host under KVM)",
              NULL);
    help_line(out, "host", "the host's CPU as KVM offers it (KVM only)",
              NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(defs); i++) {
        g_autofree char *base = g_strdup_printf("%s-base", defs[i].name);

        help_line(out, base, defs[i].desc, "static, migration-safe");
        help_line(out, defs[i].name, defs[i].desc, "migration-safe");
        if (defs[i].alias != NULL) {
            g_autofree char *what = g_strdup_printf("alias of %s",
                                                    defs[i].name);
            help_line(out, defs[i].alias, defs[i].desc, what);
        }
    }
    g_string_append(out, "\nCPU features (-cpu MODEL,FEATURE=on|off):\n");
    for (unsigned f = 0; f < S390_FEAT_COUNT; f++) {
        g_string_append_printf(out, "%-20s %s\n", s390_feat_def(f)->name,
                               s390_feat_def(f)->desc);
    }
    g_string_append(out, "\nCPU feature groups (-cpu MODEL,GROUP=on|off "
                         "turns all of them on or off):\n");
    for (unsigned g = 0; g < S390_FEAT_GROUP_COUNT; g++) {
        g_string_append_printf(out, "%-20s %s\n",
                               s390_feat_group_def(g)->name,
                               s390_feat_group_def(g)->desc);
    }
}
