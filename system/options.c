/* The command line: the option table and the parser that fills CgConfig. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "system/options.h"
#include "internal.h"

#include "util/cutils.h"
#include "util/error.h"

#include <string.h>

static void opts_free(gpointer p)
{
    cg_opts_free(p);
}

CgConfig *cg_config_new(const char *target)
{
    CgConfig *cfg = g_new0(CgConfig, 1);

    cfg->target = target;
    cfg->machine = cg_opts_new(NULL);
    cfg->objects = g_ptr_array_new_with_free_func(opts_free);
    cfg->devices = g_ptr_array_new_with_free_func(opts_free);
    cfg->globals = g_ptr_array_new_with_free_func(g_free);
    cfg->accels = g_ptr_array_new_with_free_func(opts_free);
    cfg->chardevs = g_ptr_array_new_with_free_func(opts_free);
    cfg->mons = g_ptr_array_new_with_free_func(opts_free);
    cfg->serials = g_ptr_array_new_with_free_func(g_free);
    cfg->qmps = g_ptr_array_new_with_free_func(g_free);
    cfg->add_fds = g_ptr_array_new_with_free_func(opts_free);
    cfg->blockdevs = g_ptr_array_new_with_free_func(opts_free);
    cfg->drives = g_ptr_array_new_with_free_func(opts_free);
    return cfg;
}

void cg_config_free(CgConfig *cfg)
{
    if (cfg == NULL) {
        return;
    }
    cg_opts_free(cfg->machine);
    g_ptr_array_unref(cfg->objects);
    g_ptr_array_unref(cfg->devices);
    g_ptr_array_unref(cfg->globals);
    g_ptr_array_unref(cfg->accels);
    g_ptr_array_unref(cfg->chardevs);
    g_ptr_array_unref(cfg->mons);
    g_ptr_array_unref(cfg->serials);
    g_ptr_array_unref(cfg->qmps);
    g_ptr_array_unref(cfg->add_fds);
    g_ptr_array_unref(cfg->blockdevs);
    g_ptr_array_unref(cfg->drives);
    g_free(cfg->qtest);
    g_free(cfg->qtest_log);
    g_free(cfg->cpu);
    g_free(cfg->kernel);
    g_free(cfg->initrd);
    g_free(cfg->append);
    g_free(cfg->bios);
    cg_opts_free(cfg->smp);
    g_free(cfg->name);
    g_free(cfg->uuid);
    g_free(cfg->help_type);
    g_free(cfg->pidfile);
    g_free(cfg);
}

static void request_help(CgConfig *cfg, HelpRequest what, const char *type)
{
    if (cfg->help == HELP_NONE) {
        cfg->help = what;
        cfg->help_type = g_strdup(type);
    }
}

/* Checks that @opts has only keys of @params (NULL-name terminated). */
static bool check_params(const CgOptionDef *def, const CgOpts *opts,
                         GError **err)
{
    for (guint i = 0; i < opts->items->len; i++) {
        const CgOpt *o = g_ptr_array_index(opts->items, i);
        g_autoptr(GString) names = g_string_new(NULL);
        bool known = false;

        for (const CgOptionParam *p = def->params; p->name; p++) {
            if (!strcmp(p->name, o->key)) {
                known = true;
            }
            g_string_append_printf(names, "%s%s", names->len ? ", " : "",
                                   p->name);
        }
        if (!known) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "invalid parameter '%s'; -%s accepts: %s", o->key,
                        def->name, names->str);
            return false;
        }
    }
    return true;
}

bool cg_option_bool(const CgOpts *opts, const char *key, bool *out,
                    GError **err)
{
    const char *v = cg_opts_get(opts, key);

    if (v != NULL && !cg_parse_bool(v, out)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "'%s' expects on or off, got '%s'", key, v);
        return false;
    }
    return true;
}

CgOpts *cg_option_parse(const CgOptionDef *def, const char *arg,
                        const char *implied, GError **err)
{
    g_autoptr(CgOpts) opts = cg_keyval_parse(arg, implied, err);

    if (opts == NULL || !check_params(def, opts, err)) {
        return NULL;
    }
    return g_steal_pointer(&opts);
}

