/* sev-guest: the QMP commands libvirt uses (QEMU's names and shapes). */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "sev.h"

#include "monitor/qmp.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <linux/psp-sev.h>
#include <string.h>
#include <unistd.h>

static JsonNode *build_done(JsonBuilder *b)
{
    json_builder_end_object(b);
    return json_builder_get_root(b);
}



/* query-sev: SevInfo.  A machine without sev-guest reports enabled=false,
 * as QEMU 7.2 does. */
static JsonNode *qmp_query_sev(CgSystem *sys, JsonObject *args, GError **err)
{
    SevGuest *sev = sev_guest_of(sys->machine);
    g_autoptr(JsonBuilder) b = json_builder_new();

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "enabled");
    json_builder_add_boolean_value(b, sev != NULL &&
                                          sev->parent_instance.ready);
    qmp_add_int(b, "api-major", sev ? sev->api_major : 0);
    qmp_add_int(b, "api-minor", sev ? sev->api_minor : 0);
    qmp_add_int(b, "build-id", sev ? sev->build_id : 0);
    qmp_add_int(b, "policy", sev ? sev->policy : 0);
    qmp_add_str(b, "state", sev_state_name(sev ? sev->state : SEV_STATE_UNINIT));
    qmp_add_int(b, "handle", sev ? sev->handle : 0);
    qmp_add_str(b, "sev-type", "sev");
    return build_done(b);
}
QMP_DEFINE_COMMAND("query-sev", qmp_query_sev, NULL, 0)

static SevGuest *require_sev(CgSystem *sys, const char *cmd, GError **err)
{
    SevGuest *sev = sev_guest_of(sys->machine);

    if (sev == NULL || !sev->parent_instance.ready) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: this guest is not an SEV guest; start it with "
                    "-object sev-guest,id=ID -machine "
                    "confidential-guest-support=ID", cmd);
        return NULL;
    }
    return sev;
}

static JsonNode *qmp_query_sev_launch_measure(CgSystem *sys, JsonObject *args,
                                              GError **err)
{
    SevGuest *sev = require_sev(sys, "query-sev-launch-measure", err);
    g_autoptr(JsonBuilder) b = NULL;
    g_autofree char *data = NULL;

    if (sev == NULL) {
        return NULL;
    }
    if (sev->measurement_len == 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "query-sev-launch-measure: the launch is in state %s "
                    "and has not been measured yet", sev_state_name(sev->state));
        return NULL;
    }
    data = g_base64_encode(sev->measurement, sev->measurement_len);
    b = json_builder_new();
    json_builder_begin_object(b);
    qmp_add_str(b, "data", data);
    return build_done(b);
}
QMP_DEFINE_COMMAND("query-sev-launch-measure", qmp_query_sev_launch_measure,
                   NULL, 0)

/* An SEV_ISSUE_CMD whose output lengths are asked for first. */
static bool export_blob(int fd, int cmd, void *arg, const char *what,
                        GError **err)
{
    int fw = 0;
    int r = sev_platform_cmd(fd, cmd, arg, &fw);

    if (r < 0) {
        g_autofree char *why = sev_fw_error_text(r, fw);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "query-sev-capabilities: %s failed: %s", what, why);
        return false;
    }
    return true;
}

