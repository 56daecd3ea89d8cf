// Index and random-access benchmark driver for Benchmarks/compare/index.sh (release build).
// Subcommands:
//   gen FILE BYTES RECORD_SIZE          write ~BYTES of RECORD_SIZE-byte records
//   gen-shards DIR SHARDS RECORDS SIZE  write SHARDS shards with sidecar indexes
//   build FILE RUNS                     index build, payload CRCs off and on; memory-read ceiling
//   lookups FILE COUNT THREADS          random record(at:) with payload CRC verified
//   open DIR RUNS                       Dataset(paths: [DIR]) over indexed shards
import Foundation
import TFRecord
import TFRecordExample

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// CPU time (user + system) of the whole process, in seconds: robust to other processes
/// competing for the cores, unlike wall time.
func cpuTime() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// CPU seconds of the fastest (by CPU time) of the runs passed to the last `best` call.
nonisolated(unsafe) var lastBestCPU = 0.0

/// The shortest wall time of `runs` runs of `body`; sets `lastBestCPU` to the shortest CPU time.
func best(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
    var bestTime = Double.infinity
    var bestCPU = Double.infinity
    for _ in 0..<runs {
        let cpu = cpuTime()
        let start = now()
        try body()
        bestTime = min(bestTime, now() - start)
        bestCPU = min(bestCPU, cpuTime() - cpu)
    }
    lastBestCPU = bestCPU
    return bestTime
}

struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func gen(_ path: String, bytes: Int, recordSize: Int) throws {
    let writer = try RecordWriter(path: path, options: WriteOptions())
    var rng = SplitMix(state: 1)
    var payload = [UInt8](repeating: 0, count: recordSize)
    let count = bytes / (recordSize + 16)
    for _ in 0..<count {
        let v = rng.next()
        for k in 0..<min(8, recordSize) { payload[k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) }
        try writer.write(payload)
    }
    try writer.close()
}

let args = CommandLine.arguments
switch args[1] {
case "gen":
    try gen(args[2], bytes: Int(args[3])!, recordSize: Int(args[4])!)
case "gen-shards":
    let dir = args[2], shards = Int(args[3])!, records = Int(args[4])!, size = Int(args[5])!
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for s in 0..<shards {
        let path = dir + "/" + String(format: "train-%05d-of-%05d.tfrecord", s, shards)
        try gen(path, bytes: records * (size + 16), recordSize: size)
        try RecordIndex.build(path: path).write(to: RecordIndex.sidecarPath(for: path))
    }
case "build":
    let path = args[2], runs = Int(args[3])!
    var count = 0
    // Public API only (the mapped-file type is package-internal): build(path:) maps the file on
    // each call; the map and the shard fingerprint add well under 1 % on a 1 GiB file.
    let fast = try best(runs) { count = try RecordIndex.build(path: path, verifyingChecksums: false).count }
    let fastCPU = lastBestCPU
    let checked = try best(runs) { count = try RecordIndex.build(path: path, verifyingChecksums: true).count }
    let checkedCPU = lastBestCPU
    // Memory-read ceiling: sum every 8-byte word of the mapped file (touches every byte).
    var sink: UInt64 = 0
    let ceiling = best(runs) {
        try! RecordReader(path: path, options: ReadOptions(verifyingChecksums: false)).forEachRecord { _, _ in }
    }
    let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    let sumTime = best(runs) {
        data.withUnsafeBytes { raw in
            let words = raw.count / 8
            var a: UInt64 = 0, b: UInt64 = 0, c: UInt64 = 0, d: UInt64 = 0
            var i = 0
            while i + 4 <= words {
                a &+= raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)
                b &+= raw.loadUnaligned(fromByteOffset: i * 8 + 8, as: UInt64.self)
                c &+= raw.loadUnaligned(fromByteOffset: i * 8 + 16, as: UInt64.self)
                d &+= raw.loadUnaligned(fromByteOffset: i * 8 + 24, as: UInt64.self)
                i += 4
            }
            sink &+= a &+ b &+ c &+ d
        }
    }
    let gb = Double(data.count) / 1e9
    print(String(format: "build\t%@\trecords=%d\tsize_gb=%.3f", path, count, gb))
    print(String(format: "build_headers_only\t%.4f s\t%.1f Mrec/s\t%.2f GB/s\tcpu %.4f s\t%.1f Mrec per cpu-second", fast, Double(count) / fast / 1e6, gb / fast, fastCPU, Double(count) / fastCPU / 1e6))
    print(String(format: "build_payload_crc\t%.4f s\t%.1f Mrec/s\t%.2f GB/s\tcpu %.4f s\t%.1f Mrec per cpu-second", checked, Double(count) / checked / 1e6, gb / checked, checkedCPU, Double(count) / checkedCPU / 1e6))
    print(String(format: "scan_no_crc_forEachRecord\t%.4f s\t%.2f GB/s", ceiling, gb / ceiling))
    print(String(format: "memory_read_ceiling_sum\t%.4f s\t%.2f GB/s\t(sink %llu)", sumTime, gb / sumTime, sink & 1))
case "lookups":
    let path = args[2], total = Int(args[3])!, threads = Int(args[4])!
    let indexed = try RecordFile(path: path)
    let n = indexed.count
    let perThread = total / threads
    // Warm up: touch every record once so the page tables are populated, as a long run would.
    for i in 0..<n { _ = try indexed.withRecord(at: i, verifyingChecksums: false) { $0.byteCount } }
    for (batched, crc) in [(false, true), (true, true), (false, false)] {
        let picks: [[Int]] = (0..<threads).map { t in
            var rng = SplitMix(state: UInt64(t + 1))
            return (0..<perThread).map { _ in Int(rng.next() % UInt64(n)) }
        }
        let sums = UnsafeMutableBufferPointer<Int>.allocate(capacity: threads)
        let cpuStart = cpuTime()
        let start = now()
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            var sum = 0
            if batched {
                try! indexed.forEachRecord(at: picks[t], verifyingChecksums: crc) { _, payload in sum &+= payload.byteCount }
            } else {
                for i in picks[t] {
                    sum &+= try! indexed.withRecord(at: i, verifyingChecksums: crc) { $0.byteCount }
                }
            }
            sums[t] = sum
        }
        let elapsed = now() - start
        let cpu = cpuTime() - cpuStart
        sums.deallocate()
        let total = Double(perThread * threads)
        print(String(format: "lookups%@\t%@\tthreads=%d\t%d lookups\t%.3f s\t%.2f M lookups/s (%@)\tcpu %.3f s\t%.2f M lookups per cpu-second",
                     batched ? "_batched" : "", path, threads, perThread * threads, elapsed, total / elapsed / 1e6,
                     crc ? "payload CRC verified" : "length CRC only", cpu, total / cpu / 1e6))
    }
case "open":
    let dir = args[2], runs = Int(args[3])!
    var count = 0, shards = 0
    let options = IndexOptions(missing: .refuse, stale: .refuse)
    let t = try best(runs) {
        let dataset = try Dataset(paths: [dir], options: options)
        count = dataset.count
        shards = dataset.shardCount
    }
    let dataset = try Dataset(paths: [dir], options: options)
    let first = best(1) {
        for s in 0..<dataset.shardCount { _ = try! dataset.shard(s) }
    }
    print(String(format: "open\t%@\tshards=%d\trecords=%d\topen %.2f ms (best of %d)\tthen first access of every shard (map + offsets CRC + fingerprint) %.2f ms",
                 dir, shards, count, t * 1000, runs, first * 1000))
default:
    fatalError("unknown subcommand \(args[1])")
}
