import TFRecord

/// Parses records one at a time into the columns of a batch: the streaming form of
/// `ExampleBatchParser.parse(_:)`, for records that are only borrowed (a reader's callback).
///
/// ```swift
/// var builder = parser.makeBuilder()
/// try dataset.forEachRecord(at: numbers) { number, payload in try builder.append(payload, recordNumber: number) }
/// let batch = builder.finish()
/// ```
public struct ExampleBatchBuilder {
    var columns: [ColumnBuilder]
    /// The map entry of each column in the record being appended (`lowerBound` -1: none).
    var found: [Range<Int>]
    /// The column of each map entry position in the previous record (-1: not in the spec):
    /// the records of one dataset usually repeat their layout, so a key is checked against one
    /// column, not searched for.
    var layout: [Int] = []
    /// Records the caller means to append (sizes the columns after the first record), or 0.
    var expectedRecords = 0
    /// Total bytes of the records the caller means to append (caps the bytes columns), or 0.
    var expectedBytes = 0
    /// Records appended so far.
    public internal(set) var count = 0

    init(spec: [String: FeatureSpec]) {
        columns = spec.keys.sorted().map { ColumnBuilder(name: $0, spec: spec[$0]!) }
        found = Array(repeating: -1 ..< -1, count: columns.count)
    }

    /// Parses one record and appends its values to every column.
    /// - Parameters:
    ///   - record: the serialized `tf.train.Example`, borrowed for the call.
    ///   - recordNumber: its number, named in errors (default: its position in the batch).
    /// - Throws: `ExampleError` naming the record and the feature: `.malformed` (byte offset),
    ///   `.missingFeature`, `.wrongKind`, `.wrongCount` — TensorFlow's errors. After an
    ///   error the builder is unusable (partly appended).
    /// - Complexity: O(record size) for one walk of the map entries, plus the values copied.
    public mutating func append(_ record: RawSpan, recordNumber: Int? = nil) throws(ExampleError) {
        let number = recordNumber ?? count
        try withBytes(record) { bytes throws(ExampleError) in try append(bytes, recordNumber: number) }
    }

    /// Appends a record held in an array (see `append(_:recordNumber:)`).
    public mutating func append(_ record: [UInt8], recordNumber: Int? = nil) throws(ExampleError) {
        let number = recordNumber ?? count
        try withBytes(record) { bytes throws(ExampleError) in try append(bytes, recordNumber: number) }
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer, recordNumber: Int) throws(ExampleError) {
        do throws(ExampleError) {
            try locate(bytes)
        } catch {
            throw error.at(recordNumber: recordNumber, path: nil)
        }
        for c in columns.indices {
            try columns[c].append(bytes, entry: found[c], recordNumber: recordNumber)
        }
        count += 1
        if count == 1 && expectedRecords > 1 {
            for c in columns.indices { columns[c].reserve(records: expectedRecords, bytesCap: expectedBytes) }
        }
    }

    /// Walks the record's `features` fields and their map entries (as `FeatureTable` does, with
    /// the same errors) and sets `found` to each column's entry; values are not read yet.
    /// - Throws: `ExampleError.malformed` with the byte offset.
    mutating func locate(_ bytes: UnsafeRawBufferPointer) throws(ExampleError) {
        for c in found.indices { found[c] = -1 ..< -1 }
        var position = 0
        var reader = WireReader(bytes)
        while !reader.atEnd {
            let tagOffset = reader.position
            let (field, wire) = try reader.readTag()
            guard field == 1 && wire == WireReader.len else {
                try reader.skip(field: field, wire: wire, tagOffset: tagOffset)
                continue
            }
            var map = WireReader(base: reader.base, range: try reader.readLengthDelimited())
            while !map.atEnd {
                let entryOffset = map.position
                let (entryField, entryWire) = try map.readTag()
                guard entryField == 1 && entryWire == WireReader.len else {
                    try map.skip(field: entryField, wire: entryWire, tagOffset: entryOffset)
                    continue
                }
                let entry = try map.readLengthDelimited()
                var inner = WireReader(base: reader.base, range: entry)
                var key = entry.lowerBound..<entry.lowerBound
                while !inner.atEnd {
                    let innerOffset = inner.position
                    let (innerField, innerWire) = try inner.readTag()
                    if innerField == 1 && innerWire == WireReader.len {
                        key = try inner.readLengthDelimited()
                    } else {
                        try inner.skip(field: innerField, wire: innerWire, tagOffset: innerOffset)
                    }
                }
                let c = column(key, at: position, bytes)
                if c >= 0 { found[c] = entry }  // a repeated key: the last entry wins
                position += 1
            }
        }
    }

