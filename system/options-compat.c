/* -rtc, -boot, -audiodev: options libvirt passes to every guest, checked
 * against what cgemu's machines have. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "internal.h"

#include "util/cutils.h"
#include "util/error.h"

#include <string.h>

const CgOptionParam rtc_params[] = {
    { "base", "string", "utc (the only start time cgemu offers)" },
    { "clock", "string", "host (the only clock cgemu offers)" },
    { "driftfix", "string", "none (cgemu injects no catch-up ticks)" },
    { NULL },
};

/*
 * The guest reads the time from the host's clock (kvmclock's wall clock on
 * x86, RTAS get-time-of-day on pseries, the TOD clock on s390x): in UTC,
 * never offset, never slewed; x86 has no CMOS RTC to start elsewhere.
 * -rtc asking for exactly that is accepted, as libvirt's "base=utc";
 * anything else would be ignored, so it is refused.
 */
bool opt_rtc(CgConfig *cfg, const CgOptionDef *def, const char *arg,
             GError **err)
{
    static const struct {
        const char *key;
        const char *only;
        const char *other;  /* other values QEMU accepts */
    } keys[] = {
        { "base", "utc", "localtime or a date" },
        { "clock", "host", "rt, vm" },
        { "driftfix", "none", "slew" },
    };
    g_autoptr(CgOpts) opts = cg_option_parse(def, arg, "base", err);

    if (opts == NULL) {
        return false;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
        const char *v = cg_opts_get(opts, keys[i].key);

        if (v != NULL && strcmp(v, keys[i].only) != 0) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "%s=%s is not supported: the guest's clock is the "
                        "host's, in UTC; use %s=%s (QEMU also takes %s)",
                        keys[i].key, v, keys[i].key, keys[i].only,
                        keys[i].other);
            return false;
        }
    }
    return true;
}

const CgOptionParam boot_params[] = {
    { "order", "string", "boot devices, drive letters a-p" },
    { "once", "string", "boot devices for the first boot only" },
    { "menu", "boolean", "firmware boot menu" },
    { "splash", "string", "firmware splash image" },
    { "splash-time", "number", "splash time in ms" },
    { "reboot-timeout", "number", "ms before a failed boot reboots" },
    { "strict", "boolean", "boot only from the listed devices" },
    { NULL },
};

static bool check_drives(const CgOpts *opts, const char *key, GError **err)
{
    const char *v = cg_opts_get(opts, key);

    for (const char *c = v; c != NULL && *c != '\0'; c++) {
        if (*c < 'a' || *c > 'p') {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "%s=%s: '%c' is not a boot device; use the letters "
                        "a-p (c: first disk, d: first CD-ROM, n: network)",
                        key, v, *c);
            return false;
        }
    }
    return true;
}

/*
 * cgemu boots -kernel or -bios directly; there is no firmware that
 * chooses among devices, so a valid -boot changes nothing, as -boot does
 * in QEMU next to -kernel.  libvirt passes "-boot strict=on" always.
 */
bool opt_boot(CgConfig *cfg, const CgOptionDef *def, const char *arg,
              GError **err)
{
    g_autoptr(CgOpts) opts = cg_option_parse(def, arg, "order", err);
    bool b;

    if (opts == NULL || !check_drives(opts, "order", err) ||
        !check_drives(opts, "once", err) ||
        !cg_option_bool(opts, "menu", &b, err) ||
        !cg_option_bool(opts, "strict", &b, err)) {
        return false;
    }
    for (const char *const *k = (const char *const[]){ "splash-time",
                                                       "reboot-timeout",
                                                       NULL };
         *k != NULL; k++) {
        const char *v = cg_opts_get(opts, *k);
        int64_t n;

        if (v != NULL && !cg_parse_int64(v, &n)) {
            g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                        "'%s' expects a number of milliseconds, got '%s'",
                        *k, v);
            return false;
        }
    }
    return true;
}

/*
 * cgemu has no sound devices, so the only back end that means what it
 * says is "none"; libvirt gives one to every guest.
 */
bool opt_audiodev(CgConfig *cfg, const CgOptionDef *def, const char *arg,
                  GError **err)
{
    g_autoptr(CgOpts) opts = cg_opts_parse(arg, "driver", true, err);
    const char *driver, *id;

    if (opts == NULL) {
        return false;
    }
    driver = cg_opts_get(opts, "driver");
    id = cg_opts_get(opts, "id");
    if (driver == NULL || id == NULL) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "an audio back end needs driver= and id=, e.g. "
                    "-audiodev none,id=audio0");
        return false;
    }
    if (strcmp(driver, "none") != 0) {
        g_set_error(err, CG_ERROR, CG_ERROR_GENERIC,
                    "audio driver '%s' is not available: cgemu has no sound "
                    "devices; use driver=none", driver);
        return false;
    }
    return true;
}
