import TFRecord

/// Decodes `Decodable` values from serialized `tf.train.Example`s, in the manner of
/// `JSONDecoder`; the inverse of `ExampleEncoder` (same mapping, same `parent/child` names).
///
/// Decoding reads through the record's bytes: one pass finds every feature's map entry, then
/// each property reads its own feature's values straight from the record (no intermediate
/// `Example`). Features the type does not ask for are skipped, not decoded.
///
/// ```swift
/// var decoder = ExampleDecoder()
/// decoder.keyDecodingStrategy = .convertFromSnakeCase   // category_id → categoryID
/// try reader.forEachRecord { number, payload in
///     let annotation = try decoder.decode(Annotation.self, from: payload, recordNumber: number)
/// }
/// ```
public struct ExampleDecoder: Sendable {
    /// How property names are found among feature names.
    public enum KeyDecodingStrategy: Sendable {
        /// The property names as they are.
        case useDefaultKeys
        /// The property `categoryID` reads the feature `category_id`. Unlike `JSONDecoder`
        /// (which converts the data's keys to camel case, so `image_id` never matches
        /// `imageID`), the property name is converted with `ExampleEncoder`'s snake-case rule,
        /// so whatever `.convertToSnakeCase` writes is read back.
        case convertFromSnakeCase
        /// Your function: it receives the coding path ending with a feature name's component
        /// (as found in the record), and returns the property key it stands for.
        case custom(@Sendable (_ codingPath: [any CodingKey]) -> any CodingKey)
    }

    /// How property names are found among feature names; `.useDefaultKeys` by default.
    public var keyDecodingStrategy: KeyDecodingStrategy = .useDefaultKeys
    /// The separator between a nested struct's name and its fields' names (`image/height`).
    public var nestingSeparator: String = "/"

    /// Creates a decoder with the default strategies.
    public init() {}

    /// Decodes a `T` from a serialized example (a record's payload).
    /// - Parameters:
    ///   - type: the type to decode.
    ///   - bytes: the serialized `tf.train.Example`.
    ///   - recordNumber: the record's number, named in errors when given.
    /// - Returns: the value.
    /// - Throws: `DecodingError` naming the coding path (and the record): `.keyNotFound` for a
    ///   missing feature, `.typeMismatch` for a list of another kind, `.dataCorrupted` for a
    ///   scalar whose feature does not hold exactly one value, a value out of range, a String
    ///   that is not UTF-8, or bytes that are not wire format (its `underlyingError` is the
    ///   `ExampleError` with the byte offset).
    /// - Complexity: O(record size) for the walk of the map entries, plus the values read.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], recordNumber: Int? = nil) throws -> T {
        try bytes.withUnsafeBytes { try decode(type, unsafeBytes: $0, recordNumber: recordNumber) }
    }

    /// Decodes a `T` from a record's payload, borrowed (see `decode(_:from:recordNumber:)`).
    public func decode<T: Decodable>(_ type: T.Type, from bytes: RawSpan, recordNumber: Int? = nil) throws -> T {
        try bytes.withUnsafeBytes { try decode(type, unsafeBytes: $0, recordNumber: recordNumber) }
    }

    /// Decodes a `T` from the bytes an `ExampleView` borrows (see `decode(_:from:recordNumber:)`).
    public func decode<T: Decodable>(_ type: T.Type, from view: ExampleView, recordNumber: Int? = nil) throws -> T {
        try view.bytes.withUnsafeBytes { try decode(type, unsafeBytes: $0, recordNumber: recordNumber) }
    }

    /// The one implementation; `bytes` is borrowed for the call only.
    func decode<T: Decodable>(_ type: T.Type, unsafeBytes bytes: UnsafeRawBufferPointer, recordNumber: Int?) throws -> T {
        let table: FeatureTable
        do {
            table = try FeatureTable(bytes)
        } catch {
            let named = error.at(recordNumber: recordNumber, path: nil)
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: named.description, underlyingError: named))
        }
        let state = ExampleDecodingState(bytes: bytes, table: table, options: self)
        do {
            return try T(from: FeatureDecoder(state: state, codingPath: [], name: nil))
        } catch let error as DecodingError {
            guard let recordNumber else { throw error }
            throw error.naming(recordNumber: recordNumber)
        }
    }
}

extension DecodingError {
    /// The same error with "record N: " before its description.
    func naming(recordNumber: Int) -> DecodingError {
        func named(_ context: Context) -> Context {
            Context(codingPath: context.codingPath, debugDescription: "record \(recordNumber): " + context.debugDescription,
                    underlyingError: context.underlyingError)
        }
        switch self {
        case .typeMismatch(let type, let context): return .typeMismatch(type, named(context))
        case .valueNotFound(let type, let context): return .valueNotFound(type, named(context))
        case .keyNotFound(let key, let context): return .keyNotFound(key, named(context))
        case .dataCorrupted(let context):
            if context.debugDescription.hasPrefix("record ") { return self }
            return .dataCorrupted(named(context))
        @unknown default: return self
        }
    }
}
