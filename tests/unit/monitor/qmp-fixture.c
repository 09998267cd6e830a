/* QMP unit-test fixture: an in-memory chardev and a system to talk to. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "qmp-fixture.h"

#include "cgemu-config.h"
#include "hw/core/device.h"
#include "qom/enums.h"
#include "qom/property.h"
#include "util/error.h"

#include <string.h>

const char *const fx_greeting =
    "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, "
    "\"major\": 7}, \"package\": \"cgemu-" CGEMU_VERSION "\"}, "
    "\"capabilities\": []}}";

/* --- the in-memory chardev ---------------------------------------------- */

typedef ChardevClass FakeChardevClass;

CG_DEFINE_TYPE(FakeChardev, fake_chardev, "chardev-testfake",
               CG_TYPE_CHARDEV)

static void fake_deliver(FakeChardev *f)
{
    Chardev *chr = &f->parent_instance;
    size_t room;

    while (f->pending->len > 0 && (room = chardev_can_receive(chr)) > 0) {
        size_t n = MIN(room, f->pending->len);
        g_autofree guint8 *chunk = g_memdup2(f->pending->data, n);

        g_byte_array_remove_range(f->pending, 0, (guint)n);
        chardev_receive(chr, chunk, n);
    }
}

static bool fake_open(Chardev *chr, const CgOpts *opts, GError **err)
{
    static const char *const allowed[] = { NULL };

    return chardev_check_opts(chr, opts, allowed, err);
}

static ssize_t fake_write(Chardev *chr, const uint8_t *buf, size_t len)
{
    FakeChardev *f = (FakeChardev *)chr;

    if (f->broken) {
        return -1;
    }
    g_string_append_len(f->out, (const char *)buf, (gssize)len);
    return (ssize_t)len;
}

static void fake_accept_input(Chardev *chr)
{
    fake_deliver((FakeChardev *)chr);
}

static void fake_finalize(GObject *obj)
{
    FakeChardev *f = (FakeChardev *)obj;

    g_string_free(f->out, TRUE);
    g_byte_array_unref(f->pending);
    G_OBJECT_CLASS(fake_chardev_parent_class)->finalize(obj);
}

static void fake_chardev_class_init(FakeChardevClass *klass)
{
    G_OBJECT_CLASS(klass)->finalize = fake_finalize;
    klass->open = fake_open;
    klass->write = fake_write;
    klass->accept_input = fake_accept_input;
}

static void fake_chardev_init(FakeChardev *f)
{
    f->out = g_string_new(NULL);
    f->pending = g_byte_array_new();
}

void fake_connect(FakeChardev *f)
{
    chardev_set_connected(&f->parent_instance, true);
}

void fake_disconnect(FakeChardev *f)
{
    g_byte_array_set_size(f->pending, 0);
    chardev_set_connected(&f->parent_instance, false);
}

void fake_send_bytes(FakeChardev *f, const void *buf, size_t len)
{
    g_byte_array_append(f->pending, buf, (guint)len);
    fake_deliver(f);
}

void fake_send(FakeChardev *f, const char *text)
{
    fake_send_bytes(f, text, strlen(text));
}

char *fake_take(FakeChardev *f)
{
    const char *end = strstr(f->out->str, "\r\n");
    char *line;

    if (end == NULL) {
        return NULL;
    }
    line = g_strndup(f->out->str, (gsize)(end - f->out->str));
    g_string_erase(f->out, 0, end - f->out->str + 2);
    return line;
}

char *fake_take_masked(FakeChardev *f)
{
    g_autofree char *line = fake_take(f);
    g_autoptr(GRegex) re = NULL;

    if (line == NULL) {
        return NULL;
    }
    re = g_regex_new("^\\{\"timestamp\": \\{\"seconds\": [0-9]+, "
                     "\"microseconds\": [0-9]+\\}",
                     0, 0, NULL);
    return g_regex_replace(re, line, -1, 0, "{\"timestamp\": T", 0, NULL);
}

char *fx_qmp(FakeChardev *f, const char *cmd)
{
    char *reply;

    fake_send(f, cmd);
    reply = fake_take(f);
    g_assert_nonnull(reply);
    g_assert_cmpstr(f->out->str, ==, "");
    return reply;
}

void fx_negotiate(FakeChardev *f)
{
    g_autofree char *greeting = NULL;
    g_autofree char *reply = NULL;

    fake_connect(f);
    greeting = fake_take(f);
    g_assert_cmpstr(greeting, ==, fx_greeting);
    reply = fx_qmp(f, "{\"execute\": \"qmp_capabilities\"}");
    g_assert_cmpstr(reply, ==, "{\"return\": {}}");
}

FakeChardev *fx_chardev(CgSystem *sys, const char *id)
{
    Chardev *chr = chardev_find(sys->root, id);

    g_assert_nonnull(chr);
    return (FakeChardev *)chr;
}

/* --- a machine and an accelerator ------------------------------------- */

