/* Character devices: byte streams between the emulator and the world. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_CHARDEV_CHAR_H
#define CGEMU_CHARDEV_CHAR_H

#include "qom/object.h"
#include "util/keyval.h"

#include <stdint.h>
#include <sys/types.h>

G_BEGIN_DECLS

/*
 * A chardev ("chardev-stdio", "chardev-file", "chardev-socket", ...) lives
 * at /chardevs/<id> and feeds one frontend (a serial port, a QMP monitor,
 * the qtest protocol).  Input is delivered in the main loop through the
 * frontend's callbacks; output (chardev_write) may be called from any
 * thread and is serialised per chardev.
 *
 * Backends, with QEMU's options:
 *   null
 *   stdio                     (signal=on|off accepted)
 *   file,path=P[,append=on]
 *   socket,path=P|fd=N|host=H,port=N[,server=on|off][,wait=on|off]
 *     A server accepts one client at a time; others wait in the backlog.
 *     fd=N is an inherited socket, listening when server=on (libvirt).
 */
typedef enum {
    CHR_EVENT_OPENED,     /* a client connected (or the backend is ready) */
    CHR_EVENT_CLOSED,     /* the client went away */
} CharEvent;

typedef struct CharFrontendOps {
    /* How many bytes the frontend takes now (0 pauses input). */
    size_t (*can_receive)(void *opaque);
    void (*receive)(void *opaque, const uint8_t *buf, size_t len);
    void (*event)(void *opaque, CharEvent event);
} CharFrontendOps;

#define TYPE_CHARDEV "chardev"
#define CG_TYPE_CHARDEV (chardev_get_type())
CG_DECLARE_TYPE(Chardev, chardev, CG, CHARDEV)

struct _Chardev {
    CgObject parent_instance;

    const CharFrontendOps *fe_ops;    /* the attached frontend, or NULL */
    void *fe_opaque;
    GMutex write_lock;
    bool connected;                   /* a peer is there to talk to */
    /* What QMP query-chardev shows: "file:/var/log/x", "unix:/run/m.sock,
     * server=on", "stdio"... (as QEMU spells it). */
    char *filename;
};

struct _ChardevClass {
    CgObjectClass parent_class;

    /* Opens the backend from its options (all but "backend" and "id"). */
    bool (*open)(Chardev *chr, const CgOpts *opts, GError **err);
    /* Writes all of @buf or fails; -1 with errno on error. */
    ssize_t (*write)(Chardev *chr, const uint8_t *buf, size_t len);
    /* The frontend can take input again (re-arm the reader). */
    void (*accept_input)(Chardev *chr);
    /* Drops the current client (servers only). */
    void (*disconnect)(Chardev *chr);
};

/* -chardev BACKEND,id=ID,...: creates /chardevs/ID. */
Chardev *chardev_new_from_opts(CgObject *root, const CgOpts *opts,
                               GError **err);

/*
 * The legacy one-string forms of -serial, -qmp, -qtest, -monitor:
 * "stdio", "null", "file:PATH", "unix:PATH[,server=on][,wait=off]",
 * "tcp:HOST:PORT[,...]", "chardev:ID" (an existing one).  A new chardev
 * gets the id @id.
 */
Chardev *chardev_new_from_spec(CgObject *root, const char *spec,
                               const char *id, GError **err);

/* /chardevs/@id or NULL. */
Chardev *chardev_find(CgObject *root, const char *id);
const char *chardev_id(Chardev *chr);

/*
 * Attaches the one frontend a chardev may have; fails (naming the
 * chardev) if it already has one.  A frontend attached to a connected
 * backend gets CHR_EVENT_OPENED at once.
 */
bool chardev_attach(Chardev *chr, const CharFrontendOps *ops, void *opaque,
                    GError **err);
void chardev_detach(Chardev *chr);

/* Writes all of @buf (any thread); false when the peer is gone. */
bool chardev_write(Chardev *chr, const void *buf, size_t len);
/* Call after can_receive returned 0 and the frontend has room again;
 * main loop only (a vCPU thread posts to the main loop first). */
void chardev_accept_input(Chardev *chr);
/* Closes the current client connection (QMP on a bad client). */
void chardev_disconnect(Chardev *chr);

/*
 * For backends: report that a peer connected/disconnected (delivers the
 * event to the frontend), and deliver input.  Main loop only.
 */
void chardev_set_connected(Chardev *chr, bool connected);
/* How many bytes the frontend takes now (0 when none is attached). */
size_t chardev_can_receive(Chardev *chr);
void chardev_receive(Chardev *chr, const uint8_t *buf, size_t len);

/*
 * Checks that @opts has only the keys @allowed (plus "backend" and "id"),
 * for a backend's open().
 */
bool chardev_check_opts(Chardev *chr, const CgOpts *opts,
                        const char *const *allowed, GError **err);

G_END_DECLS

#endif
