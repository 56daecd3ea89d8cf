import TFRecord
/// Protobuf's canonical JSON mapping of `Example` and `SequenceExample`, both ways, as Python's
/// `json_format.MessageToJson(message, sort_keys=True)` writes it:
/// `{"features": {"feature": {"id": {"int64List": {"value": ["1"]}}}}}` — int64 values as
/// strings, bytes as base64, floats as the shortest text that reads back as the same float32
/// (`"NaN"`, `"Infinity"`, `"-Infinity"` for the specials), map keys sorted, an empty list as
/// `{}`, a feature with no kind as `{}`, non-ASCII escaped as `\uXXXX`.
///
/// An `Example` always writes `"features"` (as its wire encoding always writes the field), so an
/// empty example is `{"features": {}}`; `json_format` writes `{}` for a payload with no field.
/// JSON has a single NaN, so NaN payload bits (and the sign of a NaN) do not survive a JSON
/// round trip; every other float does, bit for bit.
public enum ExampleJSON {
    /// Layout of the JSON text.
    public enum Style: Sendable, Equatable {
        /// One line, no spaces: `{"features":{"feature":{...}}}` (JSON Lines).
        case compact
        /// One line with Python's separators `", "` and `": "` (`MessageToJson(indent=None)`).
        case python
        /// Indented by `indent` spaces per level, Python's layout (`MessageToJson`'s default is 2).
        case pretty(indent: Int)
    }

    // MARK: - Writing

    /// The JSON text of an `Example`.
    /// - Parameters:
    ///   - example: the example.
    ///   - style: the layout; `.pretty(indent: 2)` is `MessageToJson(sort_keys=True)`.
    /// - Returns: the JSON text (ASCII).
    public static func string(_ example: Example, style: Style = .pretty(indent: 2)) -> String {
        var writer = JSONWriter(style: style)
        write(example, &writer)
        return writer.text
    }

    /// Writes the JSON text of an `Example` in pieces of about 64 KiB, never holding it whole:
    /// what a record of hundreds of MB needs (`tfrecord cat --format json`).
    /// - Parameters:
    ///   - example: the example.
    ///   - style: the layout.
    ///   - sink: called with each piece, in order; the pieces concatenated are `string(example)`.
    /// - Complexity: O(text) time, O(64 KiB) memory beyond the example.
    public static func write(_ example: Example, style: Style = .pretty(indent: 2), to sink: @escaping (String) -> Void) {
        var writer = JSONWriter(style: style, sink: sink)
        write(example, &writer)
        writer.drain()
    }

    private static func write(_ example: Example, _ writer: inout JSONWriter) {
        writer.object([("features", { w in writeFeatures(example.features, &w) })])
    }

    /// The JSON text of a `SequenceExample`.
    /// - Parameters:
    ///   - example: the sequence example.
    ///   - style: the layout.
    /// - Returns: the JSON text (ASCII).
    public static func string(_ example: SequenceExample, style: Style = .pretty(indent: 2)) -> String {
        var writer = JSONWriter(style: style)
        write(example, &writer)
        return writer.text
    }

    /// Writes the JSON text of a `SequenceExample` in pieces of about 64 KiB (see
    /// `write(_:style:to:)` for an `Example`).
    /// - Parameters:
    ///   - example: the sequence example.
    ///   - style: the layout.
    ///   - sink: called with each piece, in order.
    /// - Complexity: O(text) time, O(64 KiB) memory beyond the example.
    public static func write(_ example: SequenceExample, style: Style = .pretty(indent: 2), to sink: @escaping (String) -> Void) {
        var writer = JSONWriter(style: style, sink: sink)
        write(example, &writer)
        writer.drain()
    }

    private static func write(_ example: SequenceExample, _ writer: inout JSONWriter) {
        var members: [(String, (inout JSONWriter) -> Void)] = []
        if !example.context.isEmpty {
            members.append(("context", { w in writeFeatures(example.context, &w) }))
        }
        if !example.featureLists.isEmpty {
            members.append(("featureLists", { w in
                w.object([("featureList", { w in
                    w.object(example.sortedListNames.map { name in
                        (name, { w in
                            let list = example.featureLists[name]!
                            if list.isEmpty {
                                w.object([])
                            } else {
                                w.object([("feature", { w in w.array(list.map { f in { w in writeFeature(f, &w) } }) })])
                            }
                        })
                    })
                })])
            }))
        }
        writer.object(members)
    }

