import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// A DALI text index that is not one (a line that is not `<offset> <length>`, an offset that is
/// not where the previous record ends) is `.corrupted`, naming the line, the record and the shard
/// (for a file and for a stored object).
@Suite struct TextIndexErrorTests {
    @Test func badLinesNameTheLineAndTheRecord() throws {
        let path = Scratch.path("text-index", suffix: ".tfrecord")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try RecordWriter(path: path)
        for i in 0..<3 { try writer.write(Array("record \(i)".utf8)) }
        try writer.close()
        let good = try RecordIndex.build(path: path).textRepresentation()
        let lines = good.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        let file = try MappedFile(path: path, access: .random)
        let cases: [(String, String, Int)] = [
            ([lines[0], "12 x"].joined(separator: "\n"), "text index line 2 is not `<offset> <length>`", 1),
            ([lines[0], lines[1], "1 2 3"].joined(separator: "\n"), "text index line 3 is not `<offset> <length>`", 2),
            ([lines[0], lines[2]].joined(separator: "\n"), "text index line 2 says record 1 starts at", 1),
        ]
        for (text, message, record) in cases {
            do {
                _ = try RecordIndex.importText(text, for: file)
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.kind == .corrupted && error.path == path && error.recordNumber == record, "\(error)")
                #expect(error.detail.hasPrefix(message), "\(error)")
            }
        }
        #expect(try RecordIndex.importText(good, for: file).offsets == RecordIndex.build(path: path).offsets)
    }
}
