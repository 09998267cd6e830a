/* Loaders' one entry point into guest memory, and the record of it. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_CORE_LOADER_H
#define CGEMU_HW_CORE_LOADER_H

#include "hw/core/machine.h"

G_BEGIN_DECLS

/*
 * Everything the VMM places in guest memory before the guest runs (the
 * firmware, a kernel, an initrd, the command line, boot structures) goes
 * through loader_place() or is declared with loader_record(), in the order
 * it is placed.  Confidential technologies encrypt and measure exactly
 * this list, in this order (sev-guest: LAUNCH_UPDATE_DATA).
 */
typedef struct LoadRecord {
    char *what;       /* "kernel", "initrd", "cmdline", "start_info", ... */
    uint64_t gpa;
    uint64_t size;
} LoadRecord;

/*
 * Copies @len bytes to guest RAM at @gpa (ROM included) and records it.
 * Fails, naming @what and the range, if [gpa, gpa+len) is not RAM.
 */
bool loader_place(MachineState *ms, const char *what, uint64_t gpa,
                  const void *data, uint64_t len, GError **err);

/* Records data a board has written into guest RAM itself. */
bool loader_record(MachineState *ms, const char *what, uint64_t gpa,
                   uint64_t len, GError **err);

/* The records in placement order (LoadRecord *). */
const GPtrArray *loader_records(MachineState *ms);

/*
 * Reads a whole file for @option ("-kernel"), with messages naming the
 * option and the file.  @max bounds the size.
 */
bool loader_read_file(const char *option, const char *path, uint64_t max,
                      char **contents, gsize *len, GError **err);

LoadLog *load_log_new(void);
void load_log_free(LoadLog *log);

G_END_DECLS

#endif
