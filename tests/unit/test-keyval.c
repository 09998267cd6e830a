/* Unit tests: keyval and JSON option parsing, number and size parsing. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "util/cutils.h"
#include "util/keyval.h"

static CgOpts *parse_ok(const char *text, const char *implied)
{
    g_autoptr(GError) err = NULL;
    CgOpts *opts = cg_keyval_parse(text, implied, &err);

    g_assert_no_error(err);
    g_assert_nonnull(opts);
    return opts;
}

static void parse_fails(const char *text, const char *implied,
                        const char *message)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(CgOpts) opts = cg_keyval_parse(text, implied, &err);

    g_assert_null(opts);
    g_assert_nonnull(err);
    g_assert_cmpstr(err->message, ==, message);
}

static void test_implied_key(void)
{
    g_autoptr(CgOpts) o = parse_ok("pc,confidential-guest-support=sev0",
                                   "type");

    g_assert_cmpuint(o->items->len, ==, 2);
    g_assert_cmpstr(cg_opts_get(o, "type"), ==, "pc");
    g_assert_cmpstr(cg_opts_get(o, "confidential-guest-support"), ==,
                    "sev0");
    g_assert_cmpint(cg_opts_find(o, "type")->kind, ==, CG_OPT_TEXT);
    g_assert_false(o->help);
}

static void test_implied_only_first(void)
{
    parse_fails("pc,q35", "type",
                "parameter 'q35' has no value; write 'q35=VALUE'");
    parse_fails("pc", NULL, "parameter 'pc' has no value; write 'pc=VALUE'");
}

static void test_escaped_values(void)
{
    g_autoptr(CgOpts) o = parse_ok("a=x,,y,b=,,,c=z,,", NULL);
    g_autofree char *text = cg_opts_to_string(o);

    g_assert_cmpstr(cg_opts_get(o, "a"), ==, "x,y");
    g_assert_cmpstr(cg_opts_get(o, "b"), ==, ",");
    g_assert_cmpstr(cg_opts_get(o, "c"), ==, "z,");
    g_assert_cmpstr(text, ==, "a=x,,y,b=,,,c=z,,");
}

static void test_empty_value_kept(void)
{
    g_autoptr(CgOpts) o = parse_ok("pc,confidential-guest-support=",
                                   "type");

    g_assert_cmpstr(cg_opts_get(o, "confidential-guest-support"), ==, "");
}

static void test_help(void)
{
    g_autoptr(CgOpts) a = parse_ok("help", "qom-type");
    g_autoptr(CgOpts) b = parse_ok("rng-random,help", "qom-type");
    g_autoptr(CgOpts) c = parse_ok("?", "type");

    g_assert_true(a->help);
    g_assert_null(cg_opts_get(a, "qom-type"));
    g_assert_true(b->help);
    g_assert_cmpstr(cg_opts_get(b, "qom-type"), ==, "rng-random");
    g_assert_true(c->help);
}

static void test_errors(void)
{
    parse_fails("", "type", "empty argument; expected type=VALUE,...");
    parse_fails("", NULL, "empty argument; expected KEY=VALUE,...");
    parse_fails("a=1,a=2", NULL,
                "parameter 'a' is given more than once; give it once");
}

static void test_trailing_comma(void)
{
    g_autoptr(CgOpts) o = parse_ok("a=1,", NULL);

    g_assert_cmpuint(o->items->len, ==, 1);
}

static void test_empty_element(void)
{
    parse_fails(",a=1", NULL,
                "empty element in ',a=1'; separate parameters with one ',' "
                "and write a literal comma as ',,'");
}

static void test_bad_key(void)
{
    parse_fails("a b=1", NULL,
                "invalid parameter name 'a b'; names use letters, digits, "
                "'-', '_' and '.'");
    parse_fails("=1", NULL,
                "invalid parameter name ''; names use letters, digits, '-', "
                "'_' and '.'");
}

static void test_json(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(CgOpts) o = cg_opts_parse(
        "{\"qom-type\": \"sev-guest\", \"id\": \"s0\", \"policy\": 5, "
        "\"kernel-hashes\": true, \"x\": 1.5}", "qom-type", true, &err);

    g_assert_no_error(err);
    g_assert_cmpstr(cg_opts_get(o, "qom-type"), ==, "sev-guest");
    g_assert_cmpint(cg_opts_find(o, "id")->kind, ==, CG_OPT_STRING);
    g_assert_cmpstr(cg_opts_get(o, "policy"), ==, "5");
    g_assert_cmpint(cg_opts_find(o, "policy")->kind, ==, CG_OPT_INTEGER);
    g_assert_cmpstr(cg_opts_get(o, "kernel-hashes"), ==, "on");
    g_assert_cmpint(cg_opts_find(o, "kernel-hashes")->kind, ==,
                    CG_OPT_BOOLEAN);
    g_assert_cmpint(cg_opts_find(o, "x")->kind, ==, CG_OPT_NUMBER);
}

static void json_fails(const char *text, const char *prefix)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(CgOpts) o = cg_opts_parse(text, "qom-type", true, &err);

    g_assert_null(o);
    g_assert_nonnull(err);
    g_assert_true(g_str_has_prefix(err->message, prefix));
}

static void test_json_errors(void)
{
    json_fails("{\"a\": [1]}", "parameter 'a' must be a string, number or "
                               "boolean, not an array");
    json_fails("{\"a\": {}}", "parameter 'a' must be a string, number or "
                              "boolean, not an object");
    json_fails("{\"a\": null}", "parameter 'a' must be a string, number or "
                                "boolean, not null");
    json_fails("{\"a\": ", "invalid JSON: ");
    json_fails("{\"a\": 1} {", "invalid JSON: ");
}

static void test_json_not_allowed(void)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(CgOpts) o = cg_opts_parse("{\"a\": 1}", "type", false, &err);

    /* Without JSON, the text is keyval: an implied value "{"a": 1}". */
    g_assert_no_error(err);
    g_assert_cmpstr(cg_opts_get(o, "type"), ==, "{\"a\": 1}");
}

