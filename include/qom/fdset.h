/* File descriptor sets: -add-fd, and opening "/dev/fdset/N". */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_QOM_FDSET_H
#define CGEMU_QOM_FDSET_H

#include "qom/object.h"

#include <stdbool.h>
#include <sys/types.h>

G_BEGIN_DECLS

/*
 * libvirt opens files itself and passes the descriptors:
 *   -add-fd set=0,fd=30,opaque=serial0-source
 *   -chardev file,id=charserial0,path=/dev/fdset/0,append=on
 * Each set is an object at /fdsets/N of the tree of @root (so that there
 * is no process-wide table); a set owns its descriptors.
 */

/* Adds @fd (open in this process) to set @set; false + @err if @fd is not
 * open. */
bool cg_fdset_add(CgObject *root, unsigned set, int fd, const char *opaque,
                  GError **err);

/* Whether @path is of the form "/dev/fdset/..." (for cg_open). */
bool cg_is_fdset_path(const char *path);

/*
 * open(2) that also understands "/dev/fdset/N": then a close-on-exec
 * duplicate of a descriptor of set N whose access mode is that of @flags
 * (O_RDONLY, O_WRONLY or O_RDWR); other @flags (O_CREAT, O_APPEND...)
 * were up to whoever opened it.  -1 with @err (naming @path) on failure.
 */
int cg_open(CgObject *root, const char *path, int flags, mode_t mode,
            GError **err);

G_END_DECLS

#endif
