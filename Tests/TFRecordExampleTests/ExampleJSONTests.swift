import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample

/// JSON: exact match with protobuf's `json_format.MessageToJson(sort_keys=True)` output (the
/// fixture `Tests/Fixtures/example_json.json`, made by `scripts/make_example_json_fixture.py`),
/// and round trips over every corpus record.
@Suite struct ExampleJSONTests {
    /// JSON has one NaN: payload bits are not kept (as in protobuf). Canonicalize before comparing.
    struct Entry: Decodable, CustomStringConvertible {
        let file: String
        let record: Int
        let message: String
        let payload_b64: String
        let pretty: String
        let python: String
        var description: String { "\(file)#\(record)" }
    }

    static let fixture: [Entry] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/example_json.json")
        return try! JSONDecoder().decode([Entry].self, from: Data(contentsOf: url))
    }()

    @Test func fixtureCoversTheCorpus() {
        #expect(Self.fixture.count >= 50)
        #expect(Self.fixture.contains { $0.message == "SequenceExample" })
    }

    @Test(arguments: fixture)
    func matchesJsonFormat(_ entry: Entry) throws {
        let payload = Base64.decode(entry.payload_b64)!
        // json_format writes `{}` for an empty payload; we always write "features" (see ExampleJSON).
        if payload.isEmpty && entry.message == "Example" {
            #expect(try Example(serialized: payload).jsonString(style: .python) == #"{"features": {}}"#)
            return
        }
        if entry.message == "Example" {
            let example = try Example(serialized: payload)
            #expect(example.jsonString() == entry.pretty)
            #expect(example.jsonString(style: .python) == entry.python)
            #expect(try Example(json: entry.pretty) == ManifestFeatures.canonicalNaN(example))
            #expect(try Example(json: example.jsonString(style: .compact)) == ManifestFeatures.canonicalNaN(example))
        } else {
            let example = try SequenceExample(serialized: payload)
            #expect(example.jsonString() == entry.pretty)
            #expect(example.jsonString(style: .python) == entry.python)
            #expect(try SequenceExample(json: entry.pretty) == example)
        }
    }

    @Test(arguments: Manifest.exampleFiles.filter { $0.compression.isEmpty })
    func roundTripEveryRecord(_ file: Manifest.File) throws {
        for payload in try MappedFile(path: file.fullPath).allRecords() {
            let example = try Example(serialized: payload)
            for style in [ExampleJSON.Style.compact, .python, .pretty(indent: 4)] {
                #expect(try Example(json: example.jsonString(style: style)) == ManifestFeatures.canonicalNaN(example))
            }
        }
    }

    @Test func floatsPrintLikePython() {
        let cases: [(Float, String)] = [
            (0.1, "0.1"), (-0.0, "-0.0"), (0, "0.0"), (.leastNonzeroMagnitude, "1.4013e-45"), (16777216, "16777216.0"),
            (.greatestFiniteMagnitude, "3.4028235e+38"), (1e-5, "1e-05"), (0.0001, "0.0001"),
            (1e16, "1e+16"), (1e15, "1000000000000000.0"), (123456.7, "123456.7"), (.nan, "\"NaN\""),
            (-.infinity, "\"-Infinity\""), (1.0 / 3.0, "0.33333334"),
        ]
        for (value, text) in cases {
            #expect(FloatText.json(value) == text, "\(value)")
        }
    }

    @Test func everyFloatBitPatternSampleRoundTrips() throws {
        var generator = SystemRandomNumberGenerator()
        var values: [Float] = []
        for _ in 0..<20000 { values.append(Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &generator))) }
        let example: Example = ["x": .float(values)]
        let back = try Example(json: example.jsonString(style: .compact))
        let got = back["x"]!.floatValues!
        for (a, b) in zip(values, got) where !a.isNaN {
            #expect(a.bitPattern == b.bitPattern)
        }
    }

    @Test func acceptsProtobufJSONVariants() throws {
        let text = #"""
        {"features": {"feature": {"a": {"int64_list": {"value": [1, "2", -3]}}, "b": {"float_list": {"value": ["NaN", 1, "2.5", "-Infinity"]}},
          "c": {"bytes_list": {"value": ["_-8", "+/8="]}}, "d": {}, "e": {"floatList": null}, "f": {"int64List": {}}}}}
        """#
        let example = try Example(json: text)
        #expect(example["a"] == .int64([1, 2, -3]))
        #expect(example["b"]!.floatValues!.count == 4)
        #expect(example["c"] == .bytes([[0xff, 0xef], [0xfb, 0xff]]))
        #expect(example["d"] == Feature.none)
        #expect(example["e"] == Feature.none)
        #expect(example["f"] == .int64List([]))
    }

    @Test func rejectsWithOffset() {
        let cases: [(String, Int)] = [
            (#"{"features": 3}"#, 13),
            // Offsets point at the offending value.
            (#"{"feature": {}}"#, 12),
            (#"{"features": {"feature": {"a": {"int64List": {}, "floatList": {}}}}}"#, 62),
            (#"{"features": {"feature": {"a": {"int64List": {"value": ["x"]}}}}}"#, 56),
            (#"{"features": {"feature": {"a": {"floatList": {"value": [1e39]}}}}}"#, 56),
            (#"{"features": "#, 13),
            ("[1, 2", 5),
        ]
        for (text, offset) in cases {
            do {
                _ = try Example(json: text)
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.kind == .invalidJSON)
                #expect(error.byteOffset == offset, "\(text): \(error)")
            }
        }
    }

    @Test func sequenceExampleRoundTrip() throws {
        for file in Manifest.sequenceFiles where file.compression.isEmpty {
            for payload in try MappedFile(path: file.fullPath).allRecords() {
                let example = try SequenceExample(serialized: payload)
                #expect(try SequenceExample(json: example.jsonString(style: .compact)) == example)
            }
        }
    }
}
