import TFRecord

/// One feature of a parsed batch, in one contiguous buffer (Arrow's layout), made by
/// `ExampleBatchParser`.
///
/// - Fixed-length (`FeatureSpec.fixedLength`): `batch × shape` values, row-major, defaults
///   applied; `shape` is `[batch] + spec shape`; `rowOffsets` is nil.
/// - Variable-length (`.variableLength`): every record's values one after another, and
///   `rowOffsets` (`batch + 1` entries; record `i` holds values `rowOffsets[i] ..< rowOffsets[i+1]`,
///   TensorFlow's ragged `row_splits`); `shape` is `[valueCount]`.
/// - Values are `floats` (float32), `int64s` or, for bytes, one `bytes` buffer with
///   `byteOffsets` (`valueCount + 1` entries; value `j` is `bytes[byteOffsets[j] ..< byteOffsets[j+1]]`).
///
/// The buffers are plain arrays: wrap them without a copy through `floatValues` /
/// `int64Values` spans or `withUnsafeBufferPointer` (e.g. `MLShapedArray(bytesNoCopy:…)`
/// inside the closure, or MLX's `MLXArray(_:_:)` from the buffer).
public struct FeatureColumn: Sendable {
    /// The feature's name.
    public let name: String
    /// How it was parsed.
    public let spec: FeatureSpec
    /// The number of records in the batch.
    public let batchSize: Int
    /// `[batch] + spec shape` for a fixed-length feature; `[valueCount]` for a variable-length one.
    public let shape: [Int]
    /// Float values (empty unless the spec's kind is `.float`).
    public let floats: [Float]
    /// Int64 values (empty unless the spec's kind is `.int64`).
    public let int64s: [Int64]
    /// All byte strings, one after another (empty unless the kind is `.bytes`).
    public let bytes: [UInt8]
    /// Byte string boundaries: `valueCount + 1` offsets into `bytes` (empty unless `.bytes`).
    public let byteOffsets: [Int64]
    /// Row boundaries of a variable-length feature: `batchSize + 1` offsets into the values.
    public let rowOffsets: [Int64]?

    init(name: String, spec: FeatureSpec, batchSize: Int, shape: [Int], floats: [Float], int64s: [Int64],
         bytes: [UInt8], byteOffsets: [Int64], rowOffsets: [Int64]?) {
        self.name = name
        self.spec = spec
        self.batchSize = batchSize
        self.shape = shape
        self.floats = floats
        self.int64s = int64s
        self.bytes = bytes
        self.byteOffsets = byteOffsets
        self.rowOffsets = rowOffsets
    }

    /// The kind of values (the spec's).
    public var kind: Feature.Kind { spec.kind }

    /// The number of values (byte strings count as one each).
    public var valueCount: Int {
        switch spec.kind {
        case .float: return floats.count
        case .int64: return int64s.count
        case .bytes: return max(0, byteOffsets.count - 1)
        case .none: return 0
        }
    }

    /// The float values, borrowed (empty unless `.float`).
    public var floatValues: Span<Float> {
        @_lifetime(borrow self) get { floats.span }
    }

    /// The int64 values, borrowed (empty unless `.int64`).
    public var int64Values: Span<Int64> {
        @_lifetime(borrow self) get { int64s.span }
    }

    /// The value indexes of record `i`.
    /// - Parameter i: `0 ..< batchSize`; traps when out of range.
    /// - Returns: a range into the values.
    /// - Complexity: O(1).
    public func values(ofRecord i: Int) -> Range<Int> {
        precondition(i >= 0 && i < batchSize, "record \(i) is out of range 0..<\(batchSize)")
        if let rowOffsets { return Int(rowOffsets[i])..<Int(rowOffsets[i + 1]) }
        let per = valueCount / max(batchSize, 1)
        return i * per..<(i + 1) * per
    }

    /// The byte string at value index `j`, borrowed.
    /// - Parameter j: `0 ..< valueCount` of a bytes column; traps when out of range.
    @_lifetime(borrow self)
    public func byteString(at j: Int) -> Span<UInt8> {
        precondition(spec.kind == .bytes && j >= 0 && j + 1 < byteOffsets.count, "byte string \(j) is out of range")
        return bytes.span.extracting(Int(byteOffsets[j])..<Int(byteOffsets[j + 1]))
    }

    /// Record `i`'s values as an owned `Feature` (a copy; for checks and small uses).
    /// - Parameter i: `0 ..< batchSize`.
    /// - Returns: the values of the spec's kind.
    /// - Complexity: O(values of the record).
    public func feature(ofRecord i: Int) -> Feature {
        let range = values(ofRecord: i)
        switch spec.kind {
        case .float: return .floatList(Array(floats[range]))
        case .int64: return .int64List(Array(int64s[range]))
        case .bytes: return .bytesList(range.map { Array(bytes[Int(byteOffsets[$0])..<Int(byteOffsets[$0 + 1])]) })
        case .none: return .none
        }
    }
}
