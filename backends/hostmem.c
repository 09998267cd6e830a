/* Host memory backends: memory-backend-ram, -file and -memfd. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "backends/hostmem.h"

#include "qom/property.h"
#include "qom/user-creatable.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_READ 22
#define MADV_POPULATE_WRITE 23
#endif

#define MAP_ALIGN (2ull << 20)

typedef enum {
    HOST_MEM_POLICY_DEFAULT,
    HOST_MEM_POLICY_PREFERRED,
    HOST_MEM_POLICY_BIND,
    HOST_MEM_POLICY_INTERLEAVE,
} HostMemPolicy;

typedef struct {
    uint64_t size;
    bool merge, merge_set;
    bool dump, dump_set;
    bool share, share_set;
    bool prealloc;
    bool reserve;
    HostMemPolicy policy;
    guint prealloc_threads;
    bool canonical_ramblock_id;

    bool completed;         /* created: the properties are fixed */
    int fd;                 /* from open; -1: anonymous */
    void *host;             /* the mapping, once mapped */
    void *area;             /* what was reserved around it */
    uint64_t area_size;
} HostMemoryBackendPrivate;

enum {
    PROP_0,
    PROP_SIZE,
    PROP_MERGE,
    PROP_DUMP,
    PROP_SHARE,
    PROP_PREALLOC,
    PROP_RESERVE,
    PROP_POLICY,
    PROP_PREALLOC_THREADS,
    PROP_CANONICAL_ID,
};

static void host_memory_backend_initable_iface_init(GInitableIface *iface);
static bool host_memory_backend_can_be_deleted(UserCreatable *uc,
                                               GError **err);

static void host_memory_backend_uc_iface_init(UserCreatableInterface *iface)
{
    iface->can_be_deleted = host_memory_backend_can_be_deleted;
}

CG_DEFINE_TYPE_EXTENDED(
    HostMemoryBackend, host_memory_backend, TYPE_MEMORY_BACKEND,
    CG_TYPE_OBJECT, G_TYPE_FLAG_ABSTRACT,
    G_ADD_PRIVATE(HostMemoryBackend)
    G_IMPLEMENT_INTERFACE(CG_TYPE_USER_CREATABLE,
                          host_memory_backend_uc_iface_init)
    G_IMPLEMENT_INTERFACE(G_TYPE_INITABLE,
                          host_memory_backend_initable_iface_init))

static HostMemoryBackendPrivate *priv(HostMemoryBackend *b)
{
    return host_memory_backend_get_instance_private(b);
}

static GType host_mem_policy_get_type(void)
{
    static gsize id;
    static const GEnumValue values[] = {
        { HOST_MEM_POLICY_DEFAULT, "HOST_MEM_POLICY_DEFAULT", "default" },
        { HOST_MEM_POLICY_PREFERRED, "HOST_MEM_POLICY_PREFERRED",
          "preferred" },
        { HOST_MEM_POLICY_BIND, "HOST_MEM_POLICY_BIND", "bind" },
        { HOST_MEM_POLICY_INTERLEAVE, "HOST_MEM_POLICY_INTERLEAVE",
          "interleave" },
        { 0, NULL, NULL },
    };

    if (g_once_init_enter(&id)) {
        g_once_init_leave(&id, g_enum_register_static("HostMemPolicy",
                                                      values));
    }
    return id;
}

/* "memory-backend-ram 'ram0'" */
static char *describe(HostMemoryBackend *b)
{
    return g_strdup_printf("%s '%s'", cg_object_type_name(CG_OBJECT(b)),
                           host_memory_backend_id(b));
}

const char *host_memory_backend_id(HostMemoryBackend *b)
{
    const char *name = cg_object_get_name(CG_OBJECT(b));

    return name ? name : "";
}

uint64_t host_memory_backend_size(HostMemoryBackend *b)
{
    return priv(b)->size;
}

int host_memory_backend_fd(HostMemoryBackend *b)
{
    return priv(b)->fd;
}

bool host_memory_backend_is_mapped(HostMemoryBackend *b)
{
    return priv(b)->host != NULL;
}

/* --- creation ------------------------------------------------------------ */

