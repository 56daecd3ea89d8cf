import TFRecord

/// The features of the example being encoded, shared by every container of one `encode`.
final class ExampleEncodingState {
    let options: ExampleEncoder
    var features: [String: Feature] = [:]
    /// The first error a container could not throw when it was made (a non-throwing API).
    var deferredError: EncodingError?

    init(options: ExampleEncoder) { self.options = options }

    func set(_ name: String, _ feature: Feature, _ codingPath: [any CodingKey]) throws {
        guard features.updateValue(feature, forKey: name) == nil else {
            throw EncodingError.invalidValue(feature, .init(codingPath: codingPath, debugDescription:
                "feature '\(name)' is written twice (two coding paths give the same feature name)"))
        }
    }

    /// The feature name of `key` under `parent` (nil at the top): `parent/key`, with the key
    /// strategy applied to the key.
    func name(_ key: any CodingKey, codingPath: [any CodingKey], parent: String?) -> String {
        let component: String
        switch options.keyEncodingStrategy {
        case .useDefaultKeys: component = key.stringValue
        case .convertToSnakeCase: component = SnakeCase.convert(key.stringValue)
        case .custom(let convert): component = convert(codingPath + [key]).stringValue
        }
        guard let parent else { return component }
        return parent + options.nestingSeparator + component
    }

    func fail(_ error: EncodingError) {
        if deferredError == nil { deferredError = error }
    }
}

/// The `Encoder` for one position: the top level, a feature name (a nested struct's prefix or
/// a feature), or one element of a list.
final class FeatureEncoder: Encoder {
    let state: ExampleEncodingState
    let codingPath: [any CodingKey]
    /// The feature name (nil at the top level).
    let name: String?
    /// Set when encoding one element of a list (an enum's raw value in `[Enum]`).
    let list: FeatureListBox?
    var usedTopLevelKeyedContainer = false
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(state: ExampleEncodingState, codingPath: [any CodingKey], name: String?, list: FeatureListBox? = nil) {
        self.state = state
        self.codingPath = codingPath
        self.name = name
        self.list = list
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if list != nil {
            state.fail(.invalidValue(type, .init(codingPath: codingPath, debugDescription:
                "a list element cannot be a struct: a tf.train.Example has no lists of messages (encode parallel arrays, one per field)")))
        }
        usedTopLevelKeyedContainer = true
        return KeyedEncodingContainer(KeyedFeatureEncoder<Key>(state: state, codingPath: codingPath, prefix: name))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if name == nil || list != nil {
            state.fail(.invalidValue([Any](), .init(codingPath: codingPath, debugDescription: list != nil
                ? "a list element cannot be a list: a feature is a flat list (flatten it, and store the shape in another feature)"
                : "the top level of a tf.train.Example must be keyed (a struct), not a list")))
        }
        return UnkeyedFeatureEncoder(state: state, codingPath: codingPath, name: name ?? "", box: FeatureListBox())
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleFeatureEncoder(encoder: self)
    }

    /// Encodes `value` as the feature `name` (a scalar, a list, an enum, a nested struct).
    static func encode<T: Encodable>(_ value: T, state: ExampleEncodingState, codingPath: [any CodingKey], name: String) throws {
        if let direct = value as? any FeatureValueConvertible {
            try state.set(name, direct.feature(state.options, codingPath), codingPath)
        } else {
            let encoder = FeatureEncoder(state: state, codingPath: codingPath, name: name)
            try value.encode(to: encoder)
            if let error = state.deferredError { throw error }
        }
    }
}

/// A list being built by an unkeyed container (shared with element encoders).
final class FeatureListBox {
    var builder = FeatureListBuilder()
}

