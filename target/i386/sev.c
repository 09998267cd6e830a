/* sev-guest: AMD SEV and SEV-ES guests (the type and the launch). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sev.h"

#include "hw/core/loader.h"
#include "hw/core/machine.h"
#include "hw/i386/x86-machine.h"
#include "qom/property.h"
#include "qom/user-creatable.h"
#include "target/i386/kvm-x86.h"
#include "util/error.h"

#include <errno.h>
#include <linux/kvm.h>
#include <linux/psp-sev.h>
#include <string.h>
#include <unistd.h>

enum {
    PROP_0,
    PROP_SEV_DEVICE,
    PROP_POLICY,
    PROP_HANDLE,
    PROP_DH_CERT_FILE,
    PROP_SESSION_FILE,
    PROP_CBITPOS,
    PROP_REDUCED_PHYS_BITS,
    PROP_KERNEL_HASHES,
};

typedef ConfidentialGuestSupportClass SevGuestClass;

CG_DEFINE_TYPE(SevGuest, sev_guest, TYPE_SEV_GUEST,
               CG_TYPE_CONFIDENTIAL_GUEST_SUPPORT)

const char *sev_state_name(SevState state)
{
    static const char *const names[] = {
        [SEV_STATE_UNINIT] = "uninit",
        [SEV_STATE_LAUNCH_UPDATE] = "launch-update",
        [SEV_STATE_LAUNCH_SECRET] = "launch-secret",
        [SEV_STATE_RUNNING] = "running",
        [SEV_STATE_SEND_UPDATE] = "send-update",
        [SEV_STATE_RECEIVE_UPDATE] = "receive-update",
    };

    return (size_t)state < G_N_ELEMENTS(names) ? names[state] : "uninit";
}

SevGuest *sev_guest_of(MachineState *ms)
{
    return ms && ms->cgs && CG_IS_SEV_GUEST(ms->cgs) ? CG_SEV_GUEST(ms->cgs)
                                                     : NULL;
}

int sev_guest_cmd(SevGuest *sev, uint32_t id, void *data, int *fw_error)
{
    struct kvm_sev_cmd cmd = {
        .id = id,
        .data = (__u64)(uintptr_t)data,
        .sev_fd = (__u32)sev->sev_fd,
    };
    int r = kvm_vm_ioctl(sev->kvm, KVM_MEMORY_ENCRYPT_OP, &cmd);

    *fw_error = (int)cmd.error;
    return r < 0 ? r : 0;
}

static void set_step_error(GError **err, const char *step, int ret,
                           int fw_error)
{
    g_autofree char *why = sev_fw_error_text(ret, fw_error);

    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC, "sev-guest: %s failed: %s",
                step, why);
}

/* --- kvm_init: checks, most useful message first ------------------------ */

static bool check_host(SevGuest *sev, MachineState *ms, SevHostInfo *host,
                       GError **err)
{
    if (!sev_host_probe(kvm_dev_fd(sev->kvm), host, err) ||
        !sev_host_check(host, err)) {
        return false;
    }
    if (sev->cbitpos == 0) {
        sev->cbitpos = host->cbitpos;
    } else if (sev->cbitpos != host->cbitpos) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-guest: cbitpos=%u does not match this host's C-bit "
                    "position %u; set cbitpos=%u (or leave it out)",
                    sev->cbitpos, host->cbitpos, host->cbitpos);
        return false;
    }
    if (sev->reduced_phys_bits == 0) {
        sev->reduced_phys_bits = host->reduced_phys_bits;
    } else if (sev->reduced_phys_bits < host->reduced_phys_bits) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-guest: reduced-phys-bits=%u is less than this "
                    "host's reduction of %u bits: the guest would use "
                    "physical address bits the hardware loses; set "
                    "reduced-phys-bits=%u (or leave it out)",
                    sev->reduced_phys_bits, host->reduced_phys_bits,
                    host->reduced_phys_bits);
        return false;
    }
    return true;
}

