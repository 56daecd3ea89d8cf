import TFRecord
/// Writes wire format into memory sized in advance (no bounds checks: sizes are computed first).
struct WireWriter {
    let start: UnsafeMutablePointer<UInt8>
    var cursor: UnsafeMutablePointer<UInt8>

    init(_ start: UnsafeMutablePointer<UInt8>) {
        self.start = start
        cursor = start
    }

    var count: Int { cursor - start }

    @inline(__always)
    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            cursor.pointee = UInt8(truncatingIfNeeded: value) | 0x80
            cursor += 1
            value >>= 7
        }
        cursor.pointee = UInt8(value)
        cursor += 1
    }

    /// A LEN tag for `field` (1...15) and a length.
    @inline(__always)
    mutating func tagLength(_ field: UInt8, _ length: Int) {
        cursor.pointee = field << 3 | 2
        cursor += 1
        varint(UInt64(length))
    }

    mutating func bytes(_ field: UInt8, _ value: [UInt8]) {
        tagLength(field, value.count)
        value.withUnsafeBytes { buffer in
            if let base = buffer.baseAddress { UnsafeMutableRawPointer(cursor).copyMemory(from: base, byteCount: buffer.count) }
        }
        cursor += value.count
    }

    /// Copies `count` bytes from `source`.
    @inline(__always)
    mutating func raw(_ source: UnsafeRawPointer, _ count: Int) {
        UnsafeMutableRawPointer(cursor).copyMemory(from: source, byteCount: count)
        cursor += count
    }

    mutating func string(_ field: UInt8, _ value: String) {
        var value = value
        value.withUTF8 { buffer in
            tagLength(field, buffer.count)
            if let base = buffer.baseAddress { UnsafeMutableRawPointer(cursor).copyMemory(from: base, byteCount: buffer.count) }
            cursor += buffer.count
        }
    }

    mutating func floats(_ values: [Float]) {
        values.withUnsafeBytes { buffer in
            #if _endian(little)
            UnsafeMutableRawPointer(cursor).copyMemory(from: buffer.baseAddress!, byteCount: buffer.count)
            #else
            for (i, value) in values.enumerated() {
                UnsafeMutableRawPointer(cursor).storeBytes(of: value.bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self)
            }
            #endif
        }
        cursor += values.count * 4
    }
}