static gboolean host_memory_backend_complete(GInitable *initable,
                                             GCancellable *c, GError **err)
{
    HostMemoryBackend *b = CG_HOST_MEMORY_BACKEND(initable);
    HostMemoryBackendPrivate *p = priv(b);
    HostMemoryBackendClass *k = CG_HOST_MEMORY_BACKEND_GET_CLASS(b);
    g_autofree char *what = describe(b);

    if (p->size == 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: property 'size' is required and cannot be 0; "
                    "give size=SIZE, e.g. size=1G", what);
        return FALSE;
    }
    if (p->policy != HOST_MEM_POLICY_DEFAULT) {
        GEnumClass *ec = g_type_class_ref(host_mem_policy_get_type());
        const char *nick = g_enum_get_value(ec, (gint)p->policy)->value_nick;

        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: policy=%s needs host-nodes, which cgemu does not "
                    "support yet; leave policy at 'default'", what, nick);
        g_type_class_unref(ec);
        return FALSE;
    }
    if (!p->share_set) {
        p->share = k->share_default;
    }
    if (k->open != NULL && !k->open(b, &p->fd, err)) {
        g_prefix_error(err, "%s: ", what);
        return FALSE;
    }
    p->completed = true;
    return TRUE;
}

static void host_memory_backend_initable_iface_init(GInitableIface *iface)
{
    iface->init = host_memory_backend_complete;
}

static bool host_memory_backend_can_be_deleted(UserCreatable *uc,
                                               GError **err)
{
    HostMemoryBackend *b = CG_HOST_MEMORY_BACKEND(uc);

    if (host_memory_backend_is_mapped(b)) {
        g_autofree char *what = describe(b);

        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s is in use as the guest's RAM and cannot be deleted",
                    what);
        return false;
    }
    return true;
}

static bool host_memory_backend_check_set(CgObject *obj, GParamSpec *pspec,
                                          GError **err)
{
    HostMemoryBackend *b = CG_HOST_MEMORY_BACKEND(obj);

    if (priv(b)->completed) {
        g_autofree char *what = describe(b);

        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: '%s' cannot change once the backend is created",
                    what, cg_param_spec_name(pspec));
        return false;
    }
    return true;
}

/* --- mapping ----------------------------------------------------------- */

/* Touches every page so that the guest never waits for the host. */
static bool prealloc(void *host, uint64_t size, bool readonly,
                     const char *what, GError **err)
{
    long page = sysconf(_SC_PAGESIZE);

    if (madvise(host, size,
                readonly ? MADV_POPULATE_READ : MADV_POPULATE_WRITE) == 0) {
        return true;
    }
    if (errno != EINVAL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: preallocating %" G_GUINT64_FORMAT " bytes failed: "
                    "%s; free host memory, or set prealloc=off",
                    what, size, g_strerror(errno));
        return false;
    }
    /* Kernels before 5.14: touch each page, keeping its contents. */
    for (uint64_t off = 0; off < size; off += (uint64_t)page) {
        volatile uint8_t *p = (volatile uint8_t *)host + off;
        uint8_t v = *p;

        if (!readonly) {
            *p = v;
        }
    }
    return true;
}

static void advise(HostMemoryBackend *b, const HostMemoryDefaults *d,
                   const char *what)
{
    HostMemoryBackendPrivate *p = priv(b);
    bool merge = p->merge_set ? p->merge : d->merge;
    bool dump = p->dump_set ? p->dump : d->dump;

    if (merge && p->merge_set && d->protected_by != NULL) {
        cg_warn_report("%s: merge=on overrides the default merge=off of "
                       "confidential-guest-support (%s); the host may merge "
                       "and share this guest's pages, which weakens its "
                       "protection", what, d->protected_by);
    }
    if (merge && madvise(p->host, p->size, MADV_MERGEABLE) < 0 &&
        p->merge_set) {
        /* KSM merges only private anonymous memory. */
        cg_warn_report("%s: merge=on has no effect: the host kernel "
                       "refused to merge this memory (%s)%s", what,
                       g_strerror(errno),
                       p->share || p->fd >= 0
                           ? "; KSM merges only memory-backend-ram with "
                             "share=off"
                           : "; is KSM built in (/sys/kernel/mm/ksm)?");
    }
    if (!dump) {
        madvise(p->host, p->size, MADV_DONTDUMP);
    }
}

