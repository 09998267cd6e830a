/* The machine lifecycle, DESIGN.md steps 2-10, one function a step. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "system/internal.h"

#include "accel/qtest.h"
#include "block/block.h"
#include "chardev/char.h"
#include "hw/core/default-props.h"
#include "hw/core/device.h"
#include "monitor/monitor.h"
#include "qom/fdset.h"
#include "qom/property.h"
#include "qom/user-creatable.h"
#include "util/cutils.h"
#include "util/error.h"

#include <fcntl.h>
#include <string.h>

/* "unknown TYPE" with the binary that has it, or a near name, or help. */
static void set_unknown_type_error(CgSystem *sys, GError **err,
                                   const char *what, const char *name,
                                   GPtrArray *known, const char *help)
{
    const char *other = cg_type_foreign_binary(name);
    const char *hint = NULL;

    if (other != NULL && strcmp(other, sys->binary) != 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s '%s' is not available in %s; it is provided by %s",
                    what, name, sys->binary, other);
        return;
    }
    if (known != NULL) {
        hint = cg_suggest(name, (const char *const *)known->pdata,
                          known->len);
    }
    if (hint != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "unknown %s '%s'; did you mean '%s'? (see %s)", what,
                    name, hint, help);
    } else {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "unknown %s '%s'; see %s", what, name, help);
    }
}

static void prefix_opt_error(GError **err, const char *option,
                             const CgOpts *opts)
{
    g_prefix_error(err, "%s %s: ", option, opts->text);
}

static bool create_block_nodes(CgSystem *sys, GError **err)
{
    return block_create_nodes(sys->root, sys->cfg->blockdevs,
                              sys->cfg->drives, err);
}

/* -add-fd: the descriptors into their sets (/dev/fdset/N). */
static bool check_add_fds(CgSystem *sys, GError **err)
{
    for (guint i = 0; i < sys->cfg->add_fds->len; i++) {
        const CgOpts *opts = g_ptr_array_index(sys->cfg->add_fds, i);
        uint64_t fd = 0, set = 0;

        cg_parse_uint64(cg_opts_get(opts, "fd"), &fd);
        cg_parse_uint64(cg_opts_get(opts, "set"), &set);
        if (!cg_fdset_add(sys->root, (unsigned)set, (int)fd,
                          cg_opts_get(opts, "opaque"), err)) {
            g_prefix_error(err, "-add-fd %s: ", opts->text);
            return false;
        }
    }
    return true;
}

static bool create_chardevs(CgSystem *sys, GError **err)
{
    CgConfig *cfg = sys->cfg;

    if (!check_add_fds(sys, err)) {
        return false;
    }
    for (guint i = 0; i < cfg->chardevs->len; i++) {
        const CgOpts *opts = g_ptr_array_index(cfg->chardevs, i);
        if (chardev_new_from_opts(sys->root, opts, err) == NULL) {
            prefix_opt_error(err, "-chardev", opts);
            return false;
        }
    }
    if (!monitor_create_all(sys, err)) {
        return false;
    }
    if (cfg->qtest != NULL) {
        QtestServer *qs = qtest_server_new(sys->root, cfg->qtest, sys->target,
                                           cfg->qtest_log, err);
        if (qs == NULL) {
            return false;
        }
        system_add_cleanup(sys, (GDestroyNotify)qtest_server_free, qs);
    }
    return true;
}

bool system_create_objects(CgSystem *sys, GError **err)
{
    if (!create_chardevs(sys, err) || !create_block_nodes(sys, err)) {
        return false;
    }

    for (guint i = 0; i < sys->cfg->objects->len; i++) {
        const CgOpts *opts = g_ptr_array_index(sys->cfg->objects, i);
        const char *type = cg_opts_get(opts, "qom-type");

        if (type != NULL && cg_type_lookup(type) == 0) {
            g_autoptr(GPtrArray) names = user_creatable_type_names();
            set_unknown_type_error(sys, err, "object type", type, names,
                                   "-object help");
            prefix_opt_error(err, "-object", opts);
            return false;
        }
        if (user_creatable_add(sys->root, opts, err) == NULL) {
            prefix_opt_error(err, "-object", opts);
            return false;
        }
    }
    return true;
}

