/* Command-line tests: each binary with bad (and some good) command lines,
 * asserting the exit status and the exact one-line message. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cli-run.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const char *const targets[] = { "x86_64", "ppc64", "s390x" };

/* Runs @args on @target and expects exit 1 and exactly "<bin>: @msg\n". */
static const char *default_machine_type(const char *target)
{
    return !strcmp(target, "x86_64")  ? "pc-machine"
           : !strcmp(target, "ppc64") ? "pseries-machine"
                                      : "s390-ccw-virtio-machine";
}

/*
 * Runs @args on @target and expects exit 1 and exactly "<bin>: @msg\n";
 * %MACHINE% in @msg stands for the target's default machine type.
 */
static void expect_error(const char *target, const char *const *args,
                         const char *msg)
{
    g_autoptr(CliRun) r = cli_run(cli_binary(target), args);
    g_auto(GStrv) parts = g_strsplit(msg, "%MACHINE%", -1);
    g_autofree char *text = g_strjoinv(default_machine_type(target), parts);
    g_autofree char *want = g_strdup_printf("cgemu-system-%s: %s\n", target,
                                            text);

    g_assert_cmpstr(r->err, ==, want);
    g_assert_cmpint(r->status, ==, 1);
}

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static void each_target(void (*fn)(const char *target))
{
    for (size_t i = 0; i < G_N_ELEMENTS(targets); i++) {
        fn(targets[i]);
    }
}

static void unknown_option(const char *t)
{
    expect_error(t, ARGS("-foo"),
                 "-foo: unknown option; see --help for the options cgemu "
                 "accepts");
    expect_error(t, ARGS("-machin", "help"),
                 "-machin: unknown option; did you mean -machine?");
    expect_error(t, ARGS("-machine"),
                 "-machine: missing argument; expected -machine "
                 "[type=]NAME[,PROP=VALUE...]");
    expect_error(t, ARGS("disk.img"),
                 "disk.img: unexpected argument; a disk image is given with "
                 "-blockdev/-drive and -device, a kernel with -kernel");
}

static void unknown_property(const char *t)
{
    expect_error(t, ARGS("-object", "rng-random,id=r0,foo=1"),
                 "-object rng-random,id=r0,foo=1: rng-random has no property "
                 "'foo'; it accepts: filename");
    expect_error(t, ARGS("-object", "rng-random,id=r0,filenam=/dev/zero"),
                 "-object rng-random,id=r0,filenam=/dev/zero: rng-random has "
                 "no property 'filenam'; did you mean 'filename'?");
    expect_error(t, ARGS("-machine", "mem-merg=off"),
                 "-machine mem-merg=off: %MACHINE% has no property "
                 "'mem-merg'; did you mean 'mem-merge'?");
}

static void missing_and_duplicate_id(const char *t)
{
    expect_error(t, ARGS("-object", "rng-builtin"),
                 "-object rng-builtin: rng-builtin needs an id; add id=NAME");
    expect_error(t, ARGS("-object", "rng-builtin,id=r", "-object",
                         "rng-random,id=r"),
                 "-object rng-random,id=r: an object with id 'r' already "
                 "exists; ids must be unique");
    expect_error(t, ARGS("-object", "{\"qom-type\":\"rng-random\","
                                    "\"id\":\"r\",\"filename\":7}"),
                 "-object {\"qom-type\":\"rng-random\",\"id\":\"r\","
                 "\"filename\":7}: property 'filename' must be a string, not "
                 "an integer");
}

static void cgs_link_errors(const char *t)
{
    expect_error(t, ARGS("-machine", "confidential-guest-support=nosuch"),
                 "-machine confidential-guest-support=nosuch: property "
                 "'confidential-guest-support': no object 'nosuch' exists; "
                 "create it first with -object TYPE,id=nosuch");
    expect_error(t, ARGS("-object", "rng-builtin,id=rng0", "-machine",
                         "confidential-guest-support=rng0"),
                 "-machine confidential-guest-support=rng0: property "
                 "'confidential-guest-support': object 'rng0' is a "
                 "rng-builtin, not a confidential-guest-support");
    expect_error(t, ARGS("-machine", "confidential-guest-support="),
                 "-machine confidential-guest-support=: property "
                 "'confidential-guest-support' needs the id of a "
                 "confidential-guest-support object, got an empty value");
    expect_error(t, ARGS("-object", "rng-builtin,id=rng0", "-machine",
                         "memory-encryption=rng0"),
                 "-machine memory-encryption=rng0: property "
                 "'memory-encryption': object 'rng0' is a rng-builtin, not a "
                 "confidential-guest-support");
}