static bool opt_machine(CgConfig *cfg, const CgOptionDef *def,
                        const char *arg, GError **err)
{
    g_autoptr(CgOpts) opts = cg_keyval_parse(arg, "type", err);
    const char *accel;

    if (opts == NULL) {
        return false;
    }
    if (opts->help) {
        const char *type = cg_opts_get(opts, "type");
        request_help(cfg, type ? HELP_MACHINE_PROPS : HELP_MACHINES, type);
        return true;
    }
    accel = cg_opts_get(opts, "accel");
    if (accel != NULL) {
        g_auto(GStrv) names = g_strsplit(accel, ":", -1);
        for (char **n = names; *n; n++) {
            CgOpts *a = cg_opts_new(*n);
            cg_opts_set(a, "accel", *n, CG_OPT_TEXT);
            g_ptr_array_add(cfg->accels, a);
        }
        cg_opts_remove(opts, "accel");
    }
    cg_opts_merge(cfg->machine, opts);
    return true;
}

/*
 * -object and -device: keyval with an implied type key, or JSON; "help"
 * lists the types (@list_help) or one type's properties (@props_help).
 */
static bool add_typed_opts(CgConfig *cfg, const char *arg,
                           const char *type_key, HelpRequest list_help,
                           HelpRequest props_help, GPtrArray *list,
                           GError **err)
{
    CgOpts *opts = cg_opts_parse(arg, type_key, true, err);

    if (opts == NULL) {
        return false;
    }
    if (opts->help) {
        const char *type = cg_opts_get(opts, type_key);
        request_help(cfg, type ? props_help : list_help, type);
        cg_opts_free(opts);
        return true;
    }
    g_ptr_array_add(list, opts);
    return true;
}

static bool opt_object(CgConfig *cfg, const CgOptionDef *def,
                       const char *arg, GError **err)
{
    return add_typed_opts(cfg, arg, "qom-type", HELP_OBJECTS,
                          HELP_OBJECT_PROPS, cfg->objects, err);
}

static bool opt_device(CgConfig *cfg, const CgOptionDef *def,
                       const char *arg, GError **err)
{
    return add_typed_opts(cfg, arg, "driver", HELP_DEVICES,
                          HELP_DEVICE_PROPS, cfg->devices, err);
}

static bool opt_accel(CgConfig *cfg, const CgOptionDef *def,
                      const char *arg, GError **err)
{
    CgOpts *opts = cg_keyval_parse(arg, "accel", err);

    if (opts == NULL) {
        return false;
    }
    if (opts->help) {
        request_help(cfg, HELP_ACCELS, NULL);
        cg_opts_free(opts);
        return true;
    }
    if (cg_opts_get(opts, "accel") == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "the accelerator name is missing; write -accel kvm or "
                    "-accel qtest");
        cg_opts_free(opts);
        return false;
    }
    g_ptr_array_add(cfg->accels, opts);
    return true;
}

static bool opt_enable_kvm(CgConfig *cfg, const CgOptionDef *def,
                           const char *arg, GError **err)
{
    CgOpts *a = cg_opts_new("kvm");

    cg_opts_set(a, "accel", "kvm", CG_OPT_TEXT);
    g_ptr_array_add(cfg->accels, a);
    return true;
}

static bool opt_cpu(CgConfig *cfg, const CgOptionDef *def, const char *arg,
                    GError **err)
{
    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        request_help(cfg, HELP_CPUS, NULL);
        return true;
    }
    g_free(cfg->cpu);
    cfg->cpu = g_strdup(arg);
    return true;
}

static const CgOptionParam m_params[] = {
    { "size", "size", "initial amount of guest memory (default unit MiB)" },
    { NULL },
};

static bool opt_m(CgConfig *cfg, const CgOptionDef *def, const char *arg,
                  GError **err)
{
    g_autoptr(CgOpts) opts = cg_option_parse(def, arg, "size", err);
    const char *size;
    uint64_t bytes;

    if (opts == NULL) {
        return false;
    }
    size = cg_opts_get(opts, "size");
    if (size == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "the memory size is missing; write e.g. -m 512M");
        return false;
    }
    if (!cg_parse_size(size, 'M', &bytes) || bytes == 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "invalid memory size '%s'; write a positive size such as "
                    "512 (MiB), 512M or 4G", size);
        return false;
    }
    cfg->ram_size = bytes;
    return true;
}

