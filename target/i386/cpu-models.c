/* x86 CPU models: the table, -cpu parsing, -cpu help. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "target/i386/cpu-models.h"

#include "util/cutils.h"
#include "util/error.h"

#include <string.h>

#define BIT(n) (1u << (n))

/* Leaf 1 EDX of a classic x86-64 CPU: FPU through SSE2, no HTT. */
#define BASE_1_EDX                                                           \
    (BIT(0) | BIT(2) | BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(7) |           \
     BIT(8) | BIT(9) | BIT(11) | BIT(12) | BIT(13) | BIT(14) | BIT(15) |      \
     BIT(16) | BIT(17) | BIT(19) | BIT(23) | BIT(24) | BIT(25) | BIT(26))
/* SSE3, CX16, x2APIC (cheap under KVM), hypervisor. */
#define BASE_1_ECX (BIT(0) | BIT(13) | BIT(21) | BIT(31))
/* SYSCALL, NX, LM */
#define BASE_81_EDX (BIT(11) | BIT(20) | BIT(29))
/* LAHF/SAHF in long mode */
#define BASE_81_ECX BIT(0)

static const X86CpuModel models[] = {
    {
        .name = "qemu64",
        .desc = "a conservative x86-64 CPU, the same on every host "
                "(default)",
        .vendor = "AuthenticAMD",
        .level = 0xd,
        .xlevel = 0x8000000a,
        .family = 15,
        .model = 107,
        .stepping = 1,
        .features = {
            [X86_W_1_EDX] = BASE_1_EDX,
            [X86_W_1_ECX] = BASE_1_ECX,
            [X86_W_81_EDX] = BASE_81_EDX,
            [X86_W_81_ECX] = BASE_81_ECX,
        },
        .phys_bits = 40,
        .brand = "cgemu virtual CPU (qemu64)",
    },
    {
        .name = "host",
        .desc = "the host CPU with every feature KVM supports",
        .passthrough = true,
    },
    {
        .name = "max",
        .desc = "every feature the accelerator supports (= host under "
                "KVM)",
        .passthrough = true,
    },
};

typedef struct {
    const char *name;
    X86FeatureWord word;
    unsigned bit;
} FeatureName;

