/* Host memory backends: memory-backend-ram, -file and -memfd. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_BACKENDS_HOSTMEM_H
#define CGEMU_BACKENDS_HOSTMEM_H

#include "qom/object.h"

#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

/*
 * A block of host memory with how to get it (anonymous, a file, a
 * memfd) and how to treat it (shared, merged by KSM, in core dumps,
 * preallocated).  -machine memory-backend=ID makes one the guest's RAM,
 * as libvirt does for every guest of a machine that has a default-ram-id.
 *
 * The memory is mapped when the machine takes it (map), not when the
 * object is created: the defaults of merge and dump are the machine's
 * (mem-merge, dump-guest-core; mem-merge is off for a confidential
 * guest), which are known only then.  Files and memfds are opened at
 * creation, so that a bad mem-path fails there.  Once mapped, the
 * backend cannot be changed or deleted.
 */
#define TYPE_MEMORY_BACKEND "memory-backend"
#define CG_TYPE_HOST_MEMORY_BACKEND (host_memory_backend_get_type())
CG_DECLARE_TYPE(HostMemoryBackend, host_memory_backend, CG,
                HOST_MEMORY_BACKEND)

struct _HostMemoryBackend {
    CgObject parent_instance;
};

struct _HostMemoryBackendClass {
    CgObjectClass parent_class;

    /*
     * At creation: the file descriptor to map (the backend owns it), or
     * -1 for anonymous memory; false with @err set on failure.
     */
    bool (*open)(HostMemoryBackend *b, int *fd, GError **err);
    /* The default of share: memfd's is on, the others' off. */
    bool share_default;
};

#define TYPE_MEMORY_BACKEND_RAM "memory-backend-ram"
#define TYPE_MEMORY_BACKEND_FILE "memory-backend-file"
#define TYPE_MEMORY_BACKEND_MEMFD "memory-backend-memfd"

/* What the machine passes when it takes the memory. */
typedef struct HostMemoryDefaults {
    bool merge;             /* -machine mem-merge (off for a cgs guest) */
    bool dump;              /* -machine dump-guest-core */
    /* Non-NULL for a confidential guest: why merge=on is worth a
     * warning, e.g. "sev-guest 'sev0'". */
    const char *protected_by;
} HostMemoryDefaults;

uint64_t host_memory_backend_size(HostMemoryBackend *b);
/* The object's id, for messages. */
const char *host_memory_backend_id(HostMemoryBackend *b);

/*
 * Maps the memory (once; later calls return the same mapping) with
 * @defaults for what the user left unset, preallocating if asked.  From
 * then on the backend is in use.  The host address is aligned to 2 MiB.
 */
void *host_memory_backend_map(HostMemoryBackend *b,
                              const HostMemoryDefaults *defaults,
                              GError **err);
/* The mapped file descriptor (-1: anonymous memory). */
int host_memory_backend_fd(HostMemoryBackend *b);
bool host_memory_backend_is_mapped(HostMemoryBackend *b);
/* readonly=on (memory-backend-file): cannot be guest RAM. */
bool host_memory_backend_is_readonly(HostMemoryBackend *b);

G_END_DECLS

#endif