static bool compute_smp(CgSystem *sys, MachineState *ms, GError **err)
{
    MachineStateClass *mc = CG_MACHINE_GET_CLASS(ms);
    const CgOpts *smp = sys->cfg->smp;
    uint64_t cpus = 0, maxcpus = 0, product = 1;
    static const char *const topo[] = { "sockets", "dies", "clusters",
                                        "cores", "threads" };
    bool have_topo = false;

    if (smp == NULL) {
        ms->smp_cpus = ms->max_cpus = 1;
        return true;
    }
    if (cg_opts_get(smp, "cpus")) {
        cg_parse_uint64(cg_opts_get(smp, "cpus"), &cpus);
    }
    if (cg_opts_get(smp, "maxcpus")) {
        cg_parse_uint64(cg_opts_get(smp, "maxcpus"), &maxcpus);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(topo); i++) {
        uint64_t v;
        if (cg_opts_get(smp, topo[i]) &&
            cg_parse_uint64(cg_opts_get(smp, topo[i]), &v)) {
            product *= v;
            have_topo = true;
        }
    }
    if (maxcpus == 0) {
        maxcpus = cpus ? cpus : have_topo ? product : 1;
    }
    if (cpus == 0) {
        cpus = maxcpus;
    }
    if (have_topo && product != maxcpus) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-smp %s: the topology gives %" G_GUINT64_FORMAT
                    " vCPUs but maxcpus is %" G_GUINT64_FORMAT
                    "; make sockets*dies*clusters*cores*threads equal "
                    "maxcpus", smp->text, product, maxcpus);
        return false;
    }
    if (cpus > maxcpus) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-smp %s: cpus (%" G_GUINT64_FORMAT ") exceeds maxcpus "
                    "(%" G_GUINT64_FORMAT ")", smp->text, cpus, maxcpus);
        return false;
    }
    if (maxcpus > mc->max_cpus) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-smp %s: machine %s supports at most %u vCPUs",
                    smp->text, mc->name, mc->max_cpus);
        return false;
    }
    if (cpus != maxcpus) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-smp %s: vCPU hotplug is not supported yet; give "
                    "maxcpus equal to cpus", smp->text);
        return false;
    }
    ms->smp_cpus = (unsigned)cpus;
    ms->max_cpus = (unsigned)maxcpus;
    return true;
}

bool system_create_machine(CgSystem *sys, GError **err)
{
    static const char *const skip[] = { "type", NULL };
    CgConfig *cfg = sys->cfg;
    const char *type = cg_opts_get(cfg->machine, "type");
    MachineStateClass *mc;
    g_autoptr(MachineState) ms = NULL;
    struct {
        const char *prop;
        const char *value;
        const char *option;
    } files[] = {
        { "kernel", cfg->kernel, "-kernel" },
        { "initrd", cfg->initrd, "-initrd" },
        { "append", cfg->append, "-append" },
        { "firmware", cfg->bios, "-bios" },
    };

    mc = type ? machine_class_find(type) : machine_class_default();
    if (mc == NULL) {
        g_autoptr(GPtrArray) classes = machine_class_list();
        g_autoptr(GPtrArray) names = g_ptr_array_new();
        for (guint i = 0; i < classes->len; i++) {
            MachineStateClass *c = g_ptr_array_index(classes, i);
            g_ptr_array_add(names, (gpointer)c->name);
        }
        if (type == NULL) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "%s has no default machine; give one with -machine",
                        sys->binary);
            return false;
        }
        set_unknown_type_error(sys, err, "machine type", type, names,
                               "-machine help");
        g_prefix_error(err, "-machine %s: ", type);
        return false;
    }

    ms = g_object_new(G_TYPE_FROM_CLASS(mc), NULL);
    if (!cg_object_add_child(sys->root, "machine", CG_OBJECT(ms), err)) {
        return false;
    }
    ms->ram_size = cfg->ram_size != 0 ? cfg->ram_size : mc->default_ram_size;
    g_free(ms->cpu_model);
    ms->cpu_model = g_strdup(cfg->cpu);
    ms->nodefaults = cfg->nodefaults;
    ms->nographic = cfg->nographic;
    ms->serials = cfg->serials;
    ms->req = system_request_ops();
    ms->req_opaque = sys;
    sys->machine = ms;

    for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
        if (files[i].value != NULL &&
            !cg_object_set_str(CG_OBJECT(ms), files[i].prop, files[i].value,
                               err)) {
            g_prefix_error(err, "%s %s: ", files[i].option, files[i].value);
            return false;
        }
    }
    for (guint i = 0; i < cfg->machine->items->len; i++) {
        const CgOpt *o = g_ptr_array_index(cfg->machine->items, i);
        if (g_strv_contains(skip, o->key)) {
            continue;
        }
        if (!cg_object_set_opt(CG_OBJECT(ms), o->key, o->kind, o->value,
                               err)) {
            g_prefix_error(err, "-machine %s=%s: ", o->key, o->value);
            return false;
        }
    }
    if (!machine_check_config(ms, sys->root, cfg->ram_size != 0, err) ||
        !compute_smp(sys, ms, err)) {
        return false;
    }
    for (guint i = 0; i < cfg->globals->len; i++) {
        const char *g = g_ptr_array_index(cfg->globals, i);
        if (!default_props_add_global(ms->defaults, g, err)) {
            g_prefix_error(err, "-global %s: ", g);
            return false;
        }
    }
    ms->created = true;
    return true;
}