static JsonNode *qmp_query_sev_capabilities(CgSystem *sys, JsonObject *args,
                                            GError **err)
{
    KvmState *kvm = kvm_state(sys->accel);
    SevGuest *sev = sev_guest_of(sys->machine);
    const char *dev = sev ? sev->sev_device : "/dev/sev";
    struct sev_user_data_pdh_cert_export pdh = { 0 };
    struct sev_user_data_get_id2 id = { 0 };
    g_autofree guchar *pdh_buf = NULL, *chain_buf = NULL, *id_buf = NULL;
    g_autofree char *pdh64 = NULL, *chain64 = NULL, *id64 = NULL;
    g_autoptr(JsonBuilder) b = NULL;
    g_autoptr(GError) local = NULL;
    SevHostInfo host;
    int kfd = kvm ? kvm_dev_fd(kvm) : open("/dev/kvm", O_RDWR | O_CLOEXEC);
    int fd = -1, fw = 0;
    bool ok;

    if (kfd < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "query-sev-capabilities: SEV is not available: cannot "
                    "open /dev/kvm: %s", g_strerror(errno));
        return NULL;
    }
    ok = sev_host_probe(kfd, &host, &local) && sev_host_check(&host, &local);
    if (kvm == NULL) {
        close(kfd);
    }
    if (!ok) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "query-sev-capabilities: SEV is not available: %s",
                    local->message);
        return NULL;
    }
    fd = sev_open_device(dev, &local);
    if (fd < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "query-sev-capabilities: SEV is not available: %s",
                    local->message);
        return NULL;
    }
    /* Lengths first: the firmware answers INVALID_LENGTH with them set. */
    sev_platform_cmd(fd, SEV_PDH_CERT_EXPORT, &pdh, &fw);
    sev_platform_cmd(fd, SEV_GET_ID2, &id, &fw);
    if (pdh.pdh_cert_len == 0 || pdh.cert_chain_len == 0 || id.length == 0 ||
        pdh.pdh_cert_len > 1 << 20 || pdh.cert_chain_len > 1 << 20 ||
        id.length > 1 << 16) {
        close(fd);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "query-sev-capabilities: the SEV firmware gave no "
                    "usable PDH/ID lengths (%u, %u, %u)", pdh.pdh_cert_len,
                    pdh.cert_chain_len, id.length);
        return NULL;
    }
    pdh_buf = g_malloc0(pdh.pdh_cert_len);
    chain_buf = g_malloc0(pdh.cert_chain_len);
    id_buf = g_malloc0(id.length);
    pdh.pdh_cert_address = (__u64)(uintptr_t)pdh_buf;
    pdh.cert_chain_address = (__u64)(uintptr_t)chain_buf;
    id.address = (__u64)(uintptr_t)id_buf;
    ok = export_blob(fd, SEV_PDH_CERT_EXPORT, &pdh, "PDH_CERT_EXPORT", err) &&
         export_blob(fd, SEV_GET_ID2, &id, "GET_ID", err);
    close(fd);
    if (!ok) {
        return NULL;
    }
    pdh64 = g_base64_encode(pdh_buf, pdh.pdh_cert_len);
    chain64 = g_base64_encode(chain_buf, pdh.cert_chain_len);
    id64 = g_base64_encode(id_buf, id.length);
    b = json_builder_new();
    json_builder_begin_object(b);
    qmp_add_str(b, "pdh", pdh64);
    qmp_add_str(b, "cert-chain", chain64);
    qmp_add_str(b, "cpu0-id", id64);
    qmp_add_int(b, "cbitpos", host.cbitpos);
    qmp_add_int(b, "reduced-phys-bits", host.reduced_phys_bits);
    return build_done(b);
}
QMP_DEFINE_COMMAND("query-sev-capabilities", qmp_query_sev_capabilities,
                   NULL, 0)

static const QmpArg attestation_args[] = {
    { "mnonce", QMP_ARG_STR },
    { NULL },
};

static JsonNode *qmp_query_sev_attestation_report(CgSystem *sys,
                                                  JsonObject *args,
                                                  GError **err)
{
    SevGuest *sev = require_sev(sys, "query-sev-attestation-report", err);
    struct kvm_sev_attestation_report rep = { 0 };
    g_autofree guchar *mnonce = NULL;
    g_autofree guchar *data = NULL;
    g_autofree char *data64 = NULL;
    g_autoptr(JsonBuilder) b = NULL;
    gsize len = 0;
    int fw = 0, r;

    if (sev == NULL) {
        return NULL;
    }
    mnonce = sev_base64_decode_strict(qmp_arg_str(args, "mnonce", ""), &len);
    if (mnonce == NULL || len != sizeof(rep.mnonce)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "query-sev-attestation-report: 'mnonce' must be %zu "
                    "bytes in base64 (24 characters)", sizeof(rep.mnonce));
        return NULL;
    }
    memcpy(rep.mnonce, mnonce, sizeof(rep.mnonce));
    sev_guest_cmd(sev, KVM_SEV_GET_ATTESTATION_REPORT, &rep, &fw);
    if (rep.len == 0 || rep.len > 1 << 16) {
        g_autofree char *why = sev_fw_error_text(-EIO, fw);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "query-sev-attestation-report: the report length query "
                    "failed: %s", why);
        return NULL;
    }
    data = g_malloc0(rep.len);
    rep.uaddr = (__u64)(uintptr_t)data;
    r = sev_guest_cmd(sev, KVM_SEV_GET_ATTESTATION_REPORT, &rep, &fw);
    if (r < 0) {
        g_autofree char *why = sev_fw_error_text(r, fw);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "query-sev-attestation-report: GET_ATTESTATION_REPORT "
                    "failed: %s", why);
        return NULL;
    }
    data64 = g_base64_encode(data, rep.len);
    b = json_builder_new();
    json_builder_begin_object(b);
    qmp_add_str(b, "data", data64);
    return build_done(b);
}
QMP_DEFINE_COMMAND("query-sev-attestation-report",
                   qmp_query_sev_attestation_report, attestation_args, 0)

