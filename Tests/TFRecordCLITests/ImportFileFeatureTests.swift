import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample

/// `tfrecord import` can make the tutorial's records ("image bytes + path string") with
/// `--file-field path:image`, and reads a JSON array (issue 19, item 6).
@Suite struct ImportFileFeatureTests {
    /// A folder with `images/<i>.jpg` (distinct bytes) for i in 0..<n.
    static func imagesFolder(_ n: Int) throws -> String {
        let dir = try Scratch.folder("import-ff")
        try FileManager.default.createDirectory(atPath: dir + "/images", withIntermediateDirectories: true)
        for i in 0..<n {
            try Data(Self.image(i)).write(to: URL(fileURLWithPath: dir + "/images/\(i).jpg"))
        }
        return dir
    }

    static func image(_ i: Int) -> [UInt8] { [0xff, 0xd8, 0xff, 0xe0] + (0..<(i * 7 + 3)).map { UInt8(($0 * 31 + i) & 0xff) } }

    /// Every Example in the shards of `folder`, in order.
    static func examples(_ folder: String) throws -> [Example] {
        var examples: [Example] = []
        let dataset = try Dataset(paths: [folder])
        for i in 0..<dataset.count { examples.append(try Example(serialized: dataset.record(at: i))) }
        return examples
    }

    @Test func fileFieldWithAFeatureNameKeepsThePathAndAddsTheBytes() throws {
        let dir = try Self.imagesFolder(5)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = (0..<5).map { #"{"id": \#($0), "path": "\#($0).jpg"}"# }
        try lines.joined(separator: "\n").write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        let r = CLIHarness.run(["import", dir + "/in.jsonl", "--output", dir + "/out", "--file-field", "path:image",
                                "--root", dir + "/images", "--records-per-shard", "2", "--compression", "gzip", "--quiet"])
        #expect(r.code == 0, "\(r.stderr)")
        let examples = try Self.examples(dir + "/out")
        #expect(examples.count == 5)
        for (i, example) in examples.enumerated() {
            #expect(example["path"]?.string == "\(i).jpg")
            #expect(example["image"]?.bytes == Self.image(i))
            #expect(example["id"]?.int64 == Int64(i))
            #expect(example.features.count == 3)
        }

        // Without a feature name the field is replaced, as before.
        let replaced = CLIHarness.run(["import", dir + "/in.jsonl", "--output", dir + "/out2", "--file-field", "path",
                                       "--root", dir + "/images", "--records-per-shard", "10", "--quiet"])
        #expect(replaced.code == 0, "\(replaced.stderr)")
        let plain = try Self.examples(dir + "/out2")
        #expect(plain.map { $0["path"]?.bytes } == (0..<5).map { Self.image($0) })
        #expect(plain.allSatisfy { $0["image"] == nil })
    }

    @Test func cocoWithPathAndImage() throws {
        let dir = try Self.imagesFolder(2)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let coco = #"""
        {"images": [{"id": 10, "file_name": "0.jpg", "height": 480}, {"id": 11, "file_name": "1.jpg", "height": 640}],
         "annotations": [{"id": 1, "image_id": 10, "area": 1.5}, {"id": 2, "image_id": 11, "area": 2.5}, {"id": 3, "image_id": 10, "area": 3.5}]}
        """#
        try coco.write(toFile: dir + "/annotations.json", atomically: true, encoding: .utf8)
        let r = CLIHarness.run(["import", dir + "/annotations.json", "--output", dir + "/out", "--file-field", "path:image",
                                "--root", dir + "/images", "--records-per-shard", "10", "--quiet"])
        #expect(r.code == 0, "\(r.stderr)")
        let examples = try Self.examples(dir + "/out")
        #expect(examples.map { $0["path"]?.string } == ["0.jpg", "1.jpg", "0.jpg"])
        #expect(examples.map { $0["image"]?.bytes } == [Self.image(0), Self.image(1), Self.image(0)])
        #expect(examples.map { $0["area"]?.float } == [1.5, 2.5, 3.5])
        #expect(examples.map { $0["image/height"]?.int64 } == [480, 640, 480])
    }

    @Test func aFeatureNameThatIsAlsoAFieldIsRefused() throws {
        let dir = try Self.imagesFolder(1)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"{"path": "0.jpg", "image": "other"}"#.write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        let r = CLIHarness.run(["import", dir + "/in.jsonl", "--output", dir + "/out", "--file-field", "path:image",
                                "--root", dir + "/images", "--records-per-shard", "10", "--quiet"])
        #expect(r.code == 2, "\(r.stderr)")
        #expect(r.stderr.contains("has a field \"image\""), "\(r.stderr)")
        for bad in ["path:", ":image", ""] {
            let usage = CLIHarness.run(["import", dir + "/in.jsonl", "--output", dir + "/out3", "--file-field", bad,
                                        "--records-per-shard", "10", "--quiet"])
            #expect(usage.code == 2, "\(bad): \(usage.stderr)")
            #expect(usage.stderr.contains("FIELD:FEATURE"), "\(bad): \(usage.stderr)")
        }
    }

    @Test func aJSONArrayIsOneRecordPerElement() throws {
        let dir = try Self.imagesFolder(3)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let array = """
        [
          {"id": 0, "path": "0.jpg", "bbox": [1.5, 2, 3, 4]},
          {"id": 1, "path": "1.jpg", "bbox": [5.5, 6, 7, 8]},
          {"id": 2, "path": "2.jpg", "bbox": [9.5, 10, 11, 12]}
        ]
        """
        try array.write(toFile: dir + "/in.json", atomically: true, encoding: .utf8)
        for format in [[], ["--format", "json-array"]] {
            let out = dir + "/out-\(format.count)"
            let r = CLIHarness.run(["import", dir + "/in.json", "--output", out, "--file-field", "path:image",
                                    "--root", dir + "/images", "--records-per-shard", "2", "--quiet"] + format)
            #expect(r.code == 0, "\(r.stderr)")
            let examples = try Self.examples(out)
            #expect(examples.map { $0["id"]?.int64 } == [0, 1, 2])
            #expect(examples.map { $0["bbox"]?.floats } == [[1.5, 2, 3, 4], [5.5, 6, 7, 8], [9.5, 10, 11, 12]])
            #expect(examples.map { $0["image"]?.bytes } == (0..<3).map { Self.image($0) })
        }
    }

    @Test func aJSONArrayReadAsJSONLinesSaysWhatItIs() throws {
        let dir = try Scratch.folder("import-ff")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "[\n {\"id\": 1}\n]\n".write(toFile: dir + "/in.json", atomically: true, encoding: .utf8)
        let r = CLIHarness.run(["import", dir + "/in.json", "--output", dir + "/out", "--format", "jsonl",
                                "--records-per-shard", "2", "--quiet"])
        #expect(r.code == 2, "\(r.stderr)")
        #expect(r.stderr.contains("this is a JSON array; expected JSON Lines"), "\(r.stderr)")
        // An array whose elements are not objects names the element.
        try "[{\"id\": 1}, 7]".write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
        let bad = CLIHarness.run(["import", dir + "/bad.json", "--output", dir + "/out2", "--records-per-shard", "2", "--quiet"])
        #expect(bad.code == 2, "\(bad.stderr)")
        #expect(bad.stderr.contains("record 1 is not a JSON object"), "\(bad.stderr)")
    }
}
