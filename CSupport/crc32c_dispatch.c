// Picks the fastest CRC32C implementation once (cpuid on x86-64, getauxval on arm64) and exposes
// every implementation by index so one test table can run them all.
#include "CSupport.h"
#include "crc32c_internal.h"

typedef struct {
    const char *name;
    csupport_crc32c_fn fn;
    int (*supported)(void);
} implementation;

static int always(void) { return 1; }

static const implementation implementations[] = {
    {"portable", csupport_crc32c_portable, always},
#if defined(__x86_64__)
    {"sse42", csupport_crc32c_sse42, csupport_cpu_has_sse42},  // SSE4.2 + PCLMULQDQ
    {"avx512-vpclmul", csupport_crc32c_avx512, csupport_cpu_has_avx512_vpclmul},
#endif
#if defined(__aarch64__)
    {"arm64-crc", csupport_crc32c_arm64, csupport_cpu_has_arm_crc},
    {"arm64-crc-pmull", csupport_crc32c_arm64_pmull, csupport_cpu_has_arm_crc_pmull},
#endif
};

#define IMPLEMENTATION_COUNT ((int)(sizeof(implementations) / sizeof(implementations[0])))

static csupport_crc32c_fn active_fn = 0;
static const char *active_name = 0;

static void choose(void) {
    int best = 0;
    for (int i = 1; i < IMPLEMENTATION_COUNT; i++) {
        if (implementations[i].supported()) best = i;  // later entries are faster
    }
    __atomic_store_n(&active_name, implementations[best].name, __ATOMIC_RELAXED);
    __atomic_store_n(&active_fn, implementations[best].fn, __ATOMIC_RELEASE);
}

uint32_t csupport_crc32c_extend(uint32_t crc, const void *data, size_t len) {
    csupport_crc32c_fn fn = __atomic_load_n(&active_fn, __ATOMIC_ACQUIRE);
    if (!fn) {
        choose();
        fn = __atomic_load_n(&active_fn, __ATOMIC_ACQUIRE);  // another thread may be choosing too
    }
    return fn(crc, data, len);
}

const char *csupport_crc32c_active_name(void) {
    if (!__atomic_load_n(&active_fn, __ATOMIC_ACQUIRE)) choose();
    return __atomic_load_n(&active_name, __ATOMIC_ACQUIRE);
}

int csupport_crc32c_implementation_count(void) { return IMPLEMENTATION_COUNT; }

const char *csupport_crc32c_implementation_name(int i) {
    return (i >= 0 && i < IMPLEMENTATION_COUNT) ? implementations[i].name : 0;
}

csupport_crc32c_fn csupport_crc32c_implementation(int i) {
    if (i < 0 || i >= IMPLEMENTATION_COUNT || !implementations[i].supported()) return 0;
    return implementations[i].fn;
}
