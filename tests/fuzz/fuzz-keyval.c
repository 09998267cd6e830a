/* Fuzz target: keyval and JSON option text, and properties set from it. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "fuzz.h"

#include "qom/enums.h"
#include "qom/property.h"
#include "util/keyval.h"

#include <string.h>

/*
 * The input is one option string, as after -object/-device/-machine.  It
 * is parsed as keyval (with and without an implied key) and in the JSON
 * form, and every parsed option is set on an object with one property of
 * each kind the object layer knows.  Invariants checked:
 *  - keyval text that parses prints back (cg_opts_to_string) to text that
 *    parses to the same list;
 *  - a property that was set reads back as JSON, and setting that JSON
 *    value again gives the same JSON.
 */

enum {
    PROP_0,
    PROP_FLAG,
    PROP_I32,
    PROP_U8,
    PROP_U32,
    PROP_I64,
    PROP_U64,
    PROP_SIZE,
    PROP_STR,
    PROP_MODE,
    PROP_PEER,
    PROP_UNDERSCORE,
    N_PROPS
};

typedef struct FuzzProps {
    CgObject parent_instance;
    GValue values[N_PROPS];
} FuzzProps;
typedef CgObjectClass FuzzPropsClass;

CG_DEFINE_TYPE(FuzzProps, fuzz_props, "fuzz-props", CG_TYPE_OBJECT)

static void fuzz_props_set(GObject *obj, guint id, const GValue *v,
                           GParamSpec *pspec)
{
    FuzzProps *f = (FuzzProps *)obj;

    g_value_unset(&f->values[id]);
    g_value_init(&f->values[id], G_VALUE_TYPE(v));
    g_value_copy(v, &f->values[id]);
}

static void fuzz_props_get(GObject *obj, guint id, GValue *v,
                           GParamSpec *pspec)
{
    FuzzProps *f = (FuzzProps *)obj;

    if (G_IS_VALUE(&f->values[id])) {
        g_value_copy(&f->values[id], v);
    } else {
        g_param_value_set_default(pspec, v);
    }
}

static void fuzz_props_finalize(GObject *obj)
{
    FuzzProps *f = (FuzzProps *)obj;

    for (guint i = 0; i < N_PROPS; i++) {
        if (G_IS_VALUE(&f->values[i])) {
            g_value_unset(&f->values[i]);
        }
    }
    G_OBJECT_CLASS(fuzz_props_parent_class)->finalize(obj);
}

static void fuzz_props_class_init(FuzzPropsClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);
    GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;
    GParamSpec *props[N_PROPS] = { NULL };

    oc->set_property = fuzz_props_set;
    oc->get_property = fuzz_props_get;
    oc->finalize = fuzz_props_finalize;
    props[PROP_FLAG] = g_param_spec_boolean("flag", NULL, "a bool", TRUE,
                                            rw);
    props[PROP_I32] = g_param_spec_int("i32", NULL, "an int32", -100, 100, 0,
                                       rw);
    props[PROP_U8] = g_param_spec_uint("u8", NULL, "a uint8", 0, 255, 7, rw);
    props[PROP_U32] = g_param_spec_uint("u32", NULL, "a uint32", 0,
                                        G_MAXUINT32, 0, rw);
    props[PROP_I64] = g_param_spec_int64("i64", NULL, "an int64",
                                         G_MININT64, G_MAXINT64, 0, rw);
    props[PROP_U64] = g_param_spec_uint64("u64", NULL, "a uint64", 0,
                                          G_MAXUINT64, 0, rw);
    props[PROP_SIZE] = cg_param_spec_size("size", "a size", 0, G_MAXUINT64,
                                          0, rw);
    props[PROP_STR] = g_param_spec_string("str", NULL, "a string", NULL, rw);
    props[PROP_MODE] = g_param_spec_enum("mode", NULL, "an enum",
                                         CG_TYPE_ON_OFF_AUTO,
                                         ON_OFF_AUTO_AUTO, rw);
    props[PROP_PEER] = cg_param_spec_link("peer", "a link", CG_TYPE_OBJECT,
                                          rw);
    props[PROP_UNDERSCORE] = cg_param_spec_keep_name(
        g_param_spec_boolean("event-idx", NULL, "QEMU's spelling", FALSE,
                             G_PARAM_READWRITE),
        "event_idx");
    g_object_class_install_properties(oc, N_PROPS, props);
}

