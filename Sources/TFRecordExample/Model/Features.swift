import TFRecord
/// A map from feature name to `Feature`: TensorFlow's `tf.train.Features`.
///
/// Build one from a dictionary literal: `["area": 367.89, "image": .bytes(jpeg)]`.
public struct Features: Sendable, Hashable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// The features by name.
    public var feature: [String: Feature]

    /// Creates features from a dictionary.
    /// - Parameter feature: the features by name.
    public init(_ feature: [String: Feature] = [:]) {
        self.feature = feature
    }

    /// Creates features from a dictionary literal; a repeated key keeps the last value.
    public init(dictionaryLiteral elements: (String, Feature)...) {
        feature = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    /// The feature named `name`, or `nil`; assigning `nil` removes it.
    public subscript(name: String) -> Feature? {
        get { feature[name] }
        set { feature[name] = newValue }
    }

    /// The feature names in ascending (byte-wise) order, the order the encoder writes them in.
    public var sortedNames: [String] { feature.keys.sorted(by: ExampleWireEncoder.byteOrder) }

    /// `true` when there is no feature.
    public var isEmpty: Bool { feature.isEmpty }

    /// The number of features.
    public var count: Int { feature.count }

    /// `{name: feature, ...}` in name order.
    public var description: String {
        "{" + sortedNames.map { "\($0): \(feature[$0]!)" }.joined(separator: ", ") + "}"
    }
}