static bool check_platform(SevGuest *sev, GError **err)
{
    struct sev_user_data_status st = { 0 };
    unsigned need_major = SEV_POLICY_API_MAJOR(sev->policy);
    unsigned need_minor = SEV_POLICY_API_MINOR(sev->policy);
    int fw = 0;
    int r = sev_platform_cmd(sev->sev_fd, SEV_PLATFORM_STATUS, &st, &fw);

    if (r < 0) {
        g_autofree char *why = sev_fw_error_text(r, fw);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-guest: PLATFORM_STATUS on sev-device=%s failed: %s",
                    sev->sev_device, why);
        return false;
    }
    sev->api_major = st.api_major;
    sev->api_minor = st.api_minor;
    sev->build_id = st.build;
    if (need_major > st.api_major ||
        (need_major == st.api_major && need_minor > st.api_minor)) {
        g_autofree char *p = sev_policy_describe(sev->policy);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-guest: policy %s needs SEV API %u.%u or newer, but "
                    "the firmware has %u.%u (build %u); update the host's "
                    "SEV firmware or lower the policy's API version",
                    p, need_major, need_minor, st.api_major, st.api_minor,
                    st.build);
        return false;
    }
    sev->platform_flags = st.flags;
    return true;
}

/* SEV-ES: each constraint with its own message. */
static bool check_es(SevGuest *sev, MachineState *ms, const SevHostInfo *host,
                     GError **err)
{
    g_autofree char *p = sev_policy_describe(sev->policy);

    if (!sev_guest_es(sev)) {
        return true;
    }
    if (!host->kvm_es) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-guest: policy %s asks for SEV-ES, which KVM does "
                    "not offer on this host; load kvm_amd with sev_es=1, or "
                    "clear policy bit 0x4 for plain SEV", p);
        return false;
    }
    if (!(sev->platform_flags & SEV_STATUS_FLAGS_CONFIG_ES)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-guest: policy %s asks for SEV-ES, but the SEV "
                    "firmware (API %u.%u) is not configured for it; enable "
                    "SEV-ES in the host's BIOS, or clear policy bit 0x4",
                    p, sev->api_major, sev->api_minor);
        return false;
    }
    if (ms->smp_cpus > 1 && ms->firmware == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-guest: SEV-ES with -smp %u needs firmware that "
                    "starts the other vCPUs (their state is encrypted, so "
                    "cgemu cannot); give -bios with SEV-ES support (OVMF), "
                    "or use -smp 1", ms->smp_cpus);
        return false;
    }
    return true;
}

static bool launch_start(SevGuest *sev, GError **err)
{
    struct kvm_sev_launch_start start = {
        .handle = sev->handle,
        .policy = sev->policy,
    };
    g_autofree guchar *dh = NULL;
    g_autofree guchar *session = NULL;
    gsize dh_len = 0, session_len = 0;
    int fw = 0, r;

    if (sev->dh_cert_file != NULL &&
        !sev_read_base64_file("dh-cert-file", sev->dh_cert_file, &dh,
                              &dh_len, err)) {
        return false;
    }
    if (sev->session_file != NULL &&
        !sev_read_base64_file("session-file", sev->session_file, &session,
                              &session_len, err)) {
        return false;
    }
    start.dh_uaddr = (__u64)(uintptr_t)dh;
    start.dh_len = (__u32)dh_len;
    start.session_uaddr = (__u64)(uintptr_t)session;
    start.session_len = (__u32)session_len;
    r = sev_guest_cmd(sev, KVM_SEV_LAUNCH_START, &start, &fw);
    if (r < 0) {
        g_autofree char *p = sev_policy_describe(sev->policy);
        g_autofree char *step = g_strdup_printf("LAUNCH_START with policy %s",
                                                p);
        set_step_error(err, step, r, fw);
        return false;
    }
    sev->handle = start.handle;
    sev->state = SEV_STATE_LAUNCH_UPDATE;
    return true;
}

/* Every RAM region is pinned for the firmware (KVM_MEMORY_ENCRYPT_REG_REGION). */
static bool sev_ram_added(void *opaque, RamRegion *ram, GError **err)
{
    SevGuest *sev = opaque;
    struct kvm_enc_region region = {
        .addr = (__u64)(uintptr_t)ram->host,
        .size = ram->size,
    };
    int r = kvm_vm_ioctl(sev->kvm, KVM_MEMORY_ENCRYPT_REG_REGION, &region);

    if (r < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-guest: registering %s (0x%" G_GINT64_MODIFIER
                    "x bytes) for encryption failed: %s; check the memlock "
                    "limit (ulimit -l)", ram->name, ram->size,
                    g_strerror(-r));
        return false;
    }
    return true;
}

