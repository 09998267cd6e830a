/* QMP commands about the system: version, state, machines, run control. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "monitor/qmp.h"

#include "accel/accel.h"
#include "system/confidential-guest-support.h"
#include "util/cutils.h"
#include "util/error.h"

#include <string.h>
#include <unistd.h>

/* The machine, or NULL with an error (a command that came too early). */
static MachineState *need_machine(CgSystem *sys, GError **err)
{
    if (sys->machine == NULL || sys->accel == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "the machine is not created yet; retry once start-up "
                    "has finished");
        return NULL;
    }
    return sys->machine;
}

static JsonNode *qmp_query_version(CgSystem *sys, JsonObject *args,
                                   GError **err)
{
    return qmp_version_info();
}

QMP_DEFINE_COMMAND("query-version", qmp_query_version, NULL, 0)

static JsonNode *qmp_query_commands(CgSystem *sys, JsonObject *args,
                                    GError **err)
{
    g_autoptr(GPtrArray) list = qmp_command_list();
    g_autoptr(JsonBuilder) b = json_builder_new();

    json_builder_begin_array(b);
    for (guint i = 0; i < list->len; i++) {
        const QmpCommand *c = g_ptr_array_index(list, i);
        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, c->name);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    return json_builder_get_root(b);
}

QMP_DEFINE_COMMAND("query-commands", qmp_query_commands, NULL, 0)

static JsonNode *qmp_query_status(CgSystem *sys, JsonObject *args,
                                  GError **err)
{
    g_autoptr(JsonBuilder) b = json_builder_new();

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "status");
    json_builder_add_string_value(b, runstate_name(sys->state));
    /* Always false: cgemu has no single-step mode (QEMU 7.2 has the
     * member; clients read it). */
    json_builder_set_member_name(b, "singlestep");
    json_builder_add_boolean_value(b, false);
    json_builder_set_member_name(b, "running");
    json_builder_add_boolean_value(b, sys->state == RUN_STATE_RUNNING);
    json_builder_end_object(b);
    return json_builder_get_root(b);
}

QMP_DEFINE_COMMAND("query-status", qmp_query_status, NULL, 0)

static JsonNode *qmp_query_name(CgSystem *sys, JsonObject *args,
                                GError **err)
{
    JsonObject *o = json_object_new();
    JsonNode *n = json_node_new(JSON_NODE_OBJECT);

    if (sys->cfg->name != NULL) {
        json_object_set_string_member(o, "name", sys->cfg->name);
    }
    json_node_take_object(n, o);
    return n;
}

QMP_DEFINE_COMMAND("query-name", qmp_query_name, NULL, 0)

static JsonNode *qmp_query_uuid(CgSystem *sys, JsonObject *args,
                                GError **err)
{
    JsonObject *o = json_object_new();
    JsonNode *n = json_node_new(JSON_NODE_OBJECT);

    json_object_set_string_member(o, "UUID",
                                  sys->cfg->uuid
                                      ? sys->cfg->uuid
                                      : "00000000-0000-0000-0000-000000000000");
    json_node_take_object(n, o);
    return n;
}

QMP_DEFINE_COMMAND("query-uuid", qmp_query_uuid, NULL, 0)

