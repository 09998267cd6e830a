/* Unit tests: the object layer (tree, properties from text, links,
 * user-creatable objects). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "backends/rng.h"
#include "qom/enums.h"
#include "qom/property.h"
#include "qom/user-creatable.h"

#include <gio/gio.h>
#include <stdio.h>

/* A user-creatable type with one property of each kind. */
typedef struct {
    CgObject parent_instance;
    bool flag;
    int level;
    guint8 small;
    gint64 offset;
    guint64 count;
    guint64 size;
    OnOffAuto mode;
    char *label;
    RngBackend *rng;
    bool fail_completion;
} TestProps;
typedef CgObjectClass TestPropsClass;

enum {
    P_0, P_FLAG, P_LEVEL, P_SMALL, P_OFFSET, P_COUNT, P_SIZE, P_MODE,
    P_LABEL, P_RNG, P_FAIL,
};

static void test_props_initable_init(GInitableIface *iface);

CG_DEFINE_TYPE_WITH_CODE(TestProps, test_props, "test-props", CG_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE(CG_TYPE_USER_CREATABLE, NULL)
                         G_IMPLEMENT_INTERFACE(G_TYPE_INITABLE,
                                               test_props_initable_init))

static gboolean test_props_complete(GInitable *init, GCancellable *c,
                                    GError **err)
{
    if (((TestProps *)init)->fail_completion) {
        g_set_error(err, G_IO_ERROR, G_IO_ERROR_FAILED, "completion failed");
        return FALSE;
    }
    return TRUE;
}

static void test_props_initable_init(GInitableIface *iface)
{
    iface->init = test_props_complete;
}

static void test_props_set(GObject *o, guint id, const GValue *v,
                           GParamSpec *p)
{
    TestProps *t = (TestProps *)o;

    switch (id) {
    case P_FLAG: t->flag = g_value_get_boolean(v); break;
    case P_LEVEL: t->level = g_value_get_int(v); break;
    case P_SMALL: t->small = g_value_get_uchar(v); break;
    case P_OFFSET: t->offset = g_value_get_int64(v); break;
    case P_COUNT: t->count = g_value_get_uint64(v); break;
    case P_SIZE: t->size = g_value_get_uint64(v); break;
    case P_MODE: t->mode = g_value_get_enum(v); break;
    case P_LABEL: g_free(t->label); t->label = g_value_dup_string(v); break;
    case P_RNG: g_clear_object(&t->rng); t->rng = g_value_dup_object(v);
        break;
    case P_FAIL: t->fail_completion = g_value_get_boolean(v); break;
    }
}

static void test_props_get(GObject *o, guint id, GValue *v, GParamSpec *p)
{
    TestProps *t = (TestProps *)o;

    switch (id) {
    case P_FLAG: g_value_set_boolean(v, t->flag); break;
    case P_LEVEL: g_value_set_int(v, t->level); break;
    case P_SMALL: g_value_set_uchar(v, t->small); break;
    case P_OFFSET: g_value_set_int64(v, t->offset); break;
    case P_COUNT: g_value_set_uint64(v, t->count); break;
    case P_SIZE: g_value_set_uint64(v, t->size); break;
    case P_MODE: g_value_set_enum(v, t->mode); break;
    case P_LABEL: g_value_set_string(v, t->label); break;
    case P_RNG: g_value_set_object(v, t->rng); break;
    case P_FAIL: g_value_set_boolean(v, t->fail_completion); break;
    }
}

static void test_props_dispose(GObject *o)
{
    g_clear_object(&((TestProps *)o)->rng);
    G_OBJECT_CLASS(test_props_parent_class)->dispose(o);
}

static void test_props_finalize(GObject *o)
{
    g_free(((TestProps *)o)->label);
    G_OBJECT_CLASS(test_props_parent_class)->finalize(o);
}

