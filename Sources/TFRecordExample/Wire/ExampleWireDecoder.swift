import TFRecord
/// Decodes `tf.train.Example` and `SequenceExample` from protobuf wire format, as a conforming
/// protobuf parser does.
///
/// Accepts packed and unpacked repeated fields (and several packed runs), fields in any order,
/// unknown fields of every wire type (groups included) and known fields with an unexpected wire
/// type (protobuf treats both as unknown and skips them), over-long varints, repeated map keys
/// (the last entry wins), messages split over several occurrences or concatenated (they merge),
/// and a `Feature` whose oneof is set several times (the last kind wins; lists of that kind merge).
///
/// Rejects, with an `ExampleError` of kind `.malformed` naming the byte offset inside the
/// record: truncated varints and fixed values, varints over 10 bytes, lengths past the end of the
/// enclosing message, wire types 6 and 7, unmatched end-group tags, field number 0, a packed
/// float list whose length is not a multiple of 4, and map keys that are not UTF-8.
package enum ExampleWireDecoder {
    /// Decodes an `Example`.
    /// - Parameter bytes: the serialized message (a record's payload).
    /// - Returns: the example.
    /// - Throws: `ExampleError.malformed` with the offset of the damage.
    /// - Complexity: O(bytes).
    package static func decodeExample(_ bytes: UnsafeRawBufferPointer) throws(ExampleError) -> Example {
        var reader = WireReader(bytes)
        var features = Features()
        while !reader.atEnd {
            let tagOffset = reader.position
            let (field, wire) = try reader.readTag()
            if field == 1 && wire == WireReader.len {
                let range = try reader.readLengthDelimited()
                try mergeFeatures(reader.base, range, into: &features.feature)
            } else {
                try reader.skip(field: field, wire: wire, tagOffset: tagOffset)
            }
        }
        return Example(features: features)
    }

    /// Decodes a `SequenceExample`.
    /// - Parameter bytes: the serialized message.
    /// - Returns: the sequence example.
    /// - Throws: `ExampleError.malformed` with the offset of the damage.
    /// - Complexity: O(bytes).
    package static func decodeSequenceExample(_ bytes: UnsafeRawBufferPointer) throws(ExampleError) -> SequenceExample {
        var reader = WireReader(bytes)
        var result = SequenceExample()
        while !reader.atEnd {
            let tagOffset = reader.position
            let (field, wire) = try reader.readTag()
            if field == 1 && wire == WireReader.len {
                let range = try reader.readLengthDelimited()
                try mergeFeatures(reader.base, range, into: &result.context.feature)
            } else if field == 2 && wire == WireReader.len {
                let range = try reader.readLengthDelimited()
                try mergeFeatureLists(reader.base, range, into: &result.featureLists)
            } else {
                try reader.skip(field: field, wire: wire, tagOffset: tagOffset)
            }
        }
        return result
    }

    /// Decodes a `Feature` message on its own.
    /// - Parameter bytes: the serialized `Feature`.
    /// - Returns: the feature.
    /// - Throws: `ExampleError.malformed` with the offset of the damage.
    package static func decodeFeature(_ bytes: UnsafeRawBufferPointer) throws(ExampleError) -> Feature {
        var feature = Feature.none
        let reader = WireReader(bytes)
        try mergeFeature(reader.base, 0..<bytes.count, into: &feature)
        return feature
    }

    // MARK: - Messages

    /// Merges a `Features` message: each map entry replaces the entry of the same key.
    static func mergeFeatures(_ base: UnsafeRawPointer, _ range: Range<Int>,
                              into map: inout [String: Feature]) throws(ExampleError) {
        try mergeMap(base, range, into: &map, empty: .none) { (valueRange, value) throws(ExampleError) in
            try mergeFeature(base, valueRange, into: &value)
        }
    }

    /// Merges a `FeatureLists` message: each map entry replaces the entry of the same key.
    static func mergeFeatureLists(_ base: UnsafeRawPointer, _ range: Range<Int>,
                                  into map: inout [String: [Feature]]) throws(ExampleError) {
        try mergeMap(base, range, into: &map, empty: []) { (valueRange, value) throws(ExampleError) in
            // A FeatureList: repeated Feature feature = 1; several occurrences append.
            var listReader = WireReader(base: base, range: valueRange)
            while !listReader.atEnd {
                let listOffset = listReader.position
                let (listField, listWire) = try listReader.readTag()
                if listField == 1 && listWire == WireReader.len {
                    var feature = Feature.none
                    try mergeFeature(base, try listReader.readLengthDelimited(), into: &feature)
                    value.append(feature)
                } else {
                    try listReader.skip(field: listField, wire: listWire, tagOffset: listOffset)
                }
            }
        }
    }

    /// Merges the entries of a protobuf `map<string, Message>` (`Features.feature`,
    /// `FeatureLists.feature_list`) into `map`. Each entry replaces the entry of the same key;
    /// inside an entry, `mergeValue` merges every occurrence of the value field into one value
    /// that starts as `empty`.
    @inline(__always)
    static func mergeMap<Value>(
        _ base: UnsafeRawPointer, _ range: Range<Int>, into map: inout [String: Value], empty: Value,
        mergeValue: (Range<Int>, inout Value) throws(ExampleError) -> Void
    ) throws(ExampleError) {
        var reader = WireReader(base: base, range: range)
        if map.isEmpty { map.reserveCapacity(reader.countLengthDelimited(1)) }
        while !reader.atEnd {
            let tagOffset = reader.position
            let (field, wire) = try reader.readTag()
            guard field == 1 && wire == WireReader.len else {
                try reader.skip(field: field, wire: wire, tagOffset: tagOffset)
                continue
            }
            let entry = try reader.readLengthDelimited()
            var entryReader = WireReader(base: base, range: entry)
            var key: Range<Int> = entry.lowerBound..<entry.lowerBound
            var value = empty
            while !entryReader.atEnd {
                let innerOffset = entryReader.position
                let (innerField, innerWire) = try entryReader.readTag()
                if innerField == 1 && innerWire == WireReader.len {
                    key = try entryReader.readLengthDelimited()
                } else if innerField == 2 && innerWire == WireReader.len {
                    try mergeValue(try entryReader.readLengthDelimited(), &value)
                } else {
                    try entryReader.skip(field: innerField, wire: innerWire, tagOffset: innerOffset)
                }
            }
            map[try entryReader.string(key)] = value
        }
    }

    /// Merges a `Feature` message into `feature`: a list field of another kind than the current
    /// one replaces it (oneof semantics), one of the same kind appends.
    static func mergeFeature(_ base: UnsafeRawPointer, _ range: Range<Int>,
                             into feature: inout Feature) throws(ExampleError) {
        var reader = WireReader(base: base, range: range)
        while !reader.atEnd {
            let tagOffset = reader.position
            let (field, wire) = try reader.readTag()
            guard wire == WireReader.len, field >= 1 && field <= 3 else {
                try reader.skip(field: field, wire: wire, tagOffset: tagOffset)
                continue
            }
            let list = try reader.readLengthDelimited()
            switch field {
            case 1:
                var values: [[UInt8]]
                if case .bytesList(let existing) = feature { values = existing } else { values = [] }
                feature = .none
                try appendBytes(base, list, to: &values)
                feature = .bytesList(values)
            case 2:
                var values: [Float]
                if case .floatList(let existing) = feature { values = existing } else { values = [] }
                feature = .none
                try appendFloats(base, list, to: &values)
                feature = .floatList(values)
            default:
                var values: [Int64]
                if case .int64List(let existing) = feature { values = existing } else { values = [] }
                feature = .none
                try appendInt64s(base, list, to: &values)
                feature = .int64List(values)
            }
        }
    }

    /// Appends the values of a `BytesList` message.
    static func appendBytes(_ base: UnsafeRawPointer, _ range: Range<Int>,
                            to values: inout [[UInt8]]) throws(ExampleError) {
        var reader = WireReader(base: base, range: range)
        while !reader.atEnd {
            let tagOffset = reader.position
            let (field, wire) = try reader.readTag()
            if field == 1 && wire == WireReader.len {
                let value = try reader.readLengthDelimited()
                let bytes = copyBytes(base + value.lowerBound, value.count)
                // A literal allocates through code specialized here; `append` on an empty array
                // of arrays goes through the standard library's shared generic path (~150
                // instructions more, see ScratchArrays.swift).
                if values.isEmpty { values = [bytes] } else { values.append(bytes) }
            } else {
                try reader.skip(field: field, wire: wire, tagOffset: tagOffset)
            }
        }
    }

    /// Appends the values of a `FloatList` message (packed runs and single fixed32 values).
    static func appendFloats(_ base: UnsafeRawPointer, _ range: Range<Int>,
                             to values: inout [Float]) throws(ExampleError) {
        var reader = WireReader(base: base, range: range)
        while !reader.atEnd {
            let tagOffset = reader.position
            let (field, wire) = try reader.readTag()
            if field == 1 && wire == WireReader.len {
                let lengthOffset = reader.position
                let run = try reader.readLengthDelimited()
                guard run.count % 4 == 0 else {
                    throw WireReader.malformed("packed float list of \(run.count) bytes (not a multiple of 4)", lengthOffset)
                }
                let count = run.count / 4
                guard count > 0 else { continue }
                ScratchArrays.append(count, to: &values) { destination in
                    copyFloats(from: base + run.lowerBound, count: count, to: destination)
                }
            } else if field == 1 && wire == WireReader.i32 {
                values.append(Float(bitPattern: try reader.readFixed32()))
            } else {
                try reader.skip(field: field, wire: wire, tagOffset: tagOffset)
            }
        }
    }

    /// An array holding `count` bytes from `source` (one `memcpy`; `Array(UnsafeRawBufferPointer)`
    /// allocates through specialized code, see ScratchArrays.swift).
    @inline(__always)
    static func copyBytes(_ source: UnsafeRawPointer, _ count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: source, count: count))
    }

    @inline(__always)
    static func copyFloats(from source: UnsafeRawPointer, count: Int, to destination: UnsafeMutablePointer<Float>) {
        guard count > 0 else { return }
        #if _endian(little)
        UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: count * 4)
        #else
        for i in 0..<count {
            destination[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
        }
        #endif
    }

    /// The number of bytes below 0x80 in `count` bytes at `source`: the number of varints that
    /// end there.
    @inline(__always)
    static func countFinalVarintBytes(_ source: UnsafeRawPointer, _ count: Int) -> Int {
        var final = 0
        for i in 0..<count where source.load(fromByteOffset: i, as: UInt8.self) < 0x80 { final += 1 }
        return final
    }

    /// Appends the values of an `Int64List` message (packed runs and single varints).
    static func appendInt64s(_ base: UnsafeRawPointer, _ range: Range<Int>,
                             to values: inout [Int64]) throws(ExampleError) {
        var reader = WireReader(base: base, range: range)
        while !reader.atEnd {
            let tagOffset = reader.position
            let (field, wire) = try reader.readTag()
            if field == 1 && wire == WireReader.len {
                let run = try reader.readLengthDelimited()
                var runReader = WireReader(base: base, range: run)
                // Every varint ends in a byte below 0x80, so there are at most that many values.
                values.reserveCapacity(values.count + countFinalVarintBytes(base + run.lowerBound, run.count))
                while !runReader.atEnd {
                    values.append(Int64(bitPattern: try runReader.readVarint()))
                }
            } else if field == 1 && wire == WireReader.varint {
                values.append(Int64(bitPattern: try reader.readVarint()))
            } else {
                try reader.skip(field: field, wire: wire, tagOffset: tagOffset)
            }
        }
    }
}

