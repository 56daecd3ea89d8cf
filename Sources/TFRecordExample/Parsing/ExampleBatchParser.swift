import TFRecord
import Dispatch

/// TensorFlow's `tf.io.parse_example` for Swift: a batch of serialized `tf.train.Example`s
/// and a `feature_description` → one contiguous column per feature (`ParsedBatch`).
///
/// The rules are `ExampleParser`'s (TensorFlow's, checked against TensorFlow 2.21): a missing
/// fixed-length feature takes its default or is an error, a variable-length one is empty; a
/// list of another kind, or a fixed-length one of the wrong count, is an error naming the record
/// and the feature. Each record is walked once (its map entries found in one pass; a record's
/// features are usually where the previous record had them, so lookups are O(1)); values are
/// copied once, straight from the record into the column.
///
/// Large batches are parsed on all cores: the records are split into one run per core, each
/// parsed into its own columns, then the columns are joined (one more copy of the values).
///
/// ```swift
/// let parser = try ExampleBatchParser(spec: ["bbox": .fixedLen([4], .float), "label": .fixedLen([], .int64)])
/// let batch = try parser.parse(records)              // [[UInt8]], 256 of them
/// let bbox = batch["bbox"]!.floats                   // 256 × 4 floats, row-major
/// ```
public struct ExampleBatchParser: Sendable {
    /// The feature description.
    public let spec: [String: FeatureSpec]
    /// Batches of at least this many records are parsed on several threads (default 2048).
    public var parallelThreshold = 2048
    /// The most threads a batch is parsed on (default: the online processors).
    public var maxThreads = onlineProcessors()

    /// Creates a parser for `spec`.
    /// - Parameter spec: the `feature_description`.
    /// - Throws: `ExampleError.wrongKind` for a spec of kind `.none`, `.wrongCount` for a
    ///   default value that does not fit its shape (TensorFlow checks both up front too).
    public init(spec: [String: FeatureSpec]) throws(ExampleError) {
        for (name, featureSpec) in spec {
            guard featureSpec.kind != .none else {
                throw ExampleError(.wrongKind, "a spec must ask for bytes, float or int64", feature: name)
            }
            if case .fixedLength(let shape, let kind, let defaultValue?) = featureSpec {
                let expected = shape.reduce(1, *)
                guard shape.allSatisfy({ $0 >= 0 }), defaultValue.kind == kind, defaultValue.count == expected else {
                    throw ExampleError(.wrongCount, "default value must hold \(expected) \(ExampleParser.dtype(kind)) values for shape \(shape)",
                                       feature: name)
                }
            }
        }
        self.spec = spec
    }

    /// A builder that parses records one at a time (for borrowed records).
    /// - Returns: an empty builder for this spec.
    public func makeBuilder() -> ExampleBatchBuilder { ExampleBatchBuilder(spec: spec) }

    /// Parses a batch of records.
    /// - Parameters:
    ///   - records: serialized `tf.train.Example`s.
    ///   - firstRecordNumber: the number of `records[0]`, for errors (records are numbered on).
    /// - Returns: the columns, `records.count` rows each.
    /// - Throws: `ExampleError` naming the record (the lowest-numbered bad one) and the feature:
    ///   `.malformed`, `.missingFeature`, `.wrongKind`, `.wrongCount`.
    /// - Complexity: O(total size) on `min(maxThreads, records / 1024)` threads when the batch has
    ///   at least `parallelThreshold` records, else on the caller's.
    public func parse(_ records: [[UInt8]], firstRecordNumber: Int = 0) throws(ExampleError) -> ParsedBatch {
        let threads = records.count >= parallelThreshold ? max(1, min(maxThreads, records.count / 1024)) : 1
        if threads == 1 {
            var builder = makeBuilder()
            builder.expectedRecords = records.count
            builder.expectedBytes = records.reduce(0) { $0 + $1.count }
            for (i, record) in records.enumerated() { try builder.append(record, recordNumber: firstRecordNumber + i) }
            return builder.finish()
        }
        let parts = ResultSlots(count: threads)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let lower = records.count * t / threads, upper = records.count * (t + 1) / threads
            var builder = makeBuilder()
            builder.expectedRecords = upper - lower
            builder.expectedBytes = records[lower..<upper].reduce(0) { $0 + $1.count }
            do throws(ExampleError) {
                for i in lower..<upper { try builder.append(records[i], recordNumber: firstRecordNumber + i) }
                parts.set(t, .success(builder))
            } catch {
                parts.set(t, .failure(error))
            }
        }
        var builders: [ExampleBatchBuilder] = []
        for t in 0..<threads { builders.append(try parts.get(t).get()) }  // the first failure in record order
        return Self.join(builders)
    }

    /// Joins the columns of consecutive parts into one batch.
    static func join(_ parts: [ExampleBatchBuilder]) -> ParsedBatch {
        guard var first = parts.first else { return ParsedBatch(count: 0, columns: [:]) }
        for part in parts.dropFirst() {
            for c in first.columns.indices {
                let other = part.columns[c]
                let base = Int64(first.columns[c].valueCount)
                first.columns[c].floats.append(contentsOf: other.floats)
                first.columns[c].int64s.append(contentsOf: other.int64s)
                if first.columns[c].kind == .bytes {
                    let byteBase = Int64(first.columns[c].bytes.count)
                    first.columns[c].bytes.append(contentsOf: other.bytes)
                    first.columns[c].byteOffsets.append(contentsOf: other.byteOffsets.dropFirst().map { $0 + byteBase })
                }
                first.columns[c].rowOffsets.append(contentsOf: other.rowOffsets.dropFirst().map { $0 + base })
            }
            first.count += part.count
        }
        return first.finish()
    }
}

/// One result slot per thread, written once each inside `concurrentPerform`.
///
/// Unsafe boundary: the slots are raw memory (a Swift array in a class would be an exclusivity
/// violation when threads write different elements at once); each slot is written by exactly
/// one iteration and read after `concurrentPerform` returns, which orders the writes first.
final class ResultSlots: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Result<ExampleBatchBuilder, ExampleError>?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func set(_ i: Int, _ result: Result<ExampleBatchBuilder, ExampleError>) {
        precondition(i >= 0 && i < count)
        slots[i] = result
    }

    func get(_ i: Int) -> Result<ExampleBatchBuilder, ExampleError> { slots[i]! }
}