static void test_props_class_init(TestPropsClass *k)
{
    GObjectClass *oc = G_OBJECT_CLASS(k);
    GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

    oc->set_property = test_props_set;
    oc->get_property = test_props_get;
    oc->dispose = test_props_dispose;
    oc->finalize = test_props_finalize;
    g_object_class_install_property(oc, P_FLAG,
        g_param_spec_boolean("flag", NULL, "A flag", TRUE, rw));
    g_object_class_install_property(oc, P_LEVEL,
        g_param_spec_int("level", NULL, "A level", -5, 63, 0, rw));
    g_object_class_install_property(oc, P_SMALL,
        g_param_spec_uchar("small", NULL, "Small", 1, 63, 1, rw));
    g_object_class_install_property(oc, P_OFFSET,
        g_param_spec_int64("offset", NULL, "Offset", G_MININT64, G_MAXINT64,
                           0, rw));
    g_object_class_install_property(oc, P_COUNT,
        g_param_spec_uint64("count", NULL, "Count", 0, G_MAXUINT64, 0, rw));
    g_object_class_install_property(oc, P_SIZE,
        cg_param_spec_size("size", "A size", 0, 1ULL << 40, 4096, rw));
    g_object_class_install_property(oc, P_MODE,
        g_param_spec_enum("mode", NULL, "A mode", CG_TYPE_ON_OFF_AUTO,
                          ON_OFF_AUTO_AUTO, rw));
    g_object_class_install_property(oc, P_LABEL,
        g_param_spec_string("label", NULL, "A label", NULL, rw));
    g_object_class_install_property(oc, P_RNG,
        cg_param_spec_link("rng", "A random source", CG_TYPE_RNG_BACKEND,
                           rw));
    g_object_class_install_property(oc, P_FAIL,
        g_param_spec_boolean("fail", NULL, "Fail completion", FALSE, rw));
}

static void test_props_init(TestProps *t)
{
    t->flag = true;
    t->small = 1;
    t->size = 4096;
}

static CgObject *new_tree(void)
{
    return cg_object_new_root();
}

static CgObject *add_object(CgObject *root, const char *text)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(CgOpts) opts = cg_keyval_parse(text, "qom-type", &err);
    CgObject *obj;

    g_assert_no_error(err);
    obj = user_creatable_add(root, opts, &err);
    g_assert_no_error(err);
    return obj;
}

static void add_fails(CgObject *root, const char *text, const char *msg)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(CgOpts) opts = cg_opts_parse(text, "qom-type", true, &err);

    g_assert_no_error(err);
    g_assert_null(user_creatable_add(root, opts, &err));
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, msg);
}

static void test_tree(void)
{
    g_autoptr(CgObject) root = new_tree();
    CgObject *a = cg_object_get_container(root, "a");
    g_autoptr(CgObject) b = g_object_new(CG_TYPE_CONTAINER, NULL);
    g_autoptr(GError) err = NULL;
    g_autofree char *path = NULL;
    g_autofree char *rootpath = cg_object_canonical_path(root);

    g_assert_cmpstr(rootpath, ==, "/");
    g_assert_true(cg_object_add_child(a, "b", b, &err));
    path = cg_object_canonical_path(b);
    g_assert_cmpstr(path, ==, "/a/b");
    g_assert_true(cg_object_resolve_path(root, "/a/b") == b);
    g_assert_true(cg_object_resolve_path(root, "/a/b/") == b);
    g_assert_null(cg_object_resolve_path(root, "/a//b"));
    g_assert_null(cg_object_resolve_path(root, "a/b"));
    g_assert_true(cg_object_get_root(b) == root);

    g_assert_false(cg_object_add_child(a, "b", b, &err));
    g_assert_cmpstr(err->message, ==, "object is already in the tree at "
                                      "'/a/b'");
    g_clear_error(&err);
    {
        g_autoptr(CgObject) c = g_object_new(CG_TYPE_CONTAINER, NULL);
        g_assert_false(cg_object_add_child(a, "b", c, &err));
        g_assert_cmpstr(err->message, ==,
                        "'/a' already has a child named 'b'");
        g_clear_error(&err);
        g_assert_cmpstr(cg_object_add_child_anon(a, "dev", c), ==,
                        "dev[0]");
    }
    {
        g_autoptr(GPtrArray) kids = cg_object_get_children(a);
        g_assert_cmpuint(kids->len, ==, 2);
        g_assert_cmpstr(cg_object_get_name(g_ptr_array_index(kids, 0)), ==,
                        "b");
    }
    cg_object_unparent(b);
    g_assert_null(cg_object_get_child(a, "b"));
    g_assert_null(cg_object_canonical_path(b));
}

