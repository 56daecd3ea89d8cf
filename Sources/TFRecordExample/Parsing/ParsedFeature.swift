import TFRecord

/// One parsed feature: its values and the shape they fill (row-major), as TensorFlow returns a
/// dense tensor (`FixedLenFeature`) or the values of a sparse one (`VarLenFeature`, shape
/// `[count]`).
public struct ParsedFeature: Sendable, Hashable {
    /// The dimensions: the spec's shape, or `[count]` for a variable-length feature.
    public var shape: [Int]
    /// The values, of the spec's kind.
    public var values: Feature

    /// Creates a parsed feature.
    public init(shape: [Int], values: Feature) {
        self.shape = shape
        self.values = values
    }
}
