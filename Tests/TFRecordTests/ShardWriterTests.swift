import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// Sharded writing: naming conventions, cutting by records and bytes, byte-identical output
/// whatever the thread count, and crash safety under kill -9.
@Suite struct ShardWriterTests {
    static func tempDir() -> String {
        Scratch.path("shards")
    }

    static func payload(_ i: Int) -> [UInt8] {
        Array("record \(i) ".utf8) + [UInt8](repeating: UInt8(i & 0xff), count: i % 300)
    }

    static func write(_ count: Int, options: ShardWriterOptions) throws -> [ShardInfo] {
        let writer = try ShardWriter(options: options)
        for i in 0..<count { try writer.write(payload(i)) }
        return try writer.finish()
    }

    @Test func templates() throws {
        #expect(ShardNameTemplate.tfds.name(prefix: "train", shard: 3, total: 16, count: 9) == "train-00003-of-00016.tfrecord")
        #expect(ShardNameTemplate.tutorial.name(prefix: "x", shard: 2, total: nil, count: 4096) == "file_02-4096.tfrec")
        #expect(throws: TFRecordError.self) { _ = try ShardNameTemplate("no-shard-number.tfrecord") }
        #expect(throws: TFRecordError.self) { _ = try ShardNameTemplate("{shard}-{bogus}") }
        #expect(throws: TFRecordError.self) { _ = try ShardNameTemplate("dir/{shard}") }
    }

    @Test func recordsPerShardWithTotalInNames() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let shards = try Self.write(95, options: ShardWriterOptions(directory: dir, prefix: "train", recordsPerShard: 10))
        #expect(shards.map { URL(fileURLWithPath: $0.path).lastPathComponent } == (0..<10).map { String(format: "train-%05d-of-00010.tfrecord", $0) })
        #expect(shards.map(\.recordCount) == Array(repeating: 10, count: 9) + [5])
        var all: [[UInt8]] = []
        for shard in shards {
            let file = try MappedFile(path: shard.path)
            #expect(try file.recordOffsets(verifyingChecksums: true) == shard.recordOffsets)
            all += try file.allRecords()
            // The index sidecar was written in the same pass and is valid for the shard.
            let index = try RecordIndex.load(from: RecordIndex.sidecarPath(for: shard.path))
            #expect(try index.staleness(againstShardAt: shard.path) == nil)
            #expect((0..<shard.recordCount).map { index.offset(ofRecord: $0) } == shard.recordOffsets)
            #expect(RecordFile.indexedCount(ofShardAt: shard.path) == shard.recordCount)
        }
        #expect(all == (0..<95).map(Self.payload))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).count == 20, "staging files left behind")
    }

    @Test func tutorialNamesCarryTheCount() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let shards = try Self.write(10, options: ShardWriterOptions(directory: dir, nameTemplate: .tutorial, recordsPerShard: 4))
        #expect(shards.map { URL(fileURLWithPath: $0.path).lastPathComponent } == ["file_00-4.tfrec", "file_01-4.tfrec", "file_02-2.tfrec"])
    }

    @Test func bytesPerShard() throws {
        let dir = Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let shards = try Self.write(200, options: ShardWriterOptions(directory: dir, recordsPerShard: nil, bytesPerShard: 5000))
        #expect(shards.count > 3)
        for shard in shards.dropLast() {
            let size = try FileManager.default.attributesOfItem(atPath: shard.path)[.size] as! Int
            #expect(size >= 5000 && size < 5000 + 16 + 320)
        }
        #expect(shards.map(\.recordCount).reduce(0, +) == 200)
    }

    @Test func outputIsIdenticalForAnyThreadCount() throws {
        var digests: [[String]] = []
        for threads in [1, 2, 4] {
            let dir = Self.tempDir()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let shards = try Self.write(3000, options: ShardWriterOptions(directory: dir, recordsPerShard: 250, parallelShards: threads))
            digests.append(try shards.map { SHA256.hex(try Data(contentsOf: URL(fileURLWithPath: $0.path))) })
        }
        #expect(digests[0].count == 12)
        #expect(digests[0] == digests[1] && digests[1] == digests[2])
    }

}

