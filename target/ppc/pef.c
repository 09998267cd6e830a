/* pef-guest: IBM POWER Protected Execution Facility (secure VMs). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "accel/kvm.h"
#include "system/confidential-guest-support.h"
#include "util/error.h"

#include <linux/kvm.h>
#include <string.h>

/*
 * The guest becomes secure by itself: it asks the ultravisor (the
 * "enter secure mode" ultracall) once it runs.  The emulator's part is
 * to have KVM allow that for this VM, to refuse to start where KVM
 * cannot, and to take the VM out of secure mode at every reset, so that
 * the reset guest starts from the images cgemu placed.  KVM does not
 * tell userspace when the guest switches, so nobody here knows whether
 * it is secure at a given moment.
 */
#define TYPE_PEF_GUEST "pef-guest"

typedef struct {
    ConfidentialGuestSupport parent_instance;

    unsigned svm_off_count;     /* successful KVM_PPC_SVM_OFF calls */
} PefGuest;

typedef ConfidentialGuestSupportClass PefGuestClass;

CG_DEFINE_TYPE(PefGuest, pef_guest, TYPE_PEF_GUEST,
               CG_TYPE_CONFIDENTIAL_GUEST_SUPPORT)

#define PEF_GUEST(obj)                                                        \
    G_TYPE_CHECK_INSTANCE_CAST((obj), pef_guest_get_type(), PefGuest)

/* "Device or resource busy (EBUSY)" */
static char *errno_text(int e)
{
    const char *name = strerrorname_np(e);

    return name != NULL ? g_strdup_printf("%s (%s)", g_strerror(e), name)
                        : g_strdup_printf("%s (errno %d)", g_strerror(e), e);
}

static bool pef_kvm_init(ConfidentialGuestSupport *cgs, MachineState *ms,
                         GError **err)
{
    KvmState *s = kvm_state(ms->accel);
    struct kvm_enable_cap cap = { .cap = KVM_CAP_PPC_SECURE_GUEST };
    g_autofree char *why = NULL;
    int r;

    if (s == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "pef-guest requires the kvm accelerator; use -accel kvm "
                    "on a POWER host");
        return false;
    }
    if (kvm_vm_check_extension(s, KVM_CAP_PPC_SECURE_GUEST) <= 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "pef-guest: this host's KVM cannot run secure guests "
                    "(no KVM_CAP_PPC_SECURE_GUEST): an ultravisor must be "
                    "running, from POWER firmware with PEF enabled and a "
                    "host kernel built with CONFIG_PPC_UV (the guest then "
                    "enters secure mode itself, booted with svm=on)");
        return false;
    }
    r = kvm_vm_ioctl(s, KVM_ENABLE_CAP, &cap);
    if (r < 0) {
        why = errno_text(-r);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "pef-guest: KVM refused to allow secure mode for this "
                    "VM (KVM_ENABLE_CAP KVM_CAP_PPC_SECURE_GUEST): %s", why);
        return false;
    }
    return true;
}

static bool pef_kvm_reset(ConfidentialGuestSupport *cgs, MachineState *ms,
                          GError **err)
{
    PefGuest *pef = PEF_GUEST(cgs);
    KvmState *s = kvm_state(ms->accel);
    g_autofree char *why = NULL;
    int r;

    if (s == NULL) {
        return true;
    }
    r = kvm_vm_ioctl(s, KVM_PPC_SVM_OFF, NULL);
    if (r < 0) {
        why = errno_text(-r);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "pef-guest: KVM could not take the guest out of secure "
                    "mode at reset (KVM_PPC_SVM_OFF): %s; refusing to run "
                    "it", why);
        return false;
    }
    pef->svm_off_count++;
    return true;
}

static char *pef_query_state(ConfidentialGuestSupport *cgs)
{
    return g_strdup(cgs->ready ? "secure-mode-unobservable" : "not-ready");
}

static void pef_query_details(ConfidentialGuestSupport *cgs, JsonBuilder *b)
{
    PefGuest *pef = PEF_GUEST(cgs);

    json_builder_set_member_name(b, "secure-mode-observable");
    json_builder_add_boolean_value(b, false);
    json_builder_set_member_name(b, "note");
    json_builder_add_string_value(
        b, "the guest enters secure mode itself through the ultravisor; "
           "KVM does not tell the emulator whether it has");
    json_builder_set_member_name(b, "svm-off-resets");
    json_builder_add_int_value(b, pef->svm_off_count);
}

static void pef_guest_class_init(PefGuestClass *k)
{
    k->technology = "POWER PEF";
    k->requirement = "a POWER9 or POWER10 host whose firmware runs the "
                     "ultravisor (PEF enabled)";
    k->kvm_init = pef_kvm_init;
    k->kvm_reset = pef_kvm_reset;
    k->query_state = pef_query_state;
    k->query_details = pef_query_details;
}

static void pef_guest_init(PefGuest *pef)
{
}