typedef struct {
    MachineState parent_instance;
} FxMachine;
typedef MachineStateClass FxMachineClass;

CG_DEFINE_TYPE(FxMachine, fx_machine, "test-machine", CG_TYPE_MACHINE)

static bool fx_machine_plug(MachineState *ms, DeviceState *dev, GError **err)
{
    return true;
}

static void fx_machine_class_init(FxMachineClass *mc)
{
    mc->name = "test";
    mc->desc = "machine for unit tests";
    mc->is_default = true;
    mc->max_cpus = 4;
    mc->default_ram_size = 2 * 1024 * 1024;
    mc->plug = fx_machine_plug;
}

static void fx_machine_init(FxMachine *self)
{
}

typedef struct {
    AccelState parent_instance;
} FxKvm;
typedef AccelStateClass FxKvmClass;

CG_DEFINE_TYPE(FxKvm, fx_kvm, "kvm-accel", CG_TYPE_ACCEL)

static bool fx_kvm_init_machine(AccelState *a, MachineState *ms,
                                GError **err)
{
    return ms->cgs == NULL || cgs_kvm_init(ms->cgs, ms, err);
}

static void fx_kvm_class_init(FxKvmClass *k)
{
    k->name = "kvm";
    k->desc = "stand-in for KVM in unit tests";
    k->init_machine = fx_kvm_init_machine;
}

static void fx_kvm_init(FxKvm *self)
{
}

/* --- confidential-guest-support types --------------------------------- */

typedef struct {
    ConfidentialGuestSupport parent_instance;
    char *note;
} FxCgs;
typedef ConfidentialGuestSupportClass FxCgsClass;

CG_DEFINE_TYPE(FxCgs, fx_cgs, "test-cgs", CG_TYPE_CONFIDENTIAL_GUEST_SUPPORT)

static void fx_cgs_set(GObject *o, guint id, const GValue *v, GParamSpec *p)
{
    g_free(((FxCgs *)o)->note);
    ((FxCgs *)o)->note = g_value_dup_string(v);
}

static void fx_cgs_get(GObject *o, guint id, GValue *v, GParamSpec *p)
{
    g_value_set_string(v, ((FxCgs *)o)->note);
}

static void fx_cgs_finalize(GObject *o)
{
    g_free(((FxCgs *)o)->note);
    G_OBJECT_CLASS(fx_cgs_parent_class)->finalize(o);
}

static char *fx_cgs_state(ConfidentialGuestSupport *cgs)
{
    return g_strdup("launched");
}

static void fx_cgs_details(ConfidentialGuestSupport *cgs, JsonBuilder *b)
{
    json_builder_set_member_name(b, "secret");
    json_builder_add_int_value(b, 42);
}