/// Compressed shards are written with indexes that allow random access straight away.
@Suite struct CompressedShardAccessTests {
    @Test(arguments: [(Compression.gzip, nil), (.gzip, 4096), (.zlib, nil)] as [(Compression, Int?)])
    func randomAccessIntoCompressedShards(_ compression: Compression, _ blockSize: Int?) throws {
        let dir = ShardWriterTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var write = WriteOptions(compression: compression)
        write.blockSize = blockSize
        let shards = try ShardWriterTests.write(500, options: ShardWriterOptions(directory: dir, recordsPerShard: 200, write: write))
        for shard in shards {
            let index = try RecordIndex.load(from: RecordIndex.sidecarPath(for: shard.path))
            #expect(index.compression == compression)
            #expect(index.checkpoints != nil)
        }
        let dataset = try Dataset(paths: [dir], options: IndexOptions(missing: .refuse, stale: .refuse))
        #expect(dataset.count == 500)
        var rng = SplitMix(state: 9)
        for _ in 0..<200 {
            let i = Int(rng.next() % 500)
            #expect(try dataset.record(at: i) == ShardWriterTests.payload(i))
        }
        // The epoch read (a shuffled order, and one worker's part of it) reads the same records.
        for order in [dataset.order(seed: 7), dataset.order(seed: 7, worker: 1, of: 3)] {
            var delivered: [Int] = []
            try dataset.forEachRecord(at: order) { number, payload in
                #expect(payload.withUnsafeBytes { [UInt8]($0) } == ShardWriterTests.payload(number))
                delivered.append(number)
            }
            #expect(delivered == Array(order))
        }
    }

    @Test func threadsShareOneCompressedDataset() throws {
        let dir = ShardWriterTests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var write = WriteOptions(compression: .gzip)
        write.blockSize = 2048
        _ = try ShardWriterTests.write(300, options: ShardWriterOptions(directory: dir, recordsPerShard: 100, write: write))
        let dataset = try Dataset(paths: [dir])
        // A Ledger (NSLock) rather than Mutex: Mutex's futex is invisible to TSan, which then
        // reports the counter's updates as a race in scripts/test-tsan.sh.
        let ledger = Ledger()
        DispatchQueue.concurrentPerform(iterations: 4) { t in
            var rng = SplitMix(state: UInt64(t))
            for _ in 0..<100 {
                let i = Int(rng.next() % 300)
                do {
                    if try dataset.record(at: i) == ShardWriterTests.payload(i) {
                        ledger.deliver(i)
                    } else {
                        ledger.fail("record \(i): wrong bytes")
                    }
                } catch {
                    ledger.fail("record \(i): \(error)")
                }
            }
        }
        #expect(ledger.failures == [])
        #expect(ledger.total == 400)
    }

    @Test func compressedConformanceFilesByRecordNumber() throws {
        let files = Manifest.shared.files.filter { ($0.compression == "GZIP" || $0.compression == "ZLIB") && $0.category != "corrupt" && $0.category != "concat" && $0.numRecords > 0 }
        #expect(files.count >= 10)
        for file in files {
            let copy = Scratch.path("c")
            try FileManager.default.copyItem(atPath: file.fullPath, toPath: copy)
            defer { try? FileManager.default.removeItem(atPath: copy); try? FileManager.default.removeItem(atPath: copy + ".tfindex") }
            let indexed = try RecordFile(path: copy)
            #expect(indexed.count == file.numRecords)
            for i in (0..<file.numRecords).reversed() {
                #expect(SHA256.hex(try indexed.record(at: i)) == file.recordSHA256[i], "\(file) record \(i)")
            }
        }
    }
}
