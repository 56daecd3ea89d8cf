import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// Issue 15 item 1: every temporary or staging file a writer makes has a name no one can guess
/// and is created with O_EXCL|O_NOFOLLOW, so a symbolic link planted at a predictable name
/// never makes a writer truncate or overwrite the link's target.
@Suite struct TemporaryFileTests {
    static let victimBytes = Array("the victim's own bytes, never to be touched\n".utf8)

    /// A folder holding `victim`, a file the planted links point to.
    static func folderWithVictim() throws -> (dir: String, victim: String) {
        let dir = try Scratch.folder("tmpfile")
        let victim = dir + "/victim"
        #expect(FileManager.default.createFile(atPath: victim, contents: Data(victimBytes)))
        return (dir, victim)
    }

    static func plantLink(at path: String, to victim: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: victim)
    }

    static func victimIsUntouched(_ victim: String) throws -> Bool {
        try Array(Data(contentsOf: URL(fileURLWithPath: victim))) == victimBytes
    }

    static func isRegularFile(_ path: String) throws -> Bool {
        try SystemCalls.linkStatus(path: path).kind == .regular
    }

    @Test func aLinkAtTheDrawnNameIsNotFollowedAndAnotherNameIsDrawn() throws {
        let (dir, victim) = try Self.folderWithVictim()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = dir + "/out.tfrecord"
        let planted = TemporaryFile.name(beside: target, tag: "tmp", random: 42)
        try Self.plantLink(at: planted, to: victim)
        var draws: [UInt64] = [42, 43]
        let file = try TemporaryFile(beside: target) { draws.removeFirst() }
        let path = file.path
        #expect(path == TemporaryFile.name(beside: target, tag: "tmp", random: 43))
        try SystemCalls.writeAll(file.descriptor.raw, [1, 2, 3], what: "test bytes")
        #expect(try Self.victimIsUntouched(victim))
        #expect(try SystemCalls.linkStatus(path: planted).kind == .symbolicLink)
        #expect(try Self.isRegularFile(path))
    }

    @Test func linksAtEveryDrawnNameAreAnErrorNotAWrite() throws {
        let (dir, victim) = try Self.folderWithVictim()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = dir + "/out.tfrecord"
        try Self.plantLink(at: TemporaryFile.name(beside: target, tag: "tmp", random: 7), to: victim)
        do {
            _ = try TemporaryFile(beside: target) { 7 }
            Issue.record("a planted link was opened")
        } catch {
            #expect(error.kind == .io && error.errno == EEXIST)
        }
        #expect(try Self.victimIsUntouched(victim))
    }

    @Test func namesAreRandomNotJustTheProcessID() {
        let names = Set((0..<1000).map { _ in TemporaryFile.name(beside: "/d/x", tag: "tmp", random: .random(in: .min ... .max)) })
        #expect(names.count == 1000)
        #expect(names.allSatisfy { $0.hasPrefix("/d/.x.tmp-\(getpid())-") })
    }

    /// The old staging name was `.<prefix>.shard-<n>.staging-<pid>`, opened with O_TRUNC and
    /// following links: links planted there made `ShardWriter` truncate the victim and publish
    /// the link as a shard.
    @Test(arguments: [Compression.none, .gzip])
    func linksPlantedAtPredictableShardStagingNamesAreNeverFollowed(compression: Compression) throws {
        let (dir, victim) = try Self.folderWithVictim()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/out"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var planted: [String] = []
        for n in 0..<4 {
            for suffix in ["", ".tfindex"] {
                let name = out + "/.train.shard-\(n).staging-\(getpid())" + suffix
                try Self.plantLink(at: name, to: victim)
                planted.append(name)
            }
        }
        let payloads = (0..<40).map { Array("record \($0)".utf8) }
        let writer = try ShardWriter(options: ShardWriterOptions(directory: out, prefix: "train", recordsPerShard: 10,
                                                                 write: WriteOptions(compression: compression)))
        for p in payloads { try writer.write(p) }
        let shards = try writer.finish()
        #expect(shards.count == 4)
        #expect(try Self.victimIsUntouched(victim))
        var read: [[UInt8]] = []
        for shard in shards {
            #expect(try Self.isRegularFile(shard.path))
            #expect(try Self.isRegularFile(RecordIndex.sidecarPath(for: shard.path)))
            read += try RecordReader(path: shard.path).allRecords()
        }
        #expect(read == payloads)
        for link in planted { #expect(try SystemCalls.linkStatus(path: link).kind == .symbolicLink) }
        let names = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(names.count == 4 * 2 + planted.count, "staging files left behind: \(names.sorted())")
    }

    /// A link at the published name is replaced by the new regular file (rename(2) replaces the
    /// link itself); its target is never written.
    @Test func aLinkAtTheTargetIsReplacedNotWrittenThrough() throws {
        let (dir, victim) = try Self.folderWithVictim()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = dir + "/out.tfrecord"
        try Self.plantLink(at: target, to: victim)
        let writer = try RecordWriter(path: target)
        try writer.write([9, 9, 9])
        try writer.close()
        #expect(try Self.victimIsUntouched(victim))
        #expect(try Self.isRegularFile(target))
        #expect(try RecordReader(path: target).allRecords() == [[9, 9, 9]])
        let sidecar = RecordIndex.sidecarPath(for: target)
        try Self.plantLink(at: sidecar, to: victim)
        try RecordIndex.build(path: target, verifyingChecksums: true).write(to: sidecar)
        #expect(try Self.victimIsUntouched(victim))
        #expect(try Self.isRegularFile(sidecar))
        let text = target + ".idx"
        try Self.plantLink(at: text, to: victim)
        try RecordIndex.build(path: target, verifyingChecksums: true).writeText(to: text)
        #expect(try Self.victimIsUntouched(victim))
        #expect(try Self.isRegularFile(text))
    }
}