    static func writeFeatures(_ features: Features, _ writer: inout JSONWriter) {
        if features.isEmpty { writer.object([]); return }
        writer.object([("feature", { w in
            w.object(features.sortedNames.map { name in (name, { w in writeFeature(features.feature[name]!, &w) }) })
        })])
    }

    static func writeFeature(_ feature: Feature, _ writer: inout JSONWriter) {
        let kindName: String
        let count: Int
        let value: (Int, inout JSONWriter) -> Void
        switch feature {
        case .none:
            writer.object([])
            return
        case .bytesList(let list):
            kindName = "bytesList"
            count = list.count
            value = { i, w in w.base64String(list[i]) }
        case .floatList(let list):
            kindName = "floatList"
            count = list.count
            value = { i, w in w.raw(FloatText.json(list[i])) }
        case .int64List(let list):
            kindName = "int64List"
            count = list.count
            value = { i, w in w.raw("\"\(list[i])\"") }
        }
        writer.object([(kindName, { w in
            if count == 0 {
                w.object([])
            } else {
                w.object([("value", { w in w.array(count: count, value) })])
            }
        })])
    }

    // MARK: - Reading

    /// Parses the JSON mapping of an `Example`.
    ///
    /// Accepts what protobuf's JSON parser accepts for it: `lowerCamelCase` or original field
    /// names, `null` for absent fields, int64 values as strings or integral numbers, floats as
    /// numbers or strings (`"NaN"`, `"Infinity"`, `"-Infinity"`), standard or URL-safe base64.
    /// - Parameter text: the JSON text.
    /// - Returns: the example.
    /// - Throws: `ExampleError.invalidJSON` naming the byte offset, for invalid JSON, unknown
    ///   fields, a feature with two kinds, or values of the wrong type or range.
    public static func example(from text: String) throws(ExampleError) -> Example {
        let root = try JSONValue.parse(Array(text.utf8))
        var example = Example()
        for (key, value, offset) in try members(root, 0, "Example") {
            switch key {
            case "features": example.features = try features(value, offset)
            default: throw unknown(key, "Example", offset)
            }
        }
        return example
    }

    /// Parses the JSON mapping of a `SequenceExample` (same rules as `example(from:)`).
    /// - Parameter text: the JSON text.
    /// - Returns: the sequence example.
    /// - Throws: `ExampleError.invalidJSON` naming the byte offset.
    public static func sequenceExample(from text: String) throws(ExampleError) -> SequenceExample {
        let root = try JSONValue.parse(Array(text.utf8))
        var result = SequenceExample()
        for (key, value, offset) in try members(root, 0, "SequenceExample") {
            switch key {
            case "context":
                result.context = try features(value, offset)
            case "featureLists", "feature_lists":
                for (listsKey, listsValue, listsOffset) in try members(value, offset, "FeatureLists") {
                    guard listsKey == "featureList" || listsKey == "feature_list" else {
                        throw unknown(listsKey, "FeatureLists", listsOffset)
                    }
                    for (name, listValue, listOffset) in try members(listsValue, listsOffset, "map") {
                        var list: [Feature] = []
                        for (fieldKey, fieldValue, fieldOffset) in try members(listValue, listOffset, "FeatureList") {
                            guard fieldKey == "feature" else { throw unknown(fieldKey, "FeatureList", fieldOffset) }
                            for (element, elementOffset) in try elements(fieldValue, fieldOffset) {
                                list.append(try feature(element, elementOffset))
                            }
                        }
                        result.featureLists[name] = list
                    }
                }
            default:
                throw unknown(key, "SequenceExample", offset)
            }
        }
        return result
    }

    static func invalid(_ detail: String, _ offset: Int) -> ExampleError {
        ExampleError(.invalidJSON, detail, byteOffset: offset)
    }

    static func unknown(_ key: String, _ message: String, _ offset: Int) -> ExampleError {
        invalid("unknown field \"\(key)\" in \(message)", offset)
    }

    /// The members of an object (`null` counts as an empty object).
    static func members(_ value: JSONValue, _ offset: Int, _ what: String) throws(ExampleError) -> [(key: String, value: JSONValue, offset: Int)] {
        switch value {
        case .object(let members): return members.filter { if case .null = $0.value { return false }; return true }
        case .null: return []
        default: throw invalid("expected an object for \(what)", offset)
        }
    }

    /// The elements of an array (`null` counts as empty).
    static func elements(_ value: JSONValue, _ offset: Int) throws(ExampleError) -> [(value: JSONValue, offset: Int)] {
        switch value {
        case .array(let elements): return elements
        case .null: return []
        default: throw invalid("expected an array", offset)
        }
    }