/* The mapping's alignment: 2 MiB, or more for large pages or align=. */
static uint64_t map_alignment(HostMemoryBackend *b)
{
    uint64_t a = MAP_ALIGN;
    struct stat st;

    if (priv(b)->fd >= 0 && fstat(priv(b)->fd, &st) == 0 &&
        (uint64_t)st.st_blksize > a) {
        a = (uint64_t)st.st_blksize;    /* hugetlbfs: the page size */
    }
    return a;
}

void *host_memory_backend_map(HostMemoryBackend *b,
                              const HostMemoryDefaults *defaults,
                              GError **err)
{
    HostMemoryBackendPrivate *p = priv(b);
    g_autofree char *what = describe(b);
    bool ro = host_memory_backend_is_readonly(b);
    uint64_t align = map_alignment(b);
    int flags = (p->share ? MAP_SHARED : MAP_PRIVATE) | MAP_FIXED;
    uint8_t *area, *start;

    if (p->host != NULL) {
        return p->host;
    }
    if (!p->completed) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s is not complete", what);
        return NULL;
    }
    if (p->fd < 0) {
        flags |= MAP_ANONYMOUS;
    }
    if (!p->reserve) {
        flags |= MAP_NORESERVE;
    }
    /* Reserve room for the alignment, then map on its first boundary. */
    p->area_size = p->size + align;
    area = mmap(NULL, p->area_size, PROT_NONE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (area == MAP_FAILED) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: cannot reserve %" G_GUINT64_FORMAT " bytes of "
                    "address space: %s", what, p->size, g_strerror(errno));
        return NULL;
    }
    start = (uint8_t *)(((uintptr_t)area + align - 1) &
                        ~(uintptr_t)(align - 1));
    if (mmap(start, p->size, PROT_READ | (ro ? 0 : PROT_WRITE), flags, p->fd,
             0) == MAP_FAILED) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: cannot map %" G_GUINT64_FORMAT " bytes: %s%s", what,
                    p->size, g_strerror(errno),
                    p->reserve ? "; reserve=off maps without reserving swap"
                               : "");
        munmap(area, p->area_size);
        return NULL;
    }
    p->area = area;
    p->host = start;
    advise(b, defaults, what);
    if (p->prealloc && !prealloc(p->host, p->size, ro, what, err)) {
        munmap(p->area, p->area_size);
        p->host = NULL;
        p->area = NULL;
        return NULL;
    }
    return p->host;
}

/* --- properties -------------------------------------------------------- */

