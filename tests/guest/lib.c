/* lib.c: the few C library pieces the freestanding test guest needs. */
/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "guest.h"

/*
 * Memory handed to devices (virtqueues, request buffers).  Static so that
 * it is identity-mapped RAM below 4 GiB wherever the loader puts the ELF;
 * not zeroed at start-up (callers initialise what they use).
 */
static uint8_t dma_arena[256 * 1024]
    __attribute__((aligned(4096), section(".bss.noinit")));

void *memset(void *d, int c, size_t n)
{
    uint8_t *p = d;

    /* Every instruction counts under slow virtualisation: 8 bytes a go. */
    if (c == 0 && n >= 8 && !((uintptr_t)p & 7)) {
        size_t q = n / 8;

        __asm__ volatile("rep stosq"
                         : "+D"(p), "+c"(q) : "a"(0ull) : "memory");
        n &= 7;
    }
    while (n--) {
        *p++ = (uint8_t)c;
    }
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;

    while (n--) {
        *dp++ = *sp++;
    }
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *pa = a, *pb = b;

    for (size_t i = 0; i < n; i++) {
        if (pa[i] != pb[i]) {
            return pa[i] < pb[i] ? -1 : 1;
        }
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n]) {
        n++;
    }
    return n;
}

bool str_eq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* "0x" prefix: hexadecimal; otherwise decimal.  No sign, no overflow. */
bool parse_u64(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    unsigned base = 10;
    size_t i = 0;

    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        i = 2;
    }
    if (i == n) {
        return false;
    }
    for (; i < n; i++) {
        unsigned d;
        char c = s[i];

        if (c >= '0' && c <= '9') {
            d = (unsigned)(c - '0');
        } else if (base == 16 && c >= 'a' && c <= 'f') {
            d = (unsigned)(c - 'a' + 10);
        } else if (base == 16 && c >= 'A' && c <= 'F') {
            d = (unsigned)(c - 'A' + 10);
        } else {
            return false;
        }
        if (d >= base || v > (UINT64_MAX - d) / base) {
            return false;
        }
        v = v * base + d;
    }
    *out = v;
    return true;
}

/* CRC-32 (IEEE 802.3, as zlib), half a byte at a time: a 16-entry table
 * keeps both the image and the instruction count small. */
uint32_t crc32(const void *buf, size_t n)
{
    static const uint32_t nib[16] = {
        0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
        0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
        0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
        0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
    };
    const uint8_t *p = buf;
    uint32_t c = 0xffffffffu;

    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        c = (c >> 4) ^ nib[c & 15];
        c = (c >> 4) ^ nib[c & 15];
    }
    return ~c;
}

typedef struct Out {
    char *p;
    char *end;      /* last usable byte, kept for the NUL */
} Out;

static inline void out_c(Out *o, char c)
{
    if (o->p < o->end) {
        *o->p++ = c;
    }
}

static void out_num(Out *o, uint64_t v, unsigned base, unsigned width,
                    char pad)
{
    char tmp[24];
    unsigned n = 0;

    do {
        unsigned d = (unsigned)(v % base);
        tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        v /= base;
    } while (v);
    while (width > n) {
        out_c(o, pad);
        width--;
    }
    while (n) {
        out_c(o, tmp[--n]);
    }
}

/* A printf subset: %% %c %s %d %u %x with 0-padding, widths, l/ll/z. */
size_t vfmt(char *buf, size_t size, const char *f, va_list ap)
{
    Out o = { buf, buf + size - 1 };

    if (size == 0) {
        return 0;
    }
    for (; *f; f++) {
        unsigned width = 0;
        unsigned lng = 0;
        char pad = ' ';
        uint64_t u;

        if (*f != '%') {
            out_c(&o, *f);
            continue;
        }
        f++;
        if (*f == '0') {
            pad = '0';
            f++;
        }
        while (*f >= '0' && *f <= '9') {
            width = width * 10 + (unsigned)(*f++ - '0');
        }
        while (*f == 'l' || *f == 'z') {
            lng++;
            f++;
        }
        switch (*f) {
        case '%':
            out_c(&o, '%');
            break;
        case 'c':
            out_c(&o, (char)va_arg(ap, int));
            break;
        case 's': {
            const char *str = va_arg(ap, const char *);

            for (size_t len = strlen(str); width > len; width--) {
                out_c(&o, ' ');
            }
            while (*str) {
                out_c(&o, *str++);
            }
            break;
        }
        case 'd': {
            int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);

            if (v < 0) {
                out_c(&o, '-');
                u = (uint64_t)0 - (uint64_t)v;
            } else {
                u = (uint64_t)v;
            }
            out_num(&o, u, 10, width, pad);
            break;
        }
        case 'u':
        case 'x':
            u = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            out_num(&o, u, *f == 'x' ? 16 : 10, width, pad);
            break;
        default:
            /* unknown conversion: show it rather than guess */
            out_c(&o, '%');
            if (!*f) {
                f--;
            } else {
                out_c(&o, *f);
            }
            break;
        }
    }
    *o.p = '\0';
    return (size_t)(o.p - buf);
}

size_t fmt(char *buf, size_t size, const char *f, ...)
{
    va_list ap;
    size_t n;

    va_start(ap, f);
    n = vfmt(buf, size, f, ap);
    va_end(ap);
    return n;
}

void *dma_alloc(Guest *g, size_t size, size_t align)
{
    uintptr_t p;

    if (!g->dma_next) {
        g->dma_next = dma_arena;
        g->dma_end = dma_arena + sizeof(dma_arena);
    }
    p = ALIGN_UP((uintptr_t)g->dma_next, align);
    if (p + size > (uintptr_t)g->dma_end) {
        return NULL;
    }
    g->dma_next = (uint8_t *)(p + size);
    return (void *)p;
}
