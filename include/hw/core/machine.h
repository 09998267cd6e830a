/* The abstract machine: board properties, memory, lifecycle hooks. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_CORE_MACHINE_H
#define CGEMU_HW_CORE_MACHINE_H

#include "hw/core/memory.h"
#include "qom/object.h"
#include "system/confidential-guest-support.h"

G_BEGIN_DECLS

typedef struct _DeviceState DeviceState;
typedef struct DefaultProps DefaultProps;
typedef struct LoadLog LoadLog;
/* Opaque here: defined by accel/ (hw/core knows no accelerator). */
typedef struct _AccelState AccelState;
typedef struct _HostMemoryBackend HostMemoryBackend;

/*
 * Why the machine stops or resets; the QMP SHUTDOWN/RESET "reason"
 * strings come from shutdown_cause_name().
 */
typedef enum {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_HOST_ERROR,
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,
    SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET,
    SHUTDOWN_CAUSE_HOST_SIGNAL,
    SHUTDOWN_CAUSE_GUEST_SHUTDOWN,
    SHUTDOWN_CAUSE_GUEST_RESET,
    SHUTDOWN_CAUSE_GUEST_PANIC,
    SHUTDOWN_CAUSE_SUBSYSTEM_RESET,
} ShutdownCause;

const char *shutdown_cause_name(ShutdownCause cause);
/* Causes the guest initiated (QMP "guest": true). */
bool shutdown_cause_is_guest(ShutdownCause cause);

/*
 * What devices and vCPU threads may ask of the machine's owner (system/),
 * which installs these.  All are safe from any thread: they only queue the
 * request for the main loop.
 */
typedef struct MachineRequestOps {
    void (*shutdown)(void *opaque, ShutdownCause cause);
    void (*reset)(void *opaque, ShutdownCause cause);
    /* Exit the process with @status after an orderly stop (debug-exit). */
    void (*exit)(void *opaque, int status);
    /* Stop the VM because of an error that is the guest's or the host's:
     * print @message, pause (QMP STOP), keep the process for inspection. */
    void (*fail)(void *opaque, const char *message);
} MachineRequestOps;

#define TYPE_MACHINE "machine"
#define CG_TYPE_MACHINE (machine_get_type())
CG_DECLARE_TYPE(MachineState, machine, CG, MACHINE)

struct _MachineState {
    CgObject parent_instance;

    /* Properties (-machine). */
    ConfidentialGuestSupport *cgs;
    HostMemoryBackend *ram_backend;   /* memory-backend=ID, or NULL */
    bool mem_merge;
    bool mem_merge_explicit;  /* set by the user, not by a default */
    bool dump_guest_core;
    bool usb;                 /* always off: no USB controller */
    char *kernel;
    char *initrd;
    char *append;
    char *firmware;
    char *dtb;
    char *dumpdtb;

    /* Set from -m, -smp, -cpu by the command line layer. */
    uint64_t ram_size;
    unsigned smp_cpus;
    unsigned max_cpus;
    char *cpu_model;          /* the -cpu text, e.g. "z15,unpack=on" */
    bool nodefaults;          /* -nodefaults: no default devices */
    bool nographic;           /* -nographic: serial on stdio */
    GPtrArray *serials;       /* -serial specs (char *), borrowed */

    /* Filled during the lifecycle. */
    bool created;             /* after step 3: the cgs link is frozen */
    AccelState *accel;        /* borrowed: owned by the lifecycle */
    AddressSpace *mem;        /* guest-physical memory */
    AddressSpace *io;         /* x86 I/O ports; NULL elsewhere */
    DefaultProps *defaults;   /* machine defaults and -global */
    LoadLog *loaded;          /* what loaders put in guest memory */
    GRecMutex lock;           /* the machine lock, see memory.h */

    /* MSI delivery, installed by the board/accelerator (NULL: none). */
    bool (*msi_send)(void *opaque, uint64_t addr, uint32_t data);
    void *msi_opaque;

    const MachineRequestOps *req;
    void *req_opaque;
};

struct _MachineStateClass {
    CgObjectClass parent_class;

    const char *name;         /* user-visible: "pc" */
    const char *alias;        /* another accepted name, or NULL */
    const char *desc;
    bool is_default;          /* this binary's default machine */
    unsigned max_cpus;
    uint64_t default_ram_size;
    /* The id libvirt gives the memory-backend of the guest's RAM
     * ("pc.ram"), reported by query-machines; no other object may take
     * it.  NULL: the machine takes no memory-backend. */
    const char *default_ram_id;
    bool has_dumpdtb;         /* board builds a device tree */
    bool has_pci;             /* virtio-pci devices can plug */

