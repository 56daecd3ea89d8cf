import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// Every error the Shards layer throws, reached on purpose: its kind and what it names (the path,
/// the pattern, the option). One test per `throw` in Sources/TFRecord/Shards.
@Suite struct ShardErrorTests {
    /// Runs `body`, which must throw a `TFRecordError`, and returns it.
    static func error(_ what: Comment, _ body: () throws -> Void) -> TFRecordError? {
        do {
            try body()
            Issue.record("no error: \(what)")
            return nil
        } catch let error as TFRecordError {
            return error
        } catch {
            Issue.record("not a TFRecordError: \(error) (\(what))")
            return nil
        }
    }

    /// Writes `count` small records to `path` (no sidecar).
    static func writeRecords(_ path: String, count: Int) throws {
        let writer = try RecordWriter(path: path)
        for i in 0..<count { try writer.write(Array("record \(i)".utf8)) }
        try writer.close()
    }

    @Test func aShardRewrittenAfterTheDatasetOpenedIsRefusedNamingIt() throws {
        let folder = try Scratch.folder("changed-shard")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let writer = try ShardWriter(options: ShardWriterOptions(directory: folder, recordsPerShard: 4))
        for i in 0..<8 { try writer.write(Array("record \(i)".utf8)) }
        let shards = try writer.finish()
        #expect(shards.count == 2)
        let dataset = try Dataset(paths: [folder])
        #expect(dataset.recordCounts == [4, 4])
        // Shard 1 gets 6 records (and a fresh sidecar) before the dataset first touches it.
        let second = dataset.paths[1]
        try Self.writeRecords(second, count: 6)
        try RecordIndex.build(path: second).write(to: RecordIndex.sidecarPath(for: second))
        #expect(try dataset.record(at: 0) == Array("record 0".utf8))   // shard 0 is unchanged
        let error = Self.error("reading a changed shard") { _ = try dataset.record(at: 5) }
        #expect(error?.kind == .invalidArgument)
        #expect(error?.path == second)
        #expect(error?.detail.contains("changed since the dataset was opened") == true, "\(String(describing: error))")
        #expect(error?.detail.contains("4 record(s), it now has 6") == true, "\(String(describing: error))")
    }

    @Test(arguments: [
        ("no-shard-number.tfrecord", "needs {shard}"),
        ("dir/{shard}", "must be a file name, not a path"),
        ("{shard", "unclosed {"),
        ("{shard}-{bogus}", "unknown placeholder {bogus}"),
        ("{shard:x5}", "bad width"),
    ])
    func badNameTemplatesNameThePatternAndTheProblem(_ pattern: String, _ problem: String) {
        let error = Self.error("template \(pattern)") { _ = try ShardNameTemplate(pattern) }
        #expect(error?.kind == .invalidArgument)
        #expect(error?.detail.contains(problem) == true, "\(pattern): \(String(describing: error))")
    }

    @Test func shardWriterOptionsThatCannotWork() throws {
        let folder = try Scratch.folder("writer-options")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cases: [(ShardWriterOptions, String)] = [
            (ShardWriterOptions(directory: folder, recordsPerShard: nil, bytesPerShard: nil), "give records per shard or bytes per shard"),
            (ShardWriterOptions(directory: folder, recordsPerShard: 0), "records per shard must be >= 1"),
            (ShardWriterOptions(directory: folder, recordsPerShard: nil, bytesPerShard: 0), "bytes per shard must be >= 1"),
            (ShardWriterOptions(directory: folder, prefix: "../escape"), "shard prefix '../escape' must be a plain name"),
            (ShardWriterOptions(directory: folder, prefix: "sub/name"), "shard prefix 'sub/name' must be a plain name"),
        ]
        for (options, problem) in cases {
            let error = Self.error("\(problem)") { _ = try ShardWriter(options: options) }
            #expect(error?.kind == .invalidArgument)
            #expect(error?.detail.contains(problem) == true, "\(String(describing: error))")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "nothing was written")
    }

    @Test func shardPathsNameTheArgumentThatFindsNothing() throws {
        let folder = try Scratch.folder("paths-errors")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let pattern = folder + "/train-*.tfrecord"
        let noMatch = Self.error("a glob without matches") { _ = try ShardPaths.expand([pattern]) }
        #expect(noMatch?.kind == .io && noMatch?.path == pattern && noMatch?.errno == ENOENT)
        #expect(noMatch?.detail.contains("no file matches the pattern") == true)
        let missing = folder + "/absent.tfrecord"
        let notThere = Self.error("a missing file") { _ = try ShardPaths.expand([missing]) }
        #expect(notThere?.kind == .io && notThere?.path == missing && notThere?.errno == ENOENT)
        #expect(notThere?.detail.contains("cannot open file") == true)
        let device = Self.error("a character device") { _ = try ShardPaths.expand(["/dev/null"]) }
        #expect(device?.kind == .invalidArgument && device?.path == "/dev/null")
        #expect(device?.detail.contains("not a regular file: an input must be a file") == true, "\(String(describing: device))")
    }

    @Test func incompleteAndOverfullShardSetsNameTheMissingShards() throws {
        let folder = try Scratch.folder("paths-sets")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for n in [0, 2] { try Self.writeRecords(folder + "/train-0000\(n)-of-00003.tfrecord", count: 1) }
        let incomplete = Self.error("shard 1 of 3 missing") { _ = try ShardPaths.expand([folder]) }
        #expect(incomplete?.kind == .invalidArgument && incomplete?.path == folder)
        #expect(incomplete?.detail.contains("incomplete sharded set: 1 of 3 shard(s) missing") == true, "\(String(describing: incomplete))")
        #expect(incomplete?.detail.contains("train-00001-of-00003.tfrecord") == true, "names the missing shard")
        try Self.writeRecords(folder + "/train-00001-of-00003.tfrecord", count: 1)
        #expect(try ShardPaths.expand([folder]).count == 3)
        try Self.writeRecords(folder + "/train-00003-of-00003.tfrecord", count: 1)
        let overfull = Self.error("shard number 3 of 3") { _ = try ShardPaths.expand([folder + "/train-*"]) }
        #expect(overfull?.kind == .invalidArgument && overfull?.path == folder + "/train-*")
        #expect(overfull?.detail.contains("has shard numbers past its total: [3]") == true, "\(String(describing: overfull))")
    }
}
