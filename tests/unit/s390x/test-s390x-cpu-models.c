/* Unit tests: s390x CPU features, definitions, feature sets, -cpu parsing. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "target/s390x/cpu-models.h"

#include <string.h>

static unsigned count(const S390FeatSet *s)
{
    unsigned n = 0;

    for (unsigned f = 0; f < S390_FEAT_COUNT; f++) {
        n += s390_feat_test(s, f);
    }
    return n;
}

static S390Feat feat(const char *name)
{
    S390Feat f;

    g_assert_true(s390_feat_find(name, &f));
    return f;
}

static void test_features(void)
{
    g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);

    /* QEMU 7.2 knows 312 features; each name once, groups apart. */
    g_assert_cmpuint(S390_FEAT_COUNT, ==, 312);
    for (unsigned f = 0; f < S390_FEAT_COUNT; f++) {
        const S390FeatDef *d = s390_feat_def(f);

        g_assert_nonnull(d->name);
        g_assert_nonnull(d->desc);
        g_assert_true(g_hash_table_add(names, (gpointer)d->name));
        g_assert_cmpint(s390_feat_group_find(d->name), ==, -1);
    }
    for (unsigned g = 0; g < S390_FEAT_GROUP_COUNT; g++) {
        const S390FeatGroupDef *gd = s390_feat_group_def(g);

        g_assert_cmpuint(gd->n_members, >, 0);
        g_assert_cmpint(s390_feat_group_find(gd->name), ==, (int)g);
    }
    g_assert_null(s390_feat_def(S390_FEAT_COUNT));
    /* Where the facilities live. */
    g_assert_cmpuint(s390_feat_def(feat("unpack"))->type, ==, S390_FT_STFL);
    g_assert_cmpuint(s390_feat_def(feat("unpack"))->bit, ==, 161);
    g_assert_cmpuint(s390_feat_def(feat("vx"))->bit, ==, 129);
    g_assert_cmpuint(s390_feat_def(feat("esop"))->type, ==,
                     S390_FT_SCLP_CONF_CHAR);
    g_assert_cmpuint(s390_feat_def(feat("kma-gcm-eaes-256"))->bit, ==, 28);
    g_assert_cmpuint(s390_feat_def(feat("plo-cststx"))->bit, ==, 23);
    /* QEMU's spellings: underscores where QEMU has them. */
    g_assert_cmpint(s390_feat_group_find("msa9_pckmo"), >=, 0);
    g_assert_true(s390_feat_find("sea_esop2", &(S390Feat){ 0 }));
    g_assert_false(s390_feat_find("sea-esop2", &(S390Feat){ 0 }));
    g_assert_false(s390_feat_find("msa9", &(S390Feat){ 0 }));
}

static void test_definitions(void)
{
    const S390CpuDef *z15 = s390_cpu_def_find("z15");

    g_assert_cmpuint(s390_cpu_def_count(), ==, 38);
    g_assert_nonnull(z15);
    g_assert_cmpstr(z15->name, ==, "gen15a");
    g_assert_true(s390_cpu_def_find("gen15a") == z15);
    g_assert_cmpstr(s390_cpu_def_find("z16")->name, ==, "gen16a");
    g_assert_true(s390_cpu_def_by_type(0x8561) == z15);
    g_assert_cmpstr(s390_cpu_def_by_type(0x2964)->name, ==, "z13.2");
    g_assert_null(s390_cpu_def_by_type(0x1234));
    g_assert_cmpstr(s390_cpu_def_newest()->name, ==, "gen16b");
    g_assert_null(s390_cpu_def_find("z15-base"));
    g_assert_null(s390_cpu_def_at(38));
}