    /// The column named by the key at `key` of entry number `position`, or -1.
    /// - Complexity: O(key length) when the previous record had this key at `position`, else
    ///   O(columns × key length).
    @inline(__always)
    mutating func column(_ key: Range<Int>, at position: Int, _ bytes: UnsafeRawBufferPointer) -> Int {
        let name = UnsafeRawBufferPointer(rebasing: bytes[key])
        if position < layout.count {
            let guess = layout[position]
            if guess >= 0 && columns[guess].matches(name) { return guess }
        }
        var c = 0
        while c < columns.count && !columns[c].matches(name) { c += 1 }
        let result = c < columns.count ? c : -1
        if position < layout.count { layout[position] = result } else if position == layout.count { layout.append(result) }
        return result
    }

    /// The batch parsed so far.
    /// - Returns: one column per feature of the spec.
    /// - Complexity: O(features).
    public func finish() -> ParsedBatch {
        var result: [String: FeatureColumn] = [:]
        result.reserveCapacity(columns.count)
        for column in columns { result[column.name] = column.column(batchSize: count) }
        return ParsedBatch(count: count, columns: result)
    }
}

/// The growing buffers of one column.
struct ColumnBuilder {
    let name: String
    let key: [UInt8]
    let spec: FeatureSpec
    let kind: Feature.Kind
    /// Values per record of a fixed-length feature; nil for a variable-length one.
    let expected: Int?
    let defaultValue: Feature?
    var floats: [Float] = []
    var int64s: [Int64] = []
    var bytes: [UInt8] = []
    var byteOffsets: [Int64] = []
    var rowOffsets: [Int64] = [0]

    init(name: String, spec: FeatureSpec) {
        self.name = name
        key = Array(name.utf8)
        self.spec = spec
        kind = spec.kind
        switch spec {
        case .fixedLength(let shape, _, let defaultValue):
            expected = shape.reduce(1, *)
            self.defaultValue = defaultValue
        case .variableLength:
            expected = nil
            defaultValue = nil
        }
        if kind == .bytes { byteOffsets = [0] }
    }

    var valueCount: Int {
        switch kind {
        case .float: return floats.count
        case .int64: return int64s.count
        default: return byteOffsets.count - 1
        }
    }

    func error(_ kind: ExampleError.Kind, _ detail: String, _ recordNumber: Int) -> ExampleError {
        ExampleError(kind, detail, feature: name, recordNumber: recordNumber)
    }

    /// Whether `name` is this column's key.
    @inline(__always)
    func matches(_ name: UnsafeRawBufferPointer) -> Bool {
        guard name.count == key.count else { return false }
        if name.isEmpty { return true }
        return key.withUnsafeBytes { memoryEqual($0.baseAddress!, name.baseAddress!, name.count) }
    }

    /// Reserves room for `records` records like the first one (bytes capped at `bytesCap`
    /// when it is not 0), so that a batch's columns grow once, not by doubling.
    mutating func reserve(records: Int, bytesCap: Int) {
        switch kind {
        case .float: floats.reserveCapacity(floats.count * records)
        case .int64: int64s.reserveCapacity(int64s.count * records)
        case .bytes:
            var room = bytes.count * records + bytes.count * records / 8
            if bytesCap > 0 { room = Swift.min(room, bytesCap) }
            bytes.reserveCapacity(room)
            byteOffsets.reserveCapacity(byteOffsets.count * records)
        case .none: break
        }
        if expected == nil { rowOffsets.reserveCapacity(records + 1) }
    }

    /// Appends one record's values: the map entry `entry` (`lowerBound` -1 when the record has
    /// none), walked once — its lists checked and counted, those of this column's kind copied
    /// straight in (protobuf's merge: a list of another kind discards the lists before it).
    mutating func append(_ record: UnsafeRawBufferPointer, entry: Range<Int>, recordNumber: Int) throws(ExampleError) {
        var foundKind = Feature.Kind.none
        var foundCount = 0
        if entry.lowerBound >= 0 {
            do throws(ExampleError) {
                (foundKind, foundCount) = try appendEntry(record, entry)
            } catch {
                var named = error.at(recordNumber: recordNumber, path: nil)
                named.feature = name
                throw named
            }
        }
        if foundKind != .none && foundKind != kind {
            throw error(.wrongKind, "Data types don't match. Expected type: \(ExampleParser.dtype(kind)), Actual type: \(ExampleParser.dtype(foundKind))", recordNumber)
        }
        if let expected {
            if foundKind != .none {
                guard foundCount == expected else {
                    throw error(.wrongCount, "Number of \(ExampleParser.dtype(kind)) values != expected. Values size: \(foundCount) but output shape: \(shape)", recordNumber)
                }
            } else {
                // TensorFlow: a default with no values (shape [0]) leaves the feature required.
                guard let defaultValue, expected > 0 else {
                    throw error(.missingFeature, "Feature: \(name) (data type: \(ExampleParser.dtype(kind))) is required but could not be found.", recordNumber)
                }
                guard defaultValue.kind == kind, defaultValue.count == expected else {
                    throw error(.wrongCount, "default value must hold \(expected) \(ExampleParser.dtype(kind)) values for shape \(shape)", recordNumber)
                }
                appendDefault(defaultValue)
            }
        } else {
            rowOffsets.append(Int64(valueCount))
        }
    }

