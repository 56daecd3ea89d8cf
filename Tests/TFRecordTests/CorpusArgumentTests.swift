import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// The argument lists of the parameterized corpus tests are not empty: a test with no arguments
/// runs no case and passes, so a filter that stopped matching (a renamed category, a manifest
/// field read wrong) would turn a whole suite into a silent pass. Each list's size must equal the
/// count made here from the manifest's raw JSON (its own field names, not the decoded `File`).
@Suite struct CorpusArgumentTests {
    /// The manifest's entries as JSON objects.
    static var raw: [[String: Any]] { Manifest.shared.json["files"] as? [[String: Any]] ?? [] }

    static func count(_ keep: ([String: Any]) -> Bool) -> Int { raw.filter(keep).count }
    static func compression(_ f: [String: Any]) -> String { f["compression"] as? String ?? "" }
    static func category(_ f: [String: Any]) -> String { f["category"] as? String ?? "" }

    @Test func everyCorpusArgumentListHasTheManifestsFiles() {
        #expect(Self.raw.count > 100, "the manifest lists its files")
        let lists: [(String, Int, Int)] = [
            ("FramingConformanceTests.plainFiles", FramingConformanceTests.plainFiles.count,
             Self.count { Self.compression($0).isEmpty && Self.category($0) != "corrupt" }),
            ("IndexConformanceTests.plainFiles", IndexConformanceTests.plainFiles.count,
             Self.count { Self.compression($0).isEmpty && Self.category($0) != "corrupt" }),
            ("FastScannerTests.plainFiles", FastScannerTests.plainFiles.count, Self.count { Self.compression($0).isEmpty }),
            ("CorruptFileTests.plainCorrupt", CorruptFileTests.plainCorrupt.count,
             Self.count { Self.category($0) == "corrupt" && Self.compression($0).isEmpty }),
            ("CorruptFileTests.allCorrupt", CorruptFileTests.allCorrupt.count, Self.count { Self.category($0) == "corrupt" }),
            ("CompressedReadingTests.intact", CompressedReadingTests.intact.count,
             Self.count { !Self.compression($0).isEmpty && Self.category($0) != "corrupt" }),
            ("CompressedReadingTests.corrupt", CompressedReadingTests.corrupt.count,
             Self.count { !Self.compression($0).isEmpty && Self.category($0) == "corrupt" }),
            ("CompressedWritingTests.optionFiles", CompressedWritingTests.optionFiles.count,
             Self.count { !Self.compression($0).isEmpty && Self.category($0) == "options" }),
            ("CompressedWritingTests.sameBytes", CompressedWritingTests.sameBytes.count,
             Self.count { !Self.compression($0).isEmpty && Self.category($0) != "corrupt" && $0["python_zlib_same_bytes"] as? Bool == true }),
            ("Manifest.exampleFiles", Manifest.exampleFiles.count, Self.count { $0["features"] != nil }),
            ("Manifest.sequenceFiles", Manifest.sequenceFiles.count, Self.count { $0["sequence_examples"] != nil }),
        ]
        for (name, actual, expected) in lists {
            #expect(expected > 0, "\(name): the manifest has no such files")
            #expect(actual == expected, "\(name) has \(actual) files; the manifest has \(expected)")
        }
        let withRecords = Self.count { Self.compression($0).isEmpty && Self.category($0) != "corrupt" && ($0["num_records"] as? Int ?? 0) > 0 }
        #expect(BlockedCompressionTests.sources.count == withRecords && withRecords > 0)
        for folder in DatasetTests.shardFolders {
            #expect(Self.count { ($0["path"] as? String ?? "").hasPrefix(folder + "/") } > 1, "\(folder) holds shards")
        }
    }
}
