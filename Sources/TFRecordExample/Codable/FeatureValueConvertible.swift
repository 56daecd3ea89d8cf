import TFRecord

/// One value of a feature's list, as the Codable coders see it.
enum ScalarValue {
    case int64(Int64)
    case float(Float)
    case bytes([UInt8])
}

/// A value read from a list, for decoding one element (bytes borrowed from the record).
enum ScalarSource {
    case int64(Int64)
    case float(Float)
    case bytes(UnsafeRawBufferPointer)

    var kind: Feature.Kind {
        switch self {
        case .int64: return .int64
        case .float: return .float
        case .bytes: return .bytes
        }
    }
}

/// A type that is one value of a feature list: the integers, `Bool`, `Float`, `Double`,
/// `String`, `Data` and `[UInt8]`.
protocol FeatureScalar {
    /// The kind of list that holds it.
    static var featureKind: Feature.Kind { get }
    /// The value to store.
    func scalarValue(_ options: ExampleEncoder, _ codingPath: [any CodingKey]) throws -> ScalarValue
    /// The value read from a list of `featureKind`.
    static func decodeScalar(_ source: ScalarSource, _ codingPath: [any CodingKey]) throws -> Self
}

/// A type that is a whole feature: a scalar (a list of one) or an array of scalars (a list).
protocol FeatureValueConvertible {
    /// The feature for this value.
    func feature(_ options: ExampleEncoder, _ codingPath: [any CodingKey]) throws -> Feature
    /// The value read from a found feature (checked).
    static func decodeFeature(_ values: FeatureValues, _ bytes: UnsafeRawBufferPointer,
                              _ codingPath: [any CodingKey]) throws -> Self
}

enum CodableErrors {
    static func kindMismatch<T>(_ type: T.Type, _ found: Feature.Kind, _ path: [any CodingKey]) -> DecodingError {
        DecodingError.typeMismatch(type, .init(codingPath: path, debugDescription:
            "feature '\(featureName(path))' is a \(ExampleParser.dtype(found)) list, which cannot hold a \(type)"))
    }

    static func featureName(_ path: [any CodingKey]) -> String {
        path.map(\.stringValue).joined(separator: "/")
    }
}

extension FeatureScalar {
    func feature(_ options: ExampleEncoder, _ codingPath: [any CodingKey]) throws -> Feature {
        var builder = FeatureListBuilder()
        try builder.append(scalarValue(options, codingPath), codingPath)
        return builder.feature(kind: Self.featureKind)
    }

    static func decodeFeature(_ values: FeatureValues, _ bytes: UnsafeRawBufferPointer,
                              _ codingPath: [any CodingKey]) throws -> Self {
        try decodeSingle(values, bytes, codingPath)
    }

    /// The one value of a feature that must hold exactly one.
    static func decodeSingle(_ values: FeatureValues, _ bytes: UnsafeRawBufferPointer,
                             _ codingPath: [any CodingKey]) throws -> Self {
        guard values.kind == featureKind else {
            if values.kind == .none {
                throw DecodingError.valueNotFound(Self.self, .init(codingPath: codingPath, debugDescription:
                    "feature '\(CodableErrors.featureName(codingPath))' has no list set (kind none); expected one \(ExampleParser.dtype(featureKind)) value"))
            }
            throw CodableErrors.kindMismatch(Self.self, values.kind, codingPath)
        }
        guard values.count == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription:
                "feature '\(CodableErrors.featureName(codingPath))' holds \(values.count) values; a \(Self.self) needs exactly 1"))
        }
        switch featureKind {
        case .int64:
            var value: Int64 = 0
            values.copyInt64s(bytes, to: &value)
            return try decodeScalar(.int64(value), codingPath)
        case .float:
            var value: Float = 0
            values.copyFloats(bytes, to: &value)
            return try decodeScalar(.float(value), codingPath)
        default:
            var range = 0..<0
            values.forEachBytes(bytes) { range = $0 }
            return try decodeScalar(.bytes(UnsafeRawBufferPointer(rebasing: bytes[range])), codingPath)
        }
    }
}

/// Builds one list, checking that every value has the same kind.
struct FeatureListBuilder {
    var kind: Feature.Kind = .none
    var ints: [Int64] = []
    var floats: [Float] = []
    var bytes: [[UInt8]] = []

