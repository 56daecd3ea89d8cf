import Foundation
import Testing
@testable import TFRecordTestSupport
import TFRecord
import TFRecordExample

/// Building features from any integer or floating-point type, typed accessors, and writers that
/// take an `Example` (issue 19, items 1 and 2).
@Suite struct FeatureValuesTests {
    @Test func integersOfAnyTypeNeedNoCast() {
        let int: Int = 18, u8: UInt8 = 200, i32: Int32 = -5, u64: UInt64 = 1 << 40
        #expect(Feature.int64(int) == .int64List([18]))
        #expect(Feature.int64(u8) == .int64List([200]))
        #expect(Feature.int64(i32) == .int64List([-5]))
        #expect(Feature.int64(u64) == .int64List([1 << 40]))
        #expect(Feature.int64([1, 2, 3] as [Int]) == .int64List([1, 2, 3]))
        #expect(Feature.int64((0..<4).map { UInt16($0) }) == .int64List([0, 1, 2, 3]))
        #expect(Feature.int64(Int.min) == .int64List([Int64.min]))
    }

    @Test func doublesBecomeTheNearestFloat() {
        let area: Double = 367.89
        #expect(Feature.float(area) == .floatList([Float(area)]))
        #expect(Feature.float([265.67, 99.2] as [Double]) == .floatList([Float(265.67 as Double), Float(99.2 as Double)]))
        #expect(Feature.float(Float(1.5)) == .floatList([1.5]))
        #expect(Feature.float(Double.infinity) == .floatList([.infinity]))
        let example: Example = ["area": .float(area), "id": .int64(7 as Int)]
        #expect(example.serialized() == Example(["area": .floatList([Float(area)]), "id": .int64List([7])]).serialized())
    }

    @Test func scalarAccessorsNeedExactlyOneValueOfTheirKind() {
        let f: Feature = 367.89
        #expect(f.float == 367.89)
        #expect(f.int64 == nil && f.bytes == nil && f.string == nil)
        #expect(f.floats == [367.89])
        #expect(f.int64s == nil && f.byteStrings == nil && f.strings == nil)
        let list: Feature = [1, 2]
        #expect(list.int64 == nil, "a list is never cut to its first value")
        #expect(list.int64s == [1, 2])
        let empty = Feature.floatList([])
        #expect(empty.float == nil && empty.floats == [])
        #expect(Feature.none.float == nil && Feature.none.floats == nil)
        let text: Feature = "cat"
        #expect(text.string == "cat" && text.bytes == Array("cat".utf8) && text.strings == ["cat"])
        #expect(Feature.bytes(["a", "b"]).strings == ["a", "b"] && Feature.bytes(["a", "b"]).string == nil)
        let invalid = Feature.bytesList([[0x63, 0xff], [0x61]])
        #expect(invalid.strings == nil && invalid.byteStrings == [[0x63, 0xff], [0x61]])
        #expect(Feature.bytes([0xc3] as [UInt8]).string == nil && Feature.bytes([0xc3] as [UInt8]).bytes == [0xc3])
    }

    @Test func accessorsOnExamplesAndParsedFeatures() throws {
        let example: Example = ["area": 367.89, "bbox": [1.5, 2, 3, 4], "label": 18, "name": "cat", "tags": ["a", "b"]]
        #expect(example["area"]?.float == 367.89)
        #expect(example["bbox"]?.floats == [1.5, 2, 3, 4])
        #expect(example["label"]?.int64 == 18)
        #expect(example["name"]?.string == "cat")
        #expect(example["missing"]?.float == nil)
        let parsed = try ExampleParser.parse(example.serialized(), spec: [
            "area": .fixedLen([], .float), "bbox": .fixedLen([2, 2], .float), "label": .fixedLen([], .int64),
            "name": .fixedLen([], .bytes), "tags": .varLen(.bytes), "extra": .varLen(.int64),
        ])
        #expect(parsed["area"]?.float == 367.89)
        #expect(parsed["bbox"]?.floats == [1.5, 2, 3, 4] && parsed["bbox"]?.float == nil)
        #expect(parsed["label"]?.int64 == 18 && parsed["label"]?.int64s == [18])
        #expect(parsed["name"]?.string == "cat" && parsed["name"]?.bytes == Array("cat".utf8))
        #expect(parsed["tags"]?.strings == ["a", "b"] && parsed["tags"]?.byteStrings == [[0x61], [0x62]])
        #expect(parsed["extra"]?.int64s == [] && parsed["extra"]?.int64 == nil)
    }

    @Test func writersTakeExamples() throws {
        let folder = try Scratch.folder("write-example")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let examples: [Example] = (0..<5).map { ["id": .int64($0), "area": .float(Double($0) + 0.5)] }
        let sequence = SequenceExample(context: ["id": 9])

        let direct = folder + "/direct.tfrecord.gz"
        let writer = try RecordWriter(path: direct, options: WriteOptions(compression: .gzip))
        for example in examples { try writer.write(example) }
        try writer.write(sequence)
        try writer.close()
        let bytes = folder + "/bytes.tfrecord.gz"
        let byBytes = try RecordWriter(path: bytes, options: WriteOptions(compression: .gzip))
        for example in examples { try byBytes.write(example.serialized()) }
        try byBytes.write(sequence.serialized())
        try byBytes.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: direct)) == Data(contentsOf: URL(fileURLWithPath: bytes)))
        #expect(try RecordReader(path: direct).allRecords() == examples.map { $0.serialized() } + [sequence.serialized()])

        let shardWriter = try ShardWriter(options: ShardWriterOptions(directory: folder + "/shards", nameTemplate: .tutorial,
                                                                      recordsPerShard: 2, write: WriteOptions(compression: .gzip)))
        for example in examples { try shardWriter.write(example) }
        let shards = try shardWriter.finish()
        #expect(shards.map(\.recordCount) == [2, 2, 1])
        let dataset = try Dataset(paths: [folder + "/shards"])
        #expect(try (0..<dataset.count).map { try Example(serialized: dataset.record(at: $0)) } == examples)
    }
}