static bool sev_kvm_init(ConfidentialGuestSupport *cgs, MachineState *ms,
                         GError **err)
{
    SevGuest *sev = CG_SEV_GUEST(cgs);
    SevHostInfo host;
    int fw = 0, r;
    const AddressSpaceListener listener = {
        .ram_added = sev_ram_added,
        .opaque = sev,
    };

    sev->kvm = kvm_state(ms->accel);
    if (sev->kvm == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-guest requires the kvm accelerator; use -accel kvm");
        return false;
    }
    if (sev->kernel_hashes) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-guest: kernel-hashes=on is not supported yet "
                    "(measured direct boot needs firmware with a hashes "
                    "table); use kernel-hashes=off, or measure the "
                    "-kernel/-initrd/-append bytes themselves, as cgemu "
                    "does by default");
        return false;
    }
    if (!check_host(sev, ms, &host, err)) {
        return false;
    }
    sev->sev_fd = sev_open_device(sev->sev_device, err);
    if (sev->sev_fd < 0 || !check_platform(sev, err) ||
        !check_es(sev, ms, &host, err)) {
        return false;
    }
    r = sev_guest_cmd(sev, sev_guest_es(sev) ? KVM_SEV_ES_INIT : KVM_SEV_INIT,
                NULL, &fw);
    if (r < 0) {
        set_step_error(err, sev_guest_es(sev) ? "KVM_SEV_ES_INIT"
                                              : "KVM_SEV_INIT", r, fw);
        return false;
    }
    /*
     * The guest learns its C-bit position from CPUID 0x8000001F, which it
     * sees as QEMU presents it: SEV, SEV-ES only for an ES guest, and the
     * guest's own bit values.
     */
    return kvm_x86_set_cpuid_leaf(sev->kvm,
                                  &(struct kvm_cpuid_entry2){
                                      .function = 0x8000001f,
                                      .eax = (1u << 1) |
                                             (sev_guest_es(sev) ? 1u << 3
                                                                : 0),
                                      .ebx = (sev->cbitpos & 0x3f) |
                                             (sev->reduced_phys_bits & 0x3f)
                                                 << 6,
                                  },
                                  err) &&
           launch_start(sev, err) &&
           kvm_add_ram_listener(sev->kvm, &listener, err);
}

/* --- machine_done: encrypt and measure what the loaders placed ---------- */

typedef struct {
    uint64_t start, end;
} Range;

/*
 * The firmware encrypts in place, in 16-byte units at 16-byte aligned
 * addresses, so each record is widened to that grain; bytes an earlier
 * record already covered are left out, because encrypting memory twice
 * would destroy it.
 */
static bool update_record(SevGuest *sev, MachineState *ms,
                          const LoadRecord *rec, GArray *done, GError **err)
{
    uint64_t start = rec->gpa & ~15ull;
    uint64_t end = (rec->gpa + rec->size + 15) & ~15ull;
    uint64_t pos = start;

    while (pos < end) {
        uint64_t piece_end = end;
        bool covered = false;

        for (guint i = 0; i < done->len; i++) {
            Range *d = &g_array_index(done, Range, i);
            if (pos >= d->start && pos < d->end) {
                pos = d->end;
                covered = true;
                break;
            }
            if (d->start > pos && d->start < piece_end) {
                piece_end = d->start;
            }
        }
        if (covered) {
            continue;
        }
        {
            struct kvm_sev_launch_update_data upd = { 0 };
            void *host = guest_ram_ptr(ms->mem, pos, piece_end - pos);
            Range r = { pos, piece_end };
            int fw = 0, ret;

            if (host == NULL) {
                g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                            "sev-guest: %s at 0x%" G_GINT64_MODIFIER "x is "
                            "not in guest RAM and cannot be encrypted",
                            rec->what, pos);
                return false;
            }
            upd.uaddr = (__u64)(uintptr_t)host;
            upd.len = (__u32)(piece_end - pos);
            ret = sev_guest_cmd(sev, KVM_SEV_LAUNCH_UPDATE_DATA, &upd, &fw);
            if (ret < 0) {
                g_autofree char *step = g_strdup_printf(
                    "LAUNCH_UPDATE_DATA of %s (0x%" G_GINT64_MODIFIER "x+0x%"
                    G_GINT64_MODIFIER "x)", rec->what, pos, piece_end - pos);
                set_step_error(err, step, ret, fw);
                return false;
            }
            g_array_append_val(done, r);
            pos = piece_end;
        }
    }
    return true;
}

