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
    var table = FeatureTable()
    /// Records appended so far.
    public internal(set) var count = 0

    init(spec: [String: FeatureSpec]) {
        columns = spec.keys.sorted().map { ColumnBuilder(name: $0, spec: spec[$0]!) }
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
            try table.rebuild(bytes)
        } catch {
            throw error.at(recordNumber: recordNumber, path: nil)
        }
        for c in columns.indices {
            try columns[c].append(bytes, table, recordNumber: recordNumber)
        }
        count += 1
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
    var hint = -1
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

    mutating func append(_ record: UnsafeRawBufferPointer, _ table: FeatureTable, recordNumber: Int) throws(ExampleError) {
        var found: FeatureValues?
        let index = key.withUnsafeBytes { table.find($0, in: record, hint: hint) }
        if let index {
            hint = index
            do throws(ExampleError) {
                let values = try FeatureValues(record, entry: table.entries[index].entry)
                if values.kind != .none { found = values }
            } catch {
                var named = error.at(recordNumber: recordNumber, path: nil)
                named.feature = name
                throw named
            }
        }
        if let found, found.kind != kind {
            throw error(.wrongKind, "Data types don't match. Expected type: \(ExampleParser.dtype(kind)), Actual type: \(ExampleParser.dtype(found.kind))", recordNumber)
        }
        if let expected {
            if let found {
                guard found.count == expected else {
                    throw error(.wrongCount, "Number of \(ExampleParser.dtype(kind)) values != expected. Values size: \(found.count) but output shape: \(shape)", recordNumber)
                }
                appendValues(found, record)
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
            if let found { appendValues(found, record) }
            rowOffsets.append(Int64(valueCount))
        }
    }

    var shape: [Int] {
        if case .fixedLength(let shape, _, _) = spec { return shape }
        return []
    }

    mutating func appendValues(_ values: FeatureValues, _ record: UnsafeRawBufferPointer) {
        let n = values.count
        switch kind {
        case .float:
            let old = floats.count
            floats.append(contentsOf: repeatElement(0, count: n))
            if n > 0 { floats.withUnsafeMutableBufferPointer { values.copyFloats(record, to: $0.baseAddress! + old) } }
        case .int64:
            let old = int64s.count
            int64s.append(contentsOf: repeatElement(0, count: n))
            if n > 0 { int64s.withUnsafeMutableBufferPointer { values.copyInt64s(record, to: $0.baseAddress! + old) } }
        case .bytes:
            values.forEachBytes(record) { range in
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: record[range]))
                byteOffsets.append(Int64(bytes.count))
            }
        case .none:
            break
        }
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
