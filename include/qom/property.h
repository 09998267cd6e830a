/* Properties: kinds beyond GObject's, and setting them from option text. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_QOM_PROPERTY_H
#define CGEMU_QOM_PROPERTY_H

#include "qom/object.h"
#include "util/keyval.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * Property kinds are GParamSpecs.  Two kinds need more than the GType of
 * the value and are marked on the spec:
 *  - size: a guint64 spec that also accepts "512M", "4G";
 *  - link: an object spec (value type = the linked type) whose value is
 *    given as an id or an absolute path and resolved in the tree.
 * Everything else (bool, ints, enums, strings) is plain GObject.
 */
GParamSpec *cg_param_spec_size(const char *name, const char *blurb,
                               guint64 min, guint64 max, guint64 dflt,
                               GParamFlags flags);
GParamSpec *cg_param_spec_link(const char *name, const char *blurb,
                               GType target, GParamFlags flags);
bool cg_param_spec_is_size(GParamSpec *pspec);
bool cg_param_spec_is_link(GParamSpec *pspec);

/*
 * Marks a property as not listed in help and not settable from the
 * command line or QMP (internal wiring between objects).
 */
void cg_param_spec_set_internal(GParamSpec *pspec);
bool cg_param_spec_is_internal(GParamSpec *pspec);

/*
 * GLib canonicalises property names ('_' becomes '-'), but users write
 * QEMU's names, some of which have underscores ("iommu_platform").  Such a
 * property is created without G_PARAM_STATIC_NAME and given its spelling
 * here; lookups with either spelling work, and listings and messages use
 * cg_param_spec_name().
 */
GParamSpec *cg_param_spec_keep_name(GParamSpec *pspec, const char *name);
const char *cg_param_spec_name(GParamSpec *pspec);
/* Whether two spellings name the same property ('_' == '-'). */
bool cg_property_names_equal(const char *a, const char *b);

/* Follows a GParamSpecOverride (interface properties) to its target. */
GParamSpec *cg_param_spec_resolve(GParamSpec *pspec);

/*
 * The QOM-style type name: "bool", "int32", "uint8", "uint64", "size",
 * "str", the enum's type name ("OnOffAuto"), "link<TYPE>".
 */
char *cg_param_spec_type_name(GParamSpec *pspec);
/*
 * The default as text ("on", "0x1" is never invented: integers print in
 * decimal); NULL when the property has no meaningful default.
 */
char *cg_param_spec_default_text(GParamSpec *pspec);
/* For enums: "on, off, auto" (the nicks); NULL otherwise. */
char *cg_param_spec_enum_choices(GParamSpec *pspec);

/*
 * Sets @name on @obj from option text of @kind (see CgOptKind): bools take
 * on/off/yes/no/true/false, integers decimal or 0x hex within the spec's
 * range, sizes also take suffixes, enums take their nicks, links an id or
 * an absolute path resolved in @obj's tree (cg_object_get_root) and checked
 * against the link's type.  Errors name the property, the value and what
 * is accepted, without any prefix (the caller adds which option).
 * The object's check_set_property hook may refuse.
 */
bool cg_object_set_opt(CgObject *obj, const char *name, CgOptKind kind,
                       const char *value, GError **err);
bool cg_object_set_str(CgObject *obj, const char *name, const char *value,
                       GError **err);
/* As cg_object_set_opt, resolving links in @root (for objects not yet in
 * the tree, such as a device before it is realized). */
bool cg_object_set_opt_in(CgObject *obj, CgObject *root, const char *name,
                          CgOptKind kind, const char *value, GError **err);
/*
 * Sets every option of @opts except those named in @skip (NULL-terminated),
 * in order; stops at the first error.
 */
bool cg_object_set_opts(CgObject *obj, const CgOpts *opts,
                        const char *const *skip, GError **err);

/*
 * Converts text to a GValue for @pspec without touching any object (used
 * to validate -global values before devices exist).  @root resolves links
 * and may be NULL (links then fail).
 */
bool cg_value_from_opt(GParamSpec *pspec, CgObject *root, CgOptKind kind,
                       const char *value, GValue *out, GError **err);

/* The value of @name as JSON (links as canonical paths); NULL + @err. */
JsonNode *cg_object_get_json(CgObject *obj, const char *name, GError **err);
/* Sets @name from a JSON scalar, with JSON's strict typing. */
bool cg_object_set_json(CgObject *obj, const char *name, JsonNode *value,
                        GError **err);

/*
 * The error for an unknown property: "'TYPE' has no property 'NAME'"
 * followed by a suggestion or the accepted names.
 */
void cg_set_unknown_property_error(GError **err, GType type,
                                   const char *name);

/* Properties a user may set (not internal, writable), sorted by name. */
GPtrArray *cg_class_user_properties(GType type);

/* A formatted listing, one property a line, for "TYPE,help". */
char *cg_class_properties_help(GType type);

G_END_DECLS

#endif
