// libFuzzer harness for the protobuf wire-format scanner (varint_scan.c): arbitrary bytes as a
// serialized tf.train.Example / SequenceExample. Checks that every result stays inside the input
// and that walking always makes progress; ASan/UBSan catch any out-of-bounds read.
#include "CSupport.h"
#include <stdlib.h>

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    // Varints back to back.
    size_t pos = 0;
    while (pos < size) {
        uint64_t value;
        size_t before = pos;
        if (csupport_pb_read_varint(data, size, &pos, &value) != CSUPPORT_PB_OK) {
            CHECK(pos == before);
            break;
        }
        CHECK(pos > before && pos <= size && pos - before <= 10);
    }
    // Fields of the top-level message.
    pos = 0;
    while (pos < size) {
        csupport_pb_field field;
        size_t error_offset = (size_t)-1;
        int status = csupport_pb_next_field(data, size, pos, &field, &error_offset);
        if (status != CSUPPORT_PB_OK) {
            CHECK(error_offset <= size);
            break;
        }
        CHECK(field.number >= 1);
        CHECK(field.end > pos && field.end <= size);
        CHECK(field.data <= field.end);
        if (field.wire_type == CSUPPORT_PB_LEN) CHECK(field.data + field.value == field.end);
        pos = (size_t)field.end;
    }
    // Feature lookup by a key taken from the input itself (so matches happen).
    size_t key_length = size < 6 ? size : 6;
    const uint32_t tops[3][2] = {{1, 1}, {2, 1}, {1, 2}};
    for (int i = 0; i < 3; i++) {
        csupport_pb_entry entry;
        size_t error_offset = (size_t)-1;
        int status = csupport_pb_find_entry(data, size, tops[i][0], tops[i][1], data, key_length, &entry, &error_offset);
        if (status == CSUPPORT_PB_OK && entry.found) {
            CHECK(entry.entry_offset <= size && entry.entry_length <= size - entry.entry_offset);
        } else if (status != CSUPPORT_PB_OK) {
            CHECK(error_offset <= size);
        }
    }
    return 0;
}
