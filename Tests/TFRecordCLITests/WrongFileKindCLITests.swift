import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// The commands name a file that is not TFRecord at all (issue 19, item 4): exit 1 with what
/// the file is, not "length checksum mismatch" alone.
@Suite struct WrongFileKindCLITests {
    @Test func readingCommandsSayAJSONFileIsJSON() throws {
        let dir = try Scratch.folder("kind-cli")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/annotations.json"
        try #"{"images": [], "annotations": [{"id": 1, "image_id": 2}]}"#.write(toFile: path, atomically: true, encoding: .utf8)
        for command in [["count", path], ["verify", path], ["cat", path], ["get", path, "0"], ["schema", path]] {
            let r = CLIHarness.run(command)
            #expect(r.code == 1, "\(command): \(r.stderr)")
            #expect(r.stderr.contains("this is a JSON file, not a TFRecord file: make TFRecord shards from it with `tfrecord import`"),
                    "\(command): \(r.stderr)")
        }
    }
}
