// One table runs every CRC32C implementation this CPU can run: RFC 3720 vectors, every length
// 0..1024 at every misalignment 0..63, large sizes, and pieces == whole, each against the
// portable implementation. Also re-derives the folding constants independently.
#include "../crc32c_constants.h"
#include "CSupport.h"
#include "check.h"
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t next_random(void) {  // splitmix64: deterministic across runs and platforms
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// x^n mod P, reflected, computed bit by bit: independent of the generator script.
static uint32_t xpow_reflected(unsigned n) {
    uint32_t r = 1;  // normal form
    for (unsigned i = 0; i < n; i++) r = (r & 0x80000000u) ? (r << 1) ^ 0x1EDC6F41u : r << 1;
    uint32_t out = 0;
    for (int i = 0; i < 32; i++) out |= ((r >> i) & 1u) << (31 - i);
    return out;
}

static void test_constants(void) {
    struct { unsigned d; uint32_t lo, hi; } folds[] = {
        {128, CRC32C_FOLD_128_LO, CRC32C_FOLD_128_HI}, {256, CRC32C_FOLD_256_LO, CRC32C_FOLD_256_HI},
        {384, CRC32C_FOLD_384_LO, CRC32C_FOLD_384_HI}, {512, CRC32C_FOLD_512_LO, CRC32C_FOLD_512_HI},
        {2048, CRC32C_FOLD_2048_LO, CRC32C_FOLD_2048_HI},
    };
    for (size_t i = 0; i < sizeof folds / sizeof folds[0]; i++) {
        CHECK(folds[i].lo == xpow_reflected(folds[i].d + 31), "fold %u lo", folds[i].d);
        CHECK(folds[i].hi == xpow_reflected(folds[i].d - 33), "fold %u hi", folds[i].d);
    }
    struct { unsigned n; uint32_t k; } shifts[] = {
        {256, CRC32C_SHIFT_256}, {512, CRC32C_SHIFT_512}, {8192, CRC32C_SHIFT_8192}, {16384, CRC32C_SHIFT_16384},
    };
    for (size_t i = 0; i < sizeof shifts / sizeof shifts[0]; i++)
        CHECK(shifts[i].k == xpow_reflected(8 * shifts[i].n - 33), "shift %u", shifts[i].n);
}

static void test_vectors(const char *name, csupport_crc32c_fn fn) {
    uint8_t buf[32];
    memset(buf, 0, 32);
    CHECK(fn(0, buf, 32) == 0x8a9136aau, "%s: 32 zero bytes", name);
    memset(buf, 0xff, 32);
    CHECK(fn(0, buf, 32) == 0x62a8ab43u, "%s: 32 0xff bytes", name);
    for (int i = 0; i < 32; i++) buf[i] = (uint8_t)i;
    CHECK(fn(0, buf, 32) == 0x46dd794eu, "%s: 0..31", name);
    for (int i = 0; i < 32; i++) buf[i] = (uint8_t)(31 - i);
    CHECK(fn(0, buf, 32) == 0x113fdb5cu, "%s: 31..0", name);
    CHECK(fn(0, "123456789", 9) == 0xe3069283u, "%s: 123456789", name);
    CHECK(fn(0, "", 0) == 0, "%s: empty", name);
    CHECK(fn(0x12345678u, buf, 0) == 0x12345678u, "%s: empty keeps crc", name);
}

static void test_against_portable(const char *name, csupport_crc32c_fn fn, csupport_crc32c_fn ref,
                                  const uint8_t *data) {
    long bad = 0;
    for (size_t len = 0; len <= 1024; len++) {
        for (size_t mis = 0; mis < 64; mis++) {
            uint32_t seed = (uint32_t)(len * 64 + mis);
            if (fn(seed, data + mis, len) != ref(seed, data + mis, len)) bad++;
        }
    }
    CHECK(bad == 0, "%s: %ld of 65600 (length 0..1024, misalignment 0..63) differ from portable", name, bad);

    static const size_t large[] = {4095, 4096, 24575, 24576, 24577, 49152 + 767, 65536, 1 << 20,
                                   (1 << 20) + 13, 3u << 20, (4u << 20) - 1};
    for (size_t i = 0; i < sizeof large / sizeof large[0]; i++) {
        for (size_t mis = 0; mis < 64; mis += 21) {
            CHECK(fn(7, data + mis, large[i]) == ref(7, data + mis, large[i]),
                  "%s: length %zu misalignment %zu", name, large[i], mis);
        }
    }
}

static void test_pieces(const char *name, csupport_crc32c_fn fn, const uint8_t *data, size_t size) {
    for (int round = 0; round < 200; round++) {
        size_t len = (size_t)(next_random() % (round < 100 ? 4096 : size));
        size_t start = (size_t)(next_random() % 64);
        uint32_t whole = fn(0, data + start, len);
        uint32_t c = 0;
        size_t done = 0;
        while (done < len) {
            size_t piece = (size_t)(next_random() % (len - done + 1));
            if (next_random() % 4 == 0) piece = piece % 17;  // many small pieces too
            c = fn(c, data + start + done, piece);
            done += piece;
        }
        CHECK(c == whole, "%s: pieces != whole for length %zu", name, len);
    }
}

void test_crc32c(void) {
    test_constants();
    size_t size = (4u << 20) + 128;
    uint8_t *data = malloc(size);
    for (size_t i = 0; i < size; i++) data[i] = (uint8_t)next_random();
    csupport_crc32c_fn portable = csupport_crc32c_implementation(0);
    CHECK(portable != NULL && strcmp(csupport_crc32c_implementation_name(0), "portable") == 0,
          "implementation 0 is portable");
    int n = csupport_crc32c_implementation_count();
    CHECK(csupport_crc32c_implementation_name(n) == NULL, "name out of range");
    CHECK(csupport_crc32c_implementation(-1) == NULL, "implementation out of range");
    int ran = 0;
    for (int i = 0; i < n; i++) {
        const char *name = csupport_crc32c_implementation_name(i);
        csupport_crc32c_fn fn = csupport_crc32c_implementation(i);
        if (!fn) {
            printf("crc32c: %s: not supported on this CPU, skipped\n", name);
            continue;
        }
        printf("crc32c: %s\n", name);
        ran++;
        test_vectors(name, fn);
        test_against_portable(name, fn, portable, data);
        test_pieces(name, fn, data, size - 64);
    }
    printf("crc32c: active implementation: %s (%d of %d ran)\n", csupport_crc32c_active_name(), ran, n);
    // run.sh states which implementation the dispatcher must pick on the CPU it emulates.
    const char *expect = getenv("CSUPPORT_EXPECT_ACTIVE");
    if (expect) CHECK(strcmp(expect, csupport_crc32c_active_name()) == 0, "active is %s, expected %s",
                      csupport_crc32c_active_name(), expect);
    const char *expect_ran = getenv("CSUPPORT_EXPECT_RAN");
    if (expect_ran) CHECK(atoi(expect_ran) == ran, "%d implementations ran, expected %s", ran, expect_ran);
    test_vectors("dispatch", csupport_crc32c_extend);
    CHECK(csupport_crc32c_extend(0, data, 1 << 20) == portable(0, data, 1 << 20), "dispatch: 1 MiB");
    // TensorFlow's mask: known value and round trip.
    CHECK(csupport_crc32c_mask(csupport_crc32c_extend(0, "hello", 5)) == 0x191c1fbbu, "mask(hello)");
    for (int i = 0; i < 1000; i++) {
        uint32_t v = (uint32_t)next_random();
        CHECK(csupport_crc32c_unmask(csupport_crc32c_mask(v)) == v, "unmask(mask(%08x))", v);
    }
    free(data);
}
