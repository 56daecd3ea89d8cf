// Linked into a second aarch64 test binary with -Wl,--wrap=getauxval: hides HWCAP_CRC32 and
// HWCAP_PMULL, so that run covers the dispatch path of a CPU without the CRC extension (qemu-user
// 7.2 has no CPU model lacking it).
#include <sys/auxv.h>

unsigned long __real_getauxval(unsigned long type);

unsigned long __wrap_getauxval(unsigned long type) {
    unsigned long value = __real_getauxval(type);
    if (type == AT_HWCAP) value &= ~((1ul << 4) | (1ul << 7));  // HWCAP_PMULL, HWCAP_CRC32
    return value;
}