static void set_ok(CgObject *obj, const char *name, const char *value)
{
    g_autoptr(GError) err = NULL;

    g_assert_true(cg_object_set_str(obj, name, value, &err));
    g_assert_no_error(err);
}

static void set_fails(CgObject *obj, const char *name, CgOptKind kind,
                      const char *value, const char *msg)
{
    g_autoptr(GError) err = NULL;

    g_assert_false(cg_object_set_opt(obj, name, kind, value, &err));
    g_assert_cmpstr(err->message, ==, msg);
}

static void test_kinds(void)
{
    g_autoptr(CgObject) root = new_tree();
    TestProps *t = (TestProps *)add_object(root, "test-props,id=t");
    CgObject *o = CG_OBJECT(t);

    for (const char *const *v = (const char *const[]){ "off", "no", "false",
                                                       NULL };
         *v; v++) {
        t->flag = true;
        set_ok(o, "flag", *v);
        g_assert_false(t->flag);
    }
    set_ok(o, "flag", "yes");
    g_assert_true(t->flag);
    set_fails(o, "flag", CG_OPT_TEXT, "maybe",
              "property 'flag' expects on or off (or yes/no, true/false), "
              "got 'maybe'");

    set_ok(o, "level", "-5");
    g_assert_cmpint(t->level, ==, -5);
    set_ok(o, "level", "0x3f");
    g_assert_cmpint(t->level, ==, 63);
    set_fails(o, "level", CG_OPT_TEXT, "64",
              "property 'level' expects an integer in -5..63, got '64'");
    set_fails(o, "level", CG_OPT_TEXT, "12abc",
              "property 'level' expects an integer in -5..63, got '12abc'");
    set_fails(o, "small", CG_OPT_TEXT, "0",
              "property 'small' expects an integer in 1..63, got '0'");
    set_fails(o, "small", CG_OPT_TEXT, "-1",
              "property 'small' expects an integer in 1..63, got '-1'");
    set_ok(o, "offset", "-9223372036854775808");
    g_assert_cmpint(t->offset, ==, G_MININT64);
    set_ok(o, "count", "18446744073709551615");
    g_assert_cmpuint(t->count, ==, G_MAXUINT64);
    set_fails(o, "count", CG_OPT_TEXT, "18446744073709551616",
              "property 'count' expects an integer in 0..2^64-1, got "
              "'18446744073709551616'");

    set_ok(o, "size", "512M");
    g_assert_cmpuint(t->size, ==, 512ULL << 20);
    set_ok(o, "size", "65536");
    g_assert_cmpuint(t->size, ==, 65536);
    set_fails(o, "size", CG_OPT_TEXT, "2T",
              "property 'size' expects a size (e.g. 512M, 4G) in "
              "0..0x10000000000, got '2T'");

    set_ok(o, "mode", "off");
    g_assert_cmpint(t->mode, ==, ON_OFF_AUTO_OFF);
    set_fails(o, "mode", CG_OPT_TEXT, "maybe",
              "property 'mode' expects one of auto, on, off, got 'maybe'");

    set_ok(o, "label", "a,b");
    g_assert_cmpstr(t->label, ==, "a,b");

    set_fails(o, "nosuch", CG_OPT_TEXT, "1",
              "test-props has no property 'nosuch'; it accepts: count, fail, "
              "flag, label, level, mode, offset, rng, size, small");
    set_fails(o, "levle", CG_OPT_TEXT, "1",
              "test-props has no property 'levle'; did you mean 'level'?");
    set_fails(o, "type", CG_OPT_TEXT, "x",
              "property 'type' of test-props is read-only");
}

