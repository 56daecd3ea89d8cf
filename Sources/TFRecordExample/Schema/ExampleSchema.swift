import TFRecord

/// The schema of a set of `Example` (or `SequenceExample`) records: every feature name with its
/// kind and min/max value count, and the spec that parses them all.
///
/// ```swift
/// let schema = try ExampleSchema.infer(paths: ["train-00000-of-00004.tfrecord"])
/// for feature in schema.features { print(feature.name, feature.kind!, feature.minCount, feature.maxCount) }
/// ```
public struct ExampleSchema: Sendable {
    /// Records looked at.
    public private(set) var recordCount = 0
    /// Records that were `SequenceExample`s (their context counts as features).
    public private(set) var sequenceExampleCount = 0
    var featureMap: [String: FeatureSchema] = [:]
    var listMap: [String: FeatureListSchema] = [:]

    /// An empty schema; `add` records to it.
    public init() {}

    /// The features (of Examples, and the context of SequenceExamples), by name.
    public var features: [FeatureSchema] {
        featureMap.values.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// The feature lists of SequenceExamples, by name.
    public var featureLists: [FeatureListSchema] {
        listMap.values.sorted { $0.feature.name.utf8.lexicographicallyPrecedes($1.feature.name.utf8) }
    }

    /// Adds one example.
    /// - Parameter example: the example.
    public mutating func add(_ example: Example) {
        recordCount += 1
        addFeatures(example.features)
    }

    /// Adds one sequence example (its context as features, its lists as feature lists).
    /// - Parameter example: the sequence example.
    public mutating func add(_ example: SequenceExample) {
        recordCount += 1
        sequenceExampleCount += 1
        addFeatures(example.context)
        for (name, list) in example.featureLists {
            var entry = listMap[name] ?? FeatureListSchema(
                feature: FeatureSchema(name: name, kinds: [], minCount: .max, maxCount: 0, presentCount: 0),
                minSteps: .max, maxSteps: 0)
            entry.minSteps = min(entry.minSteps, list.count)
            entry.maxSteps = max(entry.maxSteps, list.count)
            for step in list {
                entry.feature.kinds.insert(step.kind)
                entry.feature.minCount = min(entry.feature.minCount, step.count)
                entry.feature.maxCount = max(entry.feature.maxCount, step.count)
            }
            entry.feature.presentCount += 1
            listMap[name] = entry
        }
    }

    mutating func addFeatures(_ features: Features) {
        for (name, feature) in features.feature {
            var entry = featureMap[name] ?? FeatureSchema(name: name, kinds: [], minCount: .max, maxCount: 0, presentCount: 0)
            entry.add(feature)
            featureMap[name] = entry
        }
    }

    /// Adds one record, detecting whether it is an Example or a SequenceExample.
    /// - Parameter payload: the record.
    /// - Throws: `ExampleError.malformed` when it is neither.
    public mutating func add(serialized payload: RawSpan) throws(ExampleError) {
        switch try ExampleRecords.detect(payload) {
        case .example: add(try Example(serialized: payload))
        case .sequenceExample: add(try SequenceExample(serialized: payload))
        }
    }

    /// Infers the schema of every record of `paths` (any compression).
    /// - Parameter paths: TFRecord files.
    /// - Returns: the schema.
    /// - Throws: `TFRecordError` for framing or I/O damage; `ExampleError` naming the file and
    ///   record for a record that is neither an Example nor a SequenceExample.
    /// - Complexity: O(total size).
    public static func infer(paths: [String]) throws -> ExampleSchema {
        var schema = ExampleSchema()
        for path in paths {
            try schema.add(recordsOf: RecordReader(path: path))
        }
        return schema
    }

    /// Adds every record `reader` has left (a local file or a stored object, any compression).
    /// - Parameter reader: the records to add.
    /// - Throws: `TFRecordError` for framing or I/O damage; `ExampleError` naming the reader's
    ///   path and the record for a record that is neither an Example nor a SequenceExample.
    /// - Complexity: O(size).
    public mutating func add(recordsOf reader: RecordReader) throws {
        let path = reader.path
        var schema = self
        defer { self = schema }
        try reader.forEachRecord { recordNumber, payload in
            do throws(ExampleError) {
                try schema.add(serialized: payload)
            } catch {
                throw error.at(recordNumber: recordNumber, path: path)
            }
        }
    }

    /// The spec as TensorFlow Python code, e.g. `tf.io.FixedLenFeature([], tf.int64)`.
    /// - Parameter spec: the spec.
    /// - Returns: the code.
    public static func pythonCode(_ spec: FeatureSpec) -> String {
        switch spec {
        case .fixedLength(let shape, let kind, _):
            return "tf.io.FixedLenFeature([\(shape.map(String.init).joined(separator: ", "))], \(dtype(kind)))"
        case .variableLength(let kind):
            return "tf.io.VarLenFeature(\(dtype(kind)))"
        }
    }

    /// TensorFlow's dtype for a kind (`tf.string`, `tf.float32`, `tf.int64`).
    static func dtype(_ kind: Feature.Kind) -> String {
        switch kind {
        case .bytes: return "tf.string"
        case .float: return "tf.float32"
        case .int64, .none: return "tf.int64"
        }
    }

    /// One line per feature: `name  kind  min  max  present/records  spec`, with a header line.
    /// Feature names are untrusted: control characters in them are escaped as in `json`
    /// (`\n`, `\u001b`), so a name cannot break the table or reach the terminal raw.
    public var table: String {
        var rows = [["name", "kind", "min", "max", "present", "spec"]]
        for feature in features {
            let kind = feature.kind?.rawValue ?? (feature.kinds.subtracting([.none]).isEmpty ? "none" : "mixed")
            let spec = feature.suggestedSpec(recordCount: recordCount).map(Self.pythonCode) ?? "-"
            rows.append([PrintableText.escaping(feature.name), kind, "\(feature.presentCount == 0 ? 0 : feature.minCount)", "\(feature.maxCount)",
                         "\(feature.presentCount)/\(recordCount)", spec])
        }
        for list in featureLists {
            let kind = list.feature.kind?.rawValue ?? "none"
            rows.append(["\(PrintableText.escaping(list.feature.name)) (list: \(list.minSteps)-\(list.maxSteps) steps)", kind,
                         "\(list.feature.minCount == .max ? 0 : list.feature.minCount)", "\(list.feature.maxCount)",
                         "\(list.feature.presentCount)/\(recordCount)",
                         list.feature.kind.map { "tf.io.RaggedFeature(\(Self.dtype($0)))" } ?? "-"])
        }
        let widths = (0..<6).map { column in rows.map { $0[column].count }.max()! }
        return rows.map { row in
            row.enumerated().map { i, cell in i == 5 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count) }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// The schema as one JSON object:
    /// `{"records": N, "features": [{"name", "kind", "kinds", "min_count", "max_count", "present", "spec"}], "feature_lists": [...]}`.
    public var json: String {
        var writer = JSONWriter(style: .compact)
        func featureMembers(_ feature: FeatureSchema, spec: String?) -> [(String, (inout JSONWriter) -> Void)] {
            [
                ("name", { $0.string(feature.name) }),
                ("kind", { w in if let kind = feature.kind { w.string(kind.rawValue) } else { w.raw("null") } }),
                ("kinds", { w in w.array(feature.kinds.map(\.rawValue).sorted().map { k in { $0.string(k) } }) }),
                ("min_count", { $0.raw("\(feature.presentCount == 0 || feature.minCount == .max ? 0 : feature.minCount)") }),
                ("max_count", { $0.raw("\(feature.maxCount)") }),
                ("present", { $0.raw("\(feature.presentCount)") }),
                ("spec", { w in if let spec { w.string(spec) } else { w.raw("null") } }),
            ]
        }
        writer.object([
            ("records", { $0.raw("\(recordCount)") }),
            ("features", { w in
                w.array(features.map { feature in { w in
                    w.object(featureMembers(feature, spec: feature.suggestedSpec(recordCount: recordCount).map(Self.pythonCode)))
                } })
            }),
            ("feature_lists", { w in
                w.array(featureLists.map { list in { w in
                    w.object(featureMembers(list.feature, spec: nil) + [
                        ("min_steps", { $0.raw("\(list.minSteps)") }),
                        ("max_steps", { $0.raw("\(list.maxSteps)") }),
                    ])
                } })
            }),
        ])
        return writer.text
    }
}
