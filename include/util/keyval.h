/* Option strings: QEMU keyval syntax and the JSON form, as ordered lists. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_UTIL_KEYVAL_H
#define CGEMU_UTIL_KEYVAL_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>

G_BEGIN_DECLS

/*
 * Where a value came from decides how strictly it is typed.  keyval text is
 * untyped and is parsed by the receiving property (CG_OPT_TEXT); the JSON
 * form carries its own type and must match the property exactly, as QMP
 * requires ("cbitpos": "47" is an error, "cbitpos": 47 is not).
 */
typedef enum {
    CG_OPT_TEXT,     /* from keyval: any property kind parses it */
    CG_OPT_STRING,   /* JSON string */
    CG_OPT_INTEGER,  /* JSON integer, kept as its decimal text */
    CG_OPT_BOOLEAN,  /* JSON true/false, kept as "on"/"off" */
    CG_OPT_NUMBER,   /* JSON non-integral number, kept as text */
} CgOptKind;

typedef struct {
    char *key;
    char *value;
    CgOptKind kind;
} CgOpt;

typedef struct {
    GPtrArray *items;   /* of CgOpt *, in the order given */
    bool help;          /* "help" or "?" was one of the elements */
    char *text;         /* the original string, for messages */
} CgOpts;

CgOpts *cg_opts_new(const char *text);
void cg_opts_free(CgOpts *opts);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CgOpts, cg_opts_free)

/* Appends; a key already present is replaced in place (used to merge). */
void cg_opts_set(CgOpts *opts, const char *key, const char *value,
                 CgOptKind kind);
const CgOpt *cg_opts_find(const CgOpts *opts, const char *key);
const char *cg_opts_get(const CgOpts *opts, const char *key);
/* Removes @key; returns whether it was there. */
bool cg_opts_remove(CgOpts *opts, const char *key);
/* Later keys of @src override those of @dst; order of first mention kept. */
void cg_opts_merge(CgOpts *dst, const CgOpts *src);

/*
 * Parses "a=1,b=x,,y" (",," is a literal comma).  When @implied_key is not
 * NULL, a first element without '=' is the value of that key
 * ("pc,accel=kvm" means type=pc,accel=kvm).  An element "help" or "?"
 * sets opts->help.  A key given twice, an element without '=' (other than
 * the implied one), and an empty key are errors that quote the element.
 */
CgOpts *cg_keyval_parse(const char *text, const char *implied_key,
                        GError **err);

/*
 * The JSON form, {"qom-type": "sev-guest", "id": "s0", "policy": 5}: the
 * members of one object with scalar values, each kept with its JSON kind.
 * Nested objects, arrays and null are refused with the member's name.
 */
CgOpts *cg_opts_from_json_object(JsonObject *obj, GError **err);
CgOpts *cg_opts_parse_json(const char *text, GError **err);

/*
 * Either form: text starting with '{' is JSON (when @allow_json), anything
 * else keyval.
 */
CgOpts *cg_opts_parse(const char *text, const char *implied_key,
                      bool allow_json, GError **err);

/* Human name of a kind, for "expected an integer, got a string". */
const char *cg_opt_kind_name(CgOptKind kind);

/* Reassembles keyval text (",," escaped), for messages and dumps. */
char *cg_opts_to_string(const CgOpts *opts);

G_END_DECLS

#endif