extension Example {
    /// Decodes a serialized `tf.train.Example` (a record's payload).
    /// - Parameter serialized: the bytes.
    /// - Throws: `ExampleError.malformed` naming the byte offset of the damage.
    /// - Complexity: O(bytes).
    public init(serialized: RawSpan) throws(ExampleError) {
        self = try withBytes(serialized, ExampleWireDecoder.decodeExample)
    }

    /// Decodes a serialized `tf.train.Example` from an array.
    /// - Parameter serialized: the bytes.
    /// - Throws: `ExampleError.malformed` naming the byte offset of the damage.
    public init(serialized: [UInt8]) throws(ExampleError) {
        self = try withBytes(serialized, ExampleWireDecoder.decodeExample)
    }
}

extension SequenceExample {
    /// Decodes a serialized `tf.train.SequenceExample`.
    /// - Parameter serialized: the bytes.
    /// - Throws: `ExampleError.malformed` naming the byte offset of the damage.
    /// - Complexity: O(bytes).
    public init(serialized: RawSpan) throws(ExampleError) {
        self = try withBytes(serialized, ExampleWireDecoder.decodeSequenceExample)
    }

    /// Decodes a serialized `tf.train.SequenceExample` from an array.
    /// - Parameter serialized: the bytes.
    /// - Throws: `ExampleError.malformed` naming the byte offset of the damage.
    public init(serialized: [UInt8]) throws(ExampleError) {
        self = try withBytes(serialized, ExampleWireDecoder.decodeSequenceExample)
    }
}

/// Calls `body` with the bytes of `span`, keeping `body`'s typed error.
@inline(__always)
func withBytes<R>(_ span: RawSpan, _ body: (UnsafeRawBufferPointer) throws(ExampleError) -> R) throws(ExampleError) -> R {
    let result: Result<R, ExampleError> = span.withUnsafeBytes { bytes in
        do throws(ExampleError) { return .success(try body(bytes)) } catch { return .failure(error) }
    }
    return try result.get()
}

/// Calls `body` with the bytes of `array`, keeping `body`'s typed error.
@inline(__always)
func withBytes<R>(_ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(ExampleError) -> R) throws(ExampleError) -> R {
    let result: Result<R, ExampleError> = array.withUnsafeBytes { bytes in
        do throws(ExampleError) { return .success(try body(bytes)) } catch { return .failure(error) }
    }
    return try result.get()
}
