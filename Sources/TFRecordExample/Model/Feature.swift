import TFRecord
/// One feature of a `tf.train.Example`: a list of byte strings, of 32-bit floats or of 64-bit
/// integers, or no list at all (TensorFlow's `Feature` with its `kind` oneof unset).
///
/// Build one the way TensorFlow's tutorials do (`_bytes_feature`, `_float_feature`,
/// `_int64_feature`) with `.bytes(_:)`, `.float(_:)` and `.int64(_:)`, or with a literal in an
/// `Example`: `"area": 367.89`, `"bbox": [265.67, 2.0]`, `"id": 7`, `"label": "cat"`.
///
/// Equality compares floats by bit pattern, so NaN payloads and -0.0 survive a round trip and
/// compare equal to themselves.
public enum Feature: Sendable, Hashable, CustomStringConvertible {
    /// No list set (`Feature()` in TensorFlow).
    case none
    /// A `BytesList`.
    case bytesList([[UInt8]])
    /// A `FloatList`.
    case floatList([Float])
    /// An `Int64List`.
    case int64List([Int64])

    /// The kind of a feature's list.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// No list set.
        case none
        /// A list of byte strings.
        case bytes
        /// A list of 32-bit floats.
        case float
        /// A list of 64-bit integers.
        case int64
    }

    /// The kind of list this feature holds.
    public var kind: Kind {
        switch self {
        case .none: return .none
        case .bytesList: return .bytes
        case .floatList: return .float
        case .int64List: return .int64
        }
    }

    /// The number of values in the list (0 for `.none`).
    public var count: Int {
        switch self {
        case .none: return 0
        case .bytesList(let values): return values.count
        case .floatList(let values): return values.count
        case .int64List(let values): return values.count
        }
    }

    /// The byte strings, or `nil` when this is not a bytes list.
    public var bytesValues: [[UInt8]]? {
        if case .bytesList(let values) = self { return values }
        return nil
    }

    /// The floats, or `nil` when this is not a float list.
    public var floatValues: [Float]? {
        if case .floatList(let values) = self { return values }
        return nil
    }

    /// The integers, or `nil` when this is not an int64 list.
    public var int64Values: [Int64]? {
        if case .int64List(let values) = self { return values }
        return nil
    }

    // MARK: Tutorial-style helpers

    /// A bytes feature holding one byte string (TensorFlow's `_bytes_feature`).
    /// - Parameter value: the bytes, e.g. an encoded JPEG.
    /// - Returns: `.bytesList([value])`.
    public static func bytes(_ value: [UInt8]) -> Feature { .bytesList([value]) }

    /// A bytes feature holding several byte strings.
    /// - Parameter values: the byte strings.
    /// - Returns: `.bytesList(values)`.
    public static func bytes(_ values: [[UInt8]]) -> Feature { .bytesList(values) }

    /// A bytes feature holding the UTF-8 bytes of one string.
    /// - Parameter value: the text.
    /// - Returns: `.bytesList([Array(value.utf8)])`.
    public static func bytes(_ value: String) -> Feature { .bytesList([Array(value.utf8)]) }

    /// A bytes feature holding the UTF-8 bytes of several strings.
    /// - Parameter values: the texts.
    /// - Returns: a bytes list, one entry per string.
    public static func bytes(_ values: [String]) -> Feature { .bytesList(values.map { Array($0.utf8) }) }

    /// A float feature holding one value (TensorFlow's `_float_feature`).
    /// - Parameter value: the value.
    /// - Returns: `.floatList([value])`.
    public static func float(_ value: Float) -> Feature { .floatList([value]) }

    /// A float feature holding a list (TensorFlow's `_float_feature` on a list).
    /// - Parameter values: the values.
    /// - Returns: `.floatList(values)`.
    public static func float(_ values: [Float]) -> Feature { .floatList(values) }

    /// A float feature holding one value of any floating-point type, such as a `Double` from
    /// JSON (`.float(annotation.area)`), rounded to the nearest `Float` as TensorFlow stores it.
    /// - Parameter value: the value.
    /// - Returns: `.floatList([Float(value)])`.
    public static func float(_ value: some BinaryFloatingPoint) -> Feature { .floatList([Float(value)]) }

    /// A float feature holding a list of any floating-point type (`.float(bbox)` for `[Double]`),
    /// each value rounded to the nearest `Float`.
    /// - Parameter values: the values.
    /// - Returns: `.floatList(values.map(Float.init))`.
    /// - Complexity: O(values).
    public static func float<S: Sequence>(_ values: S) -> Feature where S.Element: BinaryFloatingPoint {
        .floatList(values.map { Float($0) })
    }

    /// An int64 feature holding one value (TensorFlow's `_int64_feature`).
    /// - Parameter value: the value.
    /// - Returns: `.int64List([value])`.
    public static func int64(_ value: Int64) -> Feature { .int64List([value]) }

    /// An int64 feature holding one value of any integer type (`.int64(categoryID)` for an
    /// `Int`, no cast).
    /// - Parameter value: the value; a value outside `Int64`'s range (a `UInt64` above
    ///   `Int64.max`) is a programmer error and traps.
    /// - Returns: `.int64List([Int64(value)])`.
    public static func int64(_ value: some BinaryInteger) -> Feature { .int64List([Int64(value)]) }

    /// An int64 feature holding a list.
    /// - Parameter values: the values.
    /// - Returns: `.int64List(values)`.
    public static func int64(_ values: [Int64]) -> Feature { .int64List(values) }

    /// An int64 feature holding a list of any integer type (`.int64(ids)` for `[Int]`).
    /// - Parameter values: the values; one outside `Int64`'s range traps.
    /// - Returns: `.int64List(values.map(Int64.init))`.
    /// - Complexity: O(values).
    public static func int64<S: Sequence>(_ values: S) -> Feature where S.Element: BinaryInteger {
        .int64List(values.map { Int64($0) })
    }

    // MARK: Equality by bit pattern

    /// Compares kinds and values; floats by bit pattern (NaN equals the same NaN, -0.0 is not 0.0).
    public static func == (lhs: Feature, rhs: Feature) -> Bool {
        switch (lhs, rhs) {
        case (.none, .none): return true
        case (.bytesList(let a), .bytesList(let b)): return a == b
        case (.int64List(let a), .int64List(let b)): return a == b
        case (.floatList(let a), .floatList(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
        default: return false
        }
    }

    /// Hashes the kind and the values (floats by bit pattern).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        switch self {
        case .none: break
        case .bytesList(let values): hasher.combine(values)
        case .int64List(let values): hasher.combine(values)
        case .floatList(let values): for value in values { hasher.combine(value.bitPattern) }
        }
    }

    /// A short description, e.g. `int64[1, 2]`, `float[0.5]`, `bytes[3 bytes]`, `none`.
    public var description: String {
        switch self {
        case .none: return "none"
        case .bytesList(let values): return "bytes[\(values.map { "\($0.count) bytes" }.joined(separator: ", "))]"
        case .floatList(let values): return "float\(values)"
        case .int64List(let values): return "int64\(values)"
        }
    }
}