static const CgOptionParam smp_params[] = {
    { "cpus", "number", "number of vCPUs present at start" },
    { "maxcpus", "number", "maximum number of vCPUs" },
    { "sockets", "number", "sockets" },
    { "dies", "number", "dies per socket" },
    { "clusters", "number", "clusters per die" },
    { "cores", "number", "cores per cluster" },
    { "threads", "number", "threads per core" },
    { NULL },
};

static bool opt_smp(CgConfig *cfg, const CgOptionDef *def, const char *arg,
                    GError **err)
{
    CgOpts *opts = cg_option_parse(def, arg, "cpus", err);

    if (opts == NULL) {
        return false;
    }
    for (guint i = 0; i < opts->items->len; i++) {
        const CgOpt *o = g_ptr_array_index(opts->items, i);
        uint64_t v;
        if (!cg_parse_uint64(o->value, &v) || v == 0 || v > 4096) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "'%s' expects a number in 1..4096, got '%s'", o->key,
                        o->value);
            cg_opts_free(opts);
            return false;
        }
    }
    cg_opts_free(cfg->smp);
    cfg->smp = opts;
    return true;
}

static bool opt_global(CgConfig *cfg, const CgOptionDef *def,
                       const char *arg, GError **err)
{
    g_ptr_array_add(cfg->globals, g_strdup(arg));
    return true;
}

static bool set_string(char **field, const char *arg)
{
    g_free(*field);
    *field = g_strdup(arg);
    return true;
}

static bool opt_kernel(CgConfig *cfg, const CgOptionDef *def,
                       const char *arg, GError **err)
{
    return set_string(&cfg->kernel, arg);
}

static bool opt_initrd(CgConfig *cfg, const CgOptionDef *def,
                       const char *arg, GError **err)
{
    return set_string(&cfg->initrd, arg);
}

static bool opt_append(CgConfig *cfg, const CgOptionDef *def,
                       const char *arg, GError **err)
{
    return set_string(&cfg->append, arg);
}

static bool opt_bios(CgConfig *cfg, const CgOptionDef *def, const char *arg,
                     GError **err)
{
    return set_string(&cfg->bios, arg);
}

static bool opt_chardev(CgConfig *cfg, const CgOptionDef *def,
                        const char *arg, GError **err)
{
    CgOpts *opts = cg_keyval_parse(arg, "backend", err);

    if (opts == NULL) {
        return false;
    }
    if (cg_opts_get(opts, "id") == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "a chardev needs an id; add id=NAME");
        cg_opts_free(opts);
        return false;
    }
    g_ptr_array_add(cfg->chardevs, opts);
    return true;
}

static const CgOptionParam mon_params[] = {
    { "chardev", "string", "id of the chardev the monitor talks on" },
    { "mode", "string", "control (QMP); readline is not available" },
    { "pretty", "boolean", "indent JSON replies" },
    { "id", "string", "the monitor's id (accepted for libvirt; not used)" },
    { NULL },
};

static bool opt_mon(CgConfig *cfg, const CgOptionDef *def, const char *arg,
                    GError **err)
{
    CgOpts *opts = cg_option_parse(def, arg, "chardev", err);
    const char *mode;

    if (opts == NULL) {
        return false;
    }
    mode = cg_opts_get(opts, "mode");
    if (mode != NULL && strcmp(mode, "control") != 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "mode '%s' is not available; cgemu has only the QMP "
                    "monitor: use mode=control", mode);
        cg_opts_free(opts);
        return false;
    }
    if (cg_opts_get(opts, "chardev") == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "chardev= is missing; write chardev=ID,mode=control");
        cg_opts_free(opts);
        return false;
    }
    g_ptr_array_add(cfg->mons, opts);
    return true;
}

static bool opt_qmp(CgConfig *cfg, const CgOptionDef *def, const char *arg,
                    GError **err)
{
    g_ptr_array_add(cfg->qmps, g_strdup(arg));
    return true;
}

static bool opt_serial(CgConfig *cfg, const CgOptionDef *def,
                       const char *arg, GError **err)
{
    g_ptr_array_add(cfg->serials, g_strdup(arg));
    return true;
}

static bool opt_qtest(CgConfig *cfg, const CgOptionDef *def, const char *arg,
                      GError **err)
{
    return set_string(&cfg->qtest, arg);
}

