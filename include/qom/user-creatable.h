/* Objects users create with -object and object-add. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_QOM_USER_CREATABLE_H
#define CGEMU_QOM_USER_CREATABLE_H

#include "qom/object.h"
#include "util/keyval.h"

G_BEGIN_DECLS

/*
 * A marker interface: only types implementing "user-creatable" can be made
 * with -object / object-add.  Completion (checks that need all properties,
 * opening files, ...) is GInitable's init, which such a type may also
 * implement; an object whose completion fails never stays in the tree.
 */
#define TYPE_USER_CREATABLE "user-creatable"
#define CG_TYPE_USER_CREATABLE (user_creatable_get_type())
G_DECLARE_INTERFACE(UserCreatable, user_creatable, CG, USER_CREATABLE,
                    CgObject)

struct _UserCreatableInterface {
    GTypeInterface parent_iface;

    /*
     * False with @err set when the object may not be deleted now (e.g. it
     * is in use by the machine).  NULL: deletable unless referenced.
     */
    bool (*can_be_deleted)(UserCreatable *uc, GError **err);
};

/*
 * Creates an object of type opts["qom-type"] with id opts["id"] under
 * /objects of @root, sets every other option as a property, then
 * completes it.  Errors: unknown type (naming the binary that has it when
 * it is another target's), a type that is not user-creatable or is
 * abstract, missing/invalid/duplicate id, unknown property, bad value,
 * completion failure.  Returns a borrowed pointer (the tree owns it).
 */
CgObject *user_creatable_add(CgObject *root, const CgOpts *opts,
                             GError **err);

/* Removes /objects/@id, unless it is in use. */
bool user_creatable_del(CgObject *root, const char *id, GError **err);

/* QEMU's id rule: a letter, then letters, digits, '-', '.', '_'. */
bool cg_id_wellformed(const char *id);

/* Sorted names of the concrete user-creatable types of this binary. */
GPtrArray *user_creatable_type_names(void);

G_END_DECLS

#endif
