import Foundation
import Testing
@testable import TFRecordTestSupport
import TFRecord
@testable import TFRecordExample

/// The errors of `JSONConverter` and of `ExampleImport`'s JSON Lines / JSON array readers that no
/// other test reaches: each asserts the kind (`.corrupted` for damaged input, the CLI's exit 1;
/// `.invalidArgument` for a usage mistake, exit 2) and what the error names (input, record, field).
@Suite struct JSONConverterErrorTests {
    /// `converter.example(fromJSON:)` on `json`, which must fail; returns the error.
    static func error(_ json: String, converter: JSONConverter = JSONConverter(), record: Int = 3) -> TFRecordError? {
        do {
            let example = try converter.example(fromJSON: Array(json.utf8), recordNumber: record, source: "input.jsonl")
            Issue.record("accepted \(json) as \(example)")
            return nil
        } catch {
            #expect(error.path == "input.jsonl", "names the input")
            #expect(error.recordNumber == record, "names the record")
            return error
        }
    }

    @Test func invalidJSONAndNonObjectsAreDamagedInput() {
        let invalid = Self.error(#"{"a": 1,, "b": 2}"#)
        #expect(invalid?.kind == .corrupted)
        #expect(invalid?.detail.hasPrefix("invalid JSON: ") == true && invalid?.detail.contains(" at byte ") == true,
                "\(String(describing: invalid))")
        for json in ["[1, 2]", "\"text\"", "42"] {
            let notObject = Self.error(json)
            #expect(notObject?.kind == .corrupted && notObject?.detail == "not a JSON object", "\(json): \(String(describing: notObject))")
        }
    }

    @Test func aListMixingStringsAndNumbersNamesTheFeature() {
        let error = Self.error(#"{"id": 1, "tags": ["a", 2]}"#)
        #expect(error?.kind == .corrupted)
        #expect(error?.detail == #"feature "tags" mixes strings and numbers"#, "\(String(describing: error))")
    }

    @Test func aKindConflictNamesBothRecords() throws {
        let converter = JSONConverter()
        _ = try converter.example(fromJSON: Array(#"{"score": 2.5}"#.utf8), recordNumber: 0, source: "input.jsonl")
        let error = Self.error(#"{"score": 2}"#, converter: converter, record: 7)
        #expect(error?.kind == .corrupted)
        #expect(error?.detail.hasPrefix(#"feature "score" is int64 in record 7 but float in record 0"#) == true,
                "\(String(describing: error))")
    }

    @Test func aFieldNamedLikeTheFileFeatureIsAUsageError() throws {
        let folder = try Scratch.folder("file-feature-clash")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: folder + "/a.bin"))
        let converter = try JSONConverter(fileFieldArgument: "path:image", root: folder)
        #expect(try converter.example(fromJSON: Array(#"{"path": "a.bin"}"#.utf8), recordNumber: 0, source: "input.jsonl")
                .features.feature["image"] == .bytesList([[1, 2, 3]]))
        let error = Self.error(#"{"path": "a.bin", "image": "already here"}"#, converter: converter)
        #expect(error?.kind == .invalidArgument)
        #expect(error?.detail.hasPrefix(#"record 3 has a field "image", the feature that gets the bytes of the file named by "path""#) == true,
                "\(String(describing: error))")
    }

    @Test(arguments: ["", ":image", "path:"])
    func anEmptyFileFieldArgumentIsAUsageError(_ argument: String) {
        do {
            let converter = try JSONConverter(fileFieldArgument: argument)
            Issue.record("accepted --file-field \"\(argument)\": \(String(describing: converter.fileField))")
        } catch {
            #expect(error.kind == .invalidArgument)
            #expect(error.detail == "--file-field \"\(argument)\": give FIELD or FIELD:FEATURE (e.g. path:image)")
        }
    }

    @Test func jsonArrayFormatOnAnObjectIsAUsageErrorNamingTheInput() throws {
        let folder = try Scratch.folder("import-array")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let input = folder + "/records.json"
        try Data(#"{"id": 1}"#.utf8).write(to: URL(fileURLWithPath: input))
        let writer = try ShardWriter(options: ShardWriterOptions(directory: folder + "/out", recordsPerShard: 10))
        defer { writer.abandon() }
        do {
            try ExampleImport.run(input: input, format: .jsonArray, converter: JSONConverter(), writer: writer)
            Issue.record("a JSON object was read as a JSON array")
        } catch {
            #expect(error.kind == .invalidArgument)
            #expect(error.path == input)
            #expect(error.detail.hasPrefix("not a JSON array: expected [ {...}, {...} ]"), "\(error)")
        }
    }
}