static bool launch_measure(SevGuest *sev, GError **err)
{
    struct kvm_sev_launch_measure m = { 0 };
    int fw = 0, r;

    /* A zero length asks the firmware how long the blob is. */
    r = sev_guest_cmd(sev, KVM_SEV_LAUNCH_MEASURE, &m, &fw);
    if (m.len == 0 || m.len > sizeof(sev->measurement)) {
        set_step_error(err, "LAUNCH_MEASURE (length query)",
                       r < 0 ? r : -EINVAL, fw);
        return false;
    }
    m.uaddr = (__u64)(uintptr_t)sev->measurement;
    r = sev_guest_cmd(sev, KVM_SEV_LAUNCH_MEASURE, &m, &fw);
    if (r < 0) {
        set_step_error(err, "LAUNCH_MEASURE", r, fw);
        return false;
    }
    sev->measurement_len = m.len;
    sev->state = SEV_STATE_LAUNCH_SECRET;
    return true;
}

static uint32_t le32_at(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/*
 * What the firmware (-bios) tells about itself in its GUID table, read
 * before it is encrypted: where it wants injected secrets, and, for
 * SEV-ES, where the other vCPUs start (their encrypted state is set from
 * it; a SIPI cannot move them later).
 */
static bool read_firmware_table(SevGuest *sev, MachineState *ms,
                                GError **err)
{
    const GPtrArray *records = loader_records(ms);
    const LoadRecord *fw = NULL;
    const uint8_t *image, *data;
    size_t len;

    for (guint i = 0; i < records->len && fw == NULL; i++) {
        const LoadRecord *r = g_ptr_array_index(records, i);
        if (!strcmp(r->what, "bios")) {
            fw = r;
        }
    }
    image = fw ? guest_ram_ptr(ms->mem, fw->gpa, fw->size) : NULL;
    if (image != NULL &&
        sev_ovmf_find(image, fw->size, SEV_OVMF_SECRET_GUID, &data, &len) &&
        len >= 8) {
        sev->secret_gpa = le32_at(data);
        sev->secret_size = le32_at(data + 4);
    }
    if (!sev_guest_es(sev) || ms->smp_cpus < 2) {
        return true;
    }
    if (image == NULL ||
        !sev_ovmf_find(image, fw->size, SEV_OVMF_ES_RESET_GUID, &data,
                       &len) ||
        len < 4 || le32_at(data) == 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-guest: SEV-ES with -smp %u needs the firmware's "
                    "SEV-ES reset block (GUID table entry %s, as OVMF "
                    "has); %s", ms->smp_cpus, SEV_OVMF_ES_RESET_GUID,
                    image == NULL ? "there is no -bios image"
                    : !sev_ovmf_has_table(image, fw->size)
                        ? "this -bios image has no GUID table"
                        : "this -bios image's GUID table has no such entry");
        return false;
    }
    if (CG_IS_X86_MACHINE(ms)) {
        CG_X86_MACHINE(ms)->boot.ap_reset_addr = le32_at(data);
    }
    return true;
}

static bool sev_machine_done(ConfidentialGuestSupport *cgs, MachineState *ms,
                             GError **err)
{
    SevGuest *sev = CG_SEV_GUEST(cgs);
    const GPtrArray *records = loader_records(ms);
    g_autoptr(GArray) done = g_array_new(FALSE, FALSE, sizeof(Range));

    if (sev->state != SEV_STATE_LAUNCH_UPDATE) {
        return true;
    }
    if (!read_firmware_table(sev, ms, err)) {
        return false;
    }
    for (guint i = 0; i < records->len; i++) {
        if (!update_record(sev, ms, g_ptr_array_index(records, i), done,
                           err)) {
            return false;
        }
    }
    if (sev_guest_es(sev)) {
        int fw = 0, r;
        /* The VMSAs are measured as the vCPUs will start. */
        if (!kvm_reset_vcpus(sev->kvm, err)) {
            return false;
        }
        r = sev_guest_cmd(sev, KVM_SEV_LAUNCH_UPDATE_VMSA, NULL, &fw);
        if (r < 0) {
            set_step_error(err, "LAUNCH_UPDATE_VMSA", r, fw);
            return false;
        }
        kvm_set_guest_state_protected(sev->kvm);
    }
    return launch_measure(sev, err);
}

