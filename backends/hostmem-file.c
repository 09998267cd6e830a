/* memory-backend-file: guest memory from a file or a hugetlbfs mount. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "backends/hostmem.h"

#include "qom/property.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- memory-backend-file -------------------------------------------------- */

/*
 * A file (on hugetlbfs for huge pages, on a DAX file system...) or, when
 * mem-path is a directory, a new unlinked file in it.  Private unless
 * share=on: the guest's writes then reach the file.
 */
typedef struct {
    HostMemoryBackend parent_instance;
    char *mem_path;
    uint64_t align;
    bool discard_data;
    bool pmem;
    bool readonly;
} HostMemoryBackendFile;
typedef HostMemoryBackendClass HostMemoryBackendFileClass;

enum {
    FILE_PROP_0,
    FILE_PROP_MEM_PATH,
    FILE_PROP_ALIGN,
    FILE_PROP_DISCARD_DATA,
    FILE_PROP_PMEM,
    FILE_PROP_READONLY,
};

CG_DEFINE_TYPE(HostMemoryBackendFile, host_memory_backend_file,
               TYPE_MEMORY_BACKEND_FILE, CG_TYPE_HOST_MEMORY_BACKEND)

#define BACKEND_FILE(b) \
    G_TYPE_CHECK_INSTANCE_CAST(b, host_memory_backend_file_get_type(), \
                               HostMemoryBackendFile)
#define IS_BACKEND_FILE(b) \
    G_TYPE_CHECK_INSTANCE_TYPE(b, host_memory_backend_file_get_type())

bool host_memory_backend_is_readonly(HostMemoryBackend *b)
{
    return IS_BACKEND_FILE(b) && BACKEND_FILE(b)->readonly;
}

static int open_mem_path(HostMemoryBackendFile *f, GError **err)
{
    struct stat st;
    int fd;

    if (stat(f->mem_path, &st) == 0 && S_ISDIR(st.st_mode)) {
        g_autofree char *tmpl = g_build_filename(f->mem_path,
                                                 "cgemu_back_mem.XXXXXX",
                                                 NULL);
        fd = g_mkstemp_full(tmpl, O_RDWR | O_CLOEXEC, 0600);
        if (fd >= 0) {
            unlink(tmpl);
        }
    } else {
        fd = open(f->mem_path,
                  (f->readonly ? O_RDONLY : O_RDWR | O_CREAT) | O_CLOEXEC,
                  0600);
    }
    if (fd < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "cannot open mem-path %s: %s; give a file or a "
                    "directory (e.g. a hugetlbfs mount) cgemu may write",
                    f->mem_path, g_strerror(errno));
    }
    return fd;
}

static bool host_memory_backend_file_open(HostMemoryBackend *b, int *out,
                                          GError **err)
{
    HostMemoryBackendFile *f = BACKEND_FILE(b);
    uint64_t size = host_memory_backend_size(b);
    struct stat st;
    int fd;

    if (f->mem_path == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "property 'mem-path' is required; give "
                    "mem-path=FILE or a directory such as /dev/hugepages");
        return false;
    }
    if (f->pmem) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "pmem=on needs persistent-memory support (libpmem), "
                    "which cgemu does not have; use pmem=off");
        return false;
    }
    if (f->align != 0 && (f->align & (f->align - 1)) != 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "align=%" G_GUINT64_FORMAT " is not a power of two",
                    f->align);
        return false;
    }
    fd = open_mem_path(f, err);
    if (fd < 0) {
        return false;
    }
    if (fstat(fd, &st) == 0 && (uint64_t)st.st_size < size) {
        if (f->readonly) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "mem-path %s has %" G_GUINT64_FORMAT " bytes, fewer "
                        "than size=%" G_GUINT64_FORMAT ", and readonly=on "
                        "cannot grow it", f->mem_path,
                        (uint64_t)st.st_size, size);
            close(fd);
            return false;
        }
        if (ftruncate(fd, (off_t)size) < 0) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "cannot grow mem-path %s to %" G_GUINT64_FORMAT
                        " bytes: %s", f->mem_path, size, g_strerror(errno));
            close(fd);
            return false;
        }
    }
    *out = fd;
    return true;
}

