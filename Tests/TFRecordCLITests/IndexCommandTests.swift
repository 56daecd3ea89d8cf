import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample
@testable import TFRecordCLI

/// `tfrecord index`, `tfrecord get` and `tfrecord count` with indexes, run in-process.
@Suite struct IndexCommandTests {
    static func copyShards(_ folder: String) throws -> (String, [Manifest.File]) {
        let target = try Scratch.folder("idx")
        let shards = Manifest.shards(folder)
        for shard in shards {
            try FileManager.default.copyItem(atPath: shard.fullPath,
                                             toPath: target + "/" + URL(fileURLWithPath: shard.path).lastPathComponent)
        }
        return (target, shards)
    }

    @Test func indexWritesValidSidecars() throws {
        let (folder, shards) = try Self.copyShards("shards/tfds")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(CommandRunner.run(["index", folder]) == .success)
        let files = try ShardPaths.expand([folder])
        #expect(files.count == shards.count)
        for (file, shard) in zip(files, shards) {
            #expect(try RecordIndex.load(from: file + ".tfindex").offsets == shard.recordOffsets)
            #expect(RecordFile.indexedCount(ofShardAt: file) == shard.numRecords)
        }
        // The sidecars are not taken for shards when the folder is listed again.
        #expect(try ShardPaths.expand([folder]) == files)
    }

    @Test func indexWritesTheTextFormat() throws {
        let file = try #require(Manifest.shared.files.first { $0.path == "raw/mixed.tfrecord" })
        let folder = try Scratch.folder("idx")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/mixed.idx"
        #expect(CommandRunner.run(["index", "--format", "text", "--output", output, file.fullPath]) == .success)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == Manifest.expectedTextIndex(file))
        // --output with several inputs is a usage error.
        #expect(CommandRunner.run(["index", "--output", output, file.fullPath, file.fullPath]) == .usage)
    }

    @Test func indexReportsDamage() throws {
        let corrupt = try #require(Manifest.shared.files.first { $0.category == "corrupt" && $0.compression.isEmpty })
        let folder = try Scratch.folder("idx")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let copy = folder + "/bad.tfrecord"
        try FileManager.default.copyItem(atPath: corrupt.fullPath, toPath: copy)
        #expect(CommandRunner.run(["index", copy]) == .damaged)
        #expect(!FileManager.default.fileExists(atPath: copy + ".tfindex"))
    }

    @Test func getSplitsPathsFromNumbers() {
        #expect(TFRecordCommand.Get.split(["a", "b", "1", "2"]) == (["a", "b"], ["1", "2"]) as ([String], [String]))
        #expect(TFRecordCommand.Get.split(["a", "7"]).numbers == ["7"])
        #expect(TFRecordCommand.Get.split(["5", "7"]).paths == ["5"])
        #expect(CommandRunner.run(["get", "/nonexistent"]) == .usage)
    }

    @Test func getOutOfRangeIsAUsageError() throws {
        let (folder, shards) = try Self.copyShards("shards/kaggle")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let total = shards.reduce(0) { $0 + $1.numRecords }
        #expect(CommandRunner.run(["get", folder, "\(total)"]) == .usage)
        #expect(CommandRunner.run(["get", "--format", "hex", folder, "0", "\(total - 1)"]) == .success)
    }
}