    static func features(_ value: JSONValue, _ offset: Int) throws(ExampleError) -> Features {
        var result = Features()
        for (key, mapValue, mapOffset) in try members(value, offset, "Features") {
            guard key == "feature" else { throw unknown(key, "Features", mapOffset) }
            for (name, featureValue, featureOffset) in try members(mapValue, mapOffset, "map") {
                result.feature[name] = try feature(featureValue, featureOffset)
            }
        }
        return result
    }

    static func feature(_ value: JSONValue, _ offset: Int) throws(ExampleError) -> Feature {
        var result = Feature.none
        var kindSet = false
        for (key, listValue, listOffset) in try members(value, offset, "Feature") {
            guard !kindSet else { throw invalid("a Feature with more than one kind (oneof set twice)", listOffset) }
            kindSet = true
            var values: [(value: JSONValue, offset: Int)] = []
            let kindName: String
            switch key {
            case "bytesList", "bytes_list": kindName = "bytes"
            case "floatList", "float_list": kindName = "float"
            case "int64List", "int64_list": kindName = "int64"
            default: throw unknown(key, "Feature", listOffset)
            }
            for (field, fieldValue, fieldOffset) in try members(listValue, listOffset, key) {
                guard field == "value" else { throw unknown(field, key, fieldOffset) }
                values = try elements(fieldValue, fieldOffset)
            }
            switch kindName {
            case "bytes":
                var list: [[UInt8]] = []
                for (element, elementOffset) in values {
                    guard case .string(let text) = element, let bytes = Base64.decode(text) else {
                        throw invalid("expected a base64 string", elementOffset)
                    }
                    list.append(bytes)
                }
                result = .bytesList(list)
            case "float":
                var list: [Float] = []
                for (element, elementOffset) in values { list.append(try float(element, elementOffset)) }
                result = .floatList(list)
            default:
                var list: [Int64] = []
                for (element, elementOffset) in values { list.append(try int64(element, elementOffset)) }
                result = .int64List(list)
            }
        }
        return result
    }

    static func float(_ value: JSONValue, _ offset: Int) throws(ExampleError) -> Float {
        let text: String
        switch value {
        case .number(let number): text = number
        case .string("NaN"): return .nan
        case .string("Infinity"): return .infinity
        case .string("-Infinity"): return -.infinity
        case .string(let string): text = string
        default: throw invalid("expected a number", offset)
        }
        guard let double = Double(text), double.isFinite else { throw invalid("invalid float \"\(text)\"", offset) }
        let result = Float(double)
        guard result.isFinite else { throw invalid("float out of range: \(text)", offset) }
        return result
    }

    static func int64(_ value: JSONValue, _ offset: Int) throws(ExampleError) -> Int64 {
        let text: String
        switch value {
        case .number(let number): text = number
        case .string(let string): text = string
        default: throw invalid("expected an integer", offset)
        }
        if let integer = Int64(text) { return integer }
        // Integral numbers written with a fraction or exponent ("1.0", "1e3") are accepted.
        if let double = Double(text), double.rounded() == double, double >= -9.223372036854775808e18,
           double < 9.223372036854775808e18 {
            return Int64(double)
        }
        throw invalid("invalid int64 \"\(text)\"", offset)
    }
}

extension Example {
    /// The protobuf JSON mapping of this example (see `ExampleJSON`).
    /// - Parameter style: the layout.
    /// - Returns: the JSON text.
    public func jsonString(style: ExampleJSON.Style = .pretty(indent: 2)) -> String {
        ExampleJSON.string(self, style: style)
    }

    /// Parses the protobuf JSON mapping of an example.
    /// - Parameter json: the JSON text.
    /// - Throws: `ExampleError.invalidJSON` naming the byte offset.
    public init(json: String) throws(ExampleError) {
        self = try ExampleJSON.example(from: json)
    }
}

extension SequenceExample {
    /// The protobuf JSON mapping of this sequence example (see `ExampleJSON`).
    /// - Parameter style: the layout.
    /// - Returns: the JSON text.
    public func jsonString(style: ExampleJSON.Style = .pretty(indent: 2)) -> String {
        ExampleJSON.string(self, style: style)
    }

    /// Parses the protobuf JSON mapping of a sequence example.
    /// - Parameter json: the JSON text.
    /// - Throws: `ExampleError.invalidJSON` naming the byte offset.
    public init(json: String) throws(ExampleError) {
        self = try ExampleJSON.sequenceExample(from: json)
    }
}
