import ArgumentParser
import Dispatch
import Synchronization
import TFRecord
import TFRecordExample
extension TFRecordCommand {
    /// `tfrecord bench`: read throughput of files on this machine.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure sequential read throughput (every CRC checked) and the CRC32C implementation.",
            discussion: """
                Prints one tab-separated line per measurement: what, records/s, GB/s, seconds.
                Example: tfrecord bench --runs 5 --random 1000000 --threads 2 data/train.tfrecord
                """
        )

        @Argument(help: "TFRecord files.")
        var paths: [String]

        @Option(help: "Runs per measurement; the best is reported.")
        var runs: Int = 3

        @Flag(help: "Also measure reading with read(2) instead of the memory map.")
        var pread = false

        @Flag(help: "Skip payload CRC checks (length CRCs are still checked).")
        var noVerify = false

        @Option(help: "Also measure this many random lookups (index in memory or from sidecars, payload CRC checked).")
        var random: Int?

        @Flag(help: "With --random: time each lookup on one thread and print the median and 90th percentile (for compressed files, reached through inflate checkpoints).")
        var latency = false

        @Option(help: "Also measure writing this many records of --write-size bytes (uncompressed, to a temporary file beside the first path).")
        var writeRecords: Int?

        @Option(help: "Payload size for --write-records.")
        var writeSize: Int = 100

        @Option(help: "Where --write-records writes (default: beside the first path).")
        var writePath: String?

        @Option(help: "Also measure sharded writing of the first file's records (loaded in memory first) into this folder.")
        var shardWrite: String?

        @Option(help: "Records per shard for --shard-write.")
        var shardRecords: Int = 4096

        @Option(help: "Compression for --shard-write: none, gzip, zlib or lz4.")
        var compression: CompressionOption = .none

        @OptionGroup var writing: WritingOptions

        func run() throws {
            try Output.standard.write("crc32c\t\(CRC32C.implementation)\n")
            var modes: [(String, Bool)] = [("mmap", true)]
            if pread { modes.append(("read", false)) }
            for (name, useMap) in modes {
                var best = Double.infinity
                var records = 0
                var bytes = 0
                for _ in 0..<max(1, runs) {
                    records = 0
                    bytes = 0
                    let start = Clock.now()
                    for path in paths {
                        let reader = try RecordReader(path: path, options: ReadOptions(
                            verifyingChecksums: !noVerify, useMemoryMap: useMap, bufferSize: 1 << 20))
                        try reader.forEachRecord { _, payload in
                            records += 1
                            bytes += payload.byteCount
                        }
                    }
                    best = min(best, Clock.now() - start)
                }
                let line = "sequential-\(name)\t\(format(Double(records) / best)) records/s\t\(format(Double(bytes) / best / 1e9)) GB/s\t\(format(best)) s\n"
                try Output.standard.write(line)
            }
            if let random { try benchRandom(lookups: random) }
            if let writeRecords { try benchWrite(records: writeRecords) }
            if let shardWrite { try benchShardWrite(into: shardWrite) }
        }

        private func benchRandom(lookups: Int) throws {
            let opening = Clock.now()
            let dataset = try Dataset(paths: paths)
            guard dataset.count > 0 else { return }
            for s in 0..<dataset.shardCount { _ = try dataset.shard(s) }  // open (and index) outside the clock
            if latency { return try benchLatency(dataset, lookups: lookups, openSeconds: Clock.now() - opening) }
            let threads = max(1, writing.threads)
            let perThread = max(1, lookups / threads)
            var best = Double.infinity
            for _ in 0..<max(1, runs) {
                let failure = RandomFailure()
                let start = Clock.now()
                DispatchQueue.concurrentPerform(iterations: threads) { t in
                    var state = UInt64(t + 1) &* 0x9E37_79B9_7F4A_7C15
                    var sum = 0
                    do {
                        for _ in 0..<perThread {
                            let i = Self.nextRecordNumber(&state, below: dataset.count)
                            sum &+= try dataset.withRecord(at: i) { $0.byteCount }
                        }
                    } catch {
                        failure.set("\(error)")
                    }
                    if sum == -1 { print(sum) }
                }
                best = min(best, Clock.now() - start)
                if let message = failure.message { throw TFRecordError(.corrupted, message) }
            }
            let total = Double(perThread * threads)
            try Output.standard.write("random-\(threads)-thread\t\(format(total / best)) lookups/s\t\(format(best / total * 1e9)) ns each\t\(format(best)) s\n")
        }

        /// The next pseudo-random record number in `0 ..< count` (a 64-bit LCG's high bits).
        private static func nextRecordNumber(_ state: inout UInt64, below count: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(count))
        }

        /// One thread, each lookup timed: median and 90th percentile.
        private func benchLatency(_ dataset: Dataset, lookups: Int, openSeconds: Double) throws {
            var state: UInt64 = 0x9E37_79B9_7F4A_7C15
            var times: [Double] = []
            times.reserveCapacity(lookups)
            var sum = 0
            for _ in 0..<max(1, lookups) {
                let i = Self.nextRecordNumber(&state, below: dataset.count)
                let start = Clock.now()
                sum &+= try dataset.withRecord(at: i) { $0.byteCount }
                times.append(Clock.now() - start)
            }
            times.sort()
            let p50 = times[times.count / 2] * 1000, p90 = times[times.count * 9 / 10] * 1000
            try Output.standard.write("random-latency\tp50 \(format(p50)) ms\tp90 \(format(p90)) ms\t\(times.count) lookups of \(dataset.count) records\topen and index \(format(openSeconds)) s\t\(sum) bytes\n")
        }

        private func benchShardWrite(into directory: String) throws {
            let records = try RecordReader(path: paths[0]).allRecords()
            let bytes = Double(records.reduce(0) { $0 + $1.count + 16 })
            let write = writing.writeOptions(compression.compression ?? .none, bufferSize: 1 << 20)
            var best = Double.infinity
            var outputBytes = 0
            for _ in 0..<max(1, runs) {
                var options = ShardWriterOptions(directory: directory, recordsPerShard: shardRecords, write: write)
                if writing.threads > 0 { options.parallelShards = writing.threads }
                let start = Clock.now()
                let writer = try ShardWriter(options: options)
                for record in records { try writer.write(record) }
                let shards = try writer.finish()
                best = min(best, Clock.now() - start)
                outputBytes = shards.reduce(0) { $0 + (FileInfo.size($1.path) ?? 0) }
                for shard in shards {
                    SystemCalls.remove(shard.path)
                    SystemCalls.remove(shard.path + ".tfindex")
                }
            }
            try Output.standard.write("shard-write\t\(format(bytes / best / 1e6)) MB/s\t\(format(Double(records.count) / best)) records/s\t\(format(best)) s\t\(outputBytes) bytes\n")
        }

        /// Writing `records` records of `writeSize` bytes, uncompressed: on one thread ("write"),
        /// then with the file written on a background thread ("write-background").
        private func benchWrite(records: Int) throws {
            let payloads = (0..<1024).map { i in (0..<writeSize).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) } }
            let target = writePath ?? (paths.first ?? "/tmp/x") + ".bench-write"
            defer { SystemCalls.remove(target) }
            for (name, background) in [("write", false), ("write-background", true)] {
                var options = WriteOptions(bufferSize: 1 << 20)
                options.writesInBackground = background
                var best = Double.infinity
                for _ in 0..<max(1, runs) {
                    SystemCalls.remove(target)  // a fresh file each run, removed outside the clock
                    let start = Clock.now()
                    let writer = try RecordWriter(path: target, options: options)
                    for i in 0..<records { try writer.write(payloads[i & 1023]) }
                    try writer.close()
                    best = min(best, Clock.now() - start)
                }
                let bytes = Double(records * (writeSize + 16))
                try Output.standard.write("\(name)\t\(format(Double(records) / best)) records/s\t\(format(bytes / best / 1e9)) GB/s\t\(format(best)) s\n")
            }
        }

        private func format(_ value: Double) -> String {
            let scaled = (value * 1000).rounded() / 1000
            return "\(scaled)"
        }
    }
}

/// The first error of a benchmark's worker threads.
final class RandomFailure: Sendable {
    private let storage = Mutex<String?>(nil)
    var message: String? { storage.withLock { $0 } }
    func set(_ text: String) { storage.withLock { $0 = $0 ?? text } }
}

/// Monotonic wall-clock seconds.
enum Clock {
    static func now() -> Double {
        SystemCalls.monotonicSeconds()
    }
}