    var shape: [Int] {
        if case .fixedLength(let shape, _, _) = spec { return shape }
        return []
    }

    /// The walk of `FeatureView.walk` + `summary` over one entry, appending the values of the
    /// lists of this column's kind; returns the final kind and its value count (checked as
    /// `FeatureView.countValues` checks them).
    mutating func appendEntry(_ record: UnsafeRawBufferPointer, _ entry: Range<Int>) throws(ExampleError) -> (Feature.Kind, Int) {
        let floatMark = floats.count, int64Mark = int64s.count, bytesMark = bytes.count, offsetsMark = byteOffsets.count
        var finalKind = Feature.Kind.none
        var count = 0
        var reader = WireReader(base: record.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, range: entry)
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
                let listKind: Feature.Kind = listField == 1 ? .bytes : listField == 2 ? .float : .int64
                if listKind != finalKind {
                    if finalKind == kind {  // discard what this kind's lists appended
                        floats.removeSubrange(floatMark...)
                        int64s.removeSubrange(int64Mark...)
                        bytes.removeSubrange(bytesMark...)
                        byteOffsets.removeSubrange(offsetsMark...)
                    }
                    finalKind = listKind
                    count = 0
                }
                if listKind == kind {
                    count += try appendList(list)
                } else {
                    count += try FeatureView.countValues(list, kind: listKind)
                }
            }
        }
        return (finalKind, count)
    }

    /// Appends the values of one list message of this column's kind; returns how many
    /// (`FeatureView.countValues`'s rules and errors).
    mutating func appendList(_ list: WireReader) throws(ExampleError) -> Int {
        var reader = list
        var count = 0
        while !reader.atEnd {
            let tagOffset = reader.position
            let (field, wire) = try reader.readTag()
            switch (field, wire, kind) {
            case (1, WireReader.len, .bytes):
                let range = try reader.readLengthDelimited()
                bytes.append(contentsOf: UnsafeRawBufferPointer(start: reader.base + range.lowerBound, count: range.count))
                byteOffsets.append(Int64(bytes.count))
                count += 1
            case (1, WireReader.len, .float):
                let lengthOffset = reader.position
                let run = try reader.readLengthDelimited()
                guard run.count % 4 == 0 else {
                    throw WireReader.malformed("packed float list of \(run.count) bytes (not a multiple of 4)", lengthOffset)
                }
                var i = run.lowerBound
                // Little-endian floats, as the wire stores them (x86-64 and arm64).
                while i < run.upperBound {
                    floats.append(Float(bitPattern: UInt32(littleEndian: reader.base.loadUnaligned(fromByteOffset: i, as: UInt32.self))))
                    i += 4
                }
                count += run.count / 4
            case (1, WireReader.i32, .float):
                floats.append(Float(bitPattern: try reader.readFixed32()))
                count += 1
            case (1, WireReader.len, .int64):
                var run = WireReader(base: reader.base, range: try reader.readLengthDelimited())
                while !run.atEnd { int64s.append(Int64(bitPattern: try run.readVarint())); count += 1 }
            case (1, WireReader.varint, .int64):
                int64s.append(Int64(bitPattern: try reader.readVarint()))
                count += 1
            default:
                try reader.skip(field: field, wire: wire, tagOffset: tagOffset)
            }
        }
        return count
    }

    mutating func appendDefault(_ value: Feature) {
        switch value {
        case .floatList(let v): floats.append(contentsOf: v)
        case .int64List(let v): int64s.append(contentsOf: v)
        case .bytesList(let v):
            for b in v {
                bytes.append(contentsOf: b)
                byteOffsets.append(Int64(bytes.count))
            }
        case .none: break
        }
    }

    func column(batchSize: Int) -> FeatureColumn {
        let isFixed = expected != nil
        return FeatureColumn(name: name, spec: spec, batchSize: batchSize,
                             shape: isFixed ? [batchSize] + shape : [valueCount],
                             floats: floats, int64s: int64s, bytes: bytes, byteOffsets: byteOffsets,
                             rowOffsets: isFixed ? nil : rowOffsets)
    }
}