static const QmpArg inject_args[] = {
    { "packet-header", QMP_ARG_STR },
    { "secret", QMP_ARG_STR },
    { "gpa", QMP_ARG_INT, .optional = true },
    { NULL },
};

static JsonNode *qmp_sev_inject_launch_secret(CgSystem *sys, JsonObject *args,
                                              GError **err)
{
    SevGuest *sev = require_sev(sys, "sev-inject-launch-secret", err);
    struct kvm_sev_launch_secret in = { 0 };
    g_autofree guchar *hdr = NULL, *secret = NULL;
    gsize hdr_len = 0, secret_len = 0;
    int64_t gpa;
    void *host;
    int fw = 0, r;

    if (sev == NULL) {
        return NULL;
    }
    if (sev->state != SEV_STATE_LAUNCH_SECRET) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-inject-launch-secret: the launch is in state %s; a "
                    "secret can be injected only in state launch-secret "
                    "(start with -S, inject, then cont)",
                    sev_state_name(sev->state));
        return NULL;
    }
    if (!json_object_has_member(args, "gpa") && sev->secret_gpa == 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-inject-launch-secret: 'gpa' is missing and the "
                    "firmware names no secret area (GUID table entry %s); "
                    "give the guest-physical address the guest expects the "
                    "secret at", SEV_OVMF_SECRET_GUID);
        return NULL;
    }
    hdr = sev_base64_decode_strict(qmp_arg_str(args, "packet-header", ""),
                                   &hdr_len);
    secret = sev_base64_decode_strict(qmp_arg_str(args, "secret", ""),
                                      &secret_len);
    if (hdr == NULL || secret == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-inject-launch-secret: '%s' is not valid base64",
                    hdr == NULL ? "packet-header" : "secret");
        return NULL;
    }
    gpa = qmp_arg_int(args, "gpa", (int64_t)sev->secret_gpa);
    if (!json_object_has_member(args, "gpa") &&
        secret_len > sev->secret_size) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-inject-launch-secret: the secret has %zu bytes, "
                    "more than the firmware's secret area holds (%"
                    G_GUINT64_FORMAT ")", secret_len, sev->secret_size);
        return NULL;
    }
    machine_lock(sys->machine);
    host = gpa < 0 ? NULL
                   : guest_ram_ptr(sys->machine->mem, (uint64_t)gpa,
                                   secret_len);
    machine_unlock(sys->machine);
    if (host == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-inject-launch-secret: gpa 0x%" G_GINT64_MODIFIER
                    "x with %zu bytes is not in guest RAM", gpa, secret_len);
        return NULL;
    }
    in.hdr_uaddr = (__u64)(uintptr_t)hdr;
    in.hdr_len = (__u32)hdr_len;
    in.trans_uaddr = (__u64)(uintptr_t)secret;
    in.trans_len = (__u32)secret_len;
    in.guest_uaddr = (__u64)(uintptr_t)host;
    in.guest_len = (__u32)secret_len;
    r = sev_guest_cmd(sev, KVM_SEV_LAUNCH_SECRET, &in, &fw);
    if (r < 0) {
        g_autofree char *why = sev_fw_error_text(r, fw);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "sev-inject-launch-secret: LAUNCH_SECRET failed: %s",
                    why);
        return NULL;
    }
    return qmp_return_empty();
}
QMP_DEFINE_COMMAND("sev-inject-launch-secret", qmp_sev_inject_launch_secret,
                   inject_args, 0)
