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
        let names = example.features.sortedNames
        let featuresSize = featuresSize(example.features, names)
        let total = fieldSize(featuresSize)
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            var writer = WireWriter(buffer.baseAddress!)
            writer.tagLength(1, featuresSize)
            writeFeatures(example.features, names, &writer)
            initialized = writer.count
            precondition(initialized == total)
        }
    }

    /// Serializes a `SequenceExample`.
    /// - Parameter example: the sequence example.
    /// - Returns: the wire-format bytes.
    /// - Complexity: O(size of the output) plus sorting the keys.
    public static func encode(_ example: SequenceExample) -> [UInt8] {
        let names = example.context.sortedNames
        let listNames = example.sortedListNames
        let contextSize = names.isEmpty ? 0 : featuresSize(example.context, names)
        let listsSize = listNames.isEmpty ? 0 : featureListsSize(example.featureLists, listNames)
        let total = (names.isEmpty ? 0 : fieldSize(contextSize)) + (listNames.isEmpty ? 0 : fieldSize(listsSize))
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            guard total > 0 else { initialized = 0; return }
            var writer = WireWriter(buffer.baseAddress!)
            if !names.isEmpty {
                writer.tagLength(1, contextSize)
                writeFeatures(example.context, names, &writer)
            }
            if !listNames.isEmpty {
                writer.tagLength(2, listsSize)
                for name in listNames {
                    let list = example.featureLists[name]!
                    let listSize = list.reduce(0) { $0 + fieldSize(featureSize($1)) }
                    writer.tagLength(1, fieldSize(name.utf8.count) + fieldSize(listSize))
                    writer.string(1, name)
                    writer.tagLength(2, listSize)
                    for feature in list { writeFeature(feature, &writer) }
                }
            }
            initialized = writer.count
            precondition(initialized == total)
        }
    }

    /// Serializes one `Feature` message.
    /// - Parameter feature: the feature.
    /// - Returns: the wire-format bytes.
    public static func encode(_ feature: Feature) -> [UInt8] {
        let total = featureSize(feature)
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            guard total > 0 else { initialized = 0; return }
            var writer = WireWriter(buffer.baseAddress!)
            writeFeatureBody(feature, &writer)
            initialized = writer.count
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

    /// Bytes of the list message inside a `Feature` (BytesList / FloatList / Int64List).
    static func listSize(_ feature: Feature) -> Int {
        switch feature {
        case .none: return 0
        case .bytesList(let values): return values.reduce(0) { $0 + fieldSize($1.count) }
        case .floatList(let values): return values.isEmpty ? 0 : fieldSize(values.count * 4)
        case .int64List(let values):
            if values.isEmpty { return 0 }
            return fieldSize(int64PayloadSize(values))
        }
    }

    static func int64PayloadSize(_ values: [Int64]) -> Int {
        var size = 0
        for value in values { size += varintSize(UInt64(bitPattern: value)) }
        return size
    }

    /// Bytes of a `Feature` message body.
    static func featureSize(_ feature: Feature) -> Int {
        if case .none = feature { return 0 }
        return fieldSize(listSize(feature))
    }

    static func featuresSize(_ features: Features, _ names: [String]) -> Int {
        var size = 0
        for name in names {
            let entry = fieldSize(name.utf8.count) + fieldSize(featureSize(features.feature[name]!))
            size += fieldSize(entry)
        }
        return size
    }

    static func featureListsSize(_ lists: [String: [Feature]], _ names: [String]) -> Int {
        var size = 0
        for name in names {
            let listSize = lists[name]!.reduce(0) { $0 + fieldSize(featureSize($1)) }
            size += fieldSize(fieldSize(name.utf8.count) + fieldSize(listSize))
        }
        return size
    }

    // MARK: - Writing

    static func writeFeatures(_ features: Features, _ names: [String], _ writer: inout WireWriter) {
        for name in names {
            let feature = features.feature[name]!
            let body = featureSize(feature)
            writer.tagLength(1, fieldSize(name.utf8.count) + fieldSize(body))
            writer.string(1, name)
            writer.tagLength(2, body)
            writeFeatureBody(feature, &writer)
        }
    }

    /// Writes a `Feature` as a field 1 of a FeatureList (tag, length, body).
    static func writeFeature(_ feature: Feature, _ writer: inout WireWriter) {
        writer.tagLength(1, featureSize(feature))
        writeFeatureBody(feature, &writer)
    }

    static func writeFeatureBody(_ feature: Feature, _ writer: inout WireWriter) {
        switch feature {
        case .none:
            return
        case .bytesList(let values):
            writer.tagLength(1, listSize(feature))
            for value in values { writer.bytes(1, value) }
        case .floatList(let values):
            writer.tagLength(2, listSize(feature))
            if !values.isEmpty {
                writer.tagLength(1, values.count * 4)
                writer.floats(values)
            }
        case .int64List(let values):
            writer.tagLength(3, listSize(feature))
            if !values.isEmpty {
                writer.tagLength(1, int64PayloadSize(values))
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
        value.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { cursor.update(from: base, count: buffer.count) }
        }
        cursor += value.count
    }

    mutating func string(_ field: UInt8, _ value: String) {
        var value = value
        value.withUTF8 { buffer in
            tagLength(field, buffer.count)
            if let base = buffer.baseAddress { cursor.update(from: base, count: buffer.count) }
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