static bool opt_qtest_log(CgConfig *cfg, const CgOptionDef *def,
                          const char *arg, GError **err)
{
    return set_string(&cfg->qtest_log, arg);
}

static bool opt_blockdev(CgConfig *cfg, const CgOptionDef *def,
                         const char *arg, GError **err)
{
    CgOpts *opts = cg_opts_parse(arg, NULL, true, err);

    if (opts == NULL) {
        return false;
    }
    g_ptr_array_add(cfg->blockdevs, opts);
    return true;
}

static bool opt_drive(CgConfig *cfg, const CgOptionDef *def,
                      const char *arg, GError **err)
{
    CgOpts *opts = cg_keyval_parse(arg, NULL, err);

    if (opts == NULL) {
        return false;
    }
    g_ptr_array_add(cfg->drives, opts);
    return true;
}

static const CgOptionParam add_fd_params[] = {
    { "fd", "number", "the inherited file descriptor" },
    { "set", "number", "the fd set to add it to" },
    { "opaque", "string", "free-form text kept with the fd" },
    { NULL },
};

static bool opt_add_fd(CgConfig *cfg, const CgOptionDef *def,
                       const char *arg, GError **err)
{
    CgOpts *opts = cg_option_parse(def, arg, NULL, err);
    const char *keys[] = { "fd", "set" };

    if (opts == NULL) {
        return false;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
        const char *v = cg_opts_get(opts, keys[i]);
        uint64_t n;
        if (v == NULL || !cg_parse_uint64(v, &n) || n > G_MAXINT) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "'%s' must be a non-negative number, got '%s'",
                        keys[i], v ? v : "(nothing)");
            cg_opts_free(opts);
            return false;
        }
    }
    g_ptr_array_add(cfg->add_fds, opts);
    return true;
}

static const CgOptionParam overcommit_params[] = {
    { "mem-lock", "boolean", "lock guest memory (only off is supported)" },
    { "cpu-pm", "boolean", "expose CPU power management (only off)" },
    { NULL },
};

/*
 * libvirt passes "-overcommit mem-lock=off" to every guest.  "off" is what
 * cgemu does anyway (it never locks guest memory nor passes CPU power
 * management through), so it is accepted; "on" is refused, never ignored.
 */
static bool opt_overcommit(CgConfig *cfg, const CgOptionDef *def,
                           const char *arg, GError **err)
{
    g_autoptr(CgOpts) opts = cg_option_parse(def, arg, NULL, err);

    if (opts == NULL) {
        return false;
    }
    for (guint i = 0; i < opts->items->len; i++) {
        const CgOpt *o = g_ptr_array_index(opts->items, i);
        bool b;
        if (!cg_parse_bool(o->value, &b)) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "'%s' expects on or off, got '%s'", o->key, o->value);
            return false;
        }
        if (b) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "%s=on is not supported yet; cgemu runs every guest "
                        "with %s=off", o->key, o->key);
            return false;
        }
    }
    return true;
}

static bool opt_not_yet(CgConfig *cfg, const CgOptionDef *def,
                        const char *arg, GError **err)
{
    g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                "not supported yet by cgemu; remove the option");
    return false;
}

static bool opt_display(CgConfig *cfg, const CgOptionDef *def,
                        const char *arg, GError **err)
{
    if (strcmp(arg, "none") != 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "display '%s' is not available; cgemu has no graphical "
                    "display: use -display none (or -nographic)", arg);
        return false;
    }
    return true;
}

static bool opt_nographic(CgConfig *cfg, const CgOptionDef *def,
                          const char *arg, GError **err)
{
    cfg->nographic = true;
    return true;
}

static bool opt_nodefaults(CgConfig *cfg, const CgOptionDef *def,
                           const char *arg, GError **err)
{
    cfg->nodefaults = true;
    return true;
}

static bool opt_ignore(CgConfig *cfg, const CgOptionDef *def,
                       const char *arg, GError **err)
{
    /* -no-user-config: cgemu reads no configuration files at all. */
    return true;
}

static bool opt_S(CgConfig *cfg, const CgOptionDef *def, const char *arg,
                  GError **err)
{
    cfg->start_paused = true;
    return true;
}