static void rng_random_help(const char *t)
{
    g_autoptr(CliRun) r = cli_run(cli_binary(t),
                                  ARGS("-object", "rng-random,help"));

    g_assert_cmpint(r->status, ==, 0);
    g_assert_cmpstr(r->err, ==, "");
    g_assert_cmpstr(r->out, ==,
                    "rng-random properties:\n"
                    "  filename=<str>               Host file or device the "
                    "random bytes are read from (default: /dev/urandom)\n");
}

static void object_help(const char *t)
{
    g_autoptr(CliRun) r = cli_run(cli_binary(t), ARGS("-object", "help"));

    g_assert_cmpint(r->status, ==, 0);
    g_assert_true(g_str_has_prefix(r->out, "User-creatable object types "));
    g_assert_nonnull(strstr(r->out, "\n  rng-builtin\n"));
    g_assert_nonnull(strstr(r->out, "\n  rng-random\n"));
    /* Abstract types are never offered. */
    g_assert_null(strstr(r->out, "confidential-guest-support\n"));
    g_assert_null(strstr(r->out, "rng-backend"));
}

static void foreign_types(const char *t)
{
    static const struct {
        const char *type;
        const char *target;
    } objs[] = {
        { "sev-guest", "x86_64" },
        { "pef-guest", "ppc64" },
        { "s390-pv-guest", "s390x" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(objs); i++) {
        g_autofree char *arg = NULL;
        g_autofree char *msg = NULL;

        if (!strcmp(objs[i].target, t)) {
            continue;
        }
        arg = g_strdup_printf("%s,id=c0", objs[i].type);
        msg = g_strdup_printf("-object %s: object type '%s' is not "
                              "available in cgemu-system-%s; it is provided "
                              "by cgemu-system-%s", arg, objs[i].type, t,
                              objs[i].target);
        expect_error(t, ARGS("-object", arg), msg);
    }
}

static void foreign_machines(void)
{
    expect_error("x86_64", ARGS("-machine", "pseries"),
                 "-machine pseries: machine type 'pseries' is not available "
                 "in cgemu-system-x86_64; it is provided by "
                 "cgemu-system-ppc64");
    expect_error("ppc64", ARGS("-M", "s390-ccw-virtio"),
                 "-machine s390-ccw-virtio: machine type 's390-ccw-virtio' is "
                 "not available in cgemu-system-ppc64; it is provided by "
                 "cgemu-system-s390x");
    expect_error("s390x", ARGS("-M", "pc"),
                 "-machine pc: machine type 'pc' is not available in "
                 "cgemu-system-s390x; it is provided by cgemu-system-x86_64");
    expect_error("x86_64", ARGS("-M", "pcc"),
                 "-machine pcc: unknown machine type 'pcc'; did you mean "
                 "'pc'? (see -machine help)");
}

static void machine_help(const char *t)
{
    static const struct {
        const char *target;
        const char *line;
    } dflt[] = {
        { "x86_64", "pc                   Standard PC (default)\n" },
        { "ppc64", "pseries              pSeries Logical Partition (PAPR "
                   "compliant) (default)\n" },
        { "s390x", "s390-ccw-virtio      VirtIO-ccw based S390 machine "
                   "(default)\n" },
    };
    g_autoptr(CliRun) r = cli_run(cli_binary(t), ARGS("-machine", "help"));

    g_assert_cmpint(r->status, ==, 0);
    for (size_t i = 0; i < G_N_ELEMENTS(dflt); i++) {
        bool mine = !strcmp(dflt[i].target, t);
        g_assert_true((strstr(r->out, dflt[i].line) != NULL) == mine);
    }
}

static void machine_props_help(const char *t)
{
    g_autoptr(CliRun) r = cli_run(cli_binary(t), ARGS("-machine", "help,?"));
    g_autoptr(CliRun) p = NULL;
    static const char *const names[] = { "x86_64", "pc", "ppc64", "pseries",
                                         "s390x", "s390-ccw-virtio" };
    g_autofree char *arg = NULL;

    for (size_t i = 0; i < G_N_ELEMENTS(names); i += 2) {
        if (!strcmp(names[i], t)) {
            arg = g_strdup_printf("%s,help", names[i + 1]);
        }
    }
    p = cli_run(cli_binary(t), ARGS("-machine", arg));
    g_assert_cmpint(p->status, ==, 0);
    g_assert_nonnull(strstr(p->out, "  confidential-guest-support=<link<"
                                    "confidential-guest-support>> "));
    g_assert_nonnull(strstr(p->out, "  memory-encryption=<link<"));
    g_assert_nonnull(strstr(p->out, "  mem-merge=<bool> "));
    g_assert_nonnull(strstr(p->out, "(default: on)\n"));
    (void)r;
}

/* x86 machines have an 8254 that -machine pit=off leaves out. */
static void machine_pit(void)
{
    g_autoptr(CliRun) h = cli_run(cli_binary("x86_64"),
                                  ARGS("-machine", "pc,help"));

    g_assert_cmpint(h->status, ==, 0);
    g_assert_nonnull(strstr(h->out, "  pit=<OnOffAuto> "));
    expect_error("x86_64", ARGS("-machine", "pc,pit=maybe"),
                 "-machine pit=maybe: property 'pit' expects one of auto, "
                 "on, off, got 'maybe'");
    expect_error("ppc64", ARGS("-machine", "pseries,pit=off"),
                 "-machine pit=off: pseries-machine has no property 'pit'; "
                 "it accepts: append, confidential-guest-support, "
                 "dump-guest-core, dumpdtb, firmware, initrd, kernel, "
                 "mem-merge, memory-backend, memory-encryption, usb");
}

/* "kvm, qtest": the accelerators "-accel help" lists. */
static char *accel_list(const char *t)
{
    g_autoptr(CliRun) r = cli_run(cli_binary(t), ARGS("-accel", "help"));
    g_auto(GStrv) lines = g_strsplit(r->out, "\n", -1);
    g_autoptr(GString) names = g_string_new(NULL);

    g_assert_cmpint(r->status, ==, 0);
    g_assert_cmpstr(lines[0], ==, "Accelerators supported in this binary:");
    for (char **l = lines + 1; *l && **l; l++) {
        g_auto(GStrv) words = g_strsplit(g_strstrip(*l), " ", 2);
        g_string_append_printf(names, "%s%s", names->len ? ", " : "",
                               words[0]);
    }
    g_assert_nonnull(strstr(names->str, "qtest"));
    return g_string_free(g_steal_pointer(&names), FALSE);
}

static void accel_errors(const char *t)
{
    g_autofree char *have = accel_list(t);
    g_autofree char *tcg = g_strdup_printf(
        "-accel tcg: cgemu has no tcg accelerator; use -accel kvm (or "
        "-accel qtest for tests); this binary has: %s", have);
    g_autofree char *fast = g_strdup_printf(
        "-accel fast: unknown accelerator 'fast'; this binary has: %s", have);

    expect_error(t, ARGS("-accel", "tcg"), tcg);
    expect_error(t, ARGS("-accel", "fast"), fast);
}

static void memory_errors(const char *t)
{
    expect_error(t, ARGS("-m", "0"),
                 "-m 0: invalid memory size '0'; write a positive size such "
                 "as 512 (MiB), 512M or 4G");
    expect_error(t, ARGS("-m", "lots"),
                 "-m lots: invalid memory size 'lots'; write a positive size "
                 "such as 512 (MiB), 512M or 4G");
    expect_error(t, ARGS("-m", "size=1G,slots=2"),
                 "-m size=1G,slots=2: invalid parameter 'slots'; -m accepts: "
                 "size");
}

static void display_and_misc(const char *t)
{
    expect_error(t, ARGS("-display", "gtk"),
                 "-display gtk: display 'gtk' is not available; cgemu has no "
                 "graphical display: use -display none (or -nographic)");
    expect_error(t, ARGS("-uuid", "nope"),
                 "-uuid nope: invalid UUID 'nope'; expected "
                 "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx in hex");
    expect_error(t, ARGS("-global", "nosuch.x=1"),
                 "-global nosuch.x=1: unknown driver 'nosuch'; -global "
                 "applies to device types (see -device help)");
}

static void overcommit(const char *t)
{
    g_autoptr(CliRun) ok = cli_run(cli_binary(t),
                                   ARGS("-overcommit", "mem-lock=off",
                                        "-machine", "help"));

    g_assert_cmpint(ok->status, ==, 0);
    expect_error(t, ARGS("-overcommit", "mem-lock=on"),
                 "-overcommit mem-lock=on: mem-lock=on is not supported yet; "
                 "cgemu runs every guest with mem-lock=off");
    expect_error(t, ARGS("-overcommit", "lock=off"),
                 "-overcommit lock=off: invalid parameter 'lock'; -overcommit "
                 "accepts: mem-lock, cpu-pm");
}

/* libvirt's master key: -object secret with a file. */
static void secret_object(const char *t)
{
    g_autofree char *dir = g_dir_make_tmp("cgemu-cli-XXXXXX", NULL);
    g_autofree char *key = g_build_filename(dir, "master-key.aes", NULL);
    g_autofree char *ok_arg = g_strdup_printf(
        "{\"qom-type\":\"secret\",\"id\":\"masterKey0\","
        "\"format\":\"raw\",\"file\":\"%s\"}", key);
    g_autoptr(CliRun) ok = NULL;

    g_assert_true(g_file_set_contents(key, "0123456789abcdef0123456789abcdef",
                                      32, NULL));
    ok = cli_run(cli_binary(t), ARGS("-object", ok_arg, "-machine", "help"));
    g_assert_cmpstr(ok->err, ==, "");
    g_assert_cmpint(ok->status, ==, 0);
    expect_error(t, ARGS("-object", "secret,id=s0"),
                 "-object secret,id=s0: secret: give exactly one of data= "
                 "and file=");
    expect_error(t, ARGS("-object", "secret,id=s0,data=x,keyid=k,iv=abc"),
                 "-object secret,id=s0,data=x,keyid=k,iv=abc: secret: secrets "
                 "encrypted with another secret (keyid=, iv=) are not "
                 "supported yet; give the value itself");
    expect_error(t, ARGS("-object", "secret,id=s0,file=/nonexistent/key"),
                 "-object secret,id=s0,file=/nonexistent/key: secret: "
                 "file=/nonexistent/key: Failed to open file "
                 "\xe2\x80\x9c/nonexistent/key\xe2\x80\x9d: No such file or "
                 "directory");
    g_unlink(key);
    g_rmdir(dir);
}

static bool wait_for(bool (*cond)(const char *), const char *arg)
{
    for (int i = 0; i < 500; i++) {
        if (cond(arg)) {
            return true;
        }
        g_usleep(10000);
    }
    return false;
}

static bool file_gone(const char *path)
{
    return !g_file_test(path, G_FILE_TEST_EXISTS);
}

/* libvirt starts emulators with -daemonize and -pidfile. */
static void daemonize(const char *t)
{
    g_autofree char *dir = g_dir_make_tmp("cgemu-cli-XXXXXX", NULL);
    g_autofree char *pidfile = g_build_filename(dir, "vm.pid", NULL);
    g_autofree char *text = NULL;
    g_autoptr(CliRun) r = NULL;
    g_autoptr(CliRun) again = NULL;
    g_autofree char *locked = NULL;
    pid_t pid;

    /* libvirt's probe: -nodefaults makes -nographic harmless. */
    r = cli_run(cli_binary(t), ARGS("-daemonize", "-pidfile", pidfile,
                                    "-nodefaults", "-nographic",
                                    "-M", "none", "-accel", "qtest", "-S"));
    /* The parent returns once the child has built the machine. */
    g_assert_cmpint(r->status, ==, 0);
    g_assert_cmpstr(r->err, ==, "");
    g_assert_true(g_file_get_contents(pidfile, &text, NULL, NULL));
    pid = (pid_t)atoi(text);
    g_assert_cmpint(pid, >, 1);
    g_assert_cmpint(kill(pid, 0), ==, 0);
    /* A second instance on the same pidfile is refused. */
    locked = g_strdup_printf("-pidfile %s: another process holds its lock; "
                             "is another instance running?", pidfile);
    again = cli_run(cli_binary(t), ARGS("-pidfile", pidfile, "-M", "none",
                                        "-accel", "qtest"));
    g_assert_cmpint(again->status, ==, 1);
    {
        g_autofree char *want = g_strdup_printf("cgemu-system-%s: %s\n", t,
                                                locked);
        g_assert_cmpstr(again->err, ==, want);
    }
    /* SIGTERM ends it; it removes its pidfile. */
    g_assert_cmpint(kill(pid, SIGTERM), ==, 0);
    g_assert_true(wait_for(file_gone, pidfile));
    g_rmdir(dir);
}

static void daemonize_errors(const char *t)
{
    expect_error(t, ARGS("-daemonize", "-nographic"),
                 "-daemonize: a detached process has no terminal; drop "
                 "-nographic and stdio chardevs (use -serial file:PATH or a "
                 "socket)");
    /* A start-up error reaches the parent's stderr and exit status. */
    expect_error(t, ARGS("-daemonize", "-M", "none", "-accel", "qtest",
                         "-object", "rng-builtin"),
                 "-object rng-builtin: rng-builtin needs an id; add id=NAME");
}

static void version_and_help(const char *t)
{
    g_autoptr(CliRun) v = cli_run(cli_binary(t), ARGS("-version"));
    g_autoptr(CliRun) h = cli_run(cli_binary(t), ARGS("--help"));
    g_autofree char *want = g_strdup_printf("cgemu-system-%s version ", t);

    g_assert_cmpint(v->status, ==, 0);
    g_assert_true(g_str_has_prefix(v->out, want));
    g_assert_cmpint(h->status, ==, 0);
    g_assert_nonnull(strstr(h->out, "\n-machine, -M [type=]NAME"));
    g_assert_nonnull(strstr(h->out, "\n-object TYPE,id=ID"));
}

#define PER_TARGET(name, fn)                                                  \
    static void test_##fn(void)                                               \
    {                                                                         \
        each_target(fn);                                                      \
    }

PER_TARGET(unknown_option, unknown_option)
PER_TARGET(unknown_property, unknown_property)
PER_TARGET(missing_and_duplicate_id, missing_and_duplicate_id)
PER_TARGET(cgs_link_errors, cgs_link_errors)
PER_TARGET(rng_random_help, rng_random_help)
PER_TARGET(object_help, object_help)
PER_TARGET(foreign_types, foreign_types)
PER_TARGET(machine_help, machine_help)
PER_TARGET(machine_props_help, machine_props_help)
PER_TARGET(accel_errors, accel_errors)
PER_TARGET(memory_errors, memory_errors)
PER_TARGET(display_and_misc, display_and_misc)
PER_TARGET(version_and_help, version_and_help)
PER_TARGET(overcommit, overcommit)
PER_TARGET(secret_object, secret_object)
PER_TARGET(daemonize, daemonize)
PER_TARGET(daemonize_errors, daemonize_errors)

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cli/unknown-option", test_unknown_option);
    g_test_add_func("/cli/unknown-property", test_unknown_property);
    g_test_add_func("/cli/missing-and-duplicate-id",
                    test_missing_and_duplicate_id);
    g_test_add_func("/cli/cgs-link-errors", test_cgs_link_errors);
    g_test_add_func("/cli/rng-random-help", test_rng_random_help);
    g_test_add_func("/cli/object-help", test_object_help);
    g_test_add_func("/cli/foreign-types", test_foreign_types);
    g_test_add_func("/cli/foreign-machines", foreign_machines);
    g_test_add_func("/cli/machine-help", test_machine_help);
    g_test_add_func("/cli/machine-props-help", test_machine_props_help);
    g_test_add_func("/cli/machine-pit", machine_pit);
    g_test_add_func("/cli/accel-errors", test_accel_errors);
    g_test_add_func("/cli/memory-errors", test_memory_errors);
    g_test_add_func("/cli/display-and-misc", test_display_and_misc);
    g_test_add_func("/cli/version-and-help", test_version_and_help);
    g_test_add_func("/cli/overcommit", test_overcommit);
    g_test_add_func("/cli/secret-object", test_secret_object);
    g_test_add_func("/cli/daemonize", test_daemonize);
    g_test_add_func("/cli/daemonize-errors", test_daemonize_errors);
    return g_test_run();
}
