// Internal declarations shared by the CRC32C implementation files and the dispatcher.
#ifndef CSUPPORT_CRC32C_INTERNAL_H
#define CSUPPORT_CRC32C_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

/// Portable slicing-by-8; runs everywhere.
uint32_t csupport_crc32c_portable(uint32_t crc, const void *data, size_t len);

#if defined(__x86_64__)
/// SSE4.2 `crc32` instruction (three interleaved streams for large buffers, combined with PCLMULQDQ).
uint32_t csupport_crc32c_sse42(uint32_t crc, const void *data, size_t len);
/// SSE4.2 single stream over `len` bytes from the inverted (internal) state `c`; returns the
/// inverted state. Shared by the SSE4.2 and AVX-512 kernels for heads and tails.
uint32_t csupport_crc32c_sse42_simple(uint32_t c, const uint8_t *p, size_t len);
/// AVX-512 + VPCLMULQDQ folding for large buffers, SSE4.2 for the rest.
uint32_t csupport_crc32c_avx512(uint32_t crc, const void *data, size_t len);
/// SSE4.2 and PCLMULQDQ (the SSE4.2 kernel uses both).
int csupport_cpu_has_sse42(void);
/// AVX-512 F/BW/VL + VPCLMULQDQ, with the OS saving the ZMM state.
int csupport_cpu_has_avx512_vpclmul(void);
#endif

#if defined(__aarch64__)
/// ARMv8 CRC32C instructions, one stream.
uint32_t csupport_crc32c_arm64(uint32_t crc, const void *data, size_t len);
/// ARMv8 CRC32C instructions, three streams joined with PMULL for large buffers.
uint32_t csupport_crc32c_arm64_pmull(uint32_t crc, const void *data, size_t len);
/// HWCAP_CRC32.
int csupport_cpu_has_arm_crc(void);
/// HWCAP_CRC32 and HWCAP_PMULL.
int csupport_cpu_has_arm_crc_pmull(void);
#endif

#endif
