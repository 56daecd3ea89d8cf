import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// Many threads read random records from one shared `RecordFile` and one shared
/// `Dataset` (whose shards open lazily, racing on first use) with no lock on the read path.
/// Run under Thread Sanitizer by scripts/tsan.sh.
@Suite struct ConcurrentReadTests {
    static let threads = 8

    /// Runs `body(thread)` on `threads` threads at once and waits for all.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for t in 0..<count {
            group.enter()
            let thread = Thread {
                body(t)
                group.leave()
            }
            thread.start()
        }
        group.wait()
    }

    @Test func manyReadersOfOneFile() throws {
        let file = try #require(Manifest.shared.files.first { $0.path == "raw/random_sizes.tfrecord" })
        let indexed = try RecordFile(path: file.fullPath)
        let expected = try MappedFile(path: file.fullPath).allRecords()
        #expect(expected.map { SHA256.hex($0) } == file.recordSHA256)
        let asked = Ledger(), delivered = Ledger()
        Self.onThreads(Self.threads) { t in
            var generator = SplitMix(seed: UInt64(t))
            for _ in 0..<200 {
                let i = Int(generator.next() % UInt64(expected.count))
                asked.deliver(i)
                do {
                    let same = try indexed.withRecord(at: i) { span in
                        span.withUnsafeBytes { bytes in expected[i].withUnsafeBytes { $0.elementsEqual(bytes) } }
                    }
                    if same { delivered.deliver(i) } else { delivered.fail("record \(i): wrong bytes") }
                } catch {
                    delivered.fail("record \(i): \(error)")
                }
            }
        }
        #expect(delivered.failures == [])
        #expect(asked.total == Self.threads * 200)
        // Every number asked for was delivered, as many times as it was asked for.
        #expect(delivered.counts == asked.counts)
    }

    @Test func manyReadersOfOneDataset() throws {
        let folders = DatasetTests.shardFolders
        let hashes = folders.flatMap(Manifest.shards).flatMap(\.recordSHA256)
        for _ in 0..<3 {
            let dataset = try Dataset(paths: folders.map(DatasetTests.folderPath))
            // Only lazily opened shards here when sidecars exist; otherwise opened at init.
            #expect(dataset.count == hashes.count)
            let viaRecord = Ledger(), viaForEach = Ledger()
            let order = dataset.order(seed: 9)
            Self.onThreads(Self.threads) { t in
                let mine = RecordOrder(count: order.count, seed: 9, worker: t, of: Self.threads)
                for i in mine.reversed() {
                    do {
                        let hash = try dataset.withRecord(at: i) { SHA256.hex($0.withUnsafeBytes { [UInt8]($0) }) }
                        if hash == hashes[i] { viaRecord.deliver(i) } else { viaRecord.fail("record \(i): wrong bytes") }
                    } catch {
                        viaRecord.fail("record \(i): \(error)")
                    }
                }
                do {
                    try dataset.forEachRecord(at: mine) { i, payload in
                        if SHA256.hex(payload.withUnsafeBytes { [UInt8]($0) }) == hashes[i] { viaForEach.deliver(i) } else { viaForEach.fail("record \(i): wrong bytes") }
                    }
                } catch {
                    viaForEach.fail("worker \(t): \(error)")
                }
            }
            // The workers' slices partition the dataset: every record delivered exactly once each way.
            let once = Dictionary(uniqueKeysWithValues: (0..<hashes.count).map { ($0, 1) })
            #expect(viaRecord.failures == [])
            #expect(viaForEach.failures == [])
            #expect(viaRecord.counts == once)
            #expect(viaForEach.counts == once)
        }
    }

    @Test func lazilyOpenedShardsRaceSafely() throws {
        let folder = try Scratch.folder("idx")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shards = Manifest.shards("shards/kaggle")
        for shard in shards {
            let copy = folder + "/" + URL(fileURLWithPath: shard.path).lastPathComponent
            try FileManager.default.copyItem(atPath: shard.fullPath, toPath: copy)
            try RecordIndex.build(path: copy).write(to: RecordIndex.sidecarPath(for: copy))
        }
        let hashes = shards.flatMap(\.recordSHA256)
        for _ in 0..<5 {
            let dataset = try Dataset(paths: [folder], options: IndexOptions(missing: .refuse, stale: .refuse))
            #expect(dataset.slots.allSatisfy { $0.file == nil })
            #expect(dataset.count == hashes.count)
            let delivered = Ledger()
            Self.onThreads(Self.threads) { t in
                for k in 0..<dataset.count {
                    let i = (k * 7 + t * 13) % dataset.count
                    do {
                        if try SHA256.hex(dataset.record(at: i)) == hashes[i] { delivered.deliver(i) } else { delivered.fail("record \(i): wrong bytes") }
                    } catch {
                        delivered.fail("record \(i): \(error)")
                    }
                }
            }
            // 7 is coprime with every count here, so each thread asks for every record once.
            #expect(delivered.failures == [])
            #expect(delivered.counts == Dictionary(uniqueKeysWithValues: (0..<hashes.count).map { ($0, Self.threads) }))
            #expect(dataset.slots.allSatisfy { $0.file != nil })
        }
    }
}

/// What concurrent readers delivered, thread-safe: how many times each record number arrived
/// intact, and every failure in words (an error is never folded into a count).
final class Ledger: @unchecked Sendable {
    private let lock = NSLock()
    private var delivered: [Int: Int] = [:]
    private var problems: [String] = []
    func deliver(_ i: Int) { lock.lock(); delivered[i, default: 0] += 1; lock.unlock() }
    func fail(_ message: String) { lock.lock(); problems.append(message); lock.unlock() }
    var counts: [Int: Int] { lock.lock(); defer { lock.unlock() }; return delivered }
    var total: Int { counts.values.reduce(0, +) }
    var failures: [String] { lock.lock(); defer { lock.unlock() }; return problems }
}