static const char *const known_foreign_accels[] = {
    "tcg", "hvf", "whpx", "xen", "nvmm", "hax",
};

bool system_init_accel(CgSystem *sys, GError **err)
{
    g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func(
        (GDestroyNotify)cg_opts_free);
    MachineState *ms = sys->machine;

    if (sys->cfg->accels->len > 0) {
        for (guint i = 0; i < sys->cfg->accels->len; i++) {
            CgOpts *src = g_ptr_array_index(sys->cfg->accels, i);
            CgOpts *copy = cg_opts_new(src->text);
            cg_opts_merge(copy, src);
            g_ptr_array_add(list, copy);
        }
    } else {
        CgOpts *dflt = cg_opts_new(sys->cfg->qtest ? "qtest" : "kvm");
        cg_opts_set(dflt, "accel", dflt->text, CG_OPT_TEXT);
        g_ptr_array_add(list, dflt);
    }

    for (guint i = 0; i < list->len; i++) {
        static const char *const skip[] = { "accel", NULL };
        CgOpts *opts = g_ptr_array_index(list, i);
        const char *name = cg_opts_get(opts, "accel");
        AccelStateClass *ac = accel_class_find(name);
        g_autoptr(AccelState) accel = NULL;
        g_autoptr(GError) local = NULL;
        bool last = i + 1 == list->len;

        if (ac == NULL) {
            g_autoptr(GPtrArray) classes = accel_class_list();
            g_autoptr(GString) have = g_string_new(NULL);
            for (guint j = 0; j < classes->len; j++) {
                AccelStateClass *c = g_ptr_array_index(classes, j);
                g_string_append_printf(have, "%s%s", j ? ", " : "", c->name);
            }
            if (g_strv_contains(known_foreign_accels, name)) {
                g_set_error(&local, CG_ERROR, CG_ERROR_GENERIC,
                            "cgemu has no %s accelerator; use -accel kvm "
                            "(or -accel qtest for tests); this binary has: %s",
                            name, have->str);
            } else {
                g_set_error(&local, CG_ERROR, CG_ERROR_GENERIC,
                            "unknown accelerator '%s'; this binary has: %s",
                            name, have->str);
            }
        } else {
            accel = g_object_new(G_TYPE_FROM_CLASS(ac), NULL);
            if (cg_object_set_opts(CG_OBJECT(accel), opts, skip, &local)) {
                accel_init_machine(accel, ms, &local);
            }
        }
        if (local == NULL) {
            if (sys->cfg->qtest != NULL && strcmp(name, "qtest") != 0) {
                g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                            "-qtest needs the qtest accelerator, not %s; "
                            "drop -accel %s", name, name);
                return false;
            }
            sys->accel = g_steal_pointer(&accel);
            return true;
        }
        /*
         * Falling back is fine for an ordinary guest, but a confidential
         * guest must not quietly land on an accelerator that cannot
         * protect it: its first failure is the answer.
         */
        if (last || ms->cgs != NULL) {
            g_propagate_prefixed_error(err, g_steal_pointer(&local),
                                       "-accel %s: ", opts->text);
            return false;
        }
        cg_warn_report("-accel %s: %s; trying the next accelerator",
                       opts->text, local->message);
    }
    return false;
}

bool system_apply_cgs_defaults(CgSystem *sys, GError **err)
{
    machine_apply_cgs_defaults(sys->machine);
    return true;
}

bool system_board_init(CgSystem *sys, GError **err)
{
    MachineStateClass *mc = CG_MACHINE_GET_CLASS(sys->machine);
    bool ok;

    machine_lock(sys->machine);
    ok = mc->init == NULL || mc->init(sys->machine, err);
    machine_unlock(sys->machine);
    return ok;
}

bool system_create_devices(CgSystem *sys, GError **err)
{
    bool ok = true;

    machine_lock(sys->machine);
    for (guint i = 0; ok && i < sys->cfg->devices->len; i++) {
        const CgOpts *opts = g_ptr_array_index(sys->cfg->devices, i);
        const char *driver = cg_opts_get(opts, "driver");

        if (driver != NULL && cg_type_lookup(driver) == 0) {
            g_autoptr(GPtrArray) names = device_type_names();
            set_unknown_type_error(sys, err, "device", driver, names,
                                   "-device help");
            ok = false;
        } else {
            ok = device_create_from_opts(sys->machine, opts, err) != NULL;
        }
        if (!ok) {
            prefix_opt_error(err, "-device", opts);
        }
    }
    machine_unlock(sys->machine);
    return ok;
}