    /* Step 6: RAM, CPUs, on-board devices, loaders. */
    bool (*init)(MachineState *ms, GError **err);
    /*
     * Called before a -device is realized: attach it to the board's bus
     * (PCI slot, ccw subchannel, ...).  NULL: devices need no plugging.
     */
    bool (*plug)(MachineState *ms, DeviceState *dev, GError **err);
    /* Step 8, after all devices are realized (device tree, tables). */
    bool (*done)(MachineState *ms, GError **err);
    /* Board part of a reset (devices are reset by the generic code). */
    void (*reset)(MachineState *ms);
    /*
     * QMP system_powerdown: ask the guest to power off (ACPI power
     * button, a PAPR event, a signal quiesce).  NULL: the board has no
     * way, and the command says so.
     */
    bool (*powerdown)(MachineState *ms, GError **err);
    /*
     * qtest's "rtas NAME NARGS ARGS NRET RETS": call the firmware's RTAS
     * function @name with argument and result arrays in guest memory;
     * the PAPR status.  NULL: the board has no RTAS.  Machine lock held.
     */
    int64_t (*qtest_rtas)(MachineState *ms, const char *name, uint32_t nargs,
                          uint64_t args, uint32_t nret, uint64_t rets);
    /* -cpu help: appends the CPU models of the board, one a line. */
    void (*cpu_help)(GString *out);
};

/* Machine lock (see memory.h). */
static inline void machine_lock(MachineState *ms)
{
    g_rec_mutex_lock(&ms->lock);
}

static inline void machine_unlock(MachineState *ms)
{
    g_rec_mutex_unlock(&ms->lock);
}

/* Every concrete machine type, sorted by user name. */
GPtrArray *machine_class_list(void);
/* By user name or alias; NULL if this binary has no such machine. */
MachineStateClass *machine_class_find(const char *name);
MachineStateClass *machine_class_default(void);

/*
 * Guest RAM: private anonymous memory added to ms->mem at @gpa.  mem-merge and
 * dump-guest-core are applied here (madvise).  Returns the region.
 */
RamRegion *machine_add_ram(MachineState *ms, const char *name, uint64_t gpa,
                           uint64_t size, bool readonly, GError **err);

/*
 * The guest's main RAM, bytes [@offset, @offset + @size) of it at @gpa:
 * from the memory-backend when the machine has one (mapped on first use,
 * with the machine's mem-merge and dump-guest-core as defaults), else as
 * machine_add_ram.  Boards that split their RAM (pc: below 640 KiB, from
 * 1 MiB, above 4 GiB) call it once per piece.
 */
RamRegion *machine_add_main_ram(MachineState *ms, const char *name,
                                uint64_t gpa, uint64_t offset, uint64_t size,
                                GError **err);

/*
 * After -machine and -m are applied: takes the size of the RAM from the
 * memory-backend (which -m, if given (@ram_size_given), must equal),
 * refuses another object that took the machine's default-ram-id, and
 * refuses usb=on.
 */
bool machine_check_config(MachineState *ms, CgObject *root,
                          bool ram_size_given, GError **err);

/*
 * Registers the defaults that confidential-guest-support brings (step 5):
 * virtio-device.iommu_platform=on, virtio-pci.disable-legacy=on, and
 * mem-merge off unless the user set it (a warning when set on).
 */
void machine_apply_cgs_defaults(MachineState *ms);

/* Requests, see MachineRequestOps. */
void machine_request_shutdown(MachineState *ms, ShutdownCause cause);
void machine_request_reset(MachineState *ms, ShutdownCause cause);
void machine_request_exit(MachineState *ms, int status);
void machine_request_fail(MachineState *ms, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

/*
 * The board's serial ports from -serial: for each spec (or, without any,
 * one default port: stdio with -nographic, null otherwise, none with
 * -nodefaults) a chardev "serialN" and @create(ms, N, its id); the spec
 * "none" leaves port N out.  More than @max specs is an error that names
 * the machine and @what the ports are ("COM1-COM4").
 */
typedef bool (*MachineSerialCreate)(MachineState *ms, unsigned index,
                                    const char *chardev_id, GError **err);
bool machine_add_serials(MachineState *ms, unsigned max, const char *what,
                         MachineSerialCreate create, GError **err);

/* Container children: "/machine/peripheral", ".../peripheral-anon",
 * ".../unattached". */
CgObject *machine_container(MachineState *ms, const char *name);

G_END_DECLS

#endif