/* Set sizes of QEMU 7.2 (qemu-system-s390x, full expansions). */
static void test_sets(void)
{
    static const struct {
        const char *name;
        unsigned base, dflt, full;
    } known[] = {
        { "z900", 26, 26, 33 },      { "z10EC", 71, 85, 100 },
        { "z196", 78, 182, 196 },    { "zEC12", 81, 193, 213 },
        { "z13", 86, 201, 221 },     { "z13s", 86, 201, 221 },
        { "z14", 91, 236, 262 },     { "z14ZR1", 91, 236, 262 },
        { "gen15a", 91, 271, 305 },  { "gen15b", 91, 271, 305 },
        { "gen16a", 91, 277, 311 },  { "gen16b", 91, 277, 311 },
    };
    S390FeatSet base, dflt, full, prev_full = { { 0 } };

    for (size_t i = 0; i < G_N_ELEMENTS(known); i++) {
        const S390CpuDef *d = s390_cpu_def_find(known[i].name);

        s390_cpu_def_base(d, &base);
        s390_cpu_def_default(d, &dflt);
        s390_cpu_def_full(d, &full);
        g_assert_cmpuint(count(&base), ==, known[i].base);
        g_assert_cmpuint(count(&dflt), ==, known[i].dflt);
        g_assert_cmpuint(count(&full), ==, known[i].full);
    }
    /* base within default within full; full sets only grow. */
    for (size_t i = 0; i < s390_cpu_def_count(); i++) {
        const S390CpuDef *d = s390_cpu_def_at(i);

        s390_cpu_def_base(d, &base);
        s390_cpu_def_default(d, &dflt);
        s390_cpu_def_full(d, &full);
        g_assert_true(s390_feat_set_subset(&base, &dflt));
        g_assert_true(s390_feat_set_subset(&dflt, &full));
        g_assert_true(s390_feat_set_subset(&prev_full, &full));
        prev_full = full;
    }
    /* unpack: in every full set from gen15a on, in no default set. */
    g_assert_cmpstr(s390_feat_first_def(S390_FEAT_UNPACK)->name, ==,
                    "gen15a");
    g_assert_cmpstr(s390_cpu_model_suggest(S390_FEAT_UNPACK), ==, "z15");
    s390_cpu_def_default(s390_cpu_def_find("gen16b"), &dflt);
    g_assert_false(s390_feat_test(&dflt, S390_FEAT_UNPACK));
    s390_cpu_def_full(s390_cpu_def_find("z14.2"), &full);
    g_assert_false(s390_feat_test(&full, S390_FEAT_UNPACK));
    /* idter is in no generation at all. */
    g_assert_null(s390_feat_first_def(S390_FEAT_IDTER));
}

static void test_names_of_sets(void)
{
    S390FeatSet s = { { 0 } };
    const S390FeatGroupDef *msa1 =
        s390_feat_group_def(s390_feat_group_find("msa1"));
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;

    for (size_t i = 0; i < msa1->n_members; i++) {
        s390_feat_add(&s, msa1->members[i]);
    }
    s390_feat_add(&s, S390_FEAT_UNPACK);
    s390_feat_add(&s, S390_FEAT_ZARCH);
    /* A whole group by its name, then the rest in listing order. */
    a = s390_feat_set_to_string(&s);
    g_assert_cmpstr(a, ==, "msa1 zarch unpack");
    s390_feat_del(&s, msa1->members[0]);
    b = s390_feat_set_to_string(&s);
    g_assert_cmpstr(b, ==, "zarch unpack km-aes-128 kimd-sha-256 "
                           "klmd-sha-256");
}

static char *parse_error(const char *text, const S390HostModel *host)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(S390CpuModel) m = s390_cpu_model_parse(text, host, &err);

    g_assert_null(m);
    g_assert_nonnull(err);
    return g_strdup(err->message);
}

