import TFRecord
/// How to parse one feature, as TensorFlow's `tf.io.FixedLenFeature` / `tf.io.VarLenFeature`.
///
/// The dictionary `[name: FeatureSpec]` is TensorFlow's `feature_description`:
/// ```swift
/// let spec: [String: FeatureSpec] = [
///     "image/encoded": .fixedLen([], .bytes),
///     "image/object/bbox/xmin": .varLen(.float),
///     "label": .fixedLen([], .int64, defaultValue: .int64(-1)),
/// ]
/// let parsed = try ExampleParser.parse(payload, spec: spec)
/// ```
public enum FeatureSpec: Sendable, Hashable {
    /// Exactly `shape.reduce(1, *)` values of `kind` (a scalar for `[]`); `defaultValue` (with
    /// that many values) is used when the feature is missing or has no kind set — except for
    /// a shape that holds no values (`[0]`), which TensorFlow treats as required regardless.
    case fixedLength(shape: [Int], kind: Feature.Kind, defaultValue: Feature?)
    /// Any number of values of `kind`; none when the feature is missing or has no kind set.
    case variableLength(kind: Feature.Kind)

    /// TensorFlow's `tf.io.FixedLenFeature(shape, dtype, default_value)`.
    /// - Parameters:
    ///   - shape: the dimensions; `[]` for a scalar.
    ///   - kind: `.bytes` (tf.string), `.float` (tf.float32) or `.int64`.
    ///   - defaultValue: used when the feature is missing; must hold the shape's number of values.
    /// - Returns: the spec.
    public static func fixedLen(_ shape: [Int], _ kind: Feature.Kind, defaultValue: Feature? = nil) -> FeatureSpec {
        .fixedLength(shape: shape, kind: kind, defaultValue: defaultValue)
    }

    /// TensorFlow's `tf.io.VarLenFeature(dtype)`.
    /// - Parameter kind: `.bytes`, `.float` or `.int64`.
    /// - Returns: the spec.
    public static func varLen(_ kind: Feature.Kind) -> FeatureSpec { .variableLength(kind: kind) }

    /// The kind of values the spec asks for.
    public var kind: Feature.Kind {
        switch self {
        case .fixedLength(_, let kind, _), .variableLength(let kind): return kind
        }
    }
}
