import Foundation
import Testing
@testable import TFRecordTestSupport
import TFRecord
@testable import TFRecordExample

/// Public API that the coverage run (scripts/coverage.sh, 2026-12-04) showed no test calling:
/// every integer width through the Codable encoder's keyed, unkeyed and single-value containers
/// (checked on the Example the independent wire decoder reads back, not only by a round trip),
/// `Features`' subscript, `FeatureColumn.kind`/`int64Values`, `ShardWriter.write(_: Example)`,
/// `JSONConverter.allowsOutsideRoot`, `SequenceExample.description`.
@Suite struct PublicAccessorTests {
    enum Level: UInt16, Codable { case low = 3, high = 900 }
    struct Widths: Codable, Equatable {
        var i8: Int8 = -8, i16: Int16 = -1600, i32: Int32 = -320_000, i64: Int64 = .min, i: Int = 42
        var u8: UInt8 = 255, u16: UInt16 = 65_535, u32: UInt32 = 4_000_000_000, u64: UInt64 = 1 << 40, u: UInt = 7
        var flag: Bool = true, ratio: Double = 0.25, level: Level = .high
        var list8: [Int8] = [-1, 0, 1], listU32: [UInt32] = [1, 2], listU64: [UInt64] = [3], listBool: [Bool] = [true, false]
        var listI16: [Int16] = [-2], listU8: [UInt8] = [9, 8], listU16: [UInt16] = [6], listI32: [Int32] = [5], listUInt: [UInt] = [4]
        var listDouble: [Double] = [0.5, -1], levels: [Level] = [.low, .high]
    }

    @Test func everyIntegerWidthIsAnInt64Feature() throws {
        let value = Widths()
        let bytes = try ExampleEncoder().encode(value)
        let example = try Example(serialized: bytes)   // the wire decoder, not the Codable path
        let f = example.features
        let int64s: [String: [Int64]] = [
            "i8": [-8], "i16": [-1600], "i32": [-320_000], "i64": [.min], "i": [42], "u8": [255], "u16": [65_535],
            "u32": [4_000_000_000], "u64": [1 << 40], "u": [7], "flag": [1], "level": [900], "list8": [-1, 0, 1],
            "listU32": [1, 2], "listU64": [3], "listBool": [1, 0], "listI16": [-2], "listU16": [6],
            "listI32": [5], "listUInt": [4], "levels": [3, 900],
        ]
        for (name, values) in int64s {
            #expect(f[name] == .int64List(values), "\(name): \(String(describing: f[name]))")
        }
        #expect(f["listU8"] == .bytesList([[9, 8]]), "[UInt8] is one byte string, as Data is")
        #expect(f["ratio"] == .floatList([0.25]))
        #expect(f["listDouble"] == .floatList([0.5, -1]))
        #expect(f.count == int64s.count + 3, "no other feature")
        #expect(try ExampleDecoder().decode(Widths.self, from: bytes) == value)
        // A value that does not fit the Swift type is an error naming the feature, not a wrap.
        var narrow = example
        narrow.features["i8"] = .int64List([300])
        #expect(throws: DecodingError.self) { try ExampleDecoder().decode(Widths.self, from: narrow.serialized()) }
    }

    @Test func featuresSubscriptReadsWritesAndRemoves() {
        var features: Features = ["a": .int64List([1])]
        #expect(features["a"] == .int64List([1]))
        #expect(features["b"] == nil)
        features["b"] = .bytesList([[7]])
        #expect(features["b"] == .bytesList([[7]]) && features.count == 2)
        features["a"] = nil
        #expect(features["a"] == nil && features.count == 1 && features.sortedNames == ["b"])
    }

    @Test func featureColumnKindAndInt64Values() throws {
        let parser = try ExampleBatchParser(spec: ["id": .fixedLen([], .int64), "v": .varLen(.float)])
        let records: [[UInt8]] = (0..<3).map { (["id": .int64(Int64(10 + $0)), "v": .float([Float($0)])] as Example).serialized() }
        let batch = try parser.parse(records)
        let id = try #require(batch.columns["id"])
        #expect(id.kind == .int64)
        #expect(try #require(batch.columns["v"]).kind == .float)
        let values = id.int64Values
        #expect(values.count == 3)
        #expect(values[0] == 10 && values[1] == 11 && values[2] == 12)
    }

    @Test func shardWriterWritesExamplesAndSequenceExamples() throws {
        let folder = try Scratch.folder("shard-examples")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let writer = try ShardWriter(options: ShardWriterOptions(directory: folder, recordsPerShard: 2))
        let examples: [Example] = (0..<3).map { ["n": .int64(Int64($0))] }
        for example in examples { try writer.write(example) }
        let sequence = SequenceExample(context: ["n": .int64(3)], featureLists: ["steps": [.float([1]), .float([2])]])
        try writer.write(sequence)
        let shards = try writer.finish()
        #expect(shards.count == 2)
        let dataset = try Dataset(paths: [folder])
        #expect(dataset.count == 4)
        for (i, example) in examples.enumerated() {
            #expect(try Example(serialized: dataset.record(at: i)) == example, "record \(i)")
        }
        #expect(try SequenceExample(serialized: dataset.record(at: 3)) == sequence)
        #expect(sequence.description.contains("steps") && sequence.description.contains("n"), "\(sequence.description)")
    }

    @Test func jsonConverterSaysWhetherPathsMayLeaveTheRoot() {
        #expect(JSONConverter(root: "/tmp").allowsOutsideRoot == false)
        #expect(JSONConverter(root: "/tmp", allowOutsideRoot: true).allowsOutsideRoot == true)
    }
}
