import TFRecord
// The C library's number formatting and memcmp (no system calls: those are in SystemCalls).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
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
package enum ExampleWireEncoder {
    /// Serializes an `Example`.
    /// - Parameter example: the example.
    /// - Returns: the wire-format bytes.
    /// - Complexity: O(size of the output) plus sorting the keys.
    package static func encode(_ example: Example) -> [UInt8] {
        FeatureMapPlan.with(example.features.feature) { plan in
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
    package static func encode(_ example: SequenceExample) -> [UInt8] {
        FeatureMapPlan.with(example.context.feature) { context in
            let lists = example.featureLists.sorted { byteOrder($0.key, $1.key) }.map { name, list in
                (name: name, list: list, size: list.reduce(0) { $0 + fieldSize(FeatureSizes($1).bodySize) })
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
                            let plan = FeatureSizes(feature)
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
    package static func encode(_ feature: Feature) -> [UInt8] {
        let plan = FeatureSizes(feature)
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

extension Example {
    /// The example in protobuf wire format, deterministic (keys sorted).
    /// - Returns: the bytes to write as a record.
    public func serialized() -> [UInt8] { ExampleWireEncoder.encode(self) }
}

extension SequenceExample {
    /// The sequence example in protobuf wire format, deterministic (keys sorted).
    /// - Returns: the bytes to write as a record.
    public func serialized() -> [UInt8] { ExampleWireEncoder.encode(self) }
}
