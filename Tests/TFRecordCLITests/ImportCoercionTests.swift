import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample
@testable import TFRecordCLI

/// Issue 15 item 11: import never changes a value or drops a feature silently: numbers that fit
/// no int64 / float32 and feature names given twice are errors naming the record and field.
@Suite struct ImportCoercionTests {
    static func convert(_ json: String, record: Int = 3) throws(TFRecordError) -> Example {
        try JSONConverter().example(fromJSON: Array(json.utf8), recordNumber: record, source: "in.jsonl")
    }

    static func refusal(_ json: String) -> TFRecordError? {
        do {
            _ = try convert(json)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("18446744073709551616", "does not fit an int64"),
        ("-9223372036854775809", "does not fit an int64"),
        ("99999999999999999999999999", "does not fit an int64"),
        ("1e400", "overflows a float32"),
        ("1e39", "overflows a float32"),
        ("-3.5e38", "overflows a float32"),
        ("1e-50", "underflows a float32 to 0"),
        ("-2.5e-46", "underflows a float32 to 0"),
    ])
    func numbersThatDoNotFitAreErrorsNamingRecordAndField(text: String, why: String) throws {
        for json in [#"{"v": \#(text)}"#, #"{"v": [1.5, \#(text)]}"#, #"{"outer": {"v": [[\#(text)]]}}"#] {
            let error = try #require(Self.refusal(json), "\(json) was accepted")
            #expect(error.kind == .corrupted && error.recordNumber == 3 && error.path == "in.jsonl")
            #expect(error.detail.contains(why) && error.detail.contains(text), "\(error)")
            #expect(error.detail.contains("\"v\"") || error.detail.contains("\"outer/v\""), "\(error)")
        }
    }

    @Test func numbersThatFitAreKept() throws {
        let example = try Self.convert(#"{"max": 9223372036854775807, "min": -9223372036854775808, "big": 3.4e38, "tiny": 1e-45, "zero": 0.0, "nzero": -0e5, "e": 1e3, "p": 0.1}"#)
        #expect(example["max"] == .int64List([.max]))
        #expect(example["min"] == .int64List([.min]))
        #expect(example["big"] == .floatList([3.4e38]))
        #expect(example["tiny"] == .floatList([Float.leastNonzeroMagnitude]))
        #expect(example["zero"] == .floatList([0]))
        #expect(example["nzero"] == .floatList([-0.0]))
        #expect(example["e"] == .floatList([1000]))
        #expect(example["p"] == .floatList([0.1]))
    }

    @Test(arguments: [
        (#"{"x": 1, "x": 2}"#, "key \"x\" appears twice"),
        (#"{"x": null, "x": 2}"#, "key \"x\" appears twice"),
        (#"{"o": {"a": 1, "a": 1}}"#, "key \"a\" appears twice in \"o\""),
        (#"{"x/y": 1, "x": {"y": 2}}"#, "feature \"x/y\" is given twice"),
        (#"{"x": {"y": 2}, "x/y": 1}"#, "feature \"x/y\" is given twice"),
        (#"{"a/b/c": "s", "a": {"b": {"c": "t"}}}"#, "feature \"a/b/c\" is given twice"),
    ])
    func featureNamesGivenTwiceAreErrors(json: String, why: String) throws {
        let error = try #require(Self.refusal(json), "\(json) was accepted")
        #expect(error.kind == .corrupted && error.recordNumber == 3, "\(error)")
        #expect(error.detail.contains(why), "\(error)")
    }

    @Test func cliExitsOneNamingTheRecord() throws {
        let dir = try Scratch.folder("coerce")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ([#"{"v": 1}"#, #"{"v": 18446744073709551616}"#].joined(separator: "\n") + "\n")
            .write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        let r = CLIHarness.run(["import", dir + "/in.jsonl", "--output", dir + "/out", "--records-per-shard", "10", "--quiet"])
        #expect(r.code == 1, "\(r.stderr)")
        #expect(r.stderr.contains("\(dir)/in.jsonl: error: corrupted record 1: feature \"v\": integer 18446744073709551616 does not fit an int64"), "\(r.stderr)")
    }
}

extension ImportCoercionTests {
    /// With `unfitNumbers = .bytes` (`--unfit-numbers bytes`) the JSON text is kept as bytes;
    /// nothing is rounded, clamped or zeroed.
    @Test func unfitNumbersMayBeKeptAsTheirText() throws {
        let converter = JSONConverter()
        converter.unfitNumbers = .bytes
        let example = try converter.example(fromJSON: Array(#"{"big": 18446744073709551616, "inf": 1e400, "tiny": [1e-50, -1e-60], "ok": 5}"#.utf8),
                                            recordNumber: 0, source: "in.jsonl")
        #expect(example["big"] == .bytesList([Array("18446744073709551616".utf8)]))
        #expect(example["inf"] == .bytesList([Array("1e400".utf8)]))
        #expect(example["tiny"] == .bytesList([Array("1e-50".utf8), Array("-1e-60".utf8)]))
        #expect(example["ok"] == .int64List([5]))
        // Mixed with numbers that fit, a list is still refused rather than half converted.
        #expect(throws: TFRecordError.self) {
            _ = try converter.example(fromJSON: Array(#"{"mixed": [1, 1e400]}"#.utf8), recordNumber: 1, source: "in.jsonl")
        }
        let dir = try Scratch.folder("unfit")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"{"v": 1e400}"#.write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        let r = CLIHarness.run(["import", dir + "/in.jsonl", "--output", dir + "/out", "--records-per-shard", "10",
                                "--unfit-numbers", "bytes", "--quiet"])
        #expect(r.code == 0, "\(r.stderr)")
        let shard = try #require(try ShardPaths.expand([dir + "/out"]).first)
        let record = try #require(try RecordReader(path: shard).allRecords().first)
        #expect(try Example(serialized: record.span.bytes)["v"] == .bytesList([Array("1e400".utf8)]))
    }
}