static void host_memory_backend_set_property(GObject *obj, guint id,
                                             const GValue *value,
                                             GParamSpec *pspec)
{
    HostMemoryBackendPrivate *p = priv(CG_HOST_MEMORY_BACKEND(obj));

    switch (id) {
    case PROP_SIZE:
        p->size = g_value_get_uint64(value);
        break;
    case PROP_MERGE:
        p->merge = g_value_get_boolean(value);
        p->merge_set = true;
        break;
    case PROP_DUMP:
        p->dump = g_value_get_boolean(value);
        p->dump_set = true;
        break;
    case PROP_SHARE:
        p->share = g_value_get_boolean(value);
        p->share_set = true;
        break;
    case PROP_PREALLOC:
        p->prealloc = g_value_get_boolean(value);
        break;
    case PROP_RESERVE:
        p->reserve = g_value_get_boolean(value);
        break;
    case PROP_POLICY:
        p->policy = (HostMemPolicy)g_value_get_enum(value);
        break;
    case PROP_PREALLOC_THREADS:
        p->prealloc_threads = g_value_get_uint(value);
        break;
    case PROP_CANONICAL_ID:
        p->canonical_ramblock_id = g_value_get_boolean(value);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void host_memory_backend_get_property(GObject *obj, guint id,
                                             GValue *value,
                                             GParamSpec *pspec)
{
    HostMemoryBackend *b = CG_HOST_MEMORY_BACKEND(obj);
    HostMemoryBackendPrivate *p = priv(b);

    switch (id) {
    case PROP_SIZE:
        g_value_set_uint64(value, p->size);
        break;
    case PROP_MERGE:
        g_value_set_boolean(value, p->merge);
        break;
    case PROP_DUMP:
        g_value_set_boolean(value, p->dump);
        break;
    case PROP_SHARE:
        g_value_set_boolean(value, p->share_set || p->completed
                                       ? p->share
                                       : CG_HOST_MEMORY_BACKEND_GET_CLASS(b)
                                             ->share_default);
        break;
    case PROP_PREALLOC:
        g_value_set_boolean(value, p->prealloc);
        break;
    case PROP_RESERVE:
        g_value_set_boolean(value, p->reserve);
        break;
    case PROP_POLICY:
        g_value_set_enum(value, (gint)p->policy);
        break;
    case PROP_PREALLOC_THREADS:
        g_value_set_uint(value, p->prealloc_threads);
        break;
    case PROP_CANONICAL_ID:
        g_value_set_boolean(value, p->canonical_ramblock_id);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void host_memory_backend_finalize(GObject *obj)
{
    HostMemoryBackendPrivate *p = priv(CG_HOST_MEMORY_BACKEND(obj));

    if (p->area != NULL) {
        munmap(p->area, p->area_size);
    }
    if (p->fd >= 0) {
        close(p->fd);
    }
    G_OBJECT_CLASS(host_memory_backend_parent_class)->finalize(obj);
}

static void host_memory_backend_class_init(HostMemoryBackendClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);
    GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

    oc->set_property = host_memory_backend_set_property;
    oc->get_property = host_memory_backend_get_property;
    oc->finalize = host_memory_backend_finalize;
    CG_OBJECT_CLASS(klass)->check_set_property =
        host_memory_backend_check_set;

    g_object_class_install_property(
        oc, PROP_SIZE,
        cg_param_spec_size("size", "Size of the memory (e.g. 4G); required",
                           0, G_MAXUINT64, 0, rw));
    g_object_class_install_property(
        oc, PROP_MERGE,
        g_param_spec_boolean("merge", "merge",
                             "Let KSM merge identical pages (default: the "
                             "machine's mem-merge)", TRUE, rw));
    g_object_class_install_property(
        oc, PROP_DUMP,
        g_param_spec_boolean("dump", "dump",
                             "Include the memory in core dumps (default: the "
                             "machine's dump-guest-core)", TRUE, rw));
    g_object_class_install_property(
        oc, PROP_SHARE,
        g_param_spec_boolean("share", "share",
                             "Map shared (visible to other processes mapping "
                             "the same file or memfd) rather than private",
                             FALSE, rw));
    g_object_class_install_property(
        oc, PROP_PREALLOC,
        g_param_spec_boolean("prealloc", "prealloc",
                             "Allocate every page when the machine takes the "
                             "memory", FALSE, rw));
    g_object_class_install_property(
        oc, PROP_RESERVE,
        g_param_spec_boolean("reserve", "reserve",
                             "Reserve swap space for the memory (off: map "
                             "with MAP_NORESERVE)", TRUE, rw));
    g_object_class_install_property(
        oc, PROP_POLICY,
        g_param_spec_enum("policy", "policy",
                          "NUMA policy; only 'default' is supported",
                          host_mem_policy_get_type(),
                          HOST_MEM_POLICY_DEFAULT, rw));
    g_object_class_install_property(
        oc, PROP_PREALLOC_THREADS,
        g_param_spec_uint("prealloc-threads", "prealloc-threads",
                          "Threads for prealloc (accepted; cgemu "
                          "preallocates with one)", 1, 1024, 1, rw));
    g_object_class_install_property(
        oc, PROP_CANONICAL_ID,
        g_param_spec_boolean("x-use-canonical-path-for-ramblock-id",
                             "x-use-canonical-path-for-ramblock-id",
                             "Accepted for QEMU compatibility (a migration "
                             "setting; cgemu does not migrate)", FALSE, rw));
}

static void host_memory_backend_init(HostMemoryBackend *b)
{
    HostMemoryBackendPrivate *p = priv(b);

    p->merge = true;
    p->dump = true;
    p->reserve = true;
    p->prealloc_threads = 1;
    p->fd = -1;
}

/* --- memory-backend-ram -------------------------------------------------- */

/* Anonymous memory: private (KSM can merge it) unless share=on. */
typedef struct {
    HostMemoryBackend parent_instance;
} HostMemoryBackendRam;
typedef HostMemoryBackendClass HostMemoryBackendRamClass;

CG_DEFINE_TYPE(HostMemoryBackendRam, host_memory_backend_ram,
               TYPE_MEMORY_BACKEND_RAM, CG_TYPE_HOST_MEMORY_BACKEND)

static void host_memory_backend_ram_class_init(HostMemoryBackendRamClass *k)
{
}

static void host_memory_backend_ram_init(HostMemoryBackendRam *b)
{
}