static void fuzz_props_init(FuzzProps *self)
{
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    cg_types_init();
    return 0;
}

static bool same_items(const CgOpts *a, const CgOpts *b)
{
    if (a->items->len != b->items->len) {
        return false;
    }
    for (guint i = 0; i < a->items->len; i++) {
        const CgOpt *x = g_ptr_array_index(a->items, i);
        const CgOpt *y = g_ptr_array_index(b->items, i);
        if (strcmp(x->key, y->key) != 0 || strcmp(x->value, y->value) != 0 ||
            x->kind != y->kind) {
            return false;
        }
    }
    return true;
}

static void check_round_trip(const CgOpts *opts)
{
    g_autofree char *text = NULL;
    g_autoptr(CgOpts) again = NULL;

    if (opts->help) {
        return;
    }
    text = cg_opts_to_string(opts);
    again = cg_keyval_parse(text, NULL, NULL);
    g_assert(again != NULL);
    g_assert(same_items(opts, again));
}

/*
 * A uint64 above 2^63-1 reads back as a negative JSON integer
 * (cg_object_get_json casts to gint64; json-glib has no unsigned
 * integers), which setting then refuses.  Known and reported; left out
 * here so that the fuzzer looks for other problems.
 */
static bool beyond_int64(CgObject *obj, const char *name)
{
    GParamSpec *pspec = g_object_class_find_property(
        G_OBJECT_GET_CLASS(obj), name);
    guint64 v = 0;

    if (pspec == NULL || pspec->value_type != G_TYPE_UINT64) {
        return false;
    }
    g_object_get(obj, name, &v, NULL);
    return v > G_MAXINT64;
}

/* Setting the value read back changes nothing. */
static void check_reread(CgObject *obj, const char *name)
{
    g_autoptr(JsonNode) v1 = cg_object_get_json(obj, name, NULL);
    g_autoptr(JsonNode) v2 = NULL;
    g_autoptr(GError) err = NULL;

    if (v1 == NULL || JSON_NODE_HOLDS_NULL(v1) || beyond_int64(obj, name)) {
        return;
    }
    if (!cg_object_set_json(obj, name, v1, &err)) {
        g_error("%s: its own value %s is refused: %s", name,
                json_to_string(v1, FALSE), err->message);
    }
    v2 = cg_object_get_json(obj, name, NULL);
    g_assert(v2 != NULL && json_node_equal(v1, v2));
}

static void set_all(const CgOpts *opts)
{
    g_autoptr(CgObject) root = cg_object_new_root();
    CgObject *dir = cg_object_get_container(root, "objects");
    g_autoptr(CgObject) peer = g_object_new(CG_TYPE_CONTAINER, NULL);
    g_autoptr(CgObject) obj = g_object_new(fuzz_props_get_type(), NULL);

    cg_object_add_child(dir, "p0", peer, NULL);
    cg_object_add_child(dir, "f0", obj, NULL);
    for (guint i = 0; i < opts->items->len; i++) {
        const CgOpt *o = g_ptr_array_index(opts->items, i);
        g_autoptr(GError) err = NULL;

        if (cg_object_set_opt(obj, o->key, o->kind, o->value, &err)) {
            check_reread(obj, o->key);
        } else {
            g_assert(err != NULL && err->message[0] != '\0');
        }
    }
    cg_object_unparent(obj);
    cg_object_unparent(peer);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    g_autofree char *text = g_strndup((const char *)data, size);
    g_autoptr(CgOpts) kv = NULL;
    g_autoptr(CgOpts) implied = NULL;
    g_autoptr(CgOpts) any = NULL;

    /* Command-line arguments are C strings: cut at the first NUL. */
    kv = cg_keyval_parse(text, NULL, NULL);
    if (kv != NULL) {
        check_round_trip(kv);
        set_all(kv);
    }
    implied = cg_keyval_parse(text, "type", NULL);
    if (implied != NULL) {
        check_round_trip(implied);
    }
    any = cg_opts_parse(text, "type", true, NULL);
    if (any != NULL) {
        set_all(any);
    }
    return 0;
}
