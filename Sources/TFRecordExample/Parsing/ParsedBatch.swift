import TFRecord

/// A batch of records parsed into columns by `ExampleBatchParser`: one `FeatureColumn` per
/// feature of the spec (TensorFlow's `tf.io.parse_example` result).
public struct ParsedBatch: Sendable {
    /// The number of records.
    public let count: Int
    /// The columns by feature name (every feature of the spec).
    public let columns: [String: FeatureColumn]

    /// Creates a batch.
    public init(count: Int, columns: [String: FeatureColumn]) {
        self.count = count
        self.columns = columns
    }

    /// The column of feature `name`, or nil when the spec has no such feature.
    public subscript(name: String) -> FeatureColumn? { columns[name] }
}
