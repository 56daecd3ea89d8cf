import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample

/// Writes, for `scripts/tf_interop_parse_batch.sh`, what `ExampleBatchParser` gives for every
/// conformance Example file (all its records as one batch) under three specs made from the file
/// (var-length, fixed-length, fixed-length with defaults), and for made-up batches with one bad
/// record: the columns, or the error (record, feature, kind). Records the manifest lists under
/// `tf_parse_single_example_disagreements` (TensorFlow's C++ parser departs from protobuf there;
/// see `ExampleParser`) are left out of the batch. Runs only when `TFRECORD_INTEROP_OUT` is set.
@Suite struct BatchParseInteropExport {
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

    @Test func exportBatchParses() throws {
        guard let out = ProcessInfo.processInfo.environment["TFRECORD_INTEROP_OUT"] else { return }
        var entries: [[String: Any]] = []
        for file in Manifest.exampleFiles {
            guard let payloads = try file.payloadsIfReadable() else { continue }
            let skipped = Set((file.raw["tf_parse_single_example_disagreements"] as? [[String: Any]] ?? []).map { $0["record_index"] as! Int })
            let kept = payloads.indices.filter { !skipped.contains($0) }
            let records = kept.map { payloads[$0] }
            let examples = try records.map { try Example(serialized: $0) }
            for spec in ExampleBatchParserTests.specs(examples) where !spec.isEmpty {
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
