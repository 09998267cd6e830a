/* Loaders' one entry point into guest memory, and the record of it. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/core/loader.h"

#include "util/cutils.h"
#include "util/error.h"

#include <errno.h>
#include <string.h>

struct LoadLog {
    GPtrArray *records;
};

static void record_free(gpointer p)
{
    LoadRecord *r = p;

    g_free(r->what);
    g_free(r);
}

LoadLog *load_log_new(void)
{
    LoadLog *log = g_new0(LoadLog, 1);

    log->records = g_ptr_array_new_with_free_func(record_free);
    return log;
}

void load_log_free(LoadLog *log)
{
    if (log != NULL) {
        g_ptr_array_unref(log->records);
        g_free(log);
    }
}

bool loader_record(MachineState *ms, const char *what, uint64_t gpa,
                   uint64_t len, GError **err)
{
    LoadRecord *r;

    if (guest_ram_ptr(ms->mem, gpa, len) == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s: 0x%" G_GINT64_MODIFIER "x bytes at 0x%"
                    G_GINT64_MODIFIER "x do not fit in guest RAM; "
                    "give the guest more memory with -m",
                    what, len, gpa);
        return false;
    }
    r = g_new0(LoadRecord, 1);
    r->what = g_strdup(what);
    r->gpa = gpa;
    r->size = len;
    g_ptr_array_add(ms->loaded->records, r);
    return true;
}

bool loader_place(MachineState *ms, const char *what, uint64_t gpa,
                  const void *data, uint64_t len, GError **err)
{
    void *dst = guest_ram_ptr(ms->mem, gpa, len);

    if (!loader_record(ms, what, gpa, len, err)) {
        return false;
    }
    memcpy(dst, data, len);
    return true;
}

const GPtrArray *loader_records(MachineState *ms)
{
    return ms->loaded->records;
}

bool loader_read_file(const char *option, const char *path, uint64_t max,
                      char **contents, gsize *len, GError **err)
{
    g_autoptr(GError) local = NULL;

    if (!g_file_get_contents(path, contents, len, &local)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC, "%s %s: %s", option,
                    path, local->message);
        return false;
    }
    if (*len > max) {
        g_autofree char *size = cg_format_size(max);
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s %s: the file is larger than the %s this machine "
                    "can load", option, path, size);
        g_clear_pointer(contents, g_free);
        return false;
    }
    return true;
}