static bool opt_no_shutdown(CgConfig *cfg, const CgOptionDef *def,
                            const char *arg, GError **err)
{
    cfg->no_shutdown = true;
    return true;
}

static bool opt_no_reboot(CgConfig *cfg, const CgOptionDef *def,
                          const char *arg, GError **err)
{
    cfg->no_reboot = true;
    return true;
}

static const CgOptionParam name_params[] = {
    { "guest", "string", "the guest's name (QMP query-name)" },
    { "process", "string", "accepted for compatibility; not used" },
    { "debug-threads", "boolean", "name threads after their role" },
    { NULL },
};

static bool opt_name(CgConfig *cfg, const CgOptionDef *def, const char *arg,
                     GError **err)
{
    g_autoptr(CgOpts) opts = cg_option_parse(def, arg, "guest", err);
    bool b;

    if (opts == NULL || !cg_option_bool(opts, "debug-threads", &b, err)) {
        return false;
    }
    return set_string(&cfg->name, cg_opts_get(opts, "guest"));
}

static bool opt_uuid(CgConfig *cfg, const CgOptionDef *def, const char *arg,
                     GError **err)
{
    if (!g_uuid_string_is_valid(arg)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "invalid UUID '%s'; expected "
                    "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx in hex", arg);
        return false;
    }
    set_string(&cfg->uuid, arg);
    for (char *c = cfg->uuid; *c; c++) {
        *c = g_ascii_tolower(*c);
    }
    return true;
}

static const CgOptionParam msg_params[] = {
    { "timestamp", "boolean", "prefix messages with the time" },
    { "guest-name", "boolean", "accepted for compatibility; not used" },
    { NULL },
};

static bool opt_msg(CgConfig *cfg, const CgOptionDef *def, const char *arg,
                    GError **err)
{
    g_autoptr(CgOpts) opts = cg_option_parse(def, arg, NULL, err);

    if (opts == NULL) {
        return false;
    }
    for (guint i = 0; i < opts->items->len; i++) {
        const CgOpt *o = g_ptr_array_index(opts->items, i);
        bool b;
        if (!cg_parse_bool(o->value, &b)) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "'%s' expects on or off, got '%s'", o->key,
                        o->value);
            return false;
        }
        if (!strcmp(o->key, "timestamp")) {
            cfg->msg_timestamp = b;
        }
    }
    return true;
}

static bool opt_daemonize(CgConfig *cfg, const CgOptionDef *def,
                          const char *arg, GError **err)
{
    cfg->daemonize = true;
    return true;
}

static bool opt_pidfile(CgConfig *cfg, const CgOptionDef *def,
                        const char *arg, GError **err)
{
    return set_string(&cfg->pidfile, arg);
}

static bool opt_version(CgConfig *cfg, const CgOptionDef *def,
                        const char *arg, GError **err)
{
    request_help(cfg, HELP_VERSION, NULL);
    return true;
}

static bool opt_help(CgConfig *cfg, const CgOptionDef *def, const char *arg,
                     GError **err)
{
    request_help(cfg, HELP_USAGE, NULL);
    return true;
}