static void test_merge(void)
{
    g_autoptr(CgOpts) a = parse_ok("pc,mem-merge=on", "type");
    g_autoptr(CgOpts) b = parse_ok("mem-merge=off,dump-guest-core=off",
                                   NULL);

    cg_opts_merge(a, b);
    g_assert_cmpuint(a->items->len, ==, 3);
    g_assert_cmpstr(cg_opts_get(a, "mem-merge"), ==, "off");
    g_assert_true(cg_opts_remove(a, "type"));
    g_assert_false(cg_opts_remove(a, "type"));
}

static void test_numbers(void)
{
    int64_t s;
    uint64_t u;
    bool b;

    g_assert_true(cg_parse_int64("-5", &s) && s == -5);
    g_assert_true(cg_parse_int64("0x10", &s) && s == 16);
    g_assert_true(cg_parse_int64("-9223372036854775808", &s) &&
                  s == INT64_MIN);
    g_assert_false(cg_parse_int64("9223372036854775808", &s));
    g_assert_false(cg_parse_int64(" 5", &s));
    g_assert_false(cg_parse_int64("5x", &s));
    g_assert_false(cg_parse_int64("", &s));
    g_assert_false(cg_parse_int64("0x", &s));
    g_assert_true(cg_parse_uint64("18446744073709551615", &u) &&
                  u == UINT64_MAX);
    g_assert_false(cg_parse_uint64("18446744073709551616", &u));
    g_assert_false(cg_parse_uint64("-1", &u));
    g_assert_false(cg_parse_uint64("+1", &u));
    g_assert_true(cg_parse_bool("yes", &b) && b);
    g_assert_true(cg_parse_bool("false", &b) && !b);
    g_assert_false(cg_parse_bool("On", &b));
}

static void test_sizes(void)
{
    uint64_t v;

    g_assert_true(cg_parse_size("512", 'M', &v) && v == 512ULL << 20);
    g_assert_true(cg_parse_size("512", 'B', &v) && v == 512);
    g_assert_true(cg_parse_size("4G", 'B', &v) && v == 4ULL << 30);
    g_assert_true(cg_parse_size("4g", 'B', &v) && v == 4ULL << 30);
    g_assert_true(cg_parse_size("1.5K", 'B', &v) && v == 1536);
    g_assert_true(cg_parse_size("0x1000", 'M', &v) && v == 4096);
    g_assert_true(cg_parse_size("15E", 'B', &v) && v == 15ULL << 60);
    g_assert_false(cg_parse_size("16E", 'B', &v));
    g_assert_false(cg_parse_size("1.5", 'B', &v));
    g_assert_false(cg_parse_size("4GB", 'B', &v));
    g_assert_false(cg_parse_size("4X", 'B', &v));
    g_assert_false(cg_parse_size("-1", 'B', &v));
    g_assert_false(cg_parse_size("", 'B', &v));
    g_assert_false(cg_parse_size("99999999999999999999", 'B', &v));
}

static void test_suggest(void)
{
    static const char *const names[] = { "machine", "object", "device" };

    g_assert_cmpstr(cg_suggest("machin", names, 3), ==, "machine");
    g_assert_cmpstr(cg_suggest("objcet", names, 3), ==, "object");
    g_assert_null(cg_suggest("kernel", names, 3));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/keyval/implied-key", test_implied_key);
    g_test_add_func("/keyval/implied-only-first", test_implied_only_first);
    g_test_add_func("/keyval/escaped-values", test_escaped_values);
    g_test_add_func("/keyval/empty-value-kept", test_empty_value_kept);
    g_test_add_func("/keyval/help", test_help);
    g_test_add_func("/keyval/errors", test_errors);
    g_test_add_func("/keyval/empty-element", test_empty_element);
    g_test_add_func("/keyval/trailing-comma", test_trailing_comma);
    g_test_add_func("/keyval/bad-key", test_bad_key);
    g_test_add_func("/keyval/json", test_json);
    g_test_add_func("/keyval/json-errors", test_json_errors);
    g_test_add_func("/keyval/json-not-allowed", test_json_not_allowed);
    g_test_add_func("/keyval/merge", test_merge);
    g_test_add_func("/cutils/numbers", test_numbers);
    g_test_add_func("/cutils/sizes", test_sizes);
    g_test_add_func("/cutils/suggest", test_suggest);
    return g_test_run();
}
