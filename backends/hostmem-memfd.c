/* memory-backend-memfd: guest memory in a memfd, optionally huge pages. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "backends/hostmem.h"

#include "qom/property.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/memfd.h>    /* MFD_HUGE_SHIFT */
#include <sys/mman.h>
#include <unistd.h>

/* --- memory-backend-memfd ----------------------------------------------- */

/* An anonymous file (memfd), shared by default, sealed against resizing. */
typedef struct {
    HostMemoryBackend parent_instance;
    bool hugetlb;
    uint64_t hugetlbsize;
    bool seal;
} HostMemoryBackendMemfd;
typedef HostMemoryBackendClass HostMemoryBackendMemfdClass;

enum {
    MEMFD_PROP_0,
    MEMFD_PROP_HUGETLB,
    MEMFD_PROP_HUGETLBSIZE,
    MEMFD_PROP_SEAL,
};

CG_DEFINE_TYPE(HostMemoryBackendMemfd, host_memory_backend_memfd,
               TYPE_MEMORY_BACKEND_MEMFD, CG_TYPE_HOST_MEMORY_BACKEND)

#define BACKEND_MEMFD(b) \
    G_TYPE_CHECK_INSTANCE_CAST(b, host_memory_backend_memfd_get_type(), \
                               HostMemoryBackendMemfd)

static bool host_memory_backend_memfd_open(HostMemoryBackend *b, int *out,
                                           GError **err)
{
    HostMemoryBackendMemfd *m = BACKEND_MEMFD(b);
    uint64_t size = host_memory_backend_size(b);
    unsigned flags = MFD_CLOEXEC | MFD_ALLOW_SEALING;
    int fd;

    if (m->hugetlbsize != 0 && !m->hugetlb) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "hugetlbsize needs hugetlb=on");
        return false;
    }
    if (m->hugetlb) {
        flags |= MFD_HUGETLB;
        if (m->hugetlbsize != 0) {
            if ((m->hugetlbsize & (m->hugetlbsize - 1)) != 0) {
                g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                            "hugetlbsize=%" G_GUINT64_FORMAT " is not a "
                            "power of two (e.g. 2M, 1G)", m->hugetlbsize);
                return false;
            }
            if (size % m->hugetlbsize != 0) {
                g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                            "size=%" G_GUINT64_FORMAT " is not a multiple "
                            "of hugetlbsize=%" G_GUINT64_FORMAT, size,
                            m->hugetlbsize);
                return false;
            }
            flags |= (unsigned)g_bit_nth_lsf(m->hugetlbsize, -1)
                     << MFD_HUGE_SHIFT;
        }
    }
    fd = memfd_create(TYPE_MEMORY_BACKEND_MEMFD, flags);
    if (fd < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "memfd_create failed: %s%s", g_strerror(errno),
                    m->hugetlb ? "; are huge pages of that size configured "
                                 "(/sys/kernel/mm/hugepages)?"
                               : "");
        return false;
    }
    if (ftruncate(fd, (off_t)size) < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "cannot size the memfd to %" G_GUINT64_FORMAT " bytes: "
                    "%s%s", size, g_strerror(errno),
                    m->hugetlb ? "; size must be a multiple of the huge page "
                                 "size"
                               : "");
        close(fd);
        return false;
    }
    if (m->seal && fcntl(fd, F_ADD_SEALS,
                         F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "cannot seal the memfd: %s; use seal=off",
                    g_strerror(errno));
        close(fd);
        return false;
    }
    *out = fd;
    return true;
}

static void host_memory_backend_memfd_set_property(GObject *obj, guint id,
                                                   const GValue *value,
                                                   GParamSpec *pspec)
{
    HostMemoryBackendMemfd *m = BACKEND_MEMFD(obj);

    switch (id) {
    case MEMFD_PROP_HUGETLB:
        m->hugetlb = g_value_get_boolean(value);
        break;
    case MEMFD_PROP_HUGETLBSIZE:
        m->hugetlbsize = g_value_get_uint64(value);
        break;
    case MEMFD_PROP_SEAL:
        m->seal = g_value_get_boolean(value);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void host_memory_backend_memfd_get_property(GObject *obj, guint id,
                                                   GValue *value,
                                                   GParamSpec *pspec)
{
    HostMemoryBackendMemfd *m = BACKEND_MEMFD(obj);

    switch (id) {
    case MEMFD_PROP_HUGETLB:
        g_value_set_boolean(value, m->hugetlb);
        break;
    case MEMFD_PROP_HUGETLBSIZE:
        g_value_set_uint64(value, m->hugetlbsize);
        break;
    case MEMFD_PROP_SEAL:
        g_value_set_boolean(value, m->seal);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void host_memory_backend_memfd_class_init(
    HostMemoryBackendMemfdClass *k)
{
    GObjectClass *oc = G_OBJECT_CLASS(k);
    GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

    oc->set_property = host_memory_backend_memfd_set_property;
    oc->get_property = host_memory_backend_memfd_get_property;
    k->open = host_memory_backend_memfd_open;
    k->share_default = true;
    g_object_class_install_property(
        oc, MEMFD_PROP_HUGETLB,
        g_param_spec_boolean("hugetlb", "hugetlb",
                             "Back the memory with huge pages", FALSE, rw));
    g_object_class_install_property(
        oc, MEMFD_PROP_HUGETLBSIZE,
        cg_param_spec_size("hugetlbsize", "Huge page size (default: the "
                           "host's default huge page size)", 0, G_MAXUINT64,
                           0, rw));
    g_object_class_install_property(
        oc, MEMFD_PROP_SEAL,
        g_param_spec_boolean("seal", "seal",
                             "Seal the memfd against growing and shrinking",
                             TRUE, rw));
}

static void host_memory_backend_memfd_init(HostMemoryBackendMemfd *m)
{
    m->seal = true;
}
