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

// A varint, with the one-byte case inline (tags and short lengths are one byte).
static inline int varint_fast(const uint8_t *p, size_t size, size_t *pos, uint64_t *value,
                              size_t *error_offset) {
    if (*pos < size && p[*pos] < 0x80) {
        *value = p[(*pos)++];
        return CSUPPORT_PB_OK;
    }
    size_t start = *pos;
    int status = csupport_pb_read_varint(p, size, pos, value);
    if (status != CSUPPORT_PB_OK) *error_offset = start;
    return status;
}

// A LEN field's length at `*pos`, checked against `end`; advances past it.
static inline int length_fast(const uint8_t *p, size_t end, size_t *pos, uint64_t *length,
                              size_t *error_offset) {
    size_t start = *pos;
    int status = varint_fast(p, end, pos, length, error_offset);
    if (status != CSUPPORT_PB_OK) return status;
    if (*length > end - *pos) { *error_offset = start; return CSUPPORT_PB_LENGTH_PAST_END; }
    return CSUPPORT_PB_OK;
}

// Tags of the fields the lookup follows: field 1 / field 2, wire type LEN.
#define TAG_1_LEN 0x0a
#define TAG_2_LEN 0x12

int csupport_pb_find_entry(const void *base, size_t size, uint32_t top_field, uint32_t map_field,
                           const void *key, size_t key_length, csupport_pb_entry *entry,
                           size_t *error_offset) {
    const uint8_t *p = (const uint8_t *)base;
    entry->found = 0;
    entry->entry_offset = 0;
    entry->entry_length = 0;
    const uint64_t top_tag = ((uint64_t)top_field << 3) | CSUPPORT_PB_LEN;
    const uint64_t map_tag = ((uint64_t)map_field << 3) | CSUPPORT_PB_LEN;
    csupport_pb_field other;
    size_t pos = 0;
    while (pos < size) {
        size_t tag_start = pos;
        uint64_t tag, length;
        int status = varint_fast(p, size, &pos, &tag, error_offset);
        if (status != CSUPPORT_PB_OK) return status;
        if (tag != top_tag) {
            // Anything else at the top level: skip it whole (checks it).
            status = csupport_pb_next_field(p, size, tag_start, &other, error_offset);
            if (status != CSUPPORT_PB_OK) return status;
            pos = (size_t)other.end;
            continue;
        }
        status = length_fast(p, size, &pos, &length, error_offset);
        if (status != CSUPPORT_PB_OK) return status;
        size_t map_end = pos + (size_t)length;
        while (pos < map_end) {
            size_t map_tag_start = pos;
            status = varint_fast(p, map_end, &pos, &tag, error_offset);
            if (status != CSUPPORT_PB_OK) return status;
            if (tag != map_tag) {
                status = csupport_pb_next_field(p, map_end, map_tag_start, &other, error_offset);
                if (status != CSUPPORT_PB_OK) return status;
                pos = (size_t)other.end;
                continue;
            }
            status = length_fast(p, map_end, &pos, &length, error_offset);
            if (status != CSUPPORT_PB_OK) return status;
            // A map entry: the last key field wins; a missing key is the empty string.
            size_t entry_start = pos, entry_end = pos + (size_t)length;
            const uint8_t *found_key = NULL;
            size_t found_length = 0;
            while (pos < entry_end) {
                size_t field_start = pos;
                status = varint_fast(p, entry_end, &pos, &tag, error_offset);
                if (status != CSUPPORT_PB_OK) return status;
                if (tag == TAG_1_LEN || tag == TAG_2_LEN) {
                    status = length_fast(p, entry_end, &pos, &length, error_offset);
                    if (status != CSUPPORT_PB_OK) return status;
                    if (tag == TAG_1_LEN) {
                        found_key = p + pos;
                        found_length = (size_t)length;
                    }
                    pos += (size_t)length;
                } else {
                    status = csupport_pb_next_field(p, entry_end, field_start, &other, error_offset);
                    if (status != CSUPPORT_PB_OK) return status;
                    pos = (size_t)other.end;
                }
            }
            if (found_length == key_length && (key_length == 0 || memcmp(found_key, key, key_length) == 0)) {
                entry->found = 1;
                entry->entry_offset = entry_start;
                entry->entry_length = entry_end - entry_start;
            }
        }
    }
    return CSUPPORT_PB_OK;
}
