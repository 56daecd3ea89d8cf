import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample

/// JSON Lines and COCO import: value kinds, nesting, file fields, kind conflicts, shards.
@Suite struct ImportTests {
    static func tempDir() throws -> String {
        let dir = Scratch.path("import")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func jsonValuesBecomeFeatures() throws {
        let converter = JSONConverter()
        let example = try converter.example(fromJSON: Array(#"{"id": 7, "area": 367.89, "bbox": [265.67, 1, 2, 3], "name": "cat", "tags": ["a", "b"], "crowd": true, "none": null, "image": {"height": 480, "size": [1.5]}, "poly": [[1, 2], [3.5, 4]], "big": -9223372036854775808}"#.utf8), recordNumber: 0, source: "t")
        #expect(example["id"] == .int64List([7]))
        #expect(example["area"] == .floatList([367.89]))
        #expect(example["bbox"] == .floatList([265.67, 1, 2, 3]))
        #expect(example["name"] == .bytesList([Array("cat".utf8)]))
        #expect(example["tags"] == .bytesList([Array("a".utf8), Array("b".utf8)]))
        #expect(example["crowd"] == .int64List([1]))
        #expect(example["none"] == nil)
        #expect(example["image/height"] == .int64List([480]))
        #expect(example["image/size"] == .floatList([1.5]))
        #expect(example["poly"] == .floatList([1, 2, 3.5, 4]))
        #expect(example["big"] == .int64List([Int64.min]))
    }

    @Test func kindConflictsAreReportedWithBothRecords() throws {
        let converter = JSONConverter()
        _ = try converter.example(fromJSON: Array(#"{"area": 1.5}"#.utf8), recordNumber: 0, source: "in.jsonl")
        do {
            _ = try converter.example(fromJSON: Array(#"{"area": 2}"#.utf8), recordNumber: 1, source: "in.jsonl")
            Issue.record("an int64 after a float must be reported")
        } catch {
            #expect(error.kind == .invalidArgument && error.recordNumber == 1 && error.path == "in.jsonl")
            #expect(error.detail.contains("\"area\" is int64 in record 1 but float in record 0"))
        }
        #expect(throws: TFRecordError.self) {
            _ = try converter.example(fromJSON: Array(#"{"mixed": [1, "a"]}"#.utf8), recordNumber: 2, source: "in.jsonl")
        }
        #expect(throws: TFRecordError.self) {
            _ = try converter.example(fromJSON: Array(#"[1, 2]"#.utf8), recordNumber: 3, source: "in.jsonl")
        }
        #expect(throws: TFRecordError.self) {
            _ = try converter.example(fromJSON: Array(#"{"a": "#.utf8), recordNumber: 4, source: "in.jsonl")
        }
    }

    @Test func jsonLinesWithFileFieldIntoShards() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/img", withIntermediateDirectories: true)
        var lines: [String] = []
        for i in 0..<25 {
            let bytes = Data((0..<(i * 10)).map { UInt8(($0 + i) & 0xff) })
            try bytes.write(to: URL(fileURLWithPath: dir + "/img/\(i).bin"))
            lines.append(#"{"id": \#(i), "path": "\#(i).bin", "score": \#(Double(i) + 0.25)}"#)
        }
        try (lines.joined(separator: "\n") + "\n\n").write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        let writer = try ShardWriter(options: ShardWriterOptions(directory: dir + "/out", recordsPerShard: 10))
        let count = try ExampleImport.run(input: dir + "/in.jsonl", format: .jsonLines,
                                          converter: JSONConverter(fileField: "path", root: dir + "/img"), writer: writer)
        let shards = try writer.finish()
        #expect(count == 25)
        #expect(shards.map(\.recordCount) == [10, 10, 5])
        var i = 0
        for shard in shards {
            for payload in try MappedFile(path: shard.path).allRecords() {
                let example = try Example(serialized: payload.span.bytes)
                #expect(example["id"] == .int64List([Int64(i)]))
                #expect(example["score"] == .floatList([Float(Double(i) + 0.25)]))
                #expect(example["path"] == .bytesList([(0..<(i * 10)).map { UInt8(($0 + i) & 0xff) }]))
                i += 1
            }
        }
        #expect(i == 25)
    }

    @Test func missingFileIsAnIOErrorNamingTheRecord() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"{"image": "missing.png"}"#.write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        let writer = try ShardWriter(options: ShardWriterOptions(directory: dir + "/out", recordsPerShard: 10))
        do {
            try ExampleImport.run(input: dir + "/in.jsonl", format: .jsonLines,
                                  converter: JSONConverter(fileField: "image", root: dir), writer: writer)
            Issue.record("a missing file must be reported")
        } catch {
            #expect(error.kind == .io && error.recordNumber == 0 && error.path == dir + "/missing.png")
        }
        writer.abandon()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out").isEmpty)
    }

    @Test func cocoSampleImportsOneRecordPerAnnotation() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/make_coco_sample.py").path
        let made = try CLIHarness.shell("python3 '\(script)' '\(dir)/sample' 6 2")
        #expect(made.code == 0, "\(made.stderr)")
        let r = CLIHarness.run(["import", dir + "/sample/annotations.json", "--output", dir + "/shards",
                                "--root", dir + "/sample/images", "--records-per-shard", "5", "--compression", "gzip", "--quiet"])
        #expect(r.code == 0, "\(r.stderr)")
        let coco = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/sample/annotations.json"))) as! [String: Any]
        let annotations = coco["annotations"] as! [[String: Any]]
        let images = Dictionary(uniqueKeysWithValues: (coco["images"] as! [[String: Any]]).map { ($0["id"] as! Int, $0) })
        let shards = try ShardPaths.expand([dir + "/shards"])
        #expect(shards.count == 3)
        var records: [[UInt8]] = []
        for shard in shards { records += try RecordReader(path: shard).allRecords() }
        #expect(records.count == annotations.count)
        for (payload, annotation) in zip(records, annotations) {
            let example = try Example(serialized: payload.span.bytes)
            let image = images[annotation["image_id"] as! Int]!
            #expect(example["id"] == .int64List([Int64(annotation["id"] as! Int)]))
            #expect(example["bbox"] == .floatList((annotation["bbox"] as! [Double]).map { Float($0) }))
            #expect(example["image/width"] == .int64List([Int64(image["width"] as! Int)]))
            let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/sample/images/" + (image["file_name"] as! String))))
            #expect(example["image"] == .bytesList([file]))
        }
    }
}
