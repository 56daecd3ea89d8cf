import TFRecord

/// Encodes `Encodable` values as serialized `tf.train.Example`s, in the manner of
/// `JSONEncoder`.
///
/// The mapping (the same names `tfrecord import` gives JSON):
/// - integers → `int64_list` (a `UInt64` above `Int64.max` is an error), `Bool` → int64 0/1;
/// - `Float` → `float_list`; `Double` → `float_list` when it survives the trip through `Float`
///   (else an error, unless `doubleEncodingStrategy` is `.roundToFloat`);
/// - `String` (UTF-8), `Data`, `[UInt8]` → one value of `bytes_list`;
/// - arrays of those → the whole list (`[Data]`, `[String]` and `[[UInt8]]` make a bytes list);
/// - `Optional.none` → no feature; `RawRepresentable` enums → their raw value;
/// - a nested struct → features named `parent/child`.
///
/// ```swift
/// struct Annotation: Codable { var image: Data; var path: String; var area: Float
///                              var bbox: [Float]; var categoryID: Int64; var id: Int64; var imageID: Int64 }
/// var encoder = ExampleEncoder()
/// encoder.keyEncodingStrategy = .convertToSnakeCase       // categoryID → category_id
/// let record: [UInt8] = try encoder.encode(annotation)     // a record's payload
/// ```
public struct ExampleEncoder: Sendable {
    /// How property names become feature names.
    public enum KeyEncodingStrategy: Sendable {
        /// The property names as they are.
        case useDefaultKeys
        /// `categoryID` → `category_id` (JSONEncoder's conversion, per path component).
        case convertToSnakeCase
        /// Your function: it receives the coding path ending with the key, and returns the key
        /// whose `stringValue` is used (for that path component).
        case custom(@Sendable (_ codingPath: [any CodingKey]) -> any CodingKey)
    }

    /// What to do with a `Double` that a `Float` cannot hold exactly (`float_list` is 32-bit).
    public enum DoubleEncodingStrategy: Sendable {
        /// Throw `EncodingError.invalidValue` naming the coding path (the default).
        case throwIfInexact
        /// Round to the nearest `Float`.
        case roundToFloat
    }

    /// How property names become feature names; `.useDefaultKeys` by default.
    public var keyEncodingStrategy: KeyEncodingStrategy = .useDefaultKeys
    /// What to do with a `Double` that does not round-trip through `Float`.
    public var doubleEncodingStrategy: DoubleEncodingStrategy = .throwIfInexact
    /// The separator between a nested struct's name and its fields' names (`image/height`).
    public var nestingSeparator: String = "/"

    /// Creates an encoder with the default strategies.
    public init() {}

    /// Encodes `value` as a serialized `tf.train.Example` (a record's payload; keys sorted, as
    /// `Example.serialized()` writes them).
    /// - Parameter value: a value whose `encode(to:)` uses a keyed container at the top.
    /// - Returns: the serialized bytes.
    /// - Throws: `EncodingError.invalidValue` naming the coding path: a top level that is not
    ///   keyed, an inexact `Double`, an integer beyond `Int64`, a list mixing kinds, a list
    ///   of lists or of structs, a feature written twice.
    /// - Complexity: O(size of the value).
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        try encodeExample(value).serialized()
    }

    /// Encodes `value` as an `Example` (the owned model), for inspection or further edits.
    /// - Parameter value: the value.
    /// - Returns: the example.
    /// - Throws: as `encode(_:)`.
    public func encodeExample<T: Encodable>(_ value: T) throws -> Example {
        let state = ExampleEncodingState(options: self)
        let encoder = FeatureEncoder(state: state, codingPath: [], name: nil)
        if let direct = value as? any FeatureValueConvertible {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription:
                "a \(type(of: direct)) cannot be a whole tf.train.Example: encode a struct (a keyed container) at the top level"))
        }
        try value.encode(to: encoder)
        if let error = state.deferredError { throw error }
        guard encoder.usedTopLevelKeyedContainer else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription:
                "a tf.train.Example is a map of named features: the top level must encode a keyed container (a struct or a class), not a \(T.self)"))
        }
        return Example(state.features)
    }
}
