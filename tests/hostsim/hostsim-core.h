/*
 * Host simulator: declarations shared by the core's own files only.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Models include hostsim.h, never this header.
 */
#ifndef HOSTSIM_CORE_H
#define HOSTSIM_CORE_H

#include "hostsim.h"

/* Registered models (hostsim.c), in link order. */
size_t hostsim_model_count(void);
const HostsimModel *hostsim_model_at(size_t i);
bool hostsim_model_active(size_t i);

/*
 * Configuration (hostsim-config.c), called once from the constructor in
 * this order.  Each returns false with @errp set on a configuration error.
 */
bool hostsim_config_check_names(GError **errp);
bool hostsim_config_faults(GError **errp);

/* Log (hostsim-util.c). */
bool hostsim_log_open(const char *path, GError **errp);
int hostsim_log_fd(void);

/* Errno names (hostsim-util.c): -1 when @name is not one. */
int hostsim_errno_from_name(const char *name);

#endif /* HOSTSIM_CORE_H */
