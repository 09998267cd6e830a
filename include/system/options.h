/* The command line: one table of options, parsed into one configuration. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_SYSTEM_OPTIONS_H
#define CGEMU_SYSTEM_OPTIONS_H

#include "util/keyval.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

typedef enum {
    HELP_NONE,
    HELP_USAGE,           /* -h, --help */
    HELP_VERSION,         /* -version */
    HELP_MACHINES,        /* -machine help */
    HELP_MACHINE_PROPS,   /* -machine TYPE,help */
    HELP_OBJECTS,         /* -object help */
    HELP_OBJECT_PROPS,    /* -object TYPE,help */
    HELP_DEVICES,         /* -device help */
    HELP_DEVICE_PROPS,    /* -device DRIVER,help */
    HELP_ACCELS,          /* -accel help */
    HELP_CPUS,            /* -cpu help */
} HelpRequest;

/*
 * Everything the command line says, before anything is created.  Defaults
 * are set by cg_config_new(); each option's handler fills its part; the
 * lifecycle reads it.  cg_config_dump() prints it (one source of truth).
 */
typedef struct CgConfig {
    const char *target;       /* "x86_64" */

    CgOpts *machine;          /* all -machine options merged */
    GPtrArray *objects;       /* CgOpts * per -object, in order */
    GPtrArray *devices;       /* CgOpts * per -device */
    GPtrArray *globals;       /* char * per -global */
    GPtrArray *accels;        /* CgOpts * per -accel ("accel" key) */
    GPtrArray *chardevs;      /* CgOpts * per -chardev ("backend" key) */
    GPtrArray *mons;          /* CgOpts * per -mon */
    GPtrArray *serials;       /* char * per -serial */
    GPtrArray *qmps;          /* char * per -qmp (the chardev spec) */
    GPtrArray *add_fds;       /* CgOpts * per -add-fd */
    GPtrArray *blockdevs;     /* CgOpts * per -blockdev */
    GPtrArray *drives;        /* CgOpts * per -drive */
    char *qtest;              /* -qtest CHARDEV spec, or NULL */
    char *qtest_log;          /* -qtest-log FILE */

    char *cpu;
    char *kernel;
    char *initrd;
    char *append;
    char *bios;
    uint64_t ram_size;        /* 0: the machine's default */
    CgOpts *smp;
    char *name;
    char *uuid;               /* canonical text, or NULL */

    bool nographic;
    bool nodefaults;
    bool start_paused;        /* -S */
    bool no_shutdown;
    bool no_reboot;
    bool msg_timestamp;
    bool daemonize;           /* -daemonize */
    char *pidfile;            /* -pidfile FILE */

    HelpRequest help;
    char *help_type;          /* TYPE of "-object TYPE,help" and friends */
} CgConfig;

CgConfig *cg_config_new(const char *target);
void cg_config_free(CgConfig *cfg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CgConfig, cg_config_free)

/* One documented parameter of an option, for help and QMP. */
typedef struct CgOptionParam {
    const char *name;
    const char *type;         /* "string", "number", "boolean", "size" */
    const char *help;
} CgOptionParam;

typedef struct CgOptionDef CgOptionDef;
struct CgOptionDef {
    const char *name;         /* without the dash: "machine" */
    const char *alias;        /* "M", or NULL */
    const char *arg;          /* argument synopsis, NULL: takes none */
    const char *help;
    /*
     * Parameters for query-command-line-options; NULL-name terminated.
     * NULL: the option takes properties of a type (-object, -device).
     */
    const CgOptionParam *params;
    bool (*handler)(CgConfig *cfg, const CgOptionDef *def, const char *arg,
                    GError **err);
};

/* The table, in help order. */
const CgOptionDef *cg_options(size_t *n);
const CgOptionDef *cg_option_find(const char *name);

/*
 * Parses argv into @cfg.  Errors name the option as written
 * ("-object sev-guest,id=s0,foo=1: ...").  Both -opt and --opt are
 * accepted, as in QEMU.
 */
bool cg_config_parse(CgConfig *cfg, int argc, char **argv, GError **err);

/* A dump of @cfg, for debugging and tests. */
char *cg_config_dump(const CgConfig *cfg);

G_END_DECLS

#endif
