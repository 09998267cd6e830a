/* secret: a value (a key, a password) other objects refer to by id. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "backends/secret.h"

#include "qom/property.h"
#include "qom/user-creatable.h"
#include "util/error.h"

#include <gio/gio.h>
#include <string.h>

/*
 * libvirt always passes its domain's master key this way:
 *   -object secret,id=masterKey0,format=raw,file=/var/lib/.../master-key.aes
 * The value comes from data= or file=, in format raw or base64.  Secrets
 * encrypted with another secret (keyid=, iv=) are not supported yet and are
 * refused, never taken as plain text.
 */
typedef enum {
    SECRET_FORMAT_RAW,
    SECRET_FORMAT_BASE64,
} SecretFormat;

struct _Secret {
    CgObject parent_instance;
    char *data;
    char *file;
    char *keyid;
    char *iv;
    SecretFormat format;
    GBytes *value;
};

enum {
    PROP_0,
    PROP_DATA,
    PROP_FILE,
    PROP_FORMAT,
    PROP_KEYID,
    PROP_IV,
};

static GType secret_format_get_type(void)
{
    static gsize id;
    static const GEnumValue values[] = {
        { SECRET_FORMAT_RAW, "SECRET_FORMAT_RAW", "raw" },
        { SECRET_FORMAT_BASE64, "SECRET_FORMAT_BASE64", "base64" },
        { 0, NULL, NULL },
    };

    if (g_once_init_enter(&id)) {
        g_once_init_leave(&id, g_enum_register_static("QCryptoSecretFormat",
                                                      values));
    }
    return id;
}

static void secret_initable_iface_init(GInitableIface *iface);

CG_DEFINE_TYPE_WITH_CODE(Secret, secret, TYPE_SECRET, CG_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE(CG_TYPE_USER_CREATABLE, NULL)
                         G_IMPLEMENT_INTERFACE(G_TYPE_INITABLE,
                                               secret_initable_iface_init))

static gboolean secret_complete(GInitable *initable, GCancellable *c,
                                GError **err)
{
    Secret *s = CG_SECRET(initable);
    g_autofree char *raw = NULL;
    gsize len = 0;

    if ((s->data != NULL) == (s->file != NULL)) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "secret: give exactly one of data= and file=");
        return FALSE;
    }
    if (s->keyid != NULL || s->iv != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "secret: secrets encrypted with another secret "
                    "(keyid=, iv=) are not supported yet; give the value "
                    "itself");
        return FALSE;
    }
    if (s->file != NULL) {
        g_autoptr(GError) local = NULL;
        if (!g_file_get_contents(s->file, &raw, &len, &local)) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC, "secret: file=%s: %s",
                        s->file, local->message);
            return FALSE;
        }
    } else {
        raw = g_strdup(s->data);
        len = strlen(raw);
    }
    if (s->format == SECRET_FORMAT_BASE64) {
        g_autofree char *text = g_strndup(raw, len);
        guchar *bin = g_base64_decode(g_strstrip(text), &len);
        s->value = g_bytes_new_take(bin, len);
    } else {
        s->value = g_bytes_new(raw, len);
    }
    return TRUE;
}

static void secret_initable_iface_init(GInitableIface *iface)
{
    iface->init = secret_complete;
}

GBytes *secret_get_value(Secret *s)
{
    return s->value ? g_bytes_ref(s->value) : NULL;
}

static void secret_set_property(GObject *obj, guint id, const GValue *v,
                                GParamSpec *pspec)
{
    Secret *s = CG_SECRET(obj);

    switch (id) {
    case PROP_DATA:
        g_free(s->data);
        s->data = g_value_dup_string(v);
        break;
    case PROP_FILE:
        g_free(s->file);
        s->file = g_value_dup_string(v);
        break;
    case PROP_FORMAT:
        s->format = g_value_get_enum(v);
        break;
    case PROP_KEYID:
        g_free(s->keyid);
        s->keyid = g_value_dup_string(v);
        break;
    case PROP_IV:
        g_free(s->iv);
        s->iv = g_value_dup_string(v);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static void secret_get_property(GObject *obj, guint id, GValue *v,
                                GParamSpec *pspec)
{
    Secret *s = CG_SECRET(obj);

    switch (id) {
    case PROP_DATA:
        /* Write-only in spirit: a secret is not read back over QMP. */
        g_value_set_string(v, NULL);
        break;
    case PROP_FILE:
        g_value_set_string(v, s->file);
        break;
    case PROP_FORMAT:
        g_value_set_enum(v, s->format);
        break;
    case PROP_KEYID:
        g_value_set_string(v, s->keyid);
        break;
    case PROP_IV:
        g_value_set_string(v, s->iv);
        break;
    default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID(obj, id, pspec);
    }
}

static bool secret_check_set(CgObject *obj, GParamSpec *pspec, GError **err)
{
    if (CG_SECRET(obj)->value != NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "secret: '%s' cannot change once the secret is loaded",
                    cg_param_spec_name(pspec));
        return false;
    }
    return true;
}

static void secret_finalize(GObject *obj)
{
    Secret *s = CG_SECRET(obj);

    if (s->data != NULL) {
        memset(s->data, 0, strlen(s->data));
    }
    g_free(s->data);
    g_free(s->file);
    g_free(s->keyid);
    g_free(s->iv);
    g_clear_pointer(&s->value, g_bytes_unref);
    G_OBJECT_CLASS(secret_parent_class)->finalize(obj);
}

static void secret_class_init(SecretClass *k)
{
    GObjectClass *oc = G_OBJECT_CLASS(k);
    GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

    oc->set_property = secret_set_property;
    oc->get_property = secret_get_property;
    oc->finalize = secret_finalize;
    CG_OBJECT_CLASS(k)->check_set_property = secret_check_set;
    g_object_class_install_property(oc, PROP_DATA,
        g_param_spec_string("data", NULL, "The secret's value", NULL, rw));
    g_object_class_install_property(oc, PROP_FILE,
        g_param_spec_string("file", NULL, "File holding the secret's value",
                            NULL, rw));
    g_object_class_install_property(oc, PROP_FORMAT,
        g_param_spec_enum("format", NULL, "How the value is written",
                          secret_format_get_type(), SECRET_FORMAT_RAW, rw));
    g_object_class_install_property(oc, PROP_KEYID,
        g_param_spec_string("keyid", NULL,
                            "Id of a secret that encrypts this one (not "
                            "supported yet)", NULL, rw));
    g_object_class_install_property(oc, PROP_IV,
        g_param_spec_string("iv", NULL,
                            "Initialisation vector of an encrypted secret "
                            "(not supported yet)", NULL, rw));
}

static void secret_init(Secret *s)
{
    s->format = SECRET_FORMAT_RAW;
}
