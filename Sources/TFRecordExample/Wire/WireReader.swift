import TFRecord
/// Sequential reading of protobuf wire format from a borrowed buffer, with the offset of any
/// damage. Offsets are relative to the start of the buffer (the record's payload).
struct WireReader {
    /// Wire types.
    static let varint: UInt32 = 0, i64: UInt32 = 1, len: UInt32 = 2, startGroup: UInt32 = 3,
               endGroup: UInt32 = 4, i32: UInt32 = 5

    let base: UnsafeRawPointer
    var position: Int
    var end: Int

    init(_ bytes: UnsafeRawBufferPointer) {
        // An empty buffer may have no base address; any non-null pointer works with end == 0.
        base = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        position = 0
        end = bytes.count
    }

    init(base: UnsafeRawPointer, range: Range<Int>) {
        self.base = base
        position = range.lowerBound
        end = range.upperBound
    }

    var atEnd: Bool { position >= end }

    static func malformed(_ detail: String, _ offset: Int) -> ExampleError {
        ExampleError(.malformed, detail, byteOffset: offset)
    }

    /// Reads a varint (at most 10 bytes, all inside the current bounds).
    @inline(__always)
    mutating func readVarint() throws(ExampleError) -> UInt64 {
        if position < end {
            let byte = base.load(fromByteOffset: position, as: UInt8.self)
            if byte < 0x80 { position += 1; return UInt64(byte) }
        }
        return try readVarintSlow()
    }

    mutating func readVarintSlow() throws(ExampleError) -> UInt64 {
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        var i = position
        while shift < 70 {
            guard i < end else { throw Self.malformed("truncated varint", start) }
            let byte = base.load(fromByteOffset: i, as: UInt8.self)
            i += 1
            result |= UInt64(byte & 0x7f) &<< shift
            if byte < 0x80 { position = i; return result }
            shift += 7
        }
        throw Self.malformed("varint longer than 10 bytes", start)
    }

    /// Reads a tag; returns the field number and wire type.
    @inline(__always)
    mutating func readTag() throws(ExampleError) -> (field: UInt32, wire: UInt32) {
        let start = position
        let tag = try readVarint()
        guard tag >> 3 != 0, tag <= UInt64(UInt32.max) else { throw Self.malformed("field number 0 or out of range", start) }
        return (UInt32(truncatingIfNeeded: tag >> 3), UInt32(truncatingIfNeeded: tag & 7))
    }

    /// Reads the length of a LEN field and returns the range of its data, advancing past it.
    @inline(__always)
    mutating func readLengthDelimited() throws(ExampleError) -> Range<Int> {
        let start = position
        let length = try readVarint()
        guard length <= UInt64(end - position) else {
            throw Self.malformed("length \(length) runs past the end of the enclosing message", start)
        }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    /// Reads a fixed32 value.
    @inline(__always)
    mutating func readFixed32() throws(ExampleError) -> UInt32 {
        guard end - position >= 4 else { throw Self.malformed("truncated fixed32", position) }
        let value = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self))
        position += 4
        return value
    }

    /// Skips the value of a field this decoder does not know (or a known field with an
    /// unexpected wire type, which protobuf treats as unknown).
    mutating func skip(field: UInt32, wire: UInt32, tagOffset: Int, depth: Int = 0) throws(ExampleError) {
        switch wire {
        case Self.varint: _ = try readVarint()
        case Self.i64:
            guard end - position >= 8 else { throw Self.malformed("truncated fixed64", position) }
            position += 8
        case Self.len: _ = try readLengthDelimited()
        case Self.i32: _ = try readFixed32()
        case Self.startGroup:
            guard depth < 64 else { throw Self.malformed("groups nested too deep", tagOffset) }
            while true {
                guard position < end else { throw Self.malformed("group without its end tag", tagOffset) }
                let innerOffset = position
                let (innerField, innerWire) = try readTag()
                if innerWire == Self.endGroup {
                    guard innerField == field else { throw Self.malformed("end-group tag of another group", innerOffset) }
                    return
                }
                try skip(field: innerField, wire: innerWire, tagOffset: innerOffset, depth: depth + 1)
            }
        case Self.endGroup:
            throw Self.malformed("end-group tag without a group", tagOffset)
        default:
            throw Self.malformed("invalid wire type \(wire)", tagOffset)
        }
    }

    /// The bytes of `range` as a validated UTF-8 string (proto3 `string` fields must be UTF-8).
    func string(_ range: Range<Int>) throws(ExampleError) -> String {
        let bytes = UnsafeBufferPointer(start: (base + range.lowerBound).assumingMemoryBound(to: UInt8.self),
                                        count: range.count)
        if Self.isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        // Decoding repairs invalid UTF-8 (each bad sequence becomes U+FFFD, EF BF BD), so the
        // text is valid exactly when its bytes are the input's.
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.utf8.count == bytes.count, text.utf8.elementsEqual(bytes) else {
            throw Self.malformed("string is not valid UTF-8", range.lowerBound)
        }
        return text
    }

    /// Whether every byte is below 0x80, checked 8 bytes at a time.
    @inline(__always)
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        var high: UInt64 = 0
        var i = 0
        while i + 8 <= bytes.count {
            high |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < bytes.count {
            high |= UInt64(bytes[i])
            i += 1
        }
        return high & 0x8080_8080_8080_8080 == 0
    }

    /// The number of LEN fields numbered `field` in the current bounds (for reserving capacity);
    /// stops counting at anything unusual.
    func countLengthDelimited(_ field: UInt8) -> Int {
        var reader = self
        var count = 0
        let tag = field << 3 | 2
        while reader.position < reader.end, reader.base.load(fromByteOffset: reader.position, as: UInt8.self) == tag {
            reader.position += 1
            guard (try? reader.readLengthDelimited()) != nil else { break }
            count += 1
        }
        return count
    }
}
