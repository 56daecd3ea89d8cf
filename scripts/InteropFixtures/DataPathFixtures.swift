// The data path's fixtures (issue 17), for scripts/tf_interop_codable.sh and
// scripts/tf_interop_parse_batch.sh.
import Foundation
@testable import TFRecord
@testable import TFRecordExample
@testable import TFRecordTestSupport

/// Records made by `ExampleEncoder` (the seed's `Annotation`, and edge values) and the values
/// they were made from (computed from the Swift values, not from our bytes), in
/// `DIR/annotations.tfrecord`, `DIR/edges.tfrecord` and `DIR/expected.json`.
struct CodableFixtures {
    struct Edges: Codable {
        var floats: [Float]
        var ints: [Int64]
        var names: [String]
        var empty: [Float]
        var maybe: Int64?
        var nested: Inner
        struct Inner: Codable { var depth: Int64; var label: String }
    }

    static func write(to out: String) throws {
        var encoder = ExampleEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let hex = { (f: Float) in String(format: "%08x", f.bitPattern) }
        var annotations: [[String: Any]] = []
        let writer = try RecordWriter(path: out + "/annotations.tfrecord")
        for i in 0..<300 {
            let a = Annotation.sample(i)
            try writer.write(try encoder.encode(a))
            annotations.append(["image_b64": a.image.base64EncodedString(), "path": a.path, "area": hex(a.area),
                                "bbox": a.bbox.map(hex), "category_id": a.categoryID, "id": a.id, "image_id": a.imageID])
        }
        try writer.close()
        var edges: [[String: Any]] = []
        let edgeWriter = try RecordWriter(path: out + "/edges.tfrecord")
        let specials: [Float] = [.nan, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        for i in 0..<12 {
            let e = Edges(floats: Array(specials.prefix(i % 7)), ints: [.min, .max, 0, -1].suffix(i % 5),
                          names: (0..<(i % 3)).map { "n\($0)ü" }, empty: [], maybe: i % 2 == 0 ? nil : Int64(i),
                          nested: .init(depth: Int64(i), label: "l\(i)"))
            try edgeWriter.write(try encoder.encode(e))
            edges.append(["floats": e.floats.map(hex), "ints": e.ints.map(String.init), "names": e.names,
                          "maybe": e.maybe.map { [String($0)] } ?? [], "depth": e.nested.depth, "label": e.nested.label])
        }
        try edgeWriter.close()
        let json = try JSONSerialization.data(withJSONObject: ["annotations": annotations, "edges": edges], options: [.sortedKeys])
        try json.write(to: URL(fileURLWithPath: out + "/expected.json"))
    }
}

/// What `ExampleBatchParser` gives for every conformance Example file (all its records as one
/// batch) under `CorpusSpecs`' three specs, and for made-up batches with one bad record: the
/// columns, or the error (record, feature, kind), in `DIR/batches.json`. Records the manifest
/// lists under `tf_parse_single_example_disagreements` (TensorFlow's C++ parser departs from
/// protobuf there; see `ExampleParser`) are left out of the batch.
struct BatchParseFixtures {
    static func describe(_ spec: [String: FeatureSpec]) -> [String: Any] {
        spec.mapValues { s -> Any in
            switch s {
            case .variableLength(let kind): return ["type": "var", "kind": kind.rawValue]
            case .fixedLength(let shape, let kind, let defaultValue):
                var d: [String: Any] = ["type": "fixed", "kind": kind.rawValue, "shape": shape]
                if let defaultValue { d["default"] = values(defaultValue) }
                return d
            }
        }
    }

    static func values(_ feature: Feature) -> [String] {
        switch feature {
        case .none: return []
        case .int64List(let v): return v.map { String($0) }
        case .floatList(let v): return v.map { String(format: "%08x", $0.bitPattern) }
        case .bytesList(let v): return v.map { Data($0).base64EncodedString() }
        }
    }

    static func result(_ parser: ExampleBatchParser, _ records: [[UInt8]]) -> [String: Any] {
        do {
            let batch = try parser.parse(records)
            var columns: [String: Any] = [:]
            for (name, column) in batch.columns {
                columns[name] = ["values": (0..<batch.count).map { values(column.feature(ofRecord: $0)) },
                                 "shape": column.shape]
            }
            return ["columns": columns]
        } catch {
            return ["error": ["record": error.recordNumber ?? -1, "feature": error.feature ?? "", "kind": error.kind.rawValue]]
        }
    }

    static func write(to out: String) throws {
        var entries: [[String: Any]] = []
        for file in Manifest.exampleFiles {
            let payloads = try file.payloads()
            let skipped = Set((file.raw["tf_parse_single_example_disagreements"] as? [[String: Any]] ?? []).map { $0["record_index"] as! Int })
            let kept = payloads.indices.filter { !skipped.contains($0) }
            let records = kept.map { payloads[$0] }
            let examples = try records.map { try Example(serialized: $0) }
            for spec in CorpusSpecs.specs(examples) where !spec.isEmpty {
                entries.append(["file": file.fullPath, "compression": file.compression, "records": kept,
                                "spec": Self.describe(spec), "result": Self.result(try ExampleBatchParser(spec: spec), records)])
            }
        }
        // Made-up batches with one bad record each, written as files.
        let spec: [String: FeatureSpec] = ["bbox": .fixedLen([4], .float), "id": .fixedLen([], .int64),
                                           "name": .fixedLen([], .bytes, defaultValue: .bytes("x")), "tags": .varLen(.bytes)]
        let good: Example = ["bbox": [1, 2, 3, 4.5], "id": 1, "tags": .bytes(["a", "b"])]
        let bad: [Example] = [["bbox": [1, 2, 3.5], "id": 1], ["bbox": [1, 2, 3, 4.5]], ["bbox": [1, 2, 3, 4.5], "id": 1.5],
                              ["bbox": [1, 2, 3, 4.5], "id": 1, "tags": [1, 2]], ["bbox": [1, 2, 3, 4.5], "id": 1, "name": 3]]
        for (k, example) in bad.enumerated() {
            let path = out + "/bad-\(k).tfrecord"
            var records = Array(repeating: good.serialized(), count: 5)
            records.insert(example.serialized(), at: 2 + k % 3)
            let writer = try RecordWriter(path: path)
            for record in records { try writer.write(record) }
            try writer.close()
            entries.append(["file": path, "compression": "", "records": Array(records.indices), "spec": Self.describe(spec),
                            "result": Self.result(try ExampleBatchParser(spec: spec), records)])
        }
        let json = try JSONSerialization.data(withJSONObject: entries, options: [.sortedKeys])
        try json.write(to: URL(fileURLWithPath: out + "/batches.json"))
    }
}