static void test_parse(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(S390CpuModel) z15 = NULL;
    g_autoptr(S390CpuModel) z16 = NULL;
    g_autoptr(S390CpuModel) dflt = NULL;
    g_autoptr(S390CpuModel) base = NULL;
    g_autoptr(S390CpuModel) off = NULL;
    char *msg;

    z15 = s390_cpu_model_parse("z15,unpack=on", NULL, &err);
    g_assert_no_error(err);
    g_assert_cmpstr(z15->name, ==, "z15");
    g_assert_cmpstr(z15->def->name, ==, "gen15a");
    g_assert_true(s390_cpu_model_has(z15, S390_FEAT_UNPACK));
    z16 = s390_cpu_model_parse("z16,unpack=on,vx=off", NULL, &err);
    g_assert_true(s390_cpu_model_has(z16, S390_FEAT_UNPACK));
    g_assert_false(s390_cpu_model_has(z16, S390_FEAT_VX));
    /* The last word about a feature wins. */
    off = s390_cpu_model_parse("gen15a,unpack=on,unpack=off", NULL, &err);
    g_assert_false(s390_cpu_model_has(off, S390_FEAT_UNPACK));
    /* Without KVM the default is "qemu". */
    dflt = s390_cpu_model_parse(NULL, NULL, &err);
    g_assert_cmpint(dflt->kind, ==, S390_MODEL_QEMU);
    g_assert_cmpuint(count(&dflt->features), ==, 72);
    base = s390_cpu_model_parse("z14-base,msa1=on", NULL, &err);
    g_assert_cmpint(base->kind, ==, S390_MODEL_BASE);
    g_assert_cmpuint(count(&base->features), ==, 91 + 4);

    msg = parse_error("z14,unpack=on", NULL);
    g_assert_cmpstr(msg, ==,
                    "-cpu z14,unpack=on: feature 'unpack' is not available "
                    "on CPU model z14 (IBM z14 GA1); it first came with z15 "
                    "(gen15a, IBM z15 T01 GA1): use -cpu z15,unpack=on or a "
                    "newer model");
    g_free(msg);
    msg = parse_error("z13,msa9=on", NULL);
    g_assert_cmpstr(msg, ==,
                    "-cpu z13,msa9=on: feature group 'msa9' is not "
                    "available on CPU model z13 (IBM z13 GA1); it first "
                    "came with z15 (gen15a, IBM z15 T01 GA1): use -cpu "
                    "z15,msa9=on or a newer model");
    g_free(msg);
    msg = parse_error("z14,idter=on", NULL);
    g_assert_cmpstr(msg, ==,
                    "-cpu z14,idter=on: feature 'idter' is not available "
                    "on CPU model z14 (IBM z14 GA1): no CPU generation "
                    "cgemu models has it");
    g_free(msg);
    msg = parse_error("z15,unpak=on", NULL);
    g_assert_cmpstr(msg, ==,
                    "-cpu z15,unpak=on: unknown CPU feature 'unpak' (did "
                    "you mean 'unpack'?); see -cpu help");
    g_free(msg);
    msg = parse_error("z17", NULL);
    g_assert_true(g_str_has_prefix(msg, "-cpu z17: unknown CPU model "
                                        "'z17' (did you mean '"));
    g_free(msg);
    msg = parse_error("z15,unpack", NULL);
    g_assert_cmpstr(msg, ==,
                    "-cpu z15,unpack: 'unpack' is not FEATURE=on|off; s390x "
                    "CPU features are written unpack=on");
    g_free(msg);
    msg = parse_error("z15,-vx", NULL);
    g_assert_cmpstr(msg, ==,
                    "-cpu z15,-vx: '-vx' is not FEATURE=on|off; s390x CPU "
                    "features are written vx=off");
    g_free(msg);
    msg = parse_error("z15,vx=maybe", NULL);
    g_assert_cmpstr(msg, ==,
                    "-cpu z15,vx=maybe: 'vx' expects on or off, got 'maybe'");
    g_free(msg);
    msg = parse_error("z15-base-base", NULL);
    g_assert_true(g_str_has_prefix(msg, "-cpu z15-base-base: unknown CPU "
                                        "model"));
    g_free(msg);
    msg = parse_error("host", NULL);
    g_assert_cmpstr(msg, ==,
                    "-cpu host: CPU model 'host' is what this IBM Z host's "
                    "KVM offers, so it needs -accel kvm; with other "
                    "accelerators name a model such as z15");
    g_free(msg);
}

static void test_host(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(S390CpuModel) h = NULL;
    g_autoptr(S390CpuModel) max = NULL;
    g_autoptr(S390CpuModel) z15 = NULL;
    g_autoptr(S390CpuModel) dflt = NULL;
    S390HostModel host = { .def = s390_cpu_def_find("gen15a") };
    char *msg;

    /* A z15 host whose KVM offers everything of the generation but
     * unpack (prot_virt is off). */
    s390_cpu_def_full(host.def, &host.features);
    s390_feat_del(&host.features, S390_FEAT_UNPACK);
    h = s390_cpu_model_parse("host", &host, &err);
    g_assert_no_error(err);
    g_assert_false(s390_cpu_model_has(h, S390_FEAT_UNPACK));
    dflt = s390_cpu_model_parse(NULL, &host, &err);
    g_assert_cmpint(dflt->kind, ==, S390_MODEL_HOST);
    max = s390_cpu_model_parse("max", &host, &err);
    g_assert_cmpint(max->kind, ==, S390_MODEL_MAX);
    g_assert_true(s390_feat_set_subset(&max->features, &host.features));
    msg = parse_error("z15,unpack=on", &host);
    g_assert_cmpstr(msg, ==,
                    "-cpu z15,unpack=on: this host's KVM cannot give the "
                    "guest these CPU features: unpack; turn them off "
                    "(FEATURE=off) or use -cpu host");
    g_free(msg);
    msg = parse_error("host,unpack=on", &host);
    g_assert_true(strstr(msg, "cannot give the guest these CPU features: "
                              "unpack;") != NULL);
    g_free(msg);
    /* Where KVM offers unpack, host has it. */
    s390_feat_add(&host.features, S390_FEAT_UNPACK);
    z15 = s390_cpu_model_parse("host", &host, &err);
    g_assert_true(s390_cpu_model_has(z15, S390_FEAT_UNPACK));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/s390x/cpu-models/features", test_features);
    g_test_add_func("/s390x/cpu-models/definitions", test_definitions);
    g_test_add_func("/s390x/cpu-models/sets", test_sets);
    g_test_add_func("/s390x/cpu-models/names", test_names_of_sets);
    g_test_add_func("/s390x/cpu-models/parse", test_parse);
    g_test_add_func("/s390x/cpu-models/host", test_host);
    return g_test_run();
}