/* Linux /proc/cpuinfo names, which QEMU also uses. */
static const FeatureName feature_names[] = {
    { "fpu", X86_W_1_EDX, 0 },        { "vme", X86_W_1_EDX, 1 },
    { "de", X86_W_1_EDX, 2 },         { "pse", X86_W_1_EDX, 3 },
    { "tsc", X86_W_1_EDX, 4 },        { "msr", X86_W_1_EDX, 5 },
    { "pae", X86_W_1_EDX, 6 },        { "mce", X86_W_1_EDX, 7 },
    { "cx8", X86_W_1_EDX, 8 },        { "apic", X86_W_1_EDX, 9 },
    { "sep", X86_W_1_EDX, 11 },       { "mtrr", X86_W_1_EDX, 12 },
    { "pge", X86_W_1_EDX, 13 },       { "mca", X86_W_1_EDX, 14 },
    { "cmov", X86_W_1_EDX, 15 },      { "pat", X86_W_1_EDX, 16 },
    { "pse36", X86_W_1_EDX, 17 },     { "clflush", X86_W_1_EDX, 19 },
    { "mmx", X86_W_1_EDX, 23 },       { "fxsr", X86_W_1_EDX, 24 },
    { "sse", X86_W_1_EDX, 25 },       { "sse2", X86_W_1_EDX, 26 },
    { "ht", X86_W_1_EDX, 28 },
    { "pni", X86_W_1_ECX, 0 },        { "pclmulqdq", X86_W_1_ECX, 1 },
    { "monitor", X86_W_1_ECX, 3 },    { "vmx", X86_W_1_ECX, 5 },
    { "ssse3", X86_W_1_ECX, 9 },      { "fma", X86_W_1_ECX, 12 },
    { "cx16", X86_W_1_ECX, 13 },      { "pcid", X86_W_1_ECX, 17 },
    { "sse4.1", X86_W_1_ECX, 19 },    { "sse4.2", X86_W_1_ECX, 20 },
    { "x2apic", X86_W_1_ECX, 21 },    { "movbe", X86_W_1_ECX, 22 },
    { "popcnt", X86_W_1_ECX, 23 },    { "tsc-deadline", X86_W_1_ECX, 24 },
    { "aes", X86_W_1_ECX, 25 },       { "xsave", X86_W_1_ECX, 26 },
    { "avx", X86_W_1_ECX, 28 },       { "f16c", X86_W_1_ECX, 29 },
    { "rdrand", X86_W_1_ECX, 30 },    { "hypervisor", X86_W_1_ECX, 31 },
    { "fsgsbase", X86_W_7_EBX, 0 },   { "bmi1", X86_W_7_EBX, 3 },
    { "avx2", X86_W_7_EBX, 5 },       { "smep", X86_W_7_EBX, 7 },
    { "bmi2", X86_W_7_EBX, 8 },       { "erms", X86_W_7_EBX, 9 },
    { "invpcid", X86_W_7_EBX, 10 },   { "rdseed", X86_W_7_EBX, 18 },
    { "adx", X86_W_7_EBX, 19 },       { "smap", X86_W_7_EBX, 20 },
    { "clflushopt", X86_W_7_EBX, 23 }, { "clwb", X86_W_7_EBX, 24 },
    { "sha-ni", X86_W_7_EBX, 29 },
    { "umip", X86_W_7_ECX, 2 },       { "pku", X86_W_7_ECX, 3 },
    { "vaes", X86_W_7_ECX, 9 },       { "rdpid", X86_W_7_ECX, 22 },
    { "md-clear", X86_W_7_EDX, 10 },  { "spec-ctrl", X86_W_7_EDX, 26 },
    { "arch-capabilities", X86_W_7_EDX, 29 },
    { "ssbd", X86_W_7_EDX, 31 },
    { "syscall", X86_W_81_EDX, 11 },  { "nx", X86_W_81_EDX, 20 },
    { "mmxext", X86_W_81_EDX, 22 },   { "pdpe1gb", X86_W_81_EDX, 26 },
    { "rdtscp", X86_W_81_EDX, 27 },   { "lm", X86_W_81_EDX, 29 },
    { "lahf-lm", X86_W_81_ECX, 0 },   { "svm", X86_W_81_ECX, 2 },
    { "cr8legacy", X86_W_81_ECX, 4 }, { "abm", X86_W_81_ECX, 5 },
    { "sse4a", X86_W_81_ECX, 6 },     { "misalignsse", X86_W_81_ECX, 7 },
    { "3dnowprefetch", X86_W_81_ECX, 8 },
    { "topoext", X86_W_81_ECX, 22 },
};

const X86CpuModel *x86_cpu_model_default(void)
{
    return &models[0];
}

const X86CpuModel *x86_cpu_model_find(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(models); i++) {
        if (strcmp(models[i].name, name) == 0) {
            return &models[i];
        }
    }
    return NULL;
}

const char *x86_feature_name(X86FeatureWord w, unsigned bit)
{
    for (size_t i = 0; i < G_N_ELEMENTS(feature_names); i++) {
        if (feature_names[i].word == w && feature_names[i].bit == bit) {
            return feature_names[i].name;
        }
    }
    return NULL;
}

/* QEMU accepts '_', '-' and '.' alike in names ("lahf_lm", "sse4_2"). */
static const FeatureName *feature_find(const char *name)
{
    g_autofree char *norm = g_strdelimit(g_strdup(name), "_.", '-');

    for (size_t i = 0; i < G_N_ELEMENTS(feature_names); i++) {
        g_autofree char *cand =
            g_strdelimit(g_strdup(feature_names[i].name), "_.", '-');

        if (strcmp(cand, norm) == 0) {
            return &feature_names[i];
        }
    }
    return NULL;
}