    mutating func append(_ value: ScalarValue, _ codingPath: [any CodingKey]) throws {
        let valueKind: Feature.Kind
        switch value {
        case .int64(let v): valueKind = .int64; ints.append(v)
        case .float(let v): valueKind = .float; floats.append(v)
        case .bytes(let v): valueKind = .bytes; bytes.append(v)
        }
        if kind == .none { kind = valueKind }
        guard kind == valueKind else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription:
                "a feature list holds one kind of value: this \(ExampleParser.dtype(valueKind)) value follows \(ExampleParser.dtype(kind)) values"))
        }
    }

    /// The list; `kind` names the kind of an empty list (`.none` when unknown).
    func feature(kind emptyKind: Feature.Kind) -> Feature {
        switch kind == .none ? emptyKind : kind {
        case .none: return .none
        case .int64: return .int64List(ints)
        case .float: return .floatList(floats)
        case .bytes: return .bytesList(bytes)
        }
    }
}

// MARK: - Integers

extension FeatureScalar where Self: FixedWidthInteger {
    static var featureKind: Feature.Kind { .int64 }

    func scalarValue(_ options: ExampleEncoder, _ codingPath: [any CodingKey]) throws -> ScalarValue {
        guard let value = Int64(exactly: self) else {
            throw EncodingError.invalidValue(self, .init(codingPath: codingPath, debugDescription:
                "\(self) does not fit the int64 of an int64_list"))
        }
        return .int64(value)
    }

    static func decodeScalar(_ source: ScalarSource, _ codingPath: [any CodingKey]) throws -> Self {
        guard case .int64(let value) = source else { throw CodableErrors.kindMismatch(Self.self, source.kind, codingPath) }
        guard let exact = Self(exactly: value) else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription:
                "feature '\(CodableErrors.featureName(codingPath))': \(value) does not fit a \(Self.self)"))
        }
        return exact
    }
}

extension Int: FeatureScalar, FeatureValueConvertible {}
extension Int8: FeatureScalar, FeatureValueConvertible {}
extension Int16: FeatureScalar, FeatureValueConvertible {}
extension Int32: FeatureScalar, FeatureValueConvertible {}
extension Int64: FeatureScalar, FeatureValueConvertible {}
extension UInt: FeatureScalar, FeatureValueConvertible {}
extension UInt8: FeatureScalar, FeatureValueConvertible {}
extension UInt16: FeatureScalar, FeatureValueConvertible {}
extension UInt32: FeatureScalar, FeatureValueConvertible {}
extension UInt64: FeatureScalar, FeatureValueConvertible {}

extension Bool: FeatureScalar, FeatureValueConvertible {
    static var featureKind: Feature.Kind { .int64 }

    func scalarValue(_ options: ExampleEncoder, _ codingPath: [any CodingKey]) throws -> ScalarValue { .int64(self ? 1 : 0) }

    static func decodeScalar(_ source: ScalarSource, _ codingPath: [any CodingKey]) throws -> Bool {
        guard case .int64(let value) = source else { throw CodableErrors.kindMismatch(Bool.self, source.kind, codingPath) }
        guard value == 0 || value == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription:
                "feature '\(CodableErrors.featureName(codingPath))': \(value) is not a Bool (0 or 1)"))
        }
        return value == 1
    }
}

// MARK: - Floating point

extension Float: FeatureScalar, FeatureValueConvertible {
    static var featureKind: Feature.Kind { .float }

    func scalarValue(_ options: ExampleEncoder, _ codingPath: [any CodingKey]) throws -> ScalarValue { .float(self) }

    static func decodeScalar(_ source: ScalarSource, _ codingPath: [any CodingKey]) throws -> Float {
        guard case .float(let value) = source else { throw CodableErrors.kindMismatch(Float.self, source.kind, codingPath) }
        return value
    }
}

extension Double: FeatureScalar, FeatureValueConvertible {
    static var featureKind: Feature.Kind { .float }

    func scalarValue(_ options: ExampleEncoder, _ codingPath: [any CodingKey]) throws -> ScalarValue {
        let narrowed = Float(self)
        if case .throwIfInexact = options.doubleEncodingStrategy, !isNaN, Double(narrowed) != self {
            throw EncodingError.invalidValue(self, .init(codingPath: codingPath, debugDescription:
                "the Double \(self) does not round-trip through the 32-bit Float of a float_list (it would become \(narrowed)); use a Float, or set doubleEncodingStrategy = .roundToFloat"))
        }
        return .float(narrowed)
    }

