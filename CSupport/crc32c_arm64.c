// CRC32C with the ARMv8 CRC extension, selected per function with target("crc").
#include "crc32c_internal.h"
#if defined(__aarch64__)
#include <arm_acle.h>
#include <string.h>
#include <sys/auxv.h>
#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)
#endif

int csupport_cpu_has_arm_crc(void) { return (getauxval(AT_HWCAP) & HWCAP_CRC32) != 0; }

__attribute__((target("crc")))
uint32_t csupport_crc32c_arm64(uint32_t crc, const void *data, size_t len) {
    const uint8_t *p = (const uint8_t *)data;
    uint32_t c = ~crc;
    while (len > 0 && ((uintptr_t)p & 7) != 0) {
        c = __crc32cb(c, *p++);
        len--;
    }
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        c = __crc32cd(c, w);
        p += 8;
        len -= 8;
    }
    while (len > 0) {
        c = __crc32cb(c, *p++);
        len--;
    }
    return ~c;
}
#endif