static void set_unknown_feature_error(GError **err, const char *text,
                                      const char *name)
{
    const char *names[G_N_ELEMENTS(feature_names)];
    const char *hint;

    for (size_t i = 0; i < G_N_ELEMENTS(feature_names); i++) {
        names[i] = feature_names[i].name;
    }
    hint = cg_suggest(name, names, G_N_ELEMENTS(names));
    if (hint != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-cpu %s: unknown CPU feature '%s'; did you mean '%s'? "
                    "(see -cpu help)", text, name, hint);
    } else {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-cpu %s: unknown CPU feature '%s'; see -cpu help", text,
                    name);
    }
}

static bool parse_feature(X86CpuConfig *cfg, const char *text,
                          const char *word, GError **err)
{
    g_autofree char *name = NULL;
    const FeatureName *f;
    const char *eq = strchr(word, '=');
    bool on = true;

    if (word[0] == '+' || word[0] == '-') {
        on = word[0] == '+';
        name = g_strdup(word + 1);
    } else if (eq != NULL) {
        name = g_strndup(word, (gsize)(eq - word));
        if (!cg_parse_bool(eq + 1, &on)) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "-cpu %s: '%s' expects on or off, got '%s'", text,
                        name, eq + 1);
            return false;
        }
    } else {
        name = g_strdup(word);
    }
    f = feature_find(name);
    if (f == NULL) {
        set_unknown_feature_error(err, text, name);
        return false;
    }
    /* The last word about a feature wins, as in QEMU. */
    if (on) {
        cfg->add[f->word] |= BIT(f->bit);
        cfg->remove[f->word] &= ~BIT(f->bit);
    } else {
        cfg->remove[f->word] |= BIT(f->bit);
        cfg->add[f->word] &= ~BIT(f->bit);
    }
    return true;
}

X86CpuConfig *x86_cpu_config_parse(const char *text, GError **err)
{
    g_autoptr(X86CpuConfig) cfg = g_new0(X86CpuConfig, 1);
    g_auto(GStrv) words = NULL;

    if (text == NULL) {
        cfg->model = x86_cpu_model_default();
        return g_steal_pointer(&cfg);
    }
    words = g_strsplit(text, ",", -1);
    cfg->model = words[0] ? x86_cpu_model_find(words[0]) : NULL;
    if (cfg->model == NULL) {
        g_autoptr(GString) have = g_string_new(NULL);

        for (size_t i = 0; i < G_N_ELEMENTS(models); i++) {
            g_string_append_printf(have, "%s%s", i ? ", " : "",
                                   models[i].name);
        }
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-cpu %s: unknown CPU model '%s'; this binary has: %s "
                    "(see -cpu help)", text, words[0] ? words[0] : "",
                    have->str);
        return NULL;
    }
    for (size_t i = 1; words[i] != NULL; i++) {
        if (words[i][0] == '\0') {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "-cpu %s: empty feature; write MODEL,+FEATURE,"
                        "-FEATURE or FEATURE=on|off", text);
            return NULL;
        }
        if (!parse_feature(cfg, text, words[i], err)) {
            return NULL;
        }
    }
    return g_steal_pointer(&cfg);
}

void x86_cpu_config_free(X86CpuConfig *cfg)
{
    g_free(cfg);
}

void x86_cpu_models_help(GString *out)
{
    g_string_append(out, "Available CPU models:\n");
    for (size_t i = 0; i < G_N_ELEMENTS(models); i++) {
        g_string_append_printf(out, "  %-10s %s\n", models[i].name,
                               models[i].desc);
    }
    g_string_append(out, "\nCPU features, for -cpu MODEL,+FEATURE,-FEATURE "
                         "or FEATURE=on|off\n(a feature the host's KVM "
                         "lacks stays off):\n ");
    for (size_t i = 0, col = 1; i < G_N_ELEMENTS(feature_names); i++) {
        size_t len = strlen(feature_names[i].name) + 1;

        if (col + len > 78) {
            g_string_append(out, "\n ");
            col = 1;
        }
        g_string_append_printf(out, " %s", feature_names[i].name);
        col += len;
    }
    g_string_append_c(out, '\n');
}