static void test_json_typing(void)
{
    g_autoptr(CgObject) root = new_tree();
    TestProps *t = (TestProps *)add_object(root, "test-props,id=t");
    CgObject *o = CG_OBJECT(t);
    g_autoptr(GError) err = NULL;

    g_assert_true(cg_object_set_opt(o, "level", CG_OPT_INTEGER, "7", &err));
    g_assert_cmpint(t->level, ==, 7);
    set_fails(o, "level", CG_OPT_STRING, "7",
              "property 'level' must be an integer, not a string");
    set_fails(o, "flag", CG_OPT_INTEGER, "1",
              "property 'flag' must be a boolean, not an integer");
    set_fails(o, "label", CG_OPT_BOOLEAN, "on",
              "property 'label' must be a string, not a boolean");
    set_fails(o, "size", CG_OPT_STRING, "4G",
              "property 'size' must be an integer, not a string");
    set_fails(o, "size", CG_OPT_INTEGER, "-1",
              "property 'size' expects a size (e.g. 512M, 4G) in "
              "0..0x10000000000, got '-1'");
}

static void test_json_get(void)
{
    g_autoptr(CgObject) root = new_tree();
    CgObject *o = add_object(root, "test-props,id=t,mode=on,level=3");
    g_autoptr(GError) err = NULL;
    g_autoptr(JsonNode) mode = cg_object_get_json(o, "mode", &err);
    g_autoptr(JsonNode) level = cg_object_get_json(o, "level", &err);
    g_autoptr(JsonNode) rng = NULL;
    g_autoptr(JsonNode) type = cg_object_get_json(o, "type", &err);

    g_assert_cmpstr(json_node_get_string(mode), ==, "on");
    g_assert_cmpint(json_node_get_int(level), ==, 3);
    g_assert_cmpstr(json_node_get_string(type), ==, "test-props");
    add_object(root, "rng-builtin,id=r0");
    set_ok(o, "rng", "r0");
    rng = cg_object_get_json(o, "rng", &err);
    g_assert_cmpstr(json_node_get_string(rng), ==, "/objects/r0");
}

static void test_links(void)
{
    g_autoptr(CgObject) root = new_tree();
    TestProps *t = (TestProps *)add_object(root, "test-props,id=t");
    CgObject *o = CG_OBJECT(t);
    CgObject *r0 = add_object(root, "rng-builtin,id=r0");

    add_object(root, "test-props,id=other");
    set_ok(o, "rng", "r0");
    g_assert_true((CgObject *)t->rng == r0);
    set_ok(o, "rng", "/objects/r0");
    g_assert_true((CgObject *)t->rng == r0);
    set_fails(o, "rng", CG_OPT_TEXT, "nosuch",
              "property 'rng': no object 'nosuch' exists; create it first "
              "with -object TYPE,id=nosuch");
    set_fails(o, "rng", CG_OPT_TEXT, "other",
              "property 'rng': object 'other' is a test-props, not a "
              "rng-backend");
    set_fails(o, "rng", CG_OPT_TEXT, "",
              "property 'rng' needs the id of a rng-backend object, got an "
              "empty value");
    set_fails(o, "rng", CG_OPT_TEXT, "/objects",
              "property 'rng': object '/objects' is a container, not a "
              "rng-backend");
}

static void test_user_creatable(void)
{
    g_autoptr(CgObject) root = new_tree();

    add_object(root, "test-props,id=t0");
    add_fails(root, "test-props", "test-props needs an id; add id=NAME");
    add_fails(root, "test-props,id=t0",
              "an object with id 't0' already exists; ids must be unique");
    add_fails(root, "test-props,id=0t",
              "invalid id '0t': an id starts with a letter and has only "
              "letters, digits, '-', '.' and '_'");
    add_fails(root, "test-props,id=t1,foo=1",
              "test-props has no property 'foo'; it accepts: count, fail, "
              "flag, label, level, mode, offset, rng, size, small");
    add_fails(root, "nosuch,id=x",
              "unknown object type 'nosuch'; see -object help");
    add_fails(root, "rng-backend,id=x",
              "rng-backend cannot be created with -object (it is abstract); "
              "see -object help");
    add_fails(root, "container,id=x",
              "container cannot be created with -object; see -object help");
    add_fails(root, "id=x", "'qom-type' is missing; write TYPE,id=ID,... "
                            "(see -object help for the types)");
    /* A failed object leaves nothing behind. */
    g_assert_null(cg_object_find(root, "t1"));
    add_fails(root, "test-props,id=t2,fail=on", "completion failed");
    g_assert_null(cg_object_find(root, "t2"));
    add_fails(root, "rng-random,id=r,filename=/nonexistent/rng",
              "rng-random: cannot open filename=/nonexistent/rng: No such "
              "file or directory; give an existing file or device such as "
              "/dev/urandom");
    g_assert_null(cg_object_find(root, "r"));
    add_fails(root, "{\"qom-type\": \"test-props\", \"id\": \"j\", "
                    "\"level\": \"3\"}",
              "property 'level' must be an integer, not a string");
    g_assert_null(cg_object_find(root, "j"));
}