bool system_machine_done(CgSystem *sys, GError **err)
{
    MachineState *ms = sys->machine;
    MachineStateClass *mc = CG_MACHINE_GET_CLASS(ms);
    bool ok;

    machine_lock(ms);
    ok = mc->done == NULL || mc->done(ms, err);
    machine_unlock(ms);
    if (!ok) {
        return false;
    }
    /* Only a ready object has a launch to complete. */
    if (ms->cgs != NULL && ms->cgs->ready &&
        !cgs_machine_done(ms->cgs, ms, err)) {
        return false;
    }
    return true;
}

bool system_check_cgs(CgSystem *sys, GError **err)
{
    return cgs_check_ready(sys->machine->cgs, accel_name(sys->accel), err);
}

bool system_reset(CgSystem *sys, ShutdownCause cause, GError **err)
{
    MachineState *ms = sys->machine;
    MachineStateClass *mc = CG_MACHINE_GET_CLASS(ms);
    bool ok;

    machine_lock(ms);
    devices_reset_all(ms);
    if (mc->reset) {
        mc->reset(ms);
    }
    ok = accel_reset(sys->accel, err);
    machine_unlock(ms);
    return ok;
}

bool system_build(CgSystem *sys, GError **err)
{
    return system_create_objects(sys, err) &&
           system_create_machine(sys, err) &&
           system_init_accel(sys, err) &&
           system_apply_cgs_defaults(sys, err) &&
           system_board_init(sys, err) &&
           system_create_devices(sys, err) &&
           system_machine_done(sys, err) &&
           system_check_cgs(sys, err) &&
           system_reset(sys, SHUTDOWN_CAUSE_NONE, err);
}

/* Requests from devices and vCPU threads, delivered in the main loop. */
typedef struct {
    CgSystem *sys;
    enum { REQ_SHUTDOWN, REQ_RESET, REQ_EXIT, REQ_FAIL } kind;
    ShutdownCause cause;
    int status;
    char *message;
} Request;

static void request_free(gpointer p)
{
    Request *r = p;

    g_free(r->message);
    g_free(r);
}

static gboolean request_dispatch(gpointer p)
{
    Request *r = p;

    switch (r->kind) {
    case REQ_SHUTDOWN:
        system_handle_shutdown(r->sys, r->cause);
        break;
    case REQ_RESET:
        system_handle_reset(r->sys, r->cause);
        break;
    case REQ_EXIT:
        system_handle_exit(r->sys, r->status);
        break;
    case REQ_FAIL:
        system_handle_fail(r->sys, r->message);
        break;
    }
    return G_SOURCE_REMOVE;
}

/*
 * From the main thread (a QMP command), the request runs at once, so its
 * event precedes the command's reply, as in QEMU.  From any other thread
 * it is queued: g_main_context_invoke would run it in whichever thread
 * can take the context, and a vCPU thread asking to pause the vCPUs would
 * then wait for itself.
 */
static void post(CgSystem *sys, Request *r)
{
    GSource *src;

    r->sys = sys;
    if (g_thread_self() == sys->main_thread) {
        request_dispatch(r);
        request_free(r);
        return;
    }
    src = g_idle_source_new();
    g_source_set_priority(src, G_PRIORITY_DEFAULT);
    g_source_set_callback(src, request_dispatch, r, request_free);
    g_source_attach(src, sys->ctx);
    g_source_unref(src);
}

static void req_shutdown(void *opaque, ShutdownCause cause)
{
    Request *r = g_new0(Request, 1);

    r->kind = REQ_SHUTDOWN;
    r->cause = cause;
    post(opaque, r);
}

static void req_reset(void *opaque, ShutdownCause cause)
{
    Request *r = g_new0(Request, 1);

    r->kind = REQ_RESET;
    r->cause = cause;
    post(opaque, r);
}

static void req_exit(void *opaque, int status)
{
    Request *r = g_new0(Request, 1);

    r->kind = REQ_EXIT;
    r->status = status;
    post(opaque, r);
}

static void req_fail(void *opaque, const char *message)
{
    Request *r = g_new0(Request, 1);

    r->kind = REQ_FAIL;
    r->message = g_strdup(message);
    post(opaque, r);
}

const MachineRequestOps *system_request_ops(void)
{
    static const MachineRequestOps ops = {
        .shutdown = req_shutdown,
        .reset = req_reset,
        .exit = req_exit,
        .fail = req_fail,
    };

    return &ops;
}
