import Foundation
import Testing
@testable import TFRecord
@testable import TFRecordExample
@testable import TFRecordTestSupport

/// `generate --records-per-shard` under kill -9, and `get` over compressed shards.
@Suite struct ShardCommandTests {
    static func payload(_ i: Int) -> [UInt8] {
        Array("record \(i) ".utf8) + [UInt8](repeating: UInt8(i & 0xff), count: i % 300)
    }

    @Test func killedShardWriterLeavesOnlyCompleteShards() throws {
        let dir = Scratch.path("shards")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Per-shard names are published as each shard completes; {total} names only at the end.
        let r = try CLIHarness.shell("""
            "$TFRECORD" generate '\(dir)' --size 200 --records 100000000 --records-per-shard 20000 --name 'part-{shard:05}.tfrecord' & pid=$!
            for i in $(seq 200); do ls '\(dir)' 2>/dev/null | grep -q '^part-' && break; sleep 0.1; done
            sleep 0.3; kill -9 $pid; wait $pid; echo killed=$?
            """)
        #expect(r.stdout.contains("killed=137"), "\(r.stdout) \(r.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir)
        let published = names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".tfindex") }.sorted()
        #expect(!published.isEmpty, "no shard completed in 20 s; the test proves nothing")
        for name in published {
            #expect(try MappedFile(path: dir + "/" + name).countRecords(verifyingChecksums: true) == 20000, "\(name) is incomplete")
        }
        #expect(names.filter { $0.hasPrefix(".") }.allSatisfy { $0.contains(".staging-") })
        let verify = CLIHarness.run(["verify", dir])
        #expect(verify.code == 0, "\(verify.stderr)")
    }

    @Test func killedWriterWithTotalInNamesPublishesNothing() throws {
        let dir = Scratch.path("shards")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLIHarness.shell("""
            "$TFRECORD" generate '\(dir)' --size 200 --records 100000000 --records-per-shard 20000 & pid=$!
            sleep 1; kill -9 $pid; wait $pid; echo killed=$?
            """)
        #expect(r.stdout.contains("killed=137"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).allSatisfy { $0.hasPrefix(".") })
    }

    @Test func getReadsCompressedShardsByGlobalNumber() throws {
        let dir = Scratch.path("shards")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let writer = try ShardWriter(options: ShardWriterOptions(directory: dir, recordsPerShard: 200,
                                                                 write: WriteOptions(compression: .gzip)))
        for i in 0..<500 { try writer.write(Self.payload(i)) }
        _ = try writer.finish()
        let cli = CLIHarness.run(["get", dir, "499", "0", "--format", "hex"])
        #expect(cli.code == 0, "\(cli.stderr)")
        #expect(cli.stdout == Hex.encode(Self.payload(499)) + "\n" + Hex.encode(Self.payload(0)) + "\n")
    }
}
