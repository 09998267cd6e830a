/* Little-endian fields in byte buffers, for the boot loaders. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef CGEMU_HW_I386_LE_BYTES_H
#define CGEMU_HW_I386_LE_BYTES_H

#include <stdint.h>

/* Image headers and boot structures are little-endian whatever the host. */
static inline uint16_t le16_at(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t le32_at(const uint8_t *p)
{
    return (uint32_t)le16_at(p) | (uint32_t)le16_at(p + 2) << 16;
}

static inline uint64_t le64_at(const uint8_t *p)
{
    return (uint64_t)le32_at(p) | (uint64_t)le32_at(p + 4) << 32;
}

static inline void put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
    put_le16(p, (uint16_t)v);
    put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
    put_le32(p, (uint32_t)v);
    put_le32(p + 4, (uint32_t)(v >> 32));
}

#endif
