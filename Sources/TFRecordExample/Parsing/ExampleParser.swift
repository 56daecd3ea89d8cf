import TFRecord
/// TensorFlow's `tf.io.parse_single_example`: checks an example against a `feature_description`
/// and returns each described feature.
///
/// Rules (checked against TensorFlow 2.21): a missing feature, or one with no kind set, takes
/// the fixed-length default or is an error ("required but could not be found"; also with a
/// default when the shape holds no values, as TensorFlow's parser has it); a
/// variable-length one is then empty. A feature of another kind is an error ("Data types don't
/// match"); a fixed-length one with a count other than the shape's is an error. Features not
/// in the spec are ignored.
///
/// Where TensorFlow's own C++ parser reads a record differently from protobuf (several packed
/// runs in one list, a map entry with no value, unknown fixed32 fields... see the corpus's
/// `tf_parse_single_example_disagreements`), this parser follows protobuf: it sees the values
/// `Example(serialized:)` decodes. For records a protobuf library wrote (ours included) the
/// two agree.
public enum ExampleParser {
    /// Parses the features `spec` describes from a decoded example.
    /// - Parameters:
    ///   - example: the example.
    ///   - spec: the feature description.
    ///   - recordNumber: the record's number, for error messages.
    /// - Returns: every feature of `spec` by name.
    /// - Throws: `ExampleError` `.missingFeature`, `.wrongKind` or `.wrongCount` naming the feature.
    /// - Complexity: O(size of the described features).
    public static func parse(_ example: Example, spec: [String: FeatureSpec],
                             recordNumber: Int? = nil) throws(ExampleError) -> [String: ParsedFeature] {
        var result: [String: ParsedFeature] = [:]
        for (name, featureSpec) in spec {
            do throws(ExampleError) {
                result[name] = try resolve(example.features.feature[name], featureSpec, name)
            } catch {
                throw error.at(recordNumber: recordNumber, path: nil)
            }
        }
        return result
    }

    /// Parses the features `spec` describes straight from a record's bytes: each one is found
    /// with `ExampleView` (the others are skipped, not decoded) and copied out.
    /// - Parameters:
    ///   - serialized: the record's payload.
    ///   - spec: the feature description.
    ///   - recordNumber: the record's number, for error messages.
    /// - Returns: every feature of `spec` by name.
    /// - Throws: `ExampleError` `.malformed` (with the byte offset), `.missingFeature`,
    ///   `.wrongKind` or `.wrongCount` naming the feature.
    /// - Complexity: O(record size × features in `spec`) for the lookups.
    public static func parse(_ serialized: RawSpan, spec: [String: FeatureSpec],
                             recordNumber: Int? = nil) throws(ExampleError) -> [String: ParsedFeature] {
        var result: [String: ParsedFeature] = [:]
        let view = ExampleView(serialized)
        for (name, featureSpec) in spec {
            do throws(ExampleError) {
                let found = try view.feature(named: name)?.decoded()
                result[name] = try resolve(found, featureSpec, name)
            } catch {
                throw error.at(recordNumber: recordNumber, path: nil)
            }
        }
        return result
    }

    /// Parses from an array of bytes (see `parse(_:spec:recordNumber:)` for a `RawSpan`).
    public static func parse(_ serialized: [UInt8], spec: [String: FeatureSpec],
                             recordNumber: Int? = nil) throws(ExampleError) -> [String: ParsedFeature] {
        try parse(serialized.span.bytes, spec: spec, recordNumber: recordNumber)
    }

    /// TensorFlow's name for a kind (`string`, `float`, `int64`).
    static func dtype(_ kind: Feature.Kind) -> String {
        switch kind {
        case .bytes: return "string"
        case .float: return "float"
        case .int64: return "int64"
        case .none: return "none"
        }
    }

    static func empty(_ kind: Feature.Kind) -> Feature {
        switch kind {
        case .bytes: return .bytesList([])
        case .float: return .floatList([])
        case .int64: return .int64List([])
        case .none: return .none
        }
    }

    static func resolve(_ found: Feature?, _ spec: FeatureSpec, _ name: String) throws(ExampleError) -> ParsedFeature {
        guard spec.kind != .none else {
            throw ExampleError(.wrongKind, "a spec must ask for bytes, float or int64", feature: name)
        }
        let present = found.flatMap { $0.kind == .none ? nil : $0 }
        if let present, present.kind != spec.kind {
            throw ExampleError(.wrongKind, "Data types don't match. Expected type: \(dtype(spec.kind)), Actual type: \(dtype(present.kind))",
                               feature: name)
        }
        switch spec {
        case .variableLength(let kind):
            let values = present ?? empty(kind)
            return ParsedFeature(shape: [values.count], values: values)
        case .fixedLength(let shape, let kind, let defaultValue):
            let expected = shape.reduce(1, *)
            if let present {
                guard present.count == expected else {
                    throw ExampleError(.wrongCount, "Number of \(dtype(kind)) values != expected. Values size: \(present.count) but output shape: \(shape)",
                                       feature: name)
                }
                return ParsedFeature(shape: shape, values: present)
            }
            // TensorFlow: a default with no values (shape [0]) leaves the feature required.
            guard let defaultValue, expected > 0 else {
                throw ExampleError(.missingFeature, "Feature: \(name) (data type: \(dtype(kind))) is required but could not be found.",
                                   feature: name)
            }
            guard defaultValue.kind == kind, defaultValue.count == expected else {
                throw ExampleError(.wrongCount, "default value must hold \(expected) \(dtype(kind)) values for shape \(shape)",
                                   feature: name)
            }
            return ParsedFeature(shape: shape, values: defaultValue)
        }
    }
}

extension Example {
    /// Parses the features `spec` describes (TensorFlow's `parse_single_example`).
    /// - Parameter spec: the feature description.
    /// - Returns: every feature of `spec` by name.
    /// - Throws: `ExampleError` `.missingFeature`, `.wrongKind` or `.wrongCount` naming the feature.
    public func parse(spec: [String: FeatureSpec]) throws(ExampleError) -> [String: ParsedFeature] {
        try ExampleParser.parse(self, spec: spec)
    }
}
