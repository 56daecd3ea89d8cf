import TFRecord
/// A `tf.train.SequenceExample`: context features plus named lists of features (one `Feature` per
/// time step).
public struct SequenceExample: Sendable, Hashable, CustomStringConvertible {
    /// Features that hold for the whole sequence.
    public var context: Features
    /// The feature lists by name (TensorFlow's `FeatureLists.feature_list`), each a list of
    /// features, one per step.
    public var featureLists: [String: [Feature]]

    /// Creates a sequence example.
    /// - Parameters:
    ///   - context: features of the whole sequence.
    ///   - featureLists: per-step features by name.
    public init(context: Features = Features(), featureLists: [String: [Feature]] = [:]) {
        self.context = context
        self.featureLists = featureLists
    }

    /// The feature-list names in ascending (byte-wise) order.
    public var sortedListNames: [String] {
        featureLists.keys.sorted(by: ExampleWireEncoder.byteOrder)
    }

    /// `SequenceExample(context: ..., featureLists: ...)`.
    public var description: String {
        let lists = sortedListNames.map { "\($0): \(featureLists[$0]!)" }.joined(separator: ", ")
        return "SequenceExample(context: \(context), featureLists: {\(lists)})"
    }
}
