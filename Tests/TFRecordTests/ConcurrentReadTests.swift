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
        let failures = Counter()
        Self.onThreads(Self.threads) { t in
            var generator = SplitMix(seed: UInt64(t))
            for _ in 0..<200 {
                let i = Int(generator.next() % UInt64(expected.count))
                let same = (try? indexed.withRecord(at: i) { span in
                    span.withUnsafeBytes { bytes in expected[i].withUnsafeBytes { $0.elementsEqual(bytes) } }
                }) ?? false
                if !same { failures.add() }
            }
        }
        #expect(failures.value == 0)
    }

    @Test func manyReadersOfOneDataset() throws {
        let folders = DatasetTests.shardFolders
        let hashes = folders.flatMap(Manifest.shards).flatMap(\.recordSHA256)
        for _ in 0..<3 {
            let dataset = try Dataset(paths: folders.map(DatasetTests.folderPath))
            // Only lazily opened shards here when sidecars exist; otherwise opened at init.
            let failures = Counter()
            let order = dataset.order(seed: 9)
            Self.onThreads(Self.threads) { t in
                let mine = RecordOrder(count: order.count, seed: 9, worker: t, of: Self.threads)
                for i in mine.reversed() {
                    let ok = (try? dataset.withRecord(at: i) { SHA256.hex($0.withUnsafeBytes { [UInt8]($0) }) }) == hashes[i]
                    if !ok { failures.add() }
                }
                do {
                    try dataset.forEachRecord(at: mine) { i, payload in
                        if SHA256.hex(payload.withUnsafeBytes { [UInt8]($0) }) != hashes[i] { failures.add() }
                    }
                } catch {
                    failures.add()
                }
            }
            #expect(failures.value == 0)
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
            let failures = Counter()
            Self.onThreads(Self.threads) { t in
                for k in 0..<dataset.count {
                    let i = (k * 7 + t * 13) % dataset.count
                    if (try? SHA256.hex(dataset.record(at: i))) != hashes[i] { failures.add() }
                }
            }
            #expect(failures.value == 0)
            #expect(dataset.slots.allSatisfy { $0.file != nil })
        }
    }
}

/// A thread-safe failure counter for the tests.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