/* --- vm_start ----------------------------------------------------------- */

static bool sev_vm_start(ConfidentialGuestSupport *cgs, MachineState *ms,
                         GError **err)
{
    SevGuest *sev = CG_SEV_GUEST(cgs);
    int fw = 0, r;

    if (sev->state == SEV_STATE_RUNNING) {
        return true;
    }
    r = sev_guest_cmd(sev, KVM_SEV_LAUNCH_FINISH, NULL, &fw);
    if (r < 0) {
        set_step_error(err, "LAUNCH_FINISH", r, fw);
        return false;
    }
    sev->state = SEV_STATE_RUNNING;
    return true;
}

/* --- query-confidential-guest-support ----------------------------------- */

static char *sev_query_state(ConfidentialGuestSupport *cgs)
{
    SevGuest *sev = CG_SEV_GUEST(cgs);

    return g_strdup(cgs->ready ? sev_state_name(sev->state) : "not-ready");
}

static void sev_query_details(ConfidentialGuestSupport *cgs, JsonBuilder *b)
{
    SevGuest *sev = CG_SEV_GUEST(cgs);
    g_autoptr(GPtrArray) flags = sev_policy_flags(sev->policy);

    json_builder_set_member_name(b, "sev-type");
    json_builder_add_string_value(b, "sev");
    json_builder_set_member_name(b, "es");
    json_builder_add_boolean_value(b, sev_guest_es(sev));
    json_builder_set_member_name(b, "policy");
    json_builder_add_int_value(b, sev->policy);
    json_builder_set_member_name(b, "policy-flags");
    json_builder_begin_array(b);
    for (guint i = 0; i < flags->len; i++) {
        json_builder_add_string_value(b, g_ptr_array_index(flags, i));
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "handle");
    json_builder_add_int_value(b, sev->handle);
    json_builder_set_member_name(b, "api-major");
    json_builder_add_int_value(b, sev->api_major);
    json_builder_set_member_name(b, "api-minor");
    json_builder_add_int_value(b, sev->api_minor);
    json_builder_set_member_name(b, "build-id");
    json_builder_add_int_value(b, sev->build_id);
    json_builder_set_member_name(b, "cbitpos");
    json_builder_add_int_value(b, sev->cbitpos);
    json_builder_set_member_name(b, "reduced-phys-bits");
    json_builder_add_int_value(b, sev->reduced_phys_bits);
}

/* --- the type ----------------------------------------------------------- */