static JsonNode *qmp_query_machines(CgSystem *sys, JsonObject *args,
                                    GError **err)
{
    g_autoptr(GPtrArray) list = machine_class_list();
    g_autoptr(JsonBuilder) b = json_builder_new();

    json_builder_begin_array(b);
    for (guint i = 0; i < list->len; i++) {
        MachineStateClass *mc = g_ptr_array_index(list, i);

        json_builder_begin_object(b);
        json_builder_set_member_name(b, "name");
        json_builder_add_string_value(b, mc->name);
        if (mc->alias != NULL) {
            json_builder_set_member_name(b, "alias");
            json_builder_add_string_value(b, mc->alias);
        }
        if (mc->is_default) {
            json_builder_set_member_name(b, "is-default");
            json_builder_add_boolean_value(b, true);
        }
        json_builder_set_member_name(b, "cpu-max");
        json_builder_add_int_value(b, mc->max_cpus);
        /* cgemu has no vCPU hotplug and no NUMA, and deprecates no
         * machine. */
        json_builder_set_member_name(b, "hotpluggable-cpus");
        json_builder_add_boolean_value(b, false);
        json_builder_set_member_name(b, "numa-mem-supported");
        json_builder_add_boolean_value(b, false);
        json_builder_set_member_name(b, "deprecated");
        json_builder_add_boolean_value(b, false);
        /* libvirt then gives the RAM as -machine memory-backend=ID */
        if (mc->default_ram_id != NULL) {
            json_builder_set_member_name(b, "default-ram-id");
            json_builder_add_string_value(b, mc->default_ram_id);
        }
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    return json_builder_get_root(b);
}

QMP_DEFINE_COMMAND("query-machines", qmp_query_machines, NULL, 0)

static unsigned smp_value(CgSystem *sys, const char *key)
{
    const char *v = sys->cfg->smp ? cg_opts_get(sys->cfg->smp, key) : NULL;
    uint64_t n;

    return v != NULL && cg_parse_uint64(v, &n) && n > 0 && n <= G_MAXUINT
               ? (unsigned)n
               : 0;
}

/* CpuInstanceProperties of vCPU @index, from the -smp topology, with the
 * members QEMU reports for each target. */
static void add_cpu_props(JsonBuilder *b, CgSystem *sys, unsigned index)
{
    unsigned cpus = sys->machine->smp_cpus;
    unsigned threads = MAX(smp_value(sys, "threads"), 1);
    unsigned sockets = MAX(smp_value(sys, "sockets"), 1);
    unsigned cores = smp_value(sys, "cores");

    if (cores == 0) {
        cores = MAX(cpus / (sockets * threads), 1);
    }
    json_builder_set_member_name(b, "props");
    json_builder_begin_object(b);
    if (!strcmp(sys->target, "s390x")) {
        json_builder_set_member_name(b, "core-id");
        json_builder_add_int_value(b, index);
    } else if (!strcmp(sys->target, "ppc64")) {
        /* sPAPR numbers a core by its first thread. */
        json_builder_set_member_name(b, "core-id");
        json_builder_add_int_value(b, index / threads * threads);
    } else {
        json_builder_set_member_name(b, "core-id");
        json_builder_add_int_value(b, index / threads % cores);
        json_builder_set_member_name(b, "thread-id");
        json_builder_add_int_value(b, index % threads);
        json_builder_set_member_name(b, "socket-id");
        json_builder_add_int_value(b, index / (threads * cores));
    }
    json_builder_end_object(b);
}

/*
 * One entry per vCPU of the machine; thread-id is the host thread the
 * accelerator runs it on (the main thread's under qtest, where none runs,
 * as in QEMU).  vCPUs are not objects in the tree yet, so qom-path names
 * where QEMU has them rather than an object that resolves.
 */
static JsonNode *qmp_query_cpus_fast(CgSystem *sys, JsonObject *args,
                                     GError **err)
{
    MachineState *ms = need_machine(sys, err);
    g_autoptr(JsonBuilder) b = NULL;

    if (ms == NULL) {
        return NULL;
    }
    b = json_builder_new();
    json_builder_begin_array(b);
    for (unsigned i = 0; i < ms->smp_cpus; i++) {
        g_autofree char *path = g_strdup_printf("/machine/unattached/cpu[%u]",
                                                i);
        json_builder_begin_object(b);
        int tid = sys->accel ? accel_vcpu_thread_id(sys->accel, i) : 0;

        json_builder_set_member_name(b, "thread-id");
        json_builder_add_int_value(b, tid > 0 ? tid : getpid());
        add_cpu_props(b, sys, i);
        json_builder_set_member_name(b, "qom-path");
        json_builder_add_string_value(b, path);
        json_builder_set_member_name(b, "cpu-index");
        json_builder_add_int_value(b, i);
        json_builder_set_member_name(b, "target");
        json_builder_add_string_value(b, sys->target);
        if (!strcmp(sys->target, "s390x")) {
            /* After IPL only the boot CPU runs. */
            json_builder_set_member_name(b, "cpu-state");
            json_builder_add_string_value(b, i == 0 ? "operating"
                                                    : "stopped");
        }
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    return json_builder_get_root(b);
}

QMP_DEFINE_COMMAND("query-cpus-fast", qmp_query_cpus_fast, NULL, 0)

static JsonNode *qmp_query_kvm(CgSystem *sys, JsonObject *args,
                               GError **err)
{
    g_autoptr(JsonBuilder) b = json_builder_new();

    json_builder_begin_object(b);
    json_builder_set_member_name(b, "enabled");
    json_builder_add_boolean_value(b,
                                   !g_strcmp0(accel_name(sys->accel), "kvm"));
    /* As QEMU: whether this binary has KVM support, not whether the host
     * has /dev/kvm. */
    json_builder_set_member_name(b, "present");
    json_builder_add_boolean_value(b, accel_class_find("kvm") != NULL);
    json_builder_end_object(b);
    return json_builder_get_root(b);
}

QMP_DEFINE_COMMAND("query-kvm", qmp_query_kvm, NULL, 0)

static JsonNode *qmp_query_target(CgSystem *sys, JsonObject *args,
                                  GError **err)
{
    JsonObject *o = json_object_new();
    JsonNode *n = json_node_new(JSON_NODE_OBJECT);

    json_object_set_string_member(o, "arch", sys->target);
    json_node_take_object(n, o);
    return n;
}

QMP_DEFINE_COMMAND("query-target", qmp_query_target, NULL, 0)

static JsonNode *qmp_query_cgs(CgSystem *sys, JsonObject *args, GError **err)
{
    MachineState *ms = need_machine(sys, err);

    if (ms == NULL) {
        return NULL;
    }
    return cgs_query(ms->cgs, accel_name(sys->accel));
}

QMP_DEFINE_COMMAND("query-confidential-guest-support", qmp_query_cgs, NULL,
                   0)

static JsonNode *qmp_stop(CgSystem *sys, JsonObject *args, GError **err)
{
    if (need_machine(sys, err) == NULL || !system_vm_stop(sys, err)) {
        return NULL;
    }
    return qmp_return_empty();
}

QMP_DEFINE_COMMAND("stop", qmp_stop, NULL, 0)

static JsonNode *qmp_cont(CgSystem *sys, JsonObject *args, GError **err)
{
    if (need_machine(sys, err) == NULL || !system_vm_cont(sys, err)) {
        return NULL;
    }
    return qmp_return_empty();
}

QMP_DEFINE_COMMAND("cont", qmp_cont, NULL, 0)

/* The reset runs in the main loop after the reply; RESET follows it. */
static JsonNode *qmp_system_reset(CgSystem *sys, JsonObject *args,
                                  GError **err)
{
    MachineState *ms = need_machine(sys, err);

    if (ms == NULL) {
        return NULL;
    }
    machine_request_reset(ms, SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    return qmp_return_empty();
}

QMP_DEFINE_COMMAND("system_reset", qmp_system_reset, NULL, 0)

static JsonNode *qmp_system_powerdown(CgSystem *sys, JsonObject *args,
                                      GError **err)
{
    MachineState *ms = need_machine(sys, err);
    MachineStateClass *mc;
    bool ok;

    if (ms == NULL) {
        return NULL;
    }
    mc = CG_MACHINE_GET_CLASS(ms);
    if (mc->powerdown == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "machine '%s' has no way to ask the guest to power down "
                    "(cgemu models no power button for it); use 'quit' to "
                    "stop the VM", mc->name);
        return NULL;
    }
    machine_lock(ms);
    ok = mc->powerdown(ms, err);
    machine_unlock(ms);
    if (!ok) {
        return NULL;
    }
    system_emit_event(sys, "POWERDOWN", NULL);
    return qmp_return_empty();
}

QMP_DEFINE_COMMAND("system_powerdown", qmp_system_powerdown, NULL, 0)

/* SHUTDOWN is sent before the reply; the process then ends. */
static JsonNode *qmp_quit(CgSystem *sys, JsonObject *args, GError **err)
{
    system_quit(sys, SHUTDOWN_CAUSE_HOST_QMP_QUIT);
    return qmp_return_empty();
}

QMP_DEFINE_COMMAND("quit", qmp_quit, NULL, 0)
