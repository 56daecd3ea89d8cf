import TFRecord
/// A `tf.train.Example`: the features of one record.
///
/// ```swift
/// let example: Example = [
///     "image": .bytes(jpegData),
///     "area": 367.89,
///     "bbox": [265.67, 99.2, 10.5, 8.0],
///     "category_id": 18,
/// ]
/// let payload = example.serialized()          // write it with RecordWriter
/// let back = try Example(serialized: payload)  // read it back
/// ```
public struct Example: Sendable, Hashable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// The features.
    public var features: Features

    /// Creates an example.
    /// - Parameter features: its features.
    public init(features: Features = Features()) {
        self.features = features
    }

    /// Creates an example from a dictionary of features.
    /// - Parameter features: the features by name.
    public init(_ features: [String: Feature]) {
        self.features = Features(features)
    }

    /// Creates an example from a dictionary literal of features.
    public init(dictionaryLiteral elements: (String, Feature)...) {
        features = Features(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// The feature named `name`, or `nil`; assigning `nil` removes it.
    public subscript(name: String) -> Feature? {
        get { features.feature[name] }
        set { features.feature[name] = newValue }
    }

    /// `Example{name: feature, ...}`.
    public var description: String { "Example\(features)" }
}
