import TFRecord
/// A zero-copy view of one feature inside a serialized record, found by `ExampleView`.
///
/// Its kind and count are known (and its bytes checked) when it is found; values are read
/// straight from the record's bytes on demand: byte strings as `RawSpan`s into the record,
/// floats and int64s iterated or copied out. A feature whose map entry holds several values or
/// whose oneof is set several times reads as protobuf merges it (the last kind; lists of that
/// kind concatenated). Valid while the record's bytes are borrowed; being `~Escapable` it
/// cannot be passed to `print(_:)`: print `view.description`, or copy it with `decoded()`.
public struct FeatureView: ~Escapable {
    /// The whole record.
    let record: RawSpan
    /// The map entry (key and value fields) in `record`.
    let entry: Range<Int>
    /// Offset of the first list field of the final kind; lists before it are discarded.
    let start: Int
    /// The kind of list.
    public let kind: Feature.Kind
    /// The number of values.
    public let count: Int

    @_lifetime(copy record)
    init(record: RawSpan, entry: Range<Int>) throws(ExampleError) {
        self.record = record
        self.entry = entry
        let summary = try withBytes(record) { bytes throws(ExampleError) in
            try FeatureView.summary(bytes, entry: entry)
        }
        self.kind = summary.kind
        self.count = summary.count
        self.start = summary.start
    }

    /// The kind, value count and first list offset of the feature entry `entry` of `bytes`: as
    /// protobuf merges repeated fields, a list of another kind replaces what came before it.
    /// - Throws: `ExampleError.malformed` with the byte offset.
    static func summary(_ bytes: UnsafeRawBufferPointer, entry: Range<Int>) throws(ExampleError)
        -> (kind: Feature.Kind, count: Int, start: Int) {
        var kind = Feature.Kind.none
        var count = 0
        var start = entry.lowerBound
        try FeatureView.walk(bytes, entry, from: entry.lowerBound) { list, listKind, tagOffset throws(ExampleError) in
            if listKind != kind {
                kind = listKind
                count = 0
                start = tagOffset
            }
            count += try FeatureView.countValues(list, kind: listKind)
        }
        return (kind, count, start)
    }

    /// Calls `body` with the range of every list message (BytesList/FloatList/Int64List) of the
    /// entry's values whose tag is at or after `from`, with its kind and tag offset.
    static func walk(_ bytes: UnsafeRawBufferPointer, _ entry: Range<Int>, from: Int,
                     _ body: (WireReader, Feature.Kind, Int) throws(ExampleError) -> Void) throws(ExampleError) {
        var reader = WireReader(bytes)
        reader.position = entry.lowerBound
        reader.end = entry.upperBound
        while !reader.atEnd {
            let tagOffset = reader.position
            let (field, wire) = try reader.readTag()
            guard field == 2 && wire == WireReader.len else {
                try reader.skip(field: field, wire: wire, tagOffset: tagOffset)  // the key, or unknown
                continue
            }
            var value = WireReader(base: reader.base, range: try reader.readLengthDelimited())
            while !value.atEnd {
                let listOffset = value.position
                let (listField, listWire) = try value.readTag()
                guard listWire == WireReader.len, (1...3).contains(listField) else {
                    try value.skip(field: listField, wire: listWire, tagOffset: listOffset)
                    continue
                }
                let list = WireReader(base: value.base, range: try value.readLengthDelimited())
                if listOffset >= from {
                    try body(list, listField == 1 ? .bytes : listField == 2 ? .float : .int64, listOffset)
                }
            }
        }
    }

    /// Counts (and checks) the values of one list message.
    static func countValues(_ list: WireReader, kind: Feature.Kind) throws(ExampleError) -> Int {
        var reader = list
        var count = 0
        while !reader.atEnd {
            let tagOffset = reader.position
            let (field, wire) = try reader.readTag()
            switch (field, wire, kind) {
            case (1, WireReader.len, .bytes):
                _ = try reader.readLengthDelimited()
                count += 1
            case (1, WireReader.len, .float):
                let lengthOffset = reader.position
                let run = try reader.readLengthDelimited()
                guard run.count % 4 == 0 else {
                    throw WireReader.malformed("packed float list of \(run.count) bytes (not a multiple of 4)", lengthOffset)
                }
                count += run.count / 4
            case (1, WireReader.i32, .float):
                _ = try reader.readFixed32()
                count += 1
            case (1, WireReader.len, .int64):
                var run = WireReader(base: reader.base, range: try reader.readLengthDelimited())
                while !run.atEnd { _ = try run.readVarint(); count += 1 }
            case (1, WireReader.varint, .int64):
                _ = try reader.readVarint()
                count += 1
            default:
                try reader.skip(field: field, wire: wire, tagOffset: tagOffset)
            }
        }
        return count
    }

