import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// Datasets over the corpus's sharded sets (`shards/tfds`: `train-0000N-of-00004`,
/// `shards/kaggle`: `file_0N-64.tfrec`): global numbering, seeded shuffle, and partitioning
/// for distributed training.
@Suite struct DatasetTests {
    static let shardFolders = ["shards/tfds", "shards/kaggle"]

    /// The manifest's shards of `folder`, sorted by path, as the dataset orders them.
    static func folderPath(_ folder: String) -> String {
        Manifest.shared.root.appendingPathComponent(folder).path
    }

    @Test(arguments: shardFolders)
    func globalNumberingMatchesTheManifest(_ folder: String) throws {
        let shards = Manifest.shards(folder)
        #expect(shards.count >= 3)
        let dataset = try Dataset(paths: [Self.folderPath(folder)])
        #expect(dataset.paths.map { URL(fileURLWithPath: $0).lastPathComponent }
                == shards.map { URL(fileURLWithPath: $0.path).lastPathComponent })
        #expect(dataset.recordCounts == shards.map(\.numRecords))
        let hashes = shards.flatMap(\.recordSHA256)
        #expect(dataset.count == hashes.count)
        var i = 0
        for (s, shard) in shards.enumerated() {
            for local in 0..<shard.numRecords {
                let location = dataset.location(ofRecord: i)
                #expect(location.shard == s && location.record == local)
                i += 1
            }
        }
        for i in (0..<dataset.count).shuffled() {
            #expect(SHA256.hex(try dataset.record(at: i)) == hashes[i])
        }
        for workers in [1, 3] {
            for worker in 0..<workers {
                let order = dataset.order(seed: 11, worker: worker, of: workers)
                var delivered: [Int] = []
                try dataset.forEachRecord(at: order) { i, payload in
                    delivered.append(i)
                    #expect(SHA256.hex(payload.withUnsafeBytes { [UInt8]($0) }) == hashes[i])
                }
                #expect(delivered == Array(order))
            }
        }
        let bytes = try dataset.withRecord(at: dataset.count - 1, verifyingChecksums: false) { $0.byteCount }
        #expect(bytes == shards.last!.recordLengths.last!)
    }

    @Test(arguments: shardFolders)
    func globAndPrefixAndFileListAgree(_ folder: String) throws {
        let base = Self.folderPath(folder)
        let byFolder = try Dataset(paths: [base]).paths
        let byGlob = try ShardPaths.expand([base + "/*"])
        let byFiles = try ShardPaths.expand(byFolder)
        #expect(byGlob == byFolder)
        #expect(byFiles == byFolder)
        if folder == "shards/tfds" {
            #expect(try ShardPaths.expand([base + "/train"]) == byFolder)
            #expect(try ShardPaths.expand([base + "/train-?????-of-00004.tfrecord"]) == byFolder)
        }
    }

    @Test func emptyShardsTakeNoNumbers() throws {
        let empty = try #require(Manifest.shared.files.first { $0.path == "empty/no_records.tfrecord" })
        let shards = Manifest.shards("shards/tfds")
        let dataset = try Dataset(paths: [empty.fullPath, shards[0].fullPath, empty.fullPath, shards[1].fullPath, empty.fullPath])
        #expect(dataset.recordCounts == [0, shards[0].numRecords, 0, shards[1].numRecords, 0])
        #expect(dataset.count == shards[0].numRecords + shards[1].numRecords)
        #expect(dataset.location(ofRecord: 0) == (1, 0))
        #expect(dataset.location(ofRecord: shards[0].numRecords) == (3, 0))
        #expect(dataset.location(ofRecord: dataset.count - 1) == (3, shards[1].numRecords - 1))
        let all = (shards[0].recordSHA256 + shards[1].recordSHA256)
        #expect(try (0..<dataset.count).map { SHA256.hex(try dataset.record(at: $0)) } == all)
        #expect(try Dataset(paths: [empty.fullPath]).count == 0)
    }

    @Test func missingShardOfAnOfSetIsReported() throws {
        let folder = try Scratch.folder("idx")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for shard in Manifest.shards("shards/tfds") where !shard.path.contains("00002-of") {
            try FileManager.default.copyItem(atPath: shard.fullPath,
                                             toPath: folder + "/" + URL(fileURLWithPath: shard.path).lastPathComponent)
        }
        for paths in [[folder], [folder + "/*.tfrecord"], [folder + "/train"]] {
            do {
                _ = try Dataset(paths: paths)
                Issue.record("an incomplete set was opened: \(paths)")
            } catch {
                #expect(error.kind == .invalidArgument)
                #expect(error.detail.contains("train-00002-of-00004.tfrecord"))
            }
        }
        // Naming the files one by one is the user's choice: no check.
        #expect(try Dataset(paths: [folder + "/train-00000-of-00004.tfrecord"]).count == 25)
        #expect(throws: TFRecordError.self) { try Dataset(paths: [folder + "/nothing-here"]) }
    }

    @Test func sidecarsAreUsedWithoutOpeningShards() throws {
        let folder = try Scratch.folder("idx")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shards = Manifest.shards("shards/tfds")
        for shard in shards {
            try FileManager.default.copyItem(atPath: shard.fullPath,
                                             toPath: folder + "/" + URL(fileURLWithPath: shard.path).lastPathComponent)
        }
        // First open builds and saves the sidecars; the second uses only their headers.
        let first = try Dataset(paths: [folder], options: IndexOptions(missing: .buildAndSave))
        #expect(first.slots.allSatisfy { $0.file != nil })
        let second = try Dataset(paths: [folder], options: IndexOptions(missing: .refuse, stale: .refuse))
        #expect(second.slots.allSatisfy { $0.file == nil })
        #expect(second.recordCounts == shards.map(\.numRecords))
        #expect(SHA256.hex(try second.record(at: 30)) == shards[1].recordSHA256[5])
        #expect(second.slots[1].file != nil && second.slots[0].file == nil)
    }

    @Test(arguments: shardFolders)
    func shuffleIsAReproduciblePermutation(_ folder: String) throws {
        let dataset = try Dataset(paths: [Self.folderPath(folder)])
        let a = Array(dataset.order(seed: 42))
        #expect(a == Array(dataset.order(seed: 42)))
        #expect(a.sorted() == Array(0..<dataset.count))
        #expect(a != Array(0..<dataset.count))
        #expect(a != Array(dataset.order(seed: 43)))
        #expect(Array(dataset.order()) == Array(0..<dataset.count))
    }

    @Test func permutationIsABijectionForManySizes() {
        for count in [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 100, 255, 256, 257, 1000, 4097, 65_537] {
            for seed: UInt64 in [0, 1, 0xdead_beef] {
                let p = RecordPermutation(count: count, seed: seed)
                var seen = [Bool](repeating: false, count: count)
                for i in 0..<count {
                    let v = p[i]
                    #expect(v >= 0 && v < count)
                    #expect(!seen[v])
                    seen[v] = true
                }
            }
        }
        // Fixed values: the order must not change between versions or machines.
        #expect(Array(RecordPermutation(count: 10, seed: 7)) == [0, 2, 9, 8, 1, 4, 3, 5, 7, 6])
        #expect(Array(RecordPermutation(count: 20, seed: 2024))
                == [17, 1, 2, 5, 10, 11, 12, 7, 15, 14, 13, 18, 3, 8, 9, 0, 19, 4, 6, 16])
    }

    @Test(arguments: 1...7)
    func partitionIsDisjointCompleteAndBalanced(_ workers: Int) throws {
        let dataset = try Dataset(paths: Self.shardFolders.map(Self.folderPath))
        #expect(dataset.count == Self.shardFolders.flatMap(Manifest.shards).reduce(0) { $0 + $1.numRecords })
        for seed: UInt64? in [nil, 1, 2024] {
            var all: [Int] = []
            var sizes: [Int] = []
            for worker in 0..<workers {
                let slice = dataset.order(seed: seed, worker: worker, of: workers)
                all += slice
                sizes.append(slice.count)
            }
            #expect(all.count == dataset.count)
            #expect(Set(all).count == dataset.count)
            #expect(all.sorted() == Array(0..<dataset.count))
            #expect(sizes.max()! - sizes.min()! <= 1)
            if seed == nil { #expect(all == Array(0..<dataset.count)) }
        }
        // Also for counts smaller than the number of workers.
        for count in 0..<10 {
            let parts = (0..<workers).map { RecordOrder(count: count, seed: 5, worker: $0, of: workers) }
            #expect(parts.flatMap { $0 }.sorted() == Array(0..<count))
            #expect(parts.map(\.count).max()! - parts.map(\.count).min()! <= 1)
        }
    }
}