static const CgOptionDef options[] = {
    { "machine", "M", "[type=]NAME[,PROP=VALUE...]",
      "select the machine and set its properties (-machine help lists "
      "machines; -machine NAME,help their properties)",
      NULL, opt_machine },
    { "cpu", NULL, "MODEL[,FEATURE=on|off...]",
      "select the CPU model (-cpu help lists them)", NULL, opt_cpu },
    { "accel", NULL, "[accel=]NAME",
      "select an accelerator: kvm or qtest; repeat to give fallbacks",
      NULL, opt_accel },
    { "enable-kvm", NULL, NULL, "same as -accel kvm", NULL, opt_enable_kvm },
    { "m", NULL, "[size=]SIZE", "guest RAM size (default unit MiB)",
      m_params, opt_m },
    { "smp", NULL, "[cpus=]N[,maxcpus=N][,sockets=N][,cores=N][,threads=N]",
      "number of vCPUs and topology", smp_params, opt_smp },
    { "object", NULL, "TYPE,id=ID[,PROP=VALUE...] | JSON",
      "create an object (-object help lists types; -object TYPE,help "
      "their properties)", NULL, opt_object },
    { "device", NULL, "DRIVER[,PROP=VALUE...] | JSON",
      "add a device (-device help lists drivers; -device DRIVER,help "
      "their properties)", NULL, opt_device },
    { "global", NULL, "DRIVER.PROP=VALUE | driver=D,property=P,value=V",
      "default property value for every device of type DRIVER", NULL,
      opt_global },
    { "kernel", NULL, "FILE", "kernel image to boot directly", NULL,
      opt_kernel },
    { "initrd", NULL, "FILE", "initial ramdisk for -kernel", NULL,
      opt_initrd },
    { "append", NULL, "CMDLINE", "kernel command line for -kernel", NULL,
      opt_append },
    { "bios", NULL, "FILE", "firmware image", NULL, opt_bios },
    { "serial", NULL, "stdio|null|file:PATH|unix:PATH,...|chardev:ID",
      "where a serial port goes (repeat for more ports)", NULL, opt_serial },
    { "chardev", NULL, "BACKEND,id=ID[,...]",
      "create a character device: null, stdio, file,path=, "
      "socket,path=|fd=|host=,port=[,server=on][,wait=off], pipe,path=",
      NULL, opt_chardev },
    { "mon", NULL, "[chardev=]ID[,mode=control][,pretty=on]",
      "attach a QMP monitor to a character device", mon_params, opt_mon },
    { "qmp", NULL, "unix:PATH,server=on,wait=off | stdio | tcp:HOST:PORT",
      "QMP monitor on a new character device", NULL, opt_qmp },
    { "qtest", NULL, "unix:PATH | chardev:ID",
      "qtest protocol endpoint (implies -accel qtest)", NULL, opt_qtest },
    { "qtest-log", NULL, "FILE", "log the qtest protocol to FILE", NULL,
      opt_qtest_log },
    { "blockdev", NULL, "driver=file,filename=PATH,node-name=NAME[,...]",
      "define a block device node", NULL, opt_blockdev },
    { "drive", NULL, "file=PATH,format=raw,if=none,id=ID[,readonly=on]",
      "define a drive (legacy form of -blockdev)", NULL, opt_drive },
    { "add-fd", NULL, "fd=N,set=N[,opaque=TEXT]",
      "make an inherited file descriptor available", add_fd_params,
      opt_add_fd },
    { "display", NULL, "none", "cgemu has no graphical display", NULL,
      opt_display },
    { "nographic", NULL, NULL, "no display; serial port on stdio", NULL,
      opt_nographic },
    { "nodefaults", NULL, NULL, "create no default devices", NULL,
      opt_nodefaults },
    { "no-user-config", NULL, NULL,
      "accepted for compatibility; cgemu reads no configuration files",
      NULL, opt_ignore },
    { "S", NULL, NULL, "do not start the vCPUs (use QMP 'cont')", NULL,
      opt_S },
    { "name", NULL, "[guest=]NAME[,debug-threads=on|off]",
      "the guest's name", name_params, opt_name },
    { "uuid", NULL, "UUID", "the guest's UUID", NULL, opt_uuid },
    { "no-shutdown", NULL, NULL,
      "when the guest powers off, stop instead of exiting", NULL,
      opt_no_shutdown },
    { "no-reboot", NULL, NULL, "exit instead of rebooting", NULL,
      opt_no_reboot },
    { "msg", NULL, "timestamp=on|off", "message format", msg_params,
      opt_msg },
    { "overcommit", NULL, "mem-lock=off[,cpu-pm=off]",
      "memory locking and CPU power management (both off: the only "
      "supported values)", overcommit_params, opt_overcommit },
    { "rtc", NULL, "[base=]utc[,clock=host][,driftfix=none]",
      "the guest's clock: the host's, in UTC (the only values accepted)",
      rtc_params, opt_rtc },
    { "boot", NULL, "[order=]DRIVES[,strict=on|off][,menu=on|off][,...]",
      "checked, no effect: cgemu boots -kernel or -bios directly",
      boot_params, opt_boot },
    { "audiodev", NULL, "[driver=]none,id=ID | JSON",
      "audio back end: only none (cgemu has no sound devices)", NULL,
      opt_audiodev },
    { "sandbox", NULL, "on|off[,...]", "seccomp sandbox", NULL,
      opt_not_yet },
    { "daemonize", NULL, NULL,
      "detach once the machine is built (the parent's exit status says "
      "whether start-up succeeded)", NULL, opt_daemonize },
    { "pidfile", NULL, "FILE", "write the process id to FILE (locked)",
      NULL, opt_pidfile },
    { "version", NULL, NULL, "print the version and exit", NULL,
      opt_version },
    { "help", "h", NULL, "print this help and exit", NULL, opt_help },
};

