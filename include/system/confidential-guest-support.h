/* confidential-guest-support: the abstract type behind -machine's switch. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_SYSTEM_CONFIDENTIAL_GUEST_SUPPORT_H
#define CGEMU_SYSTEM_CONFIDENTIAL_GUEST_SUPPORT_H

#include "qom/object.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * A technology object (sev-guest, pef-guest, s390-pv-guest) derives from
 * this type.  -machine confidential-guest-support=ID links the machine to
 * it.  The contract:
 *
 *  - ready is false until the technology has made the guest protectable.
 *    Only the hooks below set it, through the generic wrappers.  After
 *    machine creation (lifecycle step 9) a linked object that is not ready
 *    stops start-up with an error: cgemu never runs the guest unprotected.
 *
 *  - Call order, each at most once per VM except kvm_reset:
 *      kvm_init       step 4, by the KVM accelerator after the VM exists
 *                     and before guest memory is mapped or vCPUs created;
 *                     success makes the object ready
 *      machine_done   step 8, after the board and -device devices exist
 *                     and loaders have placed the guest's initial image
 *      kvm_reset      step 10 and on every later system reset, by the KVM
 *                     accelerator, after the devices and the board's
 *                     reset hook, before vCPUs are reset
 *      vm_start       step 11, when the VM first runs (at once, or at
 *                     'cont' after -S)
 *    Other accelerators call none of them (so the object stays not ready
 *    and start-up fails closed).
 *
 *  - A missing hook counts as success.  Hooks take the machine and return
 *    false with @err set on failure; the message names the step and the
 *    cause; the caller adds nothing but context.
 */
typedef struct _MachineState MachineState;

#define TYPE_CONFIDENTIAL_GUEST_SUPPORT "confidential-guest-support"
#define CG_TYPE_CONFIDENTIAL_GUEST_SUPPORT (confidential_guest_support_get_type())
CG_DECLARE_TYPE(ConfidentialGuestSupport, confidential_guest_support,
                CG, CONFIDENTIAL_GUEST_SUPPORT)

struct _ConfidentialGuestSupport {
    CgObject parent_instance;

    bool ready;
};

struct _ConfidentialGuestSupportClass {
    CgObjectClass parent_class;

    /* For messages: "AMD SEV", "POWER PEF", "IBM Z Protected Virtualization". */
    const char *technology;
    /* What it takes to run it, for the fail-closed message:
     * "a KVM host with SEV enabled (-accel kvm)". */
    const char *requirement;

    bool (*kvm_init)(ConfidentialGuestSupport *cgs, MachineState *ms,
                     GError **err);
    bool (*machine_done)(ConfidentialGuestSupport *cgs, MachineState *ms,
                         GError **err);
    bool (*kvm_reset)(ConfidentialGuestSupport *cgs, MachineState *ms,
                      GError **err);
    bool (*vm_start)(ConfidentialGuestSupport *cgs, MachineState *ms,
                     GError **err);

    /*
     * query-confidential-guest-support: the technology's state
     * ("launch-secret", "secure-mode-unobservable", ...) and extra members
     * added to @details (an object being built).  NULL: state "ready" or
     * "not-ready", no details.
     */
    char *(*query_state)(ConfidentialGuestSupport *cgs);
    void (*query_details)(ConfidentialGuestSupport *cgs,
                          JsonBuilder *details);
};

/* The generic wrappers the accelerator and the lifecycle call. */
bool cgs_kvm_init(ConfidentialGuestSupport *cgs, MachineState *ms,
                  GError **err);
bool cgs_machine_done(ConfidentialGuestSupport *cgs, MachineState *ms,
                      GError **err);
bool cgs_kvm_reset(ConfidentialGuestSupport *cgs, MachineState *ms,
                   GError **err);
bool cgs_vm_start(ConfidentialGuestSupport *cgs, MachineState *ms,
                  GError **err);

/*
 * The fail-closed check (step 9): true when @cgs is NULL or ready;
 * otherwise false with an error naming the type, id, accelerator and what
 * the technology needs.
 */
bool cgs_check_ready(ConfidentialGuestSupport *cgs, const char *accel_name,
                     GError **err);

/*
 * query-confidential-guest-support: {"enabled": false} for NULL; else
 * enabled, type, id, ready, accelerator, state, details.
 */
JsonNode *cgs_query(ConfidentialGuestSupport *cgs, const char *accel_name);

/* The id (the name under /objects). */
const char *cgs_id(ConfidentialGuestSupport *cgs);

G_END_DECLS

#endif
