/* confidential-guest-support: the abstract type behind -machine's switch. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "system/confidential-guest-support.h"

#include "qom/user-creatable.h"
#include "util/error.h"

CG_DEFINE_TYPE_EXTENDED(ConfidentialGuestSupport, confidential_guest_support,
                        TYPE_CONFIDENTIAL_GUEST_SUPPORT, CG_TYPE_OBJECT,
                        G_TYPE_FLAG_ABSTRACT,
                        G_IMPLEMENT_INTERFACE(CG_TYPE_USER_CREATABLE, NULL))

static void
confidential_guest_support_class_init(ConfidentialGuestSupportClass *klass)
{
}

static void confidential_guest_support_init(ConfidentialGuestSupport *self)
{
}

#define CGS_CLASS(cgs) CG_CONFIDENTIAL_GUEST_SUPPORT_GET_CLASS(cgs)

bool cgs_kvm_init(ConfidentialGuestSupport *cgs, MachineState *ms,
                  GError **err)
{
    if (CGS_CLASS(cgs)->kvm_init && !CGS_CLASS(cgs)->kvm_init(cgs, ms, err)) {
        cgs->ready = false;
        return false;
    }
    cgs->ready = true;
    return true;
}

bool cgs_machine_done(ConfidentialGuestSupport *cgs, MachineState *ms,
                      GError **err)
{
    return !CGS_CLASS(cgs)->machine_done ||
           CGS_CLASS(cgs)->machine_done(cgs, ms, err);
}

bool cgs_kvm_reset(ConfidentialGuestSupport *cgs, MachineState *ms,
                   GError **err)
{
    return !CGS_CLASS(cgs)->kvm_reset ||
           CGS_CLASS(cgs)->kvm_reset(cgs, ms, err);
}

bool cgs_vm_start(ConfidentialGuestSupport *cgs, MachineState *ms,
                  GError **err)
{
    return !CGS_CLASS(cgs)->vm_start ||
           CGS_CLASS(cgs)->vm_start(cgs, ms, err);
}

const char *cgs_id(ConfidentialGuestSupport *cgs)
{
    const char *name = cg_object_get_name(CG_OBJECT(cgs));

    return name ? name : "";
}

bool cgs_check_ready(ConfidentialGuestSupport *cgs, const char *accel_name,
                     GError **err)
{
    ConfidentialGuestSupportClass *k;

    if (cgs == NULL || cgs->ready) {
        return true;
    }
    k = CGS_CLASS(cgs);
    if (g_strcmp0(accel_name, "kvm") != 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "confidential-guest-support=%s: %s requires the kvm "
                    "accelerator; %s cannot run a protected guest. Use "
                    "-accel kvm on %s",
                    cgs_id(cgs), cg_object_type_name(CG_OBJECT(cgs)),
                    accel_name ? accel_name : "this accelerator",
                    k->requirement ? k->requirement : "a capable host");
    } else {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "confidential-guest-support=%s: %s was not made ready "
                    "by the %s accelerator; refusing to start an "
                    "unprotected guest", cgs_id(cgs),
                    cg_object_type_name(CG_OBJECT(cgs)), accel_name);
    }
    return false;
}

JsonNode *cgs_query(ConfidentialGuestSupport *cgs, const char *accel_name)
{
    g_autoptr(JsonBuilder) b = json_builder_new();
    ConfidentialGuestSupportClass *k;
    g_autofree char *state = NULL;

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "enabled");
    json_builder_add_boolean_value(b, cgs != NULL);
    if (cgs != NULL) {
        k = CGS_CLASS(cgs);
        state = k->query_state ? k->query_state(cgs)
                               : g_strdup(cgs->ready ? "ready" : "not-ready");
        json_builder_set_member_name(b, "type");
        json_builder_add_string_value(b, cg_object_type_name(CG_OBJECT(cgs)));
        json_builder_set_member_name(b, "id");
        json_builder_add_string_value(b, cgs_id(cgs));
        json_builder_set_member_name(b, "ready");
        json_builder_add_boolean_value(b, cgs->ready);
        json_builder_set_member_name(b, "accelerator");
        json_builder_add_string_value(b, accel_name ? accel_name : "none");
        json_builder_set_member_name(b, "state");
        json_builder_add_string_value(b, state);
        json_builder_set_member_name(b, "details");
        json_builder_begin_object(b);
        if (k->query_details) {
            k->query_details(cgs, b);
        }
        json_builder_end_object(b);
    }
    json_builder_end_object(b);
    return json_builder_get_root(b);
}
