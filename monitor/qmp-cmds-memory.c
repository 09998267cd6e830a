/* QMP pmemsave: guest-physical memory to a file, as QEMU has it. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "monitor/qmp.h"

#include "hw/core/memory.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (64u * 1024)

/*
 * RAM as the guest has it (ciphertext for an encrypted guest); anything
 * else reads as all-ones without touching a device: a debugging command
 * must not have the side effects a device register read can have.
 */
static void read_ram(AddressSpace *as, uint64_t addr, uint8_t *buf,
                     size_t n)
{
    while (n > 0) {
        size_t piece = MIN(n, 4096 - (addr & 4095));
        const void *p = guest_ram_ptr(as, addr, piece);

        if (p != NULL) {
            memcpy(buf, p, piece);
        } else {
            memset(buf, 0xff, piece);
        }
        addr += piece;
        buf += piece;
        n -= piece;
    }
}

static JsonNode *qmp_pmemsave(CgSystem *sys, JsonObject *args, GError **err)
{
    int64_t addr = qmp_arg_int(args, "val", 0);
    int64_t size = qmp_arg_int(args, "size", 0);
    const char *file = qmp_arg_str(args, "filename", "");
    g_autofree uint8_t *buf = NULL;
    int fd;

    if (sys->machine == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "pmemsave: there is no machine yet");
        return NULL;
    }
    if (addr < 0 || size < 0 || (uint64_t)addr + (uint64_t)size <
                                    (uint64_t)addr) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "pmemsave: 'val' and 'size' must be non-negative and "
                    "not wrap around");
        return NULL;
    }
    fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "pmemsave: cannot open '%s' for writing: %s", file,
                    g_strerror(errno));
        return NULL;
    }
    buf = g_malloc(CHUNK);
    while (size > 0) {
        size_t n = (size_t)MIN((uint64_t)size, CHUNK);
        machine_lock(sys->machine);
        read_ram(sys->machine->mem, (uint64_t)addr, buf, n);
        machine_unlock(sys->machine);
        if (write(fd, buf, n) != (ssize_t)n) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "pmemsave: writing '%s' failed: %s", file,
                        g_strerror(errno));
            close(fd);
            return NULL;
        }
        addr += (int64_t)n;
        size -= (int64_t)n;
    }
    close(fd);
    return qmp_return_empty();
}

static const QmpArg pmemsave_args[] = {
    { "val", QMP_ARG_INT },
    { "size", QMP_ARG_INT },
    { "filename", QMP_ARG_STR },
    { NULL },
};
QMP_DEFINE_COMMAND("pmemsave", qmp_pmemsave, pmemsave_args, 0)