static void test_delete(void)
{
    g_autoptr(CgObject) root = new_tree();
    TestProps *t = (TestProps *)add_object(root, "test-props,id=t");
    g_autoptr(GError) err = NULL;

    add_object(root, "rng-builtin,id=r0");
    set_ok(CG_OBJECT(t), "rng", "r0");
    g_assert_false(user_creatable_del(root, "r0", &err));
    g_assert_cmpstr(err->message, ==,
                    "object 'r0' is in use and cannot be deleted");
    g_clear_error(&err);
    g_assert_false(user_creatable_del(root, "nosuch", &err));
    g_assert_cmpstr(err->message, ==, "no object with id 'nosuch'");
    g_clear_error(&err);
    g_assert_true(user_creatable_del(root, "t", &err));
    g_assert_true(user_creatable_del(root, "r0", &err));
    g_assert_null(cg_object_find(root, "r0"));
}

static void test_rng_random_help(void)
{
    g_autofree char *help = cg_class_properties_help(
        cg_type_lookup("rng-random"));

    g_assert_cmpstr(help, ==,
                    "rng-random properties:\n"
                    "  filename=<str>               Host file or device the "
                    "random bytes are read from (default: /dev/urandom)\n");
}

static void test_rng_fill(void)
{
    g_autoptr(CgObject) root = new_tree();
    CgObject *b = add_object(root, "rng-builtin,id=b");
    CgObject *r = add_object(root, "rng-random,id=r,filename=/dev/zero");
    g_autoptr(GError) err = NULL;
    guint8 buf[16];

    memset(buf, 0xaa, sizeof(buf));
    g_assert_cmpint(rng_backend_fill(CG_RNG_BACKEND(r), buf, sizeof(buf),
                                     &err), ==, 16);
    for (size_t i = 0; i < sizeof(buf); i++) {
        g_assert_cmpint(buf[i], ==, 0);
    }
    g_assert_cmpint(rng_backend_fill(CG_RNG_BACKEND(b), buf, sizeof(buf),
                                     &err), >, 0);
    set_fails(r, "filename", CG_OPT_TEXT, "/dev/urandom",
              "rng-random: 'filename' cannot change once the file is open");
}

static void test_type_lookup(void)
{
    g_assert_true(cg_type_lookup("object") != 0);
    g_assert_true(cg_type_lookup("user-creatable") != 0);
    g_assert_true(cg_type_lookup("confidential-guest-support") != 0);
    g_assert_true(cg_type_lookup("GObject") == 0);
    g_assert_true(cg_type_lookup("GInitable") == 0);
    g_assert_true(cg_type_lookup("nosuch") == 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    cg_types_init();
    g_test_add_func("/qom/tree", test_tree);
    g_test_add_func("/qom/property-kinds", test_kinds);
    g_test_add_func("/qom/json-typing", test_json_typing);
    g_test_add_func("/qom/json-get", test_json_get);
    g_test_add_func("/qom/links", test_links);
    g_test_add_func("/qom/user-creatable", test_user_creatable);
    g_test_add_func("/qom/delete", test_delete);
    g_test_add_func("/qom/type-lookup", test_type_lookup);
    g_test_add_func("/backends/rng-random-help", test_rng_random_help);
    g_test_add_func("/backends/rng-fill", test_rng_fill);
    return g_test_run();
}