const CgOptionDef *cg_options(size_t *n)
{
    *n = G_N_ELEMENTS(options);
    return options;
}

const CgOptionDef *cg_option_find(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(options); i++) {
        if (!strcmp(options[i].name, name) ||
            (options[i].alias && !strcmp(options[i].alias, name))) {
            return &options[i];
        }
    }
    return NULL;
}

static void set_unknown_option_error(const char *name, GError **err)
{
    g_autofree const char **names = g_new0(const char *,
                                           G_N_ELEMENTS(options) + 1);
    const char *hint;

    for (size_t i = 0; i < G_N_ELEMENTS(options); i++) {
        names[i] = options[i].name;
    }
    hint = cg_suggest(name, names, G_N_ELEMENTS(options));
    if (hint != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-%s: unknown option; did you mean -%s?", name, hint);
    } else {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "-%s: unknown option; see --help for the options cgemu "
                    "accepts", name);
    }
}

bool cg_config_parse(CgConfig *cfg, int argc, char **argv, GError **err)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *name;
        const char *arg = NULL;
        const CgOptionDef *def;
        g_autoptr(GError) local = NULL;

        if (a[0] != '-' || a[1] == '\0') {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "%s: unexpected argument; a disk image is given "
                        "with -blockdev/-drive and -device, a kernel with "
                        "-kernel", a);
            return false;
        }
        name = a[1] == '-' ? a + 2 : a + 1;
        def = cg_option_find(name);
        if (def == NULL) {
            set_unknown_option_error(name, err);
            return false;
        }
        if (def->arg != NULL) {
            if (i + 1 >= argc) {
                g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                            "-%s: missing argument; expected -%s %s",
                            name, def->name, def->arg);
                return false;
            }
            arg = argv[++i];
        }
        if (!def->handler(cfg, def, arg, &local)) {
            if (arg != NULL) {
                g_set_error(err, CG_ERROR, CG_ERROR_GENERIC, "-%s %s: %s",
                            name, arg, local->message);
            } else {
                g_set_error(err, CG_ERROR, CG_ERROR_GENERIC, "-%s: %s",
                            name, local->message);
            }
            return false;
        }
    }
    return true;
}

static void dump_list(GString *s, const char *what, GPtrArray *list,
                      bool are_opts)
{
    for (guint i = 0; i < list->len; i++) {
        if (are_opts) {
            g_autofree char *t = cg_opts_to_string(g_ptr_array_index(list, i));
            g_string_append_printf(s, "%s: %s\n", what, t);
        } else {
            g_string_append_printf(s, "%s: %s\n", what,
                                   (char *)g_ptr_array_index(list, i));
        }
    }
}

char *cg_config_dump(const CgConfig *cfg)
{
    GString *s = g_string_new(NULL);
    g_autofree char *machine = cg_opts_to_string(cfg->machine);

    g_string_append_printf(s, "target: %s\nmachine: %s\n", cfg->target,
                           machine);
    dump_list(s, "accel", cfg->accels, true);
    dump_list(s, "object", cfg->objects, true);
    dump_list(s, "device", cfg->devices, true);
    dump_list(s, "global", cfg->globals, false);
    g_string_append_printf(s, "cpu: %s\nram-size: %" G_GUINT64_FORMAT "\n",
                           cfg->cpu ? cfg->cpu : "(default)", cfg->ram_size);
    g_string_append_printf(s, "kernel: %s\ninitrd: %s\nappend: %s\n"
                           "bios: %s\n",
                           cfg->kernel ? cfg->kernel : "",
                           cfg->initrd ? cfg->initrd : "",
                           cfg->append ? cfg->append : "",
                           cfg->bios ? cfg->bios : "");
    g_string_append_printf(s, "paused: %d\nnodefaults: %d\nnographic: %d\n",
                           cfg->start_paused, cfg->nodefaults,
                           cfg->nographic);
    return g_string_free(s, FALSE);
}