static void sev_guest_set_property(GObject *obj, guint id,
                                   const GValue *value, GParamSpec *pspec)
{
    SevGuest *sev = CG_SEV_GUEST(obj);

    switch (id) {
    case PROP_SEV_DEVICE:
        g_free(sev->sev_device);
        sev->sev_device = g_value_dup_string(value);
        break;
    case PROP_POLICY:
        sev->policy = g_value_get_uint(value);
        break;
    case PROP_HANDLE:
        sev->handle = g_value_get_uint(value);
        break;
    case PROP_DH_CERT_FILE:
        g_free(sev->dh_cert_file);
        sev->dh_cert_file = g_value_dup_string(value);
        break;
    case PROP_SESSION_FILE:
        g_free(sev->session_file);
        sev->session_file = g_value_dup_string(value);
        break;
    case PROP_CBITPOS:
        sev->cbitpos = g_value_get_uint(value);
        break;
    case PROP_REDUCED_PHYS_BITS:
        sev->reduced_phys_bits = g_value_get_uint(value);
        break;
    case PROP_KERNEL_HASHES:
        sev->kernel_hashes = g_value_get_boolean(value);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void sev_guest_get_property(GObject *obj, guint id, GValue *value,
                                   GParamSpec *pspec)
{
    SevGuest *sev = CG_SEV_GUEST(obj);

    switch (id) {
    case PROP_SEV_DEVICE:
        g_value_set_string(value, sev->sev_device);
        break;
    case PROP_POLICY:
        g_value_set_uint(value, sev->policy);
        break;
    case PROP_HANDLE:
        g_value_set_uint(value, sev->handle);
        break;
    case PROP_DH_CERT_FILE:
        g_value_set_string(value, sev->dh_cert_file);
        break;
    case PROP_SESSION_FILE:
        g_value_set_string(value, sev->session_file);
        break;
    case PROP_CBITPOS:
        g_value_set_uint(value, sev->cbitpos);
        break;
    case PROP_REDUCED_PHYS_BITS:
        g_value_set_uint(value, sev->reduced_phys_bits);
        break;
    case PROP_KERNEL_HASHES:
        g_value_set_boolean(value, sev->kernel_hashes);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static bool sev_guest_check_set(CgObject *obj, GParamSpec *pspec,
                                GError **err)
{
    if (CG_SEV_GUEST(obj)->state != SEV_STATE_UNINIT ||
        CG_CONFIDENTIAL_GUEST_SUPPORT(obj)->ready) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-guest: '%s' cannot change once the launch has "
                    "started", cg_param_spec_name(pspec));
        return false;
    }
    return true;
}

static void sev_guest_finalize(GObject *obj)
{
    SevGuest *sev = CG_SEV_GUEST(obj);

    if (sev->sev_fd >= 0) {
        close(sev->sev_fd);
    }
    g_free(sev->sev_device);
    g_free(sev->dh_cert_file);
    g_free(sev->session_file);
    G_OBJECT_CLASS(sev_guest_parent_class)->finalize(obj);
}

static void sev_guest_class_init(SevGuestClass *k)
{
    GObjectClass *oc = G_OBJECT_CLASS(k);
    GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

    oc->set_property = sev_guest_set_property;
    oc->get_property = sev_guest_get_property;
    oc->finalize = sev_guest_finalize;
    CG_OBJECT_CLASS(k)->check_set_property = sev_guest_check_set;
    k->technology = "AMD SEV";
    k->requirement = "an AMD EPYC host with SEV enabled in KVM "
                     "(kvm_amd sev=1)";
    k->kvm_init = sev_kvm_init;
    k->machine_done = sev_machine_done;
    k->vm_start = sev_vm_start;
    k->query_state = sev_query_state;
    k->query_details = sev_query_details;

    g_object_class_install_property(oc, PROP_SEV_DEVICE,
        g_param_spec_string("sev-device", NULL,
                            "The SEV firmware device", "/dev/sev", rw));
    g_object_class_install_property(oc, PROP_POLICY,
        g_param_spec_uint("policy", NULL,
                          "Guest policy (bit 0x1 no debug, 0x2 no key "
                          "sharing, 0x4 SEV-ES, ...)",
                          0, G_MAXUINT32, SEV_POLICY_NODBG, rw));
    g_object_class_install_property(oc, PROP_HANDLE,
        g_param_spec_uint("handle", NULL,
                          "Handle of a guest to share keys with (0: none)",
                          0, G_MAXUINT32, 0, rw));
    g_object_class_install_property(oc, PROP_DH_CERT_FILE,
        g_param_spec_string("dh-cert-file", NULL,
                            "The guest owner's Diffie-Hellman key (base64 "
                            "file)", NULL, rw));
    g_object_class_install_property(oc, PROP_SESSION_FILE,
        g_param_spec_string("session-file", NULL,
                            "The guest owner's launch session (base64 "
                            "file)", NULL, rw));
    g_object_class_install_property(oc, PROP_CBITPOS,
        g_param_spec_uint("cbitpos", NULL,
                          "C-bit position in page table entries; must be "
                          "the host's (0: take the host's)", 0, 63, 0, rw));
    g_object_class_install_property(oc, PROP_REDUCED_PHYS_BITS,
        g_param_spec_uint("reduced-phys-bits", NULL,
                          "Physical address bits lost to encryption; at "
                          "least the host's (0: take the host's)",
                          0, 63, 0, rw));
    g_object_class_install_property(oc, PROP_KERNEL_HASHES,
        g_param_spec_boolean("kernel-hashes", NULL,
                             "Put hashes of -kernel/-initrd/-append in the "
                             "firmware's table (not supported yet)",
                             FALSE, rw));
}

static void sev_guest_init(SevGuest *sev)
{
    sev->sev_device = g_strdup("/dev/sev");
    sev->policy = SEV_POLICY_NODBG;
    sev->sev_fd = -1;
    sev->state = SEV_STATE_UNINIT;
}