struct KeyedFeatureEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let state: ExampleEncodingState
    let codingPath: [any CodingKey]
    let prefix: String?

    private func put<T: Encodable>(_ value: T, _ key: Key) throws {
        try FeatureEncoder.encode(value, state: state, codingPath: codingPath + [key],
                                  name: state.name(key, codingPath: codingPath, parent: prefix))
    }

    mutating func encodeNil(forKey key: Key) throws {}  // an absent feature
    mutating func encode(_ value: Bool, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: String, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try put(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try put(value, key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try put(value, key) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(KeyedFeatureEncoder<NestedKey>(state: state, codingPath: codingPath + [key],
                                                              prefix: state.name(key, codingPath: codingPath, parent: prefix)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        UnkeyedFeatureEncoder(state: state, codingPath: codingPath + [key],
                              name: state.name(key, codingPath: codingPath, parent: prefix), box: FeatureListBox())
    }

    mutating func superEncoder() -> any Encoder {
        let key = NameKey("super")
        return FeatureEncoder(state: state, codingPath: codingPath + [key], name: state.name(key, codingPath: codingPath, parent: prefix))
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        FeatureEncoder(state: state, codingPath: codingPath + [key], name: state.name(key, codingPath: codingPath, parent: prefix))
    }
}

struct UnkeyedFeatureEncoder: UnkeyedEncodingContainer {
    let state: ExampleEncodingState
    let codingPath: [any CodingKey]
    let name: String
    let box: FeatureListBox
    private(set) var count = 0

    init(state: ExampleEncodingState, codingPath: [any CodingKey], name: String, box: FeatureListBox) {
        self.state = state
        self.codingPath = codingPath
        self.name = name
        self.box = box
        // An empty list is still a feature (of unknown kind until a value arrives).
        state.features[name] = state.features[name] ?? Feature.none
    }

    private mutating func append<T: Encodable>(_ value: T) throws {
        let path = codingPath + [IndexKey(count)]
        if let scalar = value as? any FeatureScalar {
            try box.builder.append(scalar.scalarValue(state.options, path), path)
        } else if value is any FeatureValueConvertible {
            throw EncodingError.invalidValue(value, .init(codingPath: path, debugDescription:
                "a list element cannot be a list: a feature is a flat list (flatten it, and store the shape in another feature)"))
        } else {
            let element = FeatureEncoder(state: state, codingPath: path, name: name, list: box)
            try value.encode(to: element)
            if let error = state.deferredError { throw error }
        }
        count += 1
        state.features[name] = box.builder.feature(kind: .none)
    }

    mutating func encodeNil() throws {
        throw EncodingError.invalidValue(Optional<Int>.none as Any, .init(codingPath: codingPath + [IndexKey(count)], debugDescription:
            "a feature list cannot hold nil"))
    }
    mutating func encode(_ value: Bool) throws { try append(value) }
    mutating func encode(_ value: String) throws { try append(value) }
    mutating func encode(_ value: Double) throws { try append(value) }
    mutating func encode(_ value: Float) throws { try append(value) }
    mutating func encode(_ value: Int) throws { try append(value) }
    mutating func encode(_ value: Int8) throws { try append(value) }
    mutating func encode(_ value: Int16) throws { try append(value) }
    mutating func encode(_ value: Int32) throws { try append(value) }
    mutating func encode(_ value: Int64) throws { try append(value) }
    mutating func encode(_ value: UInt) throws { try append(value) }
    mutating func encode(_ value: UInt8) throws { try append(value) }
    mutating func encode(_ value: UInt16) throws { try append(value) }
    mutating func encode(_ value: UInt32) throws { try append(value) }
    mutating func encode(_ value: UInt64) throws { try append(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try append(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        state.fail(.invalidValue(keyType, .init(codingPath: codingPath + [IndexKey(count)], debugDescription:
            "a list element cannot be a struct: a tf.train.Example has no lists of messages (encode parallel arrays, one per field)")))
        return KeyedEncodingContainer(KeyedFeatureEncoder<NestedKey>(state: state, codingPath: codingPath, prefix: name + "/\(count)"))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        state.fail(.invalidValue([Any](), .init(codingPath: codingPath + [IndexKey(count)], debugDescription:
            "a list element cannot be a list: a feature is a flat list (flatten it, and store the shape in another feature)")))
        return UnkeyedFeatureEncoder(state: state, codingPath: codingPath, name: name + "/\(count)", box: FeatureListBox())
    }

    mutating func superEncoder() -> any Encoder {
        state.fail(.invalidValue([Any](), .init(codingPath: codingPath, debugDescription: "a feature list has no super encoder")))
        return FeatureEncoder(state: state, codingPath: codingPath, name: name, list: box)
    }
}

struct SingleFeatureEncoder: SingleValueEncodingContainer {
    let encoder: FeatureEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    private func put<T: Encodable>(_ value: T) throws {
        if let list = encoder.list {
            guard let scalar = value as? any FeatureScalar else {
                throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription:
                    "a list element must be a number, a string or bytes"))
            }
            try list.builder.append(scalar.scalarValue(encoder.state.options, codingPath), codingPath)
            return
        }
        guard let name = encoder.name else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription:
                "the top level of a tf.train.Example must be keyed (a struct), not a single \(T.self)"))
        }
        try FeatureEncoder.encode(value, state: encoder.state, codingPath: codingPath, name: name)
    }

    mutating func encodeNil() throws {
        if encoder.list != nil {
            throw EncodingError.invalidValue(Optional<Int>.none as Any, .init(codingPath: codingPath, debugDescription: "a feature list cannot hold nil"))
        }
    }
    mutating func encode(_ value: Bool) throws { try put(value) }
    mutating func encode(_ value: String) throws { try put(value) }
    mutating func encode(_ value: Double) throws { try put(value) }
    mutating func encode(_ value: Float) throws { try put(value) }
    mutating func encode(_ value: Int) throws { try put(value) }
    mutating func encode(_ value: Int8) throws { try put(value) }
    mutating func encode(_ value: Int16) throws { try put(value) }
    mutating func encode(_ value: Int32) throws { try put(value) }
    mutating func encode(_ value: Int64) throws { try put(value) }
    mutating func encode(_ value: UInt) throws { try put(value) }
    mutating func encode(_ value: UInt8) throws { try put(value) }
    mutating func encode(_ value: UInt16) throws { try put(value) }
    mutating func encode(_ value: UInt32) throws { try put(value) }
    mutating func encode(_ value: UInt64) throws { try put(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try put(value) }
}
