/* The s390x channel subsystem: subchannels and their channel programs. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_S390X_CSS_H
#define CGEMU_HW_S390X_CSS_H

#include "hw/core/memory.h"

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

G_BEGIN_DECLS

/*
 * Devices on s390x sit behind subchannels.  The guest drives a subchannel
 * with I/O instructions (MODIFY/STORE/START SUBCHANNEL, TEST SUBCHANNEL,
 * ...), whose effects are the s390_css_* functions below: pure functions
 * of the subchannel and guest memory, called by the accelerator when it
 * intercepts the instruction, and directly by the unit tests.  A START
 * runs the whole channel program at once: the device executes one CCW at
 * a time through S390CcwOps, then the subchannel becomes status pending
 * and the css raises an I/O interruption through the hook the accelerator
 * installs.
 *
 * All virtual devices are in channel subsystem 0xfe (what the guest sees
 * as css 0 when it does not use multiple channel subsystems), subchannel
 * set 0..3, device number 0..0xffff.  Everything runs with the machine
 * lock held.  Nothing the guest writes can make these functions fail
 * other than with the architected condition codes and status.
 */
#define S390_CSS_VIRTUAL 0xfe
#define S390_MAX_SSID 3

/* Format-1 channel-command word, host byte order. */
typedef struct S390Ccw {
    uint8_t cmd;
    uint8_t flags;
    uint16_t count;
    uint32_t cda;               /* data address (31 bits) */
} S390Ccw;

#define S390_CCW_FLAG_CD 0x80   /* chain data */
#define S390_CCW_FLAG_CC 0x40   /* chain command */
#define S390_CCW_FLAG_SLI 0x20  /* suppress incorrect length */
#define S390_CCW_FLAG_SKIP 0x10
#define S390_CCW_FLAG_PCI 0x08
#define S390_CCW_FLAG_IDA 0x04
#define S390_CCW_FLAG_SUSPEND 0x02

/* Channel commands every device handles the same way. */
#define S390_CCW_CMD_NOOP 0x03
#define S390_CCW_CMD_BASIC_SENSE 0x04
#define S390_CCW_CMD_SENSE_ID 0xe4
#define S390_CCW_CMD_TIC 0x08

/* What executing one CCW did. */
typedef enum {
    S390_CCW_OK,                /* done; *residual bytes not transferred */
    S390_CCW_REJECT,            /* command reject: unit check, sense 0x80 */
    S390_CCW_PROGRAM_CHECK,     /* malformed: channel-program check */
    S390_CCW_PROTECTION,        /* data area not accessible: protection */
} S390CcwResult;

typedef struct S390Subchannel S390Subchannel;

/* A device's side of its subchannel. */
typedef struct S390CcwOps {
    /*
     * Executes @ccw (not TIC, SENSE or SENSE ID, which the css handles).
     * Data moves with s390_ccw_read()/s390_ccw_write().
     */
    S390CcwResult (*command)(void *opaque, S390Subchannel *sch,
                             const S390Ccw *ccw, uint32_t *residual);
} S390CcwOps;

/* The interruption the css asks for (KVM's I/O interruption fields). */
typedef void (*S390IoIrqFunc)(void *opaque, uint16_t subchannel_id,
                              uint16_t subchannel_nr, uint32_t parm,
                              uint32_t word);

typedef struct S390Css S390Css;

S390Css *s390_css_new(AddressSpace *mem);
void s390_css_free(S390Css *css);
/* Installs the interruption hook (NULL: interruptions are dropped). */
void s390_css_set_irq(S390Css *css, S390IoIrqFunc fn, void *opaque);

/*
 * Parses "fe.0.0001" (css.ssid.devno, hex).  Errors name the text and
 * what is accepted.
 */
bool s390_devno_parse(const char *text, uint8_t *ssid, uint16_t *devno,
                      GError **err);

/*
 * Adds a subchannel for a device: at @devno in @ssid (or, with @any, the
 * lowest free device number of subchannel set 0), with the lowest free
 * subchannel number.  Fails when the number is taken (naming the owner
 * @label of the other device).  @label names the device in messages;
 * @cu_type and @cu_model are what SENSE ID reports.
 */
S390Subchannel *s390_css_add(S390Css *css, bool any, uint8_t ssid,
                             uint16_t devno, const char *label,
                             uint16_t cu_type, uint8_t cu_model,
                             const S390CcwOps *ops, void *opaque,
                             GError **err);
/* Changes the label (once the device knows its number). */
void s390_sch_set_label(S390Subchannel *sch, const char *label);
void s390_css_remove(S390Css *css, S390Subchannel *sch);

/* By subchannel-identification word (the guest's GR1: 0x0001SSSS-style,
 * see s390_sch_id_word) and number; NULL when not present. */
S390Subchannel *s390_css_find(S390Css *css, uint32_t schid_word);

uint8_t s390_sch_ssid(const S390Subchannel *sch);
S390Css *s390_sch_css(S390Subchannel *sch);
const S390CcwOps *s390_sch_ops(const S390Subchannel *sch);
void *s390_sch_opaque(const S390Subchannel *sch);
uint16_t s390_sch_devno(const S390Subchannel *sch);
uint16_t s390_sch_number(const S390Subchannel *sch);
/* GR1 of the I/O instructions for this subchannel. */
uint32_t s390_sch_id_word(const S390Subchannel *sch);
/* "fe.0.0001" */
char *s390_sch_devno_text(const S390Subchannel *sch);

/* Data transfer of the current CCW, checked against guest RAM. */
bool s390_ccw_read(S390Subchannel *sch, const S390Ccw *ccw, void *buf,
                   uint32_t len);
bool s390_ccw_write(S390Subchannel *sch, const S390Ccw *ccw,
                    const void *buf, uint32_t len);
AddressSpace *s390_sch_memory(S390Subchannel *sch);

/*
 * The I/O instructions; each returns the condition code (0-3).  The
 * control blocks are big-endian byte images as in guest memory: ORB 12
 * bytes (format 0 and 1 of the 12-byte form are accepted), SCHIB 52,
 * IRB 96.  A malformed block is reported as *pgm (a program-interruption
 * code, e.g. 6 for specification) with the condition code unchanged.
 */
int s390_css_msch(S390Subchannel *sch, const uint8_t *schib, uint16_t *pgm);
int s390_css_stsch(S390Subchannel *sch, uint8_t *schib);
int s390_css_ssch(S390Subchannel *sch, const uint8_t *orb, uint16_t *pgm);
int s390_css_tsch(S390Subchannel *sch, uint8_t *irb);
int s390_css_csch(S390Subchannel *sch);
int s390_css_hsch(S390Subchannel *sch);
/* Raises the next pending interruption again, if any (after a reset). */
bool s390_sch_status_pending(const S390Subchannel *sch);

/* Asks for an adapter (thin) interruption on @isc. */
void s390_css_adapter_interrupt(S390Css *css, uint8_t isc);
/* Interrupts the driver for @sch without a channel program (virtio
 * queue and configuration notifications with classic indicators). */
void s390_sch_notify(S390Subchannel *sch);

/* Subchannel reset (with the machine): disabled, idle, no status. */
void s390_sch_reset(S390Subchannel *sch);

#define S390_SCHIB_SIZE 52
#define S390_IRB_SIZE 96
#define S390_ORB_SIZE 12

G_END_DECLS

#endif
