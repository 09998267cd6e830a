/* The abstract virtio-ccw device: devno, revisions, realize, reset. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "hw/s390x/virtio-ccw.h"

#include "hw/s390x/s390-virtio-ccw.h"
#include "qom/property.h"
#include "util/error.h"

enum {
    PROP_0,
    PROP_DEVNO,
    PROP_MAX_REVISION,
    PROP_IOMMU_PLATFORM,
};

CG_DEFINE_TYPE_EXTENDED(VirtioCcwDevice, virtio_ccw, TYPE_VIRTIO_CCW,
                        CG_TYPE_DEVICE, G_TYPE_FLAG_ABSTRACT,
                        G_IMPLEMENT_INTERFACE(CG_TYPE_VIRTIO_DEVICE, NULL))

char *virtio_ccw_describe(VirtioCcwDevice *dev)
{
    DeviceState *d = CG_DEVICE(dev);
    g_autofree char *devno = dev->t.sch ? s390_sch_devno_text(dev->t.sch)
                                        : g_strdup(dev->devno);

    return g_strdup_printf("%s%s%s%s%s%s", cg_object_type_name(CG_OBJECT(d)),
                           devno ? " " : "", devno ? devno : "",
                           d->id ? " (id " : "", d->id ? d->id : "",
                           d->id ? ")" : "");
}

static const VirtioTransportOps virtio_ccw_transport_ops = {
    .notify = virtio_ccw_transport_notify,
};

static bool virtio_ccw_realize(DeviceState *d, GError **err)
{
    VirtioCcwDevice *dev = CG_VIRTIO_CCW(d);
    VirtioCcwDeviceClass *vc = CG_VIRTIO_CCW_GET_CLASS(dev);
    S390Css *css = s390_ccw_machine_css(d->machine);
    uint64_t features = VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC) |
                        VIRTIO_BIT(VIRTIO_F_VERSION_1);
    g_autofree char *label = NULL;
    uint16_t devno = 0;
    uint8_t ssid = 0;
    VirtioState *vs;

    if (css == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s needs a channel subsystem; use machine "
                    "s390-ccw-virtio", cg_object_type_name(CG_OBJECT(d)));
        return false;
    }
    if (dev->devno != NULL && !s390_devno_parse(dev->devno, &ssid, &devno,
                                                err)) {
        return false;
    }
    if (vc->realize_model == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "%s has no virtio device model to realize",
                    cg_object_type_name(CG_OBJECT(d)));
        return false;
    }
    vs = vc->realize_model(dev, err);
    if (vs == NULL) {
        return false;
    }
    label = virtio_ccw_describe(dev);
    dev->t.sch = s390_css_add(css, dev->devno == NULL, ssid, devno, label,
                              VIRTIO_CCW_CU_TYPE, (uint8_t)vs->device_id,
                              &virtio_ccw_ops, &dev->t, err);
    if (dev->t.sch == NULL) {
        if (vc->unrealize_model != NULL) {
            vc->unrealize_model(dev);
        }
        virtio_cleanup(vs);
        return false;
    }
    dev->css = css;
    dev->t.vs = vs;
    dev->t.max_rev = dev->max_revision;
    /* Now the label has the device number it was given. */
    g_free(label);
    label = virtio_ccw_describe(dev);
    s390_sch_set_label(dev->t.sch, label);
    if (dev->iommu_platform) {
        features |= VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM);
    }
    virtio_bind(vs, label, d->machine->mem, &virtio_ccw_transport_ops,
                &dev->t, features);
    virtio_ccw_transport_reset(&dev->t);
    return true;
}

static void virtio_ccw_unrealize(DeviceState *d)
{
    VirtioCcwDevice *dev = CG_VIRTIO_CCW(d);
    VirtioCcwDeviceClass *vc = CG_VIRTIO_CCW_GET_CLASS(dev);

    if (dev->t.vs == NULL) {
        return;
    }
    s390_css_remove(dev->css, dev->t.sch);
    dev->t.sch = NULL;
    if (vc->unrealize_model != NULL) {
        vc->unrealize_model(dev);
    }
    virtio_cleanup(dev->t.vs);
    dev->t.vs = NULL;
}

static void virtio_ccw_reset(DeviceState *d)
{
    VirtioCcwDevice *dev = CG_VIRTIO_CCW(d);

    if (dev->t.vs != NULL) {
        s390_sch_reset(dev->t.sch);
        virtio_ccw_transport_reset(&dev->t);
    }
}

static void virtio_ccw_set_property(GObject *obj, guint id,
                                    const GValue *value, GParamSpec *pspec)
{
    VirtioCcwDevice *dev = CG_VIRTIO_CCW(obj);

    switch (id) {
    case PROP_DEVNO:
        g_free(dev->devno);
        dev->devno = g_value_dup_string(value);
        break;
    case PROP_MAX_REVISION:
        dev->max_revision = g_value_get_uint(value);
        break;
    case PROP_IOMMU_PLATFORM:
        dev->iommu_platform = g_value_get_boolean(value);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void virtio_ccw_get_property(GObject *obj, guint id, GValue *value,
                                    GParamSpec *pspec)
{
    VirtioCcwDevice *dev = CG_VIRTIO_CCW(obj);

    switch (id) {
    case PROP_DEVNO:
        if (dev->t.sch != NULL) {
            g_value_take_string(value, s390_sch_devno_text(dev->t.sch));
        } else {
            g_value_set_string(value, dev->devno);
        }
        break;
    case PROP_MAX_REVISION:
        g_value_set_uint(value, dev->max_revision);
        break;
    case PROP_IOMMU_PLATFORM:
        g_value_set_boolean(value, dev->iommu_platform);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void virtio_ccw_finalize(GObject *obj)
{
    VirtioCcwDevice *dev = CG_VIRTIO_CCW(obj);

    g_free(dev->devno);
    G_OBJECT_CLASS(virtio_ccw_parent_class)->finalize(obj);
}

static void virtio_ccw_class_init(VirtioCcwDeviceClass *klass)
{
    GObjectClass *oc = G_OBJECT_CLASS(klass);
    DeviceStateClass *dc = CG_DEVICE_CLASS(klass);
    GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

    oc->set_property = virtio_ccw_set_property;
    oc->get_property = virtio_ccw_get_property;
    oc->finalize = virtio_ccw_finalize;
    dc->bus_type = "ccw";
    dc->realize = virtio_ccw_realize;
    dc->unrealize = virtio_ccw_unrealize;
    dc->reset = virtio_ccw_reset;
    g_object_class_install_property(
        oc, PROP_DEVNO,
        g_param_spec_string("devno", "devno",
                            "Device number fe.SSID.DEVNO, e.g. fe.0.0001 "
                            "(default: the lowest free one in set 0)",
                            NULL, rw));
    g_object_class_install_property(
        oc, PROP_MAX_REVISION,
        cg_param_spec_keep_name(
            g_param_spec_uint("max_revision", NULL,
                              "Highest virtio-ccw revision offered (1 or "
                              "2; cgemu has no legacy revision 0)",
                              1, VIRTIO_CCW_MAX_REV, VIRTIO_CCW_MAX_REV,
                              G_PARAM_READWRITE | G_PARAM_STATIC_BLURB),
            "max_revision"));
    g_object_class_override_property(oc, PROP_IOMMU_PLATFORM,
                                     "iommu_platform");
}

static void virtio_ccw_init(VirtioCcwDevice *dev)
{
    dev->max_revision = VIRTIO_CCW_MAX_REV;
    dev->t.revision = -1;
}