static void fx_cgs_class_init(FxCgsClass *k)
{
    GObjectClass *oc = G_OBJECT_CLASS(k);

    oc->set_property = fx_cgs_set;
    oc->get_property = fx_cgs_get;
    oc->finalize = fx_cgs_finalize;
    g_object_class_install_property(
        oc, 1,
        g_param_spec_string("note", "note", "free text", NULL,
                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
    k->technology = "test technology";
    k->query_state = fx_cgs_state;
    k->query_details = fx_cgs_details;
}

static void fx_cgs_init(FxCgs *self)
{
}

typedef struct {
    ConfidentialGuestSupport parent_instance;
} FxCgsBase;
typedef ConfidentialGuestSupportClass FxCgsBaseClass;

CG_DEFINE_ABSTRACT_TYPE(FxCgsBase, fx_cgs_base, "test-cgs-base",
                        CG_TYPE_CONFIDENTIAL_GUEST_SUPPORT)

static void fx_cgs_base_class_init(FxCgsBaseClass *k)
{
}

static void fx_cgs_base_init(FxCgsBase *self)
{
}

typedef struct {
    FxCgsBase parent_instance;
} FxCgsChild;
typedef FxCgsBaseClass FxCgsChildClass;

CG_DEFINE_TYPE(FxCgsChild, fx_cgs_child, "test-cgs-child",
               fx_cgs_base_get_type())

static void fx_cgs_child_class_init(FxCgsChildClass *k)
{
}

static void fx_cgs_child_init(FxCgsChild *self)
{
}

/* --- a device ------------------------------------------------------------ */

typedef struct {
    DeviceState parent_instance;
    bool flag;
    guint count;
    OnOffAuto mode;
    char *label;
} FxDev;
typedef DeviceStateClass FxDevClass;

enum { DEV_PROP_0, DEV_PROP_FLAG, DEV_PROP_COUNT, DEV_PROP_MODE,
       DEV_PROP_LABEL, DEV_PROP_WIRING, DEV_PROP_EVENT_IDX };

CG_DEFINE_TYPE(FxDev, fx_dev, "test-dev", CG_TYPE_DEVICE)

static void fx_dev_set(GObject *o, guint id, const GValue *v, GParamSpec *p)
{
    FxDev *d = (FxDev *)o;

    switch (id) {
    case DEV_PROP_FLAG:
        d->flag = g_value_get_boolean(v);
        break;
    case DEV_PROP_COUNT:
        d->count = g_value_get_uint(v);
        break;
    case DEV_PROP_MODE:
        d->mode = g_value_get_enum(v);
        break;
    case DEV_PROP_LABEL:
        g_free(d->label);
        d->label = g_value_dup_string(v);
        break;
    case DEV_PROP_WIRING:
    case DEV_PROP_EVENT_IDX:
        break;
    }
}

static void fx_dev_get(GObject *o, guint id, GValue *v, GParamSpec *p)
{
    FxDev *d = (FxDev *)o;

    switch (id) {
    case DEV_PROP_FLAG:
        g_value_set_boolean(v, d->flag);
        break;
    case DEV_PROP_COUNT:
        g_value_set_uint(v, d->count);
        break;
    case DEV_PROP_MODE:
        g_value_set_enum(v, d->mode);
        break;
    case DEV_PROP_LABEL:
        g_value_set_string(v, d->label);
        break;
    case DEV_PROP_WIRING:
        g_value_set_int(v, 0);
        break;
    case DEV_PROP_EVENT_IDX:
        g_value_set_boolean(v, false);
        break;
    }
}

static void fx_dev_finalize(GObject *o)
{
    g_free(((FxDev *)o)->label);
    G_OBJECT_CLASS(fx_dev_parent_class)->finalize(o);
}

static void fx_dev_class_init(FxDevClass *k)
{
    GObjectClass *oc = G_OBJECT_CLASS(k);
    GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;
    GParamSpec *wiring;

    oc->set_property = fx_dev_set;
    oc->get_property = fx_dev_get;
    oc->finalize = fx_dev_finalize;
    k->user_creatable = true;
    k->desc = "a device for QMP tests";
    k->bus_type = "test";
    g_object_class_install_property(
        oc, DEV_PROP_FLAG,
        g_param_spec_boolean("flag", "flag", "a flag", TRUE, rw));
    g_object_class_install_property(
        oc, DEV_PROP_COUNT,
        g_param_spec_uint("count", "count", NULL, 0, 100, 7, rw));
    g_object_class_install_property(
        oc, DEV_PROP_MODE,
        g_param_spec_enum("mode", "mode", "on/off/auto", CG_TYPE_ON_OFF_AUTO,
                          ON_OFF_AUTO_AUTO, rw));
    g_object_class_install_property(
        oc, DEV_PROP_LABEL,
        g_param_spec_string("label", "label", NULL, NULL, rw));
    wiring = g_param_spec_int("wiring", "wiring", NULL, 0, 1, 0, rw);
    cg_param_spec_set_internal(wiring);
    g_object_class_install_property(oc, DEV_PROP_WIRING, wiring);
    /* QEMU's spelling, with an underscore GLib would not keep. */
    g_object_class_install_property(
        oc, DEV_PROP_EVENT_IDX,
        cg_param_spec_keep_name(
            g_param_spec_boolean("event_idx", "event_idx", NULL, FALSE,
                                 G_PARAM_READWRITE),
            "event_idx"));
}

static void fx_dev_init(FxDev *d)
{
    d->flag = true;
    d->count = 7;
    d->mode = ON_OFF_AUTO_AUTO;
}

/* --- building ----------------------------------------------------------- */

CgSystem *fx_build(const char *const *args, GError **err)
{
    g_autoptr(GPtrArray) argv = g_ptr_array_new();
    CgConfig *cfg = cg_config_new("test");
    CgSystem *sys;

    cg_types_init();
    g_ptr_array_add(argv, "cgemu-system-test");
    for (const char *const *a = args; *a; a++) {
        g_ptr_array_add(argv, (gpointer)*a);
    }
    if (!cg_config_parse(cfg, (int)argv->len, (char **)argv->pdata, err)) {
        cg_config_free(cfg);
        return NULL;
    }
    sys = system_new("test", cfg);
    if (!system_build(sys, err)) {
        system_free(sys);
        cg_config_free(cfg);
        return NULL;
    }
    return sys;
}

CgSystem *fx_build_ok(const char *const *args)
{
    g_autoptr(GError) err = NULL;
    CgSystem *sys = fx_build(args, &err);

    g_assert_no_error(err);
    return sys;
}

void fx_destroy(CgSystem *sys)
{
    CgConfig *cfg = sys->cfg;

    system_free(sys);
    cg_config_free(cfg);
}

static gboolean quit_when_idle(gpointer opaque)
{
    g_main_loop_quit(opaque);
    return G_SOURCE_REMOVE;
}

void fx_start(CgSystem *sys)
{
    GSource *idle = g_idle_source_new();

    g_source_set_priority(idle, G_PRIORITY_LOW);
    g_source_set_callback(idle, quit_when_idle, sys->loop, NULL);
    g_source_attach(idle, sys->ctx);
    g_source_unref(idle);
    g_main_loop_run(sys->loop);
}
