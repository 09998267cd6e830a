/* The virtio-ccw transport: virtio devices behind s390x subchannels. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_S390X_VIRTIO_CCW_H
#define CGEMU_HW_S390X_VIRTIO_CCW_H

#include "hw/s390x/css.h"
#include "hw/virtio/virtio-device.h"
#include "hw/virtio/virtio.h"

G_BEGIN_DECLS

/*
 * The transport proper (virtio 1.x, "Virtio over channel I/O"): the
 * driver talks to the device with channel commands, one CCW each, and is
 * interrupted through indicator bits in its memory (classic per-device
 * indicators or adapter interruptions).  VirtioCcwTransport holds that
 * state; virtio_ccw_command() executes one CCW.  Both are independent of
 * the device type below, so the unit tests drive them through the channel
 * subsystem without a machine.
 *
 * Revisions: the driver must set revision 1 or 2 (SET_VIRTIO_REV) before
 * any other virtio command.  Revision 0 (legacy virtio with big-endian
 * rings) is refused with a command reject: cgemu's virtio core implements
 * the virtio 1.x (little-endian) layout only.  Every Linux driver since
 * 4.0 tries revision 2, then 1.
 */
#define VIRTIO_CCW_CU_TYPE 0x3832
#define VIRTIO_CCW_MAX_REV 2

#define CCW_CMD_SET_VQ 0x13
#define CCW_CMD_VDEV_RESET 0x33
#define CCW_CMD_READ_FEAT 0x12
#define CCW_CMD_WRITE_FEAT 0x11
#define CCW_CMD_READ_CONF 0x22
#define CCW_CMD_WRITE_CONF 0x21
#define CCW_CMD_WRITE_STATUS 0x31
#define CCW_CMD_READ_VQ_CONF 0x32
#define CCW_CMD_SET_IND 0x43
#define CCW_CMD_SET_CONF_IND 0x53
#define CCW_CMD_SET_IND_ADAPTER 0x73
#define CCW_CMD_READ_STATUS 0x72
#define CCW_CMD_SET_VIRTIO_REV 0x83

/* Sizes of the data areas (virtio 1.x, section 4.3). */
#define VIRTIO_CCW_VQ_INFO_SIZE 32
#define VIRTIO_CCW_FEAT_DESC_SIZE 5
#define VIRTIO_CCW_VQ_CONF_SIZE 4
#define VIRTIO_CCW_THININT_SIZE 25

typedef struct VirtioCcwTransport {
    VirtioState *vs;
    S390Subchannel *sch;
    unsigned max_rev;           /* 1 or 2 */
    int revision;               /* -1 until SET_VIRTIO_REV */

    /* Interruption set-up. */
    uint64_t indicators;        /* classic queue indicators, 0: none */
    uint64_t config_indicators; /* classic configuration indicators */
    bool adapter;               /* adapter interruptions in use */
    uint64_t summary;           /* summary indicator byte */
    uint64_t adapter_ind;       /* queue indicator bits */
    uint64_t adapter_bit;       /* bit of queue 0 */
    uint8_t isc;
} VirtioCcwTransport;

/* The subchannel operations of every virtio-ccw device (opaque: the
 * VirtioCcwTransport). */
extern const S390CcwOps virtio_ccw_ops;

/* Back to the state after the subchannel appeared (machine reset). */
void virtio_ccw_transport_reset(VirtioCcwTransport *t);

/* Executes one CCW of the device's channel program. */
S390CcwResult virtio_ccw_command(VirtioCcwTransport *t, const S390Ccw *ccw,
                                 uint32_t *residual);

/*
 * The VirtioTransportOps.notify of a ccw device: @vector is the queue
 * index (the transport sets each queue's vector so), anything else the
 * configuration.
 */
void virtio_ccw_transport_notify(void *opaque, uint16_t vector);

/* The guest's notification (DIAGNOSE 500 function 3): run queue @n. */
bool virtio_ccw_queue_notify(S390Css *css, uint32_t schid_word, uint64_t n);

/*
 * The abstract device: base of virtio-rng-ccw and virtio-blk-ccw.
 * Properties as QEMU's:
 *   devno           "fe.S.DDDD" (default: the lowest free in set 0)
 *   max_revision    highest virtio revision offered (1..2, default 2)
 *   iommu_platform  (virtio-device) offer VIRTIO_F_ACCESS_PLATFORM
 * No disable-legacy: ccw devices have no legacy PCI interface, so that
 * confidential-guest default does not apply to them.
 */
#define TYPE_VIRTIO_CCW "virtio-ccw-device"
#define CG_TYPE_VIRTIO_CCW (virtio_ccw_get_type())
CG_DECLARE_TYPE(VirtioCcwDevice, virtio_ccw, CG, VIRTIO_CCW)

struct _VirtioCcwDevice {
    DeviceState parent_instance;

    char *devno;
    bool iommu_platform;
    guint max_revision;

    VirtioCcwTransport t;
    S390Css *css;
};

struct _VirtioCcwDeviceClass {
    DeviceStateClass parent_class;

    /* As VirtIOPCIProxyClass: realizes the model, returns its state. */
    VirtioState *(*realize_model)(VirtioCcwDevice *dev, GError **err);
    void (*unrealize_model)(VirtioCcwDevice *dev);
};

/* "virtio-rng-ccw fe.0.0001 (id rng0)": the device in messages. */
char *virtio_ccw_describe(VirtioCcwDevice *dev);

G_END_DECLS

#endif