static void host_memory_backend_file_set_property(GObject *obj, guint id,
                                                  const GValue *value,
                                                  GParamSpec *pspec)
{
    HostMemoryBackendFile *f = BACKEND_FILE(obj);

    switch (id) {
    case FILE_PROP_MEM_PATH:
        g_free(f->mem_path);
        f->mem_path = g_value_dup_string(value);
        break;
    case FILE_PROP_ALIGN:
        f->align = g_value_get_uint64(value);
        break;
    case FILE_PROP_DISCARD_DATA:
        f->discard_data = g_value_get_boolean(value);
        break;
    case FILE_PROP_PMEM:
        f->pmem = g_value_get_boolean(value);
        break;
    case FILE_PROP_READONLY:
        f->readonly = g_value_get_boolean(value);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void host_memory_backend_file_get_property(GObject *obj, guint id,
                                                  GValue *value,
                                                  GParamSpec *pspec)
{
    HostMemoryBackendFile *f = BACKEND_FILE(obj);

    switch (id) {
    case FILE_PROP_MEM_PATH:
        g_value_set_string(value, f->mem_path);
        break;
    case FILE_PROP_ALIGN:
        g_value_set_uint64(value, f->align);
        break;
    case FILE_PROP_DISCARD_DATA:
        g_value_set_boolean(value, f->discard_data);
        break;
    case FILE_PROP_PMEM:
        g_value_set_boolean(value, f->pmem);
        break;
    case FILE_PROP_READONLY:
        g_value_set_boolean(value, f->readonly);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void host_memory_backend_file_finalize(GObject *obj)
{
    HostMemoryBackendFile *f = BACKEND_FILE(obj);
    HostMemoryBackend *b = CG_HOST_MEMORY_BACKEND(obj);

    /* The guest's memory is of no use once it is gone: free the blocks. */
    if (f->discard_data && host_memory_backend_fd(b) >= 0) {
        fallocate(host_memory_backend_fd(b),
                  FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0,
                  (off_t)host_memory_backend_size(b));
    }
    g_free(f->mem_path);
    G_OBJECT_CLASS(host_memory_backend_file_parent_class)->finalize(obj);
}

static void host_memory_backend_file_class_init(HostMemoryBackendFileClass *k)
{
    GObjectClass *oc = G_OBJECT_CLASS(k);
    GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

    oc->set_property = host_memory_backend_file_set_property;
    oc->get_property = host_memory_backend_file_get_property;
    oc->finalize = host_memory_backend_file_finalize;
    k->open = host_memory_backend_file_open;
    g_object_class_install_property(
        oc, FILE_PROP_MEM_PATH,
        g_param_spec_string("mem-path", "mem-path",
                            "File to map, or a directory to create an "
                            "unlinked file in (required)", NULL, rw));
    g_object_class_install_property(
        oc, FILE_PROP_ALIGN,
        cg_param_spec_size("align", "Alignment of the mapping (a power of "
                           "two; the default follows the file system)",
                           0, G_MAXUINT64, 0, rw));
    g_object_class_install_property(
        oc, FILE_PROP_DISCARD_DATA,
        g_param_spec_boolean("discard-data", "discard-data",
                             "Free the file's blocks when cgemu exits", FALSE,
                             rw));
    g_object_class_install_property(
        oc, FILE_PROP_PMEM,
        g_param_spec_boolean("pmem", "pmem",
                             "The file is persistent memory (not supported: "
                             "only off)", FALSE, rw));
    g_object_class_install_property(
        oc, FILE_PROP_READONLY,
        g_param_spec_boolean("readonly", "readonly",
                             "Open and map the file read-only (such a "
                             "backend cannot be guest RAM)", FALSE, rw));
}

static void host_memory_backend_file_init(HostMemoryBackendFile *f)
{
}
