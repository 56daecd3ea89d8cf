import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// Path expansion shared by the commands and `Dataset`: files, directories, globs, prefixes.
@Suite struct ShardPathsTests {
    @Test func directoriesSkipHiddenIndexAndNonRegularFiles() throws {
        let folder = try Scratch.folder("idx")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in ["b.tfrecord", "a.tfrecord", "B.tfrecord", ".a.tfrecord.tmp-1-x", "a.tfrecord.tfindex", "a.tfrecord.idx"] {
            try Data([1]).write(to: URL(fileURLWithPath: folder + "/" + name))
        }
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: false)
        // Byte order: upper case before lower case.
        #expect(try ShardPaths.expand([folder]) == ["B.tfrecord", "a.tfrecord", "b.tfrecord"].map { folder + "/" + $0 })
        #expect(try ShardPaths.expand([folder + "/*"]) == ["B.tfrecord", "a.tfrecord", "b.tfrecord"].map { folder + "/" + $0 })
        // Files named explicitly are kept as given, in order, repeats included.
        let a = folder + "/a.tfrecord"
        #expect(try ShardPaths.expand([a, folder + "/B.tfrecord", a]) == [a, folder + "/B.tfrecord", a])
    }

    /// Issue 15, second round, item 3: a folder entry or pattern match whose `stat` fails (here a
    /// link loop, `ELOOP`) is an `.io` error naming it, not silently left out of the input;
    /// a dangling link (nothing there) is still skipped like any other non-regular entry.
    @Test func failedStatOfAnEntryIsAnError() throws {
        let folder = try Scratch.folder("loop")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data([1]).write(to: URL(fileURLWithPath: folder + "/a.tfrecord"))
        try FileManager.default.createSymbolicLink(atPath: folder + "/dangling.tfrecord", withDestinationPath: folder + "/nowhere")
        #expect(try ShardPaths.expand([folder]) == [folder + "/a.tfrecord"])
        try FileManager.default.createSymbolicLink(atPath: folder + "/loop.tfrecord", withDestinationPath: folder + "/loop.tfrecord")
        for argument in [folder, folder + "/*.tfrecord"] {
            do {
                let paths = try ShardPaths.expand([argument])
                Issue.record("\(argument): expected an error, got \(paths)")
            } catch {
                #expect(error.kind == .io && error.errno == ELOOP && error.path == folder + "/loop.tfrecord", "\(error)")
            }
        }
    }

    @Test func nothingMatchedIsAnIOError() throws {
        let folder = try Scratch.folder("idx")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for argument in [folder + "/*.tfrecord", folder + "/train", folder + "/missing.tfrecord"] {
            do {
                _ = try ShardPaths.expand([argument])
                Issue.record("\(argument) matched something")
            } catch {
                #expect(error.kind == .io)
                #expect(error.path == argument)
            }
        }
        #expect(try ShardPaths.expand([folder]).isEmpty)
    }

    @Test func shardNamesAreParsed() {
        let name = ShardPaths.shardName("/d/train-00003-of-00016.tfrecord")
        #expect(name?.prefix == "/d/train-" && name?.number == 3 && name?.width == 5)
        #expect(name?.total == 16 && name?.totalText == "00016" && name?.suffix == ".tfrecord")
        #expect(ShardPaths.shardName("/d/train-of-00016") == nil)
        #expect(ShardPaths.shardName("/d/file_00-64.tfrec") == nil)
        #expect(ShardPaths.shardName("x-1-of-2")?.number == 1)
    }

    @Test func extraShardNumbersAreReported() throws {
        let folder = try Scratch.folder("idx")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for n in 0...2 {
            try Data([1]).write(to: URL(fileURLWithPath: folder + "/x-0000\(n)-of-00002"))
        }
        #expect(throws: TFRecordError.self) { try ShardPaths.expand([folder]) }
    }
}
