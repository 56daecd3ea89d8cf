import TFRecord

/// The record being decoded, shared by every container of one `decode`.
///
/// Unsafe boundary: `bytes` is borrowed from the caller of `ExampleDecoder.decode` for the
/// duration of that call; nothing here outlives it (containers are not escaped by `init(from:)`
/// in practice, and values are copied out).
final class ExampleDecodingState {
    let bytes: UnsafeRawBufferPointer
    let table: FeatureTable
    let options: ExampleDecoder
    private var namesCache: [String]?

    init(bytes: UnsafeRawBufferPointer, table: FeatureTable, options: ExampleDecoder) {
        self.bytes = bytes
        self.table = table
        self.options = options
    }

    /// Every feature name in the record.
    var names: [String] {
        if let namesCache { return namesCache }
        let names = table.entries.indices.map { table.keyString($0, in: bytes) }
        namesCache = names
        return names
    }

    /// The values of feature `name`, checked; nil when the record has no such feature.
    func values(_ name: String, _ codingPath: [any CodingKey]) throws -> FeatureValues? {
        guard let i = table.find(name, in: bytes) else { return nil }
        do {
            return try FeatureValues(bytes, entry: table.entries[i].entry)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: error.description, underlyingError: error))
        }
    }

    /// Whether a feature is named `name` or starts with `name/` (a nested struct).
    func exists(_ name: String) -> Bool {
        if table.find(name, in: bytes) != nil { return true }
        let prefix = name + options.nestingSeparator
        return names.contains { $0.hasPrefix(prefix) }
    }

    /// The distinct first components of the names under `prefix` (all names when nil).
    func components(under prefix: String?) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        let start = prefix.map { $0 + options.nestingSeparator } ?? ""
        for name in names where name.hasPrefix(start) {
            let rest = name.dropFirst(start.count)
            let component = String(rest.split(separator: options.nestingSeparator, maxSplits: 1, omittingEmptySubsequences: false).first ?? rest)
            if seen.insert(component).inserted { result.append(component) }
        }
        return result
    }

    /// The feature name of property `key` under `parent`.
    func name(_ key: any CodingKey, codingPath: [any CodingKey], parent: String?) -> String {
        let component: String
        switch options.keyDecodingStrategy {
        case .useDefaultKeys: component = key.stringValue
        case .convertFromSnakeCase: component = SnakeCase.convert(key.stringValue)
        case .custom(let convert):
            // The component whose converted key is this property's key (or the key itself).
            component = components(under: parent).first {
                convert(codingPath + [NameKey($0)]).stringValue == key.stringValue
            } ?? key.stringValue
        }
        guard let parent else { return component }
        return parent + options.nestingSeparator + component
    }

    /// The property key for a feature name component (for `allKeys`).
    func key(forComponent component: String, codingPath: [any CodingKey]) -> String {
        switch options.keyDecodingStrategy {
        case .useDefaultKeys: return component
        case .convertFromSnakeCase: return SnakeCase.camel(component)
        case .custom(let convert): return convert(codingPath + [NameKey(component)]).stringValue
        }
    }
}

/// The `Decoder` for one position: the top level, a feature name, or one list element.
final class FeatureDecoder: Decoder {
    let state: ExampleDecodingState
    let codingPath: [any CodingKey]
    let name: String?
    let element: ScalarSource?
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(state: ExampleDecodingState, codingPath: [any CodingKey], name: String?, element: ScalarSource? = nil) {
        self.state = state
        self.codingPath = codingPath
        self.name = name
        self.element = element
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        if element != nil {
            throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription:
                "a list element is a single value, not a struct"))
        }
        return KeyedDecodingContainer(KeyedFeatureDecoder<Key>(state: state, codingPath: codingPath, prefix: name))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard element == nil, let name else {
            throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription:
                element != nil ? "a list element is a single value, not a list" : "the top level of a tf.train.Example is keyed, not a list"))
        }
        guard let values = try state.values(name, codingPath) else {
            throw DecodingError.valueNotFound([Any].self, .init(codingPath: codingPath, debugDescription:
                "the record has no feature '\(name)'"))
        }
        return UnkeyedFeatureDecoder(state: state, codingPath: codingPath, name: name, values: values)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleFeatureDecoder(decoder: self)
    }

    /// Decodes feature `name` as a `T`.
    static func decode<T: Decodable>(_ type: T.Type, state: ExampleDecodingState, codingPath: [any CodingKey],
                                     name: String, key: (any CodingKey)?) throws -> T {
        if let direct = T.self as? any FeatureValueConvertible.Type {
            guard let values = try state.values(name, codingPath) else {
                let description = "the record has no feature '\(name)'"
                if let key {
                    throw DecodingError.keyNotFound(key, .init(codingPath: codingPath.dropLast(), debugDescription: description))
                }
                throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: description))
            }
            return try direct.decodeFeature(values, state.bytes, codingPath) as! T
        }
        return try T(from: FeatureDecoder(state: state, codingPath: codingPath, name: name))
    }
}

