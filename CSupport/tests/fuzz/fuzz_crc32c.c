// libFuzzer harness for CRC32C: every implementation this CPU can run, at the offset and split
// point the input chooses, equals the portable one, and pieces equal the whole.
#include "CSupport.h"
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2) return 0;
    size_t offset = data[0] % 64 < size ? data[0] % 64 : 0;
    const uint8_t *p = data + offset;
    size_t len = size - offset;
    size_t split = len ? (size_t)data[1] * 257 % (len + 1) : 0;
    csupport_crc32c_fn portable = csupport_crc32c_implementation(0);
    uint32_t want = portable(0x5a5a5a5au, p, len);
    for (int i = 0; i < csupport_crc32c_implementation_count(); i++) {
        csupport_crc32c_fn fn = csupport_crc32c_implementation(i);
        if (!fn) continue;
        uint32_t whole = fn(0x5a5a5a5au, p, len);
        uint32_t pieces = fn(fn(0x5a5a5a5au, p, split), p + split, len - split);
        if (whole != want || pieces != want) {
            fprintf(stderr, "%s: whole %08x pieces %08x portable %08x (len %zu split %zu)\n",
                    csupport_crc32c_implementation_name(i), whole, pieces, want, len, split);
            abort();
        }
    }
    return 0;
}
