import Foundation
import Testing
@testable import TFRecordTestSupport
import TFRecord
@testable import TFRecordExample

/// `ExampleImport.run` on COCO input that is not what it claims: each error is `.corrupted` (the
/// data is damaged), names the input (and the record where there is one), and nothing is published.
@Suite struct ImportErrorTests {
    /// Imports `json` as COCO; returns the error (recording a failure when there is none).
    static func cocoError(_ json: String) throws -> TFRecordError? {
        let folder = try Scratch.folder("import-errors")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let input = folder + "/annotations.json"
        try Data(json.utf8).write(to: URL(fileURLWithPath: input))
        let writer = try ShardWriter(options: ShardWriterOptions(directory: folder + "/out", recordsPerShard: 10))
        defer { writer.abandon() }
        do {
            try ExampleImport.run(input: input, format: .coco, converter: JSONConverter(), writer: writer)
            Issue.record("accepted: \(json)")
            return nil
        } catch {
            #expect(error.path == input)
            // Input that is not what it claims is damaged data (CLI exit 1), not a usage error.
            #expect(error.kind == .corrupted)
            return error
        }
    }

    @Test func invalidJSONNamesTheByte() throws {
        let error = try Self.cocoError(#"{"annotations": [1, 2,, 3]}"#)
        #expect(error?.detail.hasPrefix("invalid JSON: ") == true, "\(String(describing: error))")
        #expect(error?.detail.contains("at byte 22") == true, "\(String(describing: error))")
    }

    @Test func noAnnotationsArray() throws {
        for json in [#"{"images": []}"#, #"{"annotations": {"id": 1}}"#, #"[{"annotations": []}]"#] {
            let error = try Self.cocoError(json)
            #expect(error?.detail == #"not a COCO annotation file: no "annotations" array"#, "\(json): \(String(describing: error))")
        }
    }

    @Test func annotationNamingAMissingImage() throws {
        let error = try Self.cocoError("""
            {"images": [{"id": 1, "file_name": "a.jpg"}],
             "annotations": [{"id": 10, "image_id": 1}, {"id": 11, "image_id": 7}]}
            """)
        #expect(error?.detail == #"annotation 1 names image_id 7, which is not in "images""#, "\(String(describing: error))")
        #expect(error?.recordNumber == 1)
    }
}
