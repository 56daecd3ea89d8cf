// Zero-copy protobuf wire-format scanning for tf.train.Example: varints, fields, and finding one
// map entry by key without decoding the rest. Lives in C because finding one feature in a mapped
// record is a hot loop that must not allocate; it never reads outside [base, base+size).
#include "CSupport.h"
#include <string.h>

int csupport_pb_read_varint(const void *base, size_t size, size_t *pos, uint64_t *value) {
    const uint8_t *p = (const uint8_t *)base;
    size_t i = *pos;
    uint64_t result = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (i >= size) return CSUPPORT_PB_TRUNCATED_VARINT;
        uint8_t byte = p[i++];
        result |= (uint64_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *value = result;
            *pos = i;
            return CSUPPORT_PB_OK;
        }
    }
    return CSUPPORT_PB_VARINT_TOO_LONG;
}

static int read_tag(const uint8_t *p, size_t size, size_t *pos, uint32_t *number, uint32_t *wire,
                    size_t *error_offset) {
    size_t start = *pos;
    uint64_t tag;
    int status = csupport_pb_read_varint(p, size, pos, &tag);
    if (status != CSUPPORT_PB_OK) { *error_offset = start; return status; }
    if (tag > 0xffffffffu) { *error_offset = start; return CSUPPORT_PB_BAD_FIELD_NUMBER; }
    *number = (uint32_t)(tag >> 3);
    *wire = (uint32_t)(tag & 7);
    if (*number == 0) { *error_offset = start; return CSUPPORT_PB_BAD_FIELD_NUMBER; }
    return CSUPPORT_PB_OK;
}

// Reads the value of a field whose tag ended at `*pos`; depth counts enclosing groups.
static int read_value(const uint8_t *p, size_t size, size_t *pos, uint32_t number, uint32_t wire,
                      csupport_pb_field *field, size_t *error_offset, int depth) {
    size_t start = *pos;
    switch (wire) {
    case CSUPPORT_PB_VARINT: {
        int status = csupport_pb_read_varint(p, size, pos, &field->value);
        if (status != CSUPPORT_PB_OK) { *error_offset = start; return status; }
        field->data = start;
        return CSUPPORT_PB_OK;
    }
    case CSUPPORT_PB_I64:
        if (size - start < 8) { *error_offset = start; return CSUPPORT_PB_TRUNCATED_FIXED; }
        { uint64_t v = 0; for (int k = 7; k >= 0; k--) v = (v << 8) | p[start + k]; field->value = v; }
        field->data = start;
        *pos = start + 8;
        return CSUPPORT_PB_OK;
    case CSUPPORT_PB_I32:
        if (size - start < 4) { *error_offset = start; return CSUPPORT_PB_TRUNCATED_FIXED; }
        { uint64_t v = 0; for (int k = 3; k >= 0; k--) v = (v << 8) | p[start + k]; field->value = v; }
        field->data = start;
        *pos = start + 4;
        return CSUPPORT_PB_OK;
    case CSUPPORT_PB_LEN: {
        uint64_t length;
        int status = csupport_pb_read_varint(p, size, pos, &length);
        if (status != CSUPPORT_PB_OK) { *error_offset = start; return status; }
        if (length > size - *pos) { *error_offset = start; return CSUPPORT_PB_LENGTH_PAST_END; }
        field->value = length;
        field->data = *pos;
        *pos += (size_t)length;
        return CSUPPORT_PB_OK;
    }
    case CSUPPORT_PB_SGROUP: {
        if (depth >= 64) { *error_offset = start; return CSUPPORT_PB_TOO_DEEP; }
        field->data = start;
        for (;;) {
            if (*pos >= size) { *error_offset = start; return CSUPPORT_PB_UNTERMINATED_GROUP; }
            size_t tag_start = *pos;
            uint32_t inner_number, inner_wire;
            int status = read_tag(p, size, pos, &inner_number, &inner_wire, error_offset);
            if (status != CSUPPORT_PB_OK) return status;
            if (inner_wire == CSUPPORT_PB_EGROUP) {
                if (inner_number != number) { *error_offset = tag_start; return CSUPPORT_PB_BAD_WIRE_TYPE; }
                field->value = tag_start - start;
                return CSUPPORT_PB_OK;
            }
            csupport_pb_field inner;
            status = read_value(p, size, pos, inner_number, inner_wire, &inner, error_offset, depth + 1);
            if (status != CSUPPORT_PB_OK) return status;
        }
    }
    default:
        // Wire type 6 or 7, or an end-group tag outside its group: point at the tag.
        *error_offset = start;
        return CSUPPORT_PB_BAD_WIRE_TYPE;
    }
}

int csupport_pb_next_field(const void *base, size_t size, size_t pos, csupport_pb_field *field,
                           size_t *error_offset) {
    const uint8_t *p = (const uint8_t *)base;
    size_t tag_start = pos;
    uint32_t number, wire;
    int status = read_tag(p, size, &pos, &number, &wire, error_offset);
    if (status != CSUPPORT_PB_OK) return status;
    field->number = number;
    field->wire_type = wire;
    status = read_value(p, size, &pos, number, wire, field, error_offset, 0);
    if (status != CSUPPORT_PB_OK) {
        if (wire == CSUPPORT_PB_EGROUP || wire > 5) *error_offset = tag_start;
        return status;
    }
    field->end = pos;
    return CSUPPORT_PB_OK;
}

int csupport_pb_find_entry(const void *base, size_t size, uint32_t top_field, uint32_t map_field,
                           const void *key, size_t key_length, csupport_pb_entry *entry,
                           size_t *error_offset) {
    const uint8_t *p = (const uint8_t *)base;
    entry->found = 0;
    entry->entry_offset = 0;
    entry->entry_length = 0;
    csupport_pb_field top, map, inner;
    for (size_t pos = 0; pos < size; pos = (size_t)top.end) {
        int status = csupport_pb_next_field(p, size, pos, &top, error_offset);
        if (status != CSUPPORT_PB_OK) return status;
        if (top.number != top_field || top.wire_type != CSUPPORT_PB_LEN) continue;
        size_t map_end = (size_t)(top.data + top.value);
        for (size_t mpos = (size_t)top.data; mpos < map_end; mpos = (size_t)map.end) {
            status = csupport_pb_next_field(p, map_end, mpos, &map, error_offset);
            if (status != CSUPPORT_PB_OK) return status;
            if (map.number != map_field || map.wire_type != CSUPPORT_PB_LEN) continue;
            // A map entry: the last key field wins; a missing key is the empty string.
            size_t entry_end = (size_t)(map.data + map.value);
            const uint8_t *found_key = NULL;
            size_t found_length = 0;
            for (size_t epos = (size_t)map.data; epos < entry_end; epos = (size_t)inner.end) {
                status = csupport_pb_next_field(p, entry_end, epos, &inner, error_offset);
                if (status != CSUPPORT_PB_OK) return status;
                if (inner.number == 1 && inner.wire_type == CSUPPORT_PB_LEN) {
                    found_key = p + inner.data;
                    found_length = (size_t)inner.value;
                }
            }
            if (found_length == key_length && (key_length == 0 || memcmp(found_key, key, key_length) == 0)) {
                entry->found = 1;
                entry->entry_offset = map.data;
                entry->entry_length = map.value;
            }
        }
    }
    return CSUPPORT_PB_OK;
}
