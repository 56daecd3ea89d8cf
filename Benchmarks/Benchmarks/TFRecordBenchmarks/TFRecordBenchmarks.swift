import Benchmark
import Foundation
import TFRecord

/// Suites: CRC32C per buffer size, header scan / index build, sequential read (CRC on and off),
/// random lookup, writing. Files are generated under the temporary folder on first use.
/// CI gates only on malloc counts (deterministic); wall-clock numbers are reported.
let benchmarks: @Sendable () -> Void = {
    // CI sets BENCHMARK_MALLOC_ONLY=1 and checks malloc counts against Thresholds/ (they are
    // deterministic); wall-clock figures are reported only.
    let mallocOnly = ProcessInfo.processInfo.environment["BENCHMARK_MALLOC_ONLY"] != nil
    Benchmark.defaultConfiguration = .init(
        metrics: mallocOnly ? [.mallocCountTotal] : [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 1,
        maxDuration: .seconds(mallocOnly ? 1 : 2),
        maxIterations: mallocOnly ? 5 : 1000
    )

    // MARK: CRC32C
    for implementation in CRC32C.availableImplementations {
        for size in [64, 4096, 65_536, 1 << 20, 16 << 20] {
            let buffer = [UInt8](repeating: 0xA5, count: size)
            Benchmark("CRC32C.\(implementation).\(size)B", configuration: .init(scalingFactor: .one)) { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(CRC32C.checksum(buffer, implementation: implementation))
                }
            }
        }
    }

    // MARK: Framing
    let small = BenchmarkData.file(name: "bench-100b-64MiB.tfrecord", payloadSize: 100, totalBytes: 64 << 20)
    let large = BenchmarkData.file(name: "bench-1MiB-64MiB.tfrecord", payloadSize: 1 << 20, totalBytes: 64 << 20)

    Benchmark("IndexBuild.64MiB.100B-records") { benchmark in
        let file = try RecordFile(path: small())
        benchmark.startMeasurement()
        blackHole(try file.recordOffsets())
    }

    for (label, path) in [("100B", small), ("1MiB", large)] {
        for verify in [true, false] {
            Benchmark("SequentialRead.64MiB.\(label)-records.crc-\(verify ? "on" : "off")") { benchmark in
                let file = try RecordFile(path: path())
                benchmark.startMeasurement()
                var bytes = 0
                try file.forEachRecord(verifyingChecksums: verify) { _, payload in bytes &+= payload.byteCount }
                blackHole(bytes)
            }
        }
    }

    Benchmark("RandomLookup.100B-records.crc-on", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let file = try RecordFile(path: small(), access: .random)
        let offsets = try file.recordOffsets()
        var state: UInt64 = 1
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let i = Int(state >> 33) % offsets.count
            try file.withRecord(atOffset: offsets[i]) { blackHole($0.byteCount) }
        }
    }

    Benchmark("Write.100k.100B-records", configuration: .init(scalingFactor: .one)) { benchmark in
        let payload = [UInt8](repeating: 7, count: 100)
        let path = NSTemporaryDirectory() + "bench-write-\(getpid()).tfrecord"
        defer { unlink(path) }
        for _ in benchmark.scaledIterations {
            let writer = try RecordWriter(path: path)
            for _ in 0..<100_000 { try writer.write(payload) }
            try writer.close()
        }
    }
}

/// Synthetic input files, made once per machine in the temporary folder.
enum BenchmarkData {
    /// Returns a function giving the path of the file, creating it on first call.
    static func file(name: String, payloadSize: Int, totalBytes: Int) -> @Sendable () -> String {
        {
            let path = NSTemporaryDirectory() + name
            if !FileManager.default.fileExists(atPath: path) {
                let writer = try! RecordWriter(path: path)
                var payload = [UInt8](repeating: 0, count: payloadSize)
                for i in 0..<max(1, totalBytes / (payloadSize + 16)) {
                    for j in stride(from: 0, to: payloadSize, by: 97) { payload[j] = UInt8(truncatingIfNeeded: i &+ j) }
                    try! writer.write(payload)
                }
                try! writer.close()
            }
            return path
        }
    }
}