    /// Calls `body` with each value's raw location, in order: for bytes the value's range, for
    /// floats and int64 the decoded bit pattern. The bytes were checked at lookup.
    func forEachRaw(_ body: (Range<Int>, UInt64) -> Void) {
        let kind = kind
        try? withBytes(record) { bytes throws(ExampleError) in
            try FeatureView.walk(bytes, entry, from: start) { list, _, _ throws(ExampleError) in
                var reader = list
                while !reader.atEnd {
                    let tagOffset = reader.position
                    let (field, wire) = try reader.readTag()
                    switch (field, wire, kind) {
                    case (1, WireReader.len, .bytes):
                        body(try reader.readLengthDelimited(), 0)
                    case (1, WireReader.len, .float):
                        let run = try reader.readLengthDelimited()
                        var i = run.lowerBound
                        while i < run.upperBound {
                            let bits = UInt32(littleEndian: reader.base.loadUnaligned(fromByteOffset: i, as: UInt32.self))
                            body(i..<i + 4, UInt64(bits))
                            i += 4
                        }
                    case (1, WireReader.i32, .float):
                        let at = reader.position
                        body(at..<at + 4, UInt64(try reader.readFixed32()))
                    case (1, WireReader.len, .int64):
                        var run = WireReader(base: reader.base, range: try reader.readLengthDelimited())
                        while !run.atEnd {
                            let at = run.position
                            let value = try run.readVarint()
                            body(at..<run.position, value)
                        }
                    case (1, WireReader.varint, .int64):
                        let at = reader.position
                        let value = try reader.readVarint()
                        body(at..<reader.position, value)
                    default:
                        try reader.skip(field: field, wire: wire, tagOffset: tagOffset)
                    }
                }
            }
        }
    }

    /// Calls `body` with each float, in order (nothing when this is not a float list).
    /// - Parameter body: receives each value.
    /// - Complexity: O(size of the feature).
    public func forEachFloat(_ body: (Float) -> Void) {
        guard kind == .float else { return }
        forEachRaw { _, bits in body(Float(bitPattern: UInt32(truncatingIfNeeded: bits))) }
    }

    /// Calls `body` with each int64, in order (nothing when this is not an int64 list).
    /// - Parameter body: receives each value.
    /// - Complexity: O(size of the feature).
    public func forEachInt64(_ body: (Int64) -> Void) {
        guard kind == .int64 else { return }
        forEachRaw { _, value in body(Int64(bitPattern: value)) }
    }

    /// Calls `body` with each byte string as a view into the record, in order (nothing when this
    /// is not a bytes list).
    /// - Parameter body: receives each value, valid during the call.
    /// - Complexity: O(number of values) plus `body`.
    public func forEachBytes(_ body: (RawSpan) -> Void) {
        guard kind == .bytes else { return }
        let record = record
        forEachRaw { range, _ in body(record.extracting(range)) }
    }

    /// The byte string at `index`, as a view into the record.
    /// - Parameter index: 0 ..< `count`; traps when out of range or when this is not a bytes list.
    /// - Returns: the bytes, valid while the record is borrowed.
    /// - Complexity: O(index).
    @_lifetime(copy self)
    public func bytes(at index: Int) -> RawSpan {
        precondition(kind == .bytes && index >= 0 && index < count, "bytes(at:) index out of range")
        var found = 0..<0
        var i = 0
        forEachRaw { range, _ in
            if i == index { found = range }
            i += 1
        }
        return record.extracting(found)
    }

    /// The floats, copied out (empty when this is not a float list).
    /// - Returns: the values.
    /// - Complexity: O(count).
    public func floats() -> [Float] {
        var values: [Float] = []
        values.reserveCapacity(count)
        forEachFloat { values.append($0) }
        return values
    }

    /// The int64s, copied out (empty when this is not an int64 list).
    /// - Returns: the values.
    /// - Complexity: O(count).
    public func int64s() -> [Int64] {
        var values: [Int64] = []
        values.reserveCapacity(count)
        forEachInt64 { values.append($0) }
        return values
    }

    /// The byte strings, copied out (empty when this is not a bytes list).
    /// - Returns: the values.
    /// - Complexity: O(total size).
    public func byteStrings() -> [[UInt8]] {
        var values: [[UInt8]] = []
        values.reserveCapacity(count)
        forEachBytes { span in values.append(span.withUnsafeBytes { [UInt8]($0) }) }
        return values
    }

    /// The feature as an owned value.
    /// - Returns: the same `Feature` the decoder gives.
    public func decoded() -> Feature {
        switch kind {
        case .none: return .none
        case .bytes: return .bytesList(byteStrings())
        case .float: return .floatList(floats())
        case .int64: return .int64List(int64s())
        }
    }
}
