/* QMP unit-test fixture: an in-memory chardev and a system to talk to. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_TESTS_QMP_FIXTURE_H
#define CGEMU_TESTS_QMP_FIXTURE_H

#include "chardev/char.h"
#include "system/system.h"

G_BEGIN_DECLS

/*
 * "-chardev testfake,id=ID": a chardev whose peer is the test.  Nothing is
 * connected until fake_connect(); input the monitor does not take yet
 * (can_receive 0) waits in @pending, as in a socket buffer; everything the
 * monitor writes collects in @out.
 */
typedef struct {
    Chardev parent_instance;
    GString *out;
    GByteArray *pending;
    bool broken;        /* writes fail, as to a peer that went away */
} FakeChardev;

/*
 * Also defined for the tests (they exist in no binary): machine "test"
 * (max 4 vCPUs, default), accelerator "kvm" that calls the cgs hooks as
 * KVM does, cgs types "test-cgs" (state "launched", details {"secret": 42},
 * a free string property "note")
 * and "test-cgs-child" below the abstract "test-cgs-base", and the device
 * "test-dev" with properties flag (bool, true), count (uint32, 7), mode
 * (OnOffAuto, auto), label (string) and event_idx (bool, false; spelt
 * with an underscore as QEMU does).
 */

/* Parses @args (NULL-terminated) and builds a system; NULL + @err. */
CgSystem *fx_build(const char *const *args, GError **err);
/* Builds or fails the test. */
CgSystem *fx_build_ok(const char *const *args);
void fx_destroy(CgSystem *sys);

/* Runs the main loop until it is idle, as system_run would; monitors
 * start reading input then. */
void fx_start(CgSystem *sys);

FakeChardev *fx_chardev(CgSystem *sys, const char *id);
void fake_connect(FakeChardev *f);
void fake_disconnect(FakeChardev *f);
/* Queues @text as input and delivers what the monitor takes. */
void fake_send(FakeChardev *f, const char *text);
void fake_send_bytes(FakeChardev *f, const void *buf, size_t len);
/* The oldest complete message written ("\r\n" stripped), or NULL. */
char *fake_take(FakeChardev *f);
/* The oldest message, with its timestamp replaced by "T". */
char *fake_take_masked(FakeChardev *f);

/* Sends @cmd and returns the one reply it produced (fails the test if it
 * produced another number of messages). */
char *fx_qmp(FakeChardev *f, const char *cmd);
/* Connects, checks the greeting, negotiates. */
void fx_negotiate(FakeChardev *f);

/* The greeting cgemu sends, on one line. */
extern const char *const fx_greeting;

G_END_DECLS

#endif
