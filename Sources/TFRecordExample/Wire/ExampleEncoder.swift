import TFRecord
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Encodes `tf.train.Example` and `SequenceExample` into protobuf wire format, as TensorFlow's
/// `example.proto` / `feature.proto` define it (proto3, packed float and int64 lists).
///
/// Output is deterministic: map entries are written in ascending byte-wise key order, every map
/// entry has its key and value fields, a list feature always writes its (possibly empty) list
/// message, and `Feature.none` writes an empty `Feature`. Equal values give equal bytes. An
/// `Example` always writes its `features` field (an empty one is `0a 00`, as TensorFlow writes
/// `Example(features=Features())`); a `SequenceExample` writes `context` and `feature_lists`
/// only when they are not empty.
public enum ExampleEncoder {
    /// Serializes an `Example`.
    /// - Parameter example: the example.
    /// - Returns: the wire-format bytes.
    /// - Complexity: O(size of the output) plus sorting the keys.
    public static func encode(_ example: Example) -> [UInt8] {
        FeaturesPlan.with(example.features.feature) { plan in
            let total = fieldSize(plan.size)
            return ScratchArrays.make(total) { destination in
                var writer = WireWriter(destination)
                writer.tagLength(1, plan.size)
                plan.write(&writer)
                precondition(writer.count == total)
            }
        }
    }

    /// Serializes a `SequenceExample`.
    /// - Parameter example: the sequence example.
    /// - Returns: the wire-format bytes.
    /// - Complexity: O(size of the output) plus sorting the keys.
    public static func encode(_ example: SequenceExample) -> [UInt8] {
        FeaturesPlan.with(example.context.feature) { context in
            let lists = example.featureLists.sorted { byteOrder($0.key, $1.key) }.map { name, list in
                (name: name, list: list, size: list.reduce(0) { $0 + fieldSize(FeaturePlan($1).bodySize) })
            }
            let listsSize = lists.reduce(0) { $0 + fieldSize(fieldSize($1.name.utf8.count) + fieldSize($1.size)) }
            let total = (context.entries.isEmpty ? 0 : fieldSize(context.size)) + (lists.isEmpty ? 0 : fieldSize(listsSize))
            return ScratchArrays.make(total) { destination in
                var writer = WireWriter(destination)
                if !context.entries.isEmpty {
                    writer.tagLength(1, context.size)
                    context.write(&writer)
                }
                if !lists.isEmpty {
                    writer.tagLength(2, listsSize)
                    for (name, list, size) in lists {
                        writer.tagLength(1, fieldSize(name.utf8.count) + fieldSize(size))
                        writer.string(1, name)
                        writer.tagLength(2, size)
                        for feature in list {
                            let plan = FeaturePlan(feature)
                            writer.tagLength(1, plan.bodySize)
                            plan.write(feature, &writer)
                        }
                    }
                }
                precondition(writer.count == total)
            }
        }
    }

    /// Serializes one `Feature` message.
    /// - Parameter feature: the feature.
    /// - Returns: the wire-format bytes.
    public static func encode(_ feature: Feature) -> [UInt8] {
        let plan = FeaturePlan(feature)
        return ScratchArrays.make(plan.bodySize) { destination in
            var writer = WireWriter(destination)
            plan.write(feature, &writer)
            precondition(writer.count == plan.bodySize)
        }
    }

    // MARK: - Sizes

    /// Bytes of a varint.
    @inline(__always)
    static func varintSize(_ value: UInt64) -> Int {
        // 1 + floor(bits / 7), bits = 64 - leading zeros (at least 1).
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }

    /// Bytes of a LEN field with a one-byte tag and `length` bytes of data.
    @inline(__always)
    static func fieldSize(_ length: Int) -> Int { 1 + varintSize(UInt64(length)) + length }

    /// Byte-wise (UTF-8) order of two strings, the order map entries are written in.
    static func byteOrder(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let common = min(x.count, y.count)
                if common > 0 {
                    let order = memcmp(x.baseAddress!, y.baseAddress!, common)
                    if order != 0 { return order < 0 }
                }
                return x.count < y.count
            }
        }
    }
}

/// The sizes of one `Feature`, computed once before writing.
struct FeaturePlan {
    /// Bytes of the values inside the list message (packed data, or the BytesList fields).
    let payloadSize: Int
    /// Bytes of the list message (BytesList / FloatList / Int64List).
    let listSize: Int
    /// Bytes of the `Feature` message.
    let bodySize: Int

    /// Takes `feature` borrowed: an initializer's parameters are owned by default, which costs a
    /// retain (an atomic write to the list's cache line) per feature.
    init(_ feature: borrowing Feature) {
        switch feature {
        case .none:
            payloadSize = 0; listSize = 0; bodySize = 0
            return
        case .bytesList(let values):
            var size = 0
            for value in values { size += ExampleEncoder.fieldSize(value.count) }
            payloadSize = size
            listSize = size
        case .floatList(let values):
            payloadSize = values.count * 4
            listSize = values.isEmpty ? 0 : ExampleEncoder.fieldSize(payloadSize)
        case .int64List(let values):
            var size = 0
            for value in values { size += ExampleEncoder.varintSize(UInt64(bitPattern: value)) }
            payloadSize = size
            listSize = values.isEmpty ? 0 : ExampleEncoder.fieldSize(payloadSize)
        }
        bodySize = ExampleEncoder.fieldSize(listSize)
    }

    /// Writes the `Feature` message body.
    func write(_ feature: Feature, _ writer: inout WireWriter) {
        switch feature {
        case .none:
            return
        case .bytesList(let values):
            writer.tagLength(1, listSize)
            for value in values { writer.bytes(1, value) }
        case .floatList(let values):
            writer.tagLength(2, listSize)
            if !values.isEmpty {
                writer.tagLength(1, payloadSize)
                writer.floats(values)
            }
        case .int64List(let values):
            writer.tagLength(3, listSize)
            if !values.isEmpty {
                writer.tagLength(1, payloadSize)
                for value in values { writer.varint(UInt64(bitPattern: value)) }
            }
        }
    }
}

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

extension Example {
    /// The example in protobuf wire format, deterministic (keys sorted).
    /// - Returns: the bytes to write as a record.
    public func serialized() -> [UInt8] { ExampleEncoder.encode(self) }
}

extension SequenceExample {
    /// The sequence example in protobuf wire format, deterministic (keys sorted).
    /// - Returns: the bytes to write as a record.
    public func serialized() -> [UInt8] { ExampleEncoder.encode(self) }
}