struct KeyedFeatureDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let state: ExampleDecodingState
    let codingPath: [any CodingKey]
    let prefix: String?

    var allKeys: [Key] {
        state.components(under: prefix).compactMap { Key(stringValue: state.key(forComponent: $0, codingPath: codingPath)) }
    }

    private func name(_ key: Key) -> String { state.name(key, codingPath: codingPath, parent: prefix) }

    func contains(_ key: Key) -> Bool { state.exists(name(key)) }

    func decodeNil(forKey key: Key) throws -> Bool { !contains(key) }

    private func get<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
        try FeatureDecoder.decode(type, state: state, codingPath: codingPath + [key], name: name(key), key: key)
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try get(type, key) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try get(type, key) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try get(type, key) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try get(type, key) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try get(type, key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try get(type, key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try get(type, key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try get(type, key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try get(type, key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try get(type, key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try get(type, key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try get(type, key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try get(type, key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try get(type, key) }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try get(type, key) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        KeyedDecodingContainer(KeyedFeatureDecoder<NestedKey>(state: state, codingPath: codingPath + [key], prefix: name(key)))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try FeatureDecoder(state: state, codingPath: codingPath + [key], name: name(key)).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        let key = NameKey("super")
        return FeatureDecoder(state: state, codingPath: codingPath + [key], name: state.name(key, codingPath: codingPath, parent: prefix))
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        FeatureDecoder(state: state, codingPath: codingPath + [key], name: name(key))
    }
}

struct UnkeyedFeatureDecoder: UnkeyedDecodingContainer {
    let state: ExampleDecodingState
    let codingPath: [any CodingKey]
    let name: String
    private let elements: [ScalarSource]
    private(set) var currentIndex = 0

    init(state: ExampleDecodingState, codingPath: [any CodingKey], name: String, values: FeatureValues) {
        self.state = state
        self.codingPath = codingPath
        self.name = name
        let bytes = state.bytes
        switch values.kind {
        case .none: elements = []
        case .int64: elements = Array<Int64>(unsafeUninitializedCapacity: values.count) { buffer, n in
                if values.count > 0 { values.copyInt64s(bytes, to: buffer.baseAddress!) }
                n = values.count
            }.map { .int64($0) }
        case .float: elements = Array<Float>(unsafeUninitializedCapacity: values.count) { buffer, n in
                if values.count > 0 { values.copyFloats(bytes, to: buffer.baseAddress!) }
                n = values.count
            }.map { .float($0) }
        case .bytes:
            var ranges: [ScalarSource] = []
            values.forEachBytes(bytes) { ranges.append(.bytes(UnsafeRawBufferPointer(rebasing: bytes[$0]))) }
            elements = ranges
        }
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private mutating func next<T: Decodable>(_ type: T.Type) throws -> T {
        let path = codingPath + [IndexKey(currentIndex)]
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(type, .init(codingPath: path, debugDescription: "feature '\(name)' has only \(elements.count) values"))
        }
        let element = elements[currentIndex]
        let value: T
        if let scalar = T.self as? any FeatureScalar.Type {
            value = try scalar.decodeScalar(element, path) as! T
        } else {
            value = try T(from: FeatureDecoder(state: state, codingPath: path, name: name, element: element))
        }
        currentIndex += 1
        return value
    }

    mutating func decodeNil() throws -> Bool { false }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type) }
    mutating func decode(_ type: String.Type) throws -> String { try next(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        throw DecodingError.typeMismatch(type, .init(codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: "a list element is a single value, not a struct"))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: "a list element is a single value, not a list"))
    }

    mutating func superDecoder() throws -> any Decoder {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "a feature list has no super decoder"))
    }
}

struct SingleFeatureDecoder: SingleValueDecodingContainer {
    let decoder: FeatureDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool {
        guard decoder.element == nil, let name = decoder.name else { return false }
        return !decoder.state.exists(name)
    }

    private func get<T: Decodable>(_ type: T.Type) throws -> T {
        if let element = decoder.element {
            guard let scalar = T.self as? any FeatureScalar.Type else {
                throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "a list element is a number, a string or bytes, not a \(T.self)"))
            }
            return try scalar.decodeScalar(element, codingPath) as! T
        }
        guard let name = decoder.name else {
            throw DecodingError.typeMismatch(type, .init(codingPath: codingPath, debugDescription: "the top level of a tf.train.Example is keyed, not a single \(T.self)"))
        }
        return try FeatureDecoder.decode(type, state: decoder.state, codingPath: codingPath, name: name, key: nil)
    }

    func decode(_ type: Bool.Type) throws -> Bool { try get(type) }
    func decode(_ type: String.Type) throws -> String { try get(type) }
    func decode(_ type: Double.Type) throws -> Double { try get(type) }
    func decode(_ type: Float.Type) throws -> Float { try get(type) }
    func decode(_ type: Int.Type) throws -> Int { try get(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try get(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try get(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try get(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try get(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try get(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try get(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try get(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try get(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try get(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try get(type) }
}