/// One element of a `Feature` array literal: an integer, a float or a string.
///
/// `[1, 2]` makes an int64 list, `[1.5, 2]` a float list (any float makes all floats), and
/// `["a", "b"]` a bytes list. Mixing strings with numbers is a programmer error and traps.
public enum FeatureLiteralElement: Sendable, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByStringLiteral {
    /// An integer literal.
    case int64(Int64)
    /// A float literal.
    case float(Float)
    /// A string literal (its UTF-8 bytes).
    case string(String)

    /// Creates an integer element.
    public init(integerLiteral value: Int64) { self = .int64(value) }
    /// Creates a float element.
    public init(floatLiteral value: Float) { self = .float(value) }
    /// Creates a string element.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension Feature: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByArrayLiteral {
    /// `"id": 7` makes a one-value int64 list.
    public init(integerLiteral value: Int64) { self = .int64List([value]) }
    /// `"area": 367.89` makes a one-value float list.
    public init(floatLiteral value: Float) { self = .floatList([value]) }
    /// `"label": "cat"` makes a one-value bytes list of the UTF-8 bytes.
    public init(stringLiteral value: String) { self = .bytesList([Array(value.utf8)]) }

    /// `[1, 2]` makes an int64 list, `[265.67, 2]` a float list, `["a", "b"]` a bytes list,
    /// `[]` an empty float list.
    ///
    /// Traps when strings and numbers are mixed (a programmer error).
    public init(arrayLiteral elements: FeatureLiteralElement...) {
        var hasFloat = false, hasInt = false, hasString = false
        for element in elements {
            switch element {
            case .float: hasFloat = true
            case .int64: hasInt = true
            case .string: hasString = true
            }
        }
        precondition(!(hasString && (hasFloat || hasInt)), "a Feature literal cannot mix strings and numbers")
        if hasString {
            self = .bytesList(elements.map { if case .string(let s) = $0 { return Array(s.utf8) }; return [] })
        } else if hasInt && !hasFloat {
            self = .int64List(elements.map { if case .int64(let v) = $0 { return v }; return 0 })
        } else {
            self = .floatList(elements.map {
                switch $0 {
                case .float(let v): return v
                case .int64(let v): return Float(v)
                case .string: return 0
                }
            })
        }
    }
}
