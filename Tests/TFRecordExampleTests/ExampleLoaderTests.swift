import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample

/// `ExampleLoader`: epochs in order and shuffled, worker parts, the remainder policies, and
/// resuming: a loader stopped at random points and restarted from the last batch's position
/// delivers exactly the uninterrupted sequence (so each epoch's records exactly once).
@Suite struct ExampleLoaderTests {
    static let counts = [103, 50, 77]
    static let spec: [String: FeatureSpec] = ["id": .fixedLen([], .int64), "v": .varLen(.float)]

    /// Three shards (none, GZIP, ZLIB); record n holds id = n and n % 3 floats.
    static let dataset: Dataset = {
        let folder = try! Scratch.folder("loader")
        var n = 0
        var paths: [String] = []
        for (s, (count, compression)) in zip(counts, [Compression.none, .gzip, .zlib]).enumerated() {
            let path = folder + "/shard-\(s).tfrecord"
            let writer = try! RecordWriter(path: path, options: WriteOptions(compression: compression))
            for _ in 0..<count {
                let example: Example = ["id": .int64(Int64(n)), "v": .float((0..<(n % 3)).map { Float(n) + Float($0) / 4 })]
                try! writer.write(example.serialized())
                n += 1
            }
            try! writer.close()
            paths.append(path)
        }
        return try! Dataset(paths: paths)
    }()

    static func run(_ options: LoaderOptions, from position: LoaderPosition? = nil, limit: Int = .max) async throws -> [LoadedBatch] {
        var batches: [LoadedBatch] = []
        for try await batch in try ExampleLoader(dataset: dataset, spec: spec, options: options, resumingFrom: position) {
            // The columns hold the records named: id is the record number, v has n % 3 values.
            #expect(batch.columns["id"]!.int64s == batch.recordNumbers.map(Int64.init))
            #expect(batch.columns["v"]!.rowOffsets!.count == batch.recordNumbers.count + 1)
            #expect(batch.columns["v"]!.valueCount == batch.recordNumbers.reduce(0) { $0 + $1 % 3 })
            batches.append(batch)
            if batches.count == limit { break }
        }
        return batches
    }

    @Test func oneEpochInOrder() async throws {
        let batches = try await Self.run(LoaderOptions(batchSize: 32))
        #expect(batches.flatMap(\.recordNumbers) == Array(0..<230))
        #expect(batches.map(\.recordNumbers.count) == [32, 32, 32, 32, 32, 32, 32, 6])
        #expect(batches.last!.resumePosition == LoaderPosition(seed: nil, epoch: 1, nextIndex: 0))
    }

    @Test func shuffledEpochsDifferAndRepeat() async throws {
        var options = LoaderOptions(batchSize: 50, seed: 7)
        options.epochs = 2
        let first = try await Self.run(options)
        let again = try await Self.run(options)
        #expect(first.flatMap(\.recordNumbers) == again.flatMap(\.recordNumbers))
        let epoch0 = first.filter { $0.epoch == 0 }.flatMap(\.recordNumbers)
        let epoch1 = first.filter { $0.epoch == 1 }.flatMap(\.recordNumbers)
        #expect(epoch0.sorted() == Array(0..<230) && epoch1.sorted() == Array(0..<230))
        #expect(epoch0 != Array(0..<230) && epoch0 != epoch1)
    }

    @Test func workersShareEachEpochExactly() async throws {
        var seen: [Int] = []
        for worker in 0..<3 {
            var options = LoaderOptions(batchSize: 16, seed: 3)
            options.worker = worker
            options.workers = 3
            seen += try await Self.run(options).flatMap(\.recordNumbers)
        }
        #expect(seen.count == 230 && seen.sorted() == Array(0..<230))
    }

    @Test func remainderPolicies() async throws {
        var options = LoaderOptions(batchSize: 64, seed: 1)
        options.remainder = .dropLast
        let dropped = try await Self.run(options)
        #expect(dropped.map(\.recordNumbers.count) == [64, 64, 64])
        #expect(Set(dropped.flatMap(\.recordNumbers)).count == 192)
        options.remainder = .pad
        let padded = try await Self.run(options)
        #expect(padded.map(\.recordNumbers.count) == [64, 64, 64, 64])
        #expect(padded.map(\.padding) == [0, 0, 0, 64 - 230 % 64])
        let all = padded.flatMap(\.recordNumbers)
        #expect(Set(all).count == 230)
        #expect(Array(all.suffix(64 - 230 % 64)) == Array(all.prefix(64 - 230 % 64)))  // repeats of the epoch's start
    }

    @Test(arguments: [LoaderOptions.Remainder.dropLast, .partial, .pad])
    func resumingAtRandomPointsDeliversEachEpochExactlyOnce(_ remainder: LoaderOptions.Remainder) async throws {
        var options = LoaderOptions(batchSize: 24, seed: 99)
        options.epochs = 2
        options.remainder = remainder
        options.prefetch = 3
        let uninterrupted = try await Self.run(options)
        var rng = SplitMix(seed: 12345)
        for trial in 0..<6 {
            var delivered: [LoadedBatch] = []
            var position: LoaderPosition?
            var restarts = 0
            while true {
                // At least one batch per restart: more restarts than batches means a resume that
                // does not move on (fail now, not after the suite's timeout).
                restarts += 1
                guard restarts <= uninterrupted.count + 1 else {
                    Issue.record("trial \(trial): \(restarts - 1) restarts without reaching the end of \(uninterrupted.count) batches")
                    break
                }
                let stopAfter = 1 + Int(rng.next() % 5)
                let part = try await Self.run(options, from: position, limit: stopAfter)
                if part.isEmpty { break }
                delivered += part
                // Through JSON, as a job saves it with its checkpoint.
                let saved = try JSONEncoder().encode(part.last!.resumePosition)
                position = try JSONDecoder().decode(LoaderPosition.self, from: saved)
            }
            #expect(delivered.map(\.recordNumbers) == uninterrupted.map(\.recordNumbers), "trial \(trial)")
            for epoch in 0..<2 {
                let real = delivered.filter { $0.epoch == epoch }.flatMap { Array($0.recordNumbers.dropLast($0.padding)) }
                #expect(real.count == Set(real).count, "a record seen twice in epoch \(epoch)")
                let expected = remainder == .dropLast ? 230 / 24 * 24 : 230
                #expect(real.count == expected, "epoch \(epoch) of trial \(trial)")
            }
        }
    }

    @Test func errorsNameTheShardAndRecord() async throws {
        let strict: [String: FeatureSpec] = ["id": .fixedLen([], .int64), "v": .fixedLen([1], .float)]
        do {
            for try await _ in try ExampleLoader(dataset: Self.dataset, spec: strict, options: LoaderOptions(batchSize: 10)) {}
            Issue.record("records with 0 or 2 values of v must fail a fixed-length [1] spec")
        } catch let error as TFRecordError {
            #expect(error.path == Self.dataset.paths[0] && error.recordNumber == 0, "\(error)")
            #expect(error.kind == .invalidArgument)
        }
        #expect(throws: TFRecordError.self) {
            try ExampleLoader(dataset: Self.dataset, spec: Self.spec, options: LoaderOptions(batchSize: 8, seed: 1),
                              resumingFrom: LoaderPosition(seed: 2, epoch: 0, nextIndex: 0))
        }
        #expect(throws: TFRecordError.self) {
            try ExampleLoader(dataset: Self.dataset, spec: Self.spec, options: LoaderOptions(batchSize: 0))
        }
    }
}