    static func decodeScalar(_ source: ScalarSource, _ codingPath: [any CodingKey]) throws -> Double {
        guard case .float(let value) = source else { throw CodableErrors.kindMismatch(Double.self, source.kind, codingPath) }
        return Double(value)
    }
}

// MARK: - Bytes

extension String: FeatureScalar, FeatureValueConvertible {
    static var featureKind: Feature.Kind { .bytes }

    func scalarValue(_ options: ExampleEncoder, _ codingPath: [any CodingKey]) throws -> ScalarValue { .bytes(Array(utf8)) }

    static func decodeScalar(_ source: ScalarSource, _ codingPath: [any CodingKey]) throws -> String {
        guard case .bytes(let raw) = source else { throw CodableErrors.kindMismatch(String.self, source.kind, codingPath) }
        let bytes = raw.bindMemory(to: UInt8.self)
        if bytes.isEmpty { return "" }
        if WireReader.isASCII(bytes) { return String(decoding: bytes, as: UTF8.self) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription:
                "feature '\(CodableErrors.featureName(codingPath))': the bytes are not valid UTF-8, so they are not a String (decode them as Data or [UInt8])"))
        }
        return text
    }
}

extension Array: FeatureScalar where Element == UInt8 {
    static var featureKind: Feature.Kind { .bytes }

    func scalarValue(_ options: ExampleEncoder, _ codingPath: [any CodingKey]) throws -> ScalarValue { .bytes(self) }

    static func decodeScalar(_ source: ScalarSource, _ codingPath: [any CodingKey]) throws -> [UInt8] {
        guard case .bytes(let raw) = source else { throw CodableErrors.kindMismatch([UInt8].self, source.kind, codingPath) }
        return [UInt8](raw)
    }
}

// MARK: - Lists

extension Array: FeatureValueConvertible where Element: FeatureScalar {
    func feature(_ options: ExampleEncoder, _ codingPath: [any CodingKey]) throws -> Feature {
        // [UInt8] is one byte string (as Data is), not a list of integers.
        // (Type checks, not `as?`: an empty array casts to an array of any type.)
        if Element.self == UInt8.self { return .bytesList([self as! [UInt8]]) }
        if Element.self == Float.self { return .floatList(self as! [Float]) }
        if Element.self == Int64.self { return .int64List(self as! [Int64]) }
        var builder = FeatureListBuilder()
        for (i, element) in enumerated() {
            try builder.append(element.scalarValue(options, codingPath + [IndexKey(i)]), codingPath + [IndexKey(i)])
        }
        return builder.feature(kind: Element.featureKind)
    }

    static func decodeFeature(_ values: FeatureValues, _ bytes: UnsafeRawBufferPointer,
                              _ codingPath: [any CodingKey]) throws -> [Element] {
        if Element.self == UInt8.self {
            return try [UInt8].decodeSingle(values, bytes, codingPath) as! [Element]
        }
        if values.kind == .none { return [] }  // no list set: an empty list of any kind
        guard values.kind == Element.featureKind else { throw CodableErrors.kindMismatch([Element].self, values.kind, codingPath) }
        let count = values.count
        switch values.kind {
        case .float:
            let floats = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0 { values.copyFloats(bytes, to: buffer.baseAddress!) }
                initialized = count
            }
            if Element.self == Float.self { return floats as! [Element] }
            return try floats.enumerated().map { try Element.decodeScalar(.float($1), codingPath + [IndexKey($0)]) }
        case .int64:
            let ints = [Int64](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0 { values.copyInt64s(bytes, to: buffer.baseAddress!) }
                initialized = count
            }
            if Element.self == Int64.self { return ints as! [Element] }
            return try ints.enumerated().map { try Element.decodeScalar(.int64($1), codingPath + [IndexKey($0)]) }
        default:
            var ranges: [Range<Int>] = []
            ranges.reserveCapacity(count)
            values.forEachBytes(bytes) { ranges.append($0) }
            return try ranges.enumerated().map {
                try Element.decodeScalar(.bytes(UnsafeRawBufferPointer(rebasing: bytes[$1])), codingPath + [IndexKey($0)])
            }
        }
    }
}

/// A list position in a coding path.
struct IndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ index: Int) { stringValue = "Index \(index)"; intValue = index }
    init?(stringValue: String) { self.stringValue = stringValue; intValue = nil }
    init?(intValue: Int) { self.init(intValue) }
}

/// A path component made from a string (the custom key strategy's keys, `super`).
struct NameKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}
