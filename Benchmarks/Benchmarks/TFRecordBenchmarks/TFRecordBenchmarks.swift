import Benchmark
import Foundation
import TFRecord
import TFRecordExample

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
        maxIterations: mallocOnly ? 5 : 1000,
        // Allocation counts move by a few between runs (thread pools started by Dispatch, the
        // length of a random temporary name); a regression worth catching is per record, so
        // thousands. Deviations of up to 16 from Thresholds/ pass.
        thresholds: [.mallocCountTotal: .init(absolute: [.p90: 16])]
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

    // The suite reaches the library through its public API only (MappedFile is package-internal
    // since the refactor of issue 14): sequential reads through RecordReader (which maps an
    // uncompressed file and runs the same scan), index builds through RecordIndex.build(path:),
    // lookups through the indexed RecordFile.
    Benchmark("IndexBuild.64MiB.100B-records") { benchmark in
        let path = small()
        benchmark.startMeasurement()
        blackHole(try RecordIndex.build(path: path, verifyingChecksums: false).count)
    }

    for (label, path) in [("100B", small), ("1MiB", large)] {
        for verify in [true, false] {
            Benchmark("SequentialRead.64MiB.\(label)-records.crc-\(verify ? "on" : "off")") { benchmark in
                let reader = try RecordReader(path: path(), options: ReadOptions(verifyingChecksums: verify))
                benchmark.startMeasurement()
                var bytes = 0
                try reader.forEachRecord { _, payload in bytes &+= payload.byteCount }
                blackHole(bytes)
            }
        }
    }

    Benchmark("RandomLookup.100B-records.crc-on", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let file = try RecordFile(path: small())
        let count = file.count
        var state: UInt64 = 1
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let i = Int(state >> 33) % count
            try file.withRecord(at: i) { blackHole($0.byteCount) }
        }
    }

    Benchmark("RandomLookup.100B-records.crc-on.batched", configuration: .init(scalingFactor: .kilo)) { benchmark in
        let file = try RecordFile(path: small())
        var state: UInt64 = 1
        let picks: [Int] = (0..<benchmark.scaledIterations.count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % file.count
        }
        benchmark.startMeasurement()
        var bytes = 0
        try file.forEachRecord(at: picks) { _, payload in bytes &+= payload.byteCount }
        blackHole(bytes)
    }

    // MARK: Compression (64 MiB of text-like 1 KiB records)
    let text = BenchmarkData.textFile(name: "bench-text-1KiB-16MiB.tfrecord", payloadSize: 1024, totalBytes: 16 << 20)
    let text100 = BenchmarkData.textFile(name: "bench-text-100B-4MiB.tfrecord", payloadSize: 100, totalBytes: 4 << 20)
    Benchmark("Write.GZIP.4MiB.100B-records", configuration: .init(scalingFactor: .one)) { benchmark in
        let records = try RecordReader(path: text100()).allRecords()
        let path = NSTemporaryDirectory() + "bench-GZIP100-\(getpid())"
        defer { unlink(path) }
        benchmark.startMeasurement()
        let writer = try RecordWriter(path: path, options: WriteOptions(compression: .gzip))
        for record in records { try writer.write(record) }
        try writer.close()
    }
    for (name, compression, blockSize) in [("GZIP", Compression.gzip, nil), ("ZLIB", .zlib, nil),
                                           ("BlockedGZIP", .gzip, 1 << 20), ("LZ4", .lz4, nil)] as [(String, Compression, Int?)]
        // Blocked GZIP runs on several threads: its allocation count varies, so it is not gated.
        where !(mallocOnly && blockSize != nil) {
        Benchmark("Write.\(name).16MiB.1KiB-records", configuration: .init(scalingFactor: .one)) { benchmark in
            let records = try RecordReader(path: text()).allRecords()
            var options = WriteOptions(compression: compression)
            options.blockSize = blockSize
            let path = NSTemporaryDirectory() + "bench-\(name)-\(getpid())"
            defer { unlink(path) }
            benchmark.startMeasurement()
            let writer = try RecordWriter(path: path, options: options)
            for record in records { try writer.write(record) }
            try writer.close()
        }
        Benchmark("Read.\(name).16MiB.1KiB-records.crc-on", configuration: .init(scalingFactor: .one)) { benchmark in
            let records = try RecordReader(path: text()).allRecords()
            var options = WriteOptions(compression: compression)
            options.blockSize = blockSize
            let path = NSTemporaryDirectory() + "bench-read-\(name).tfrecord"
            if !FileManager.default.fileExists(atPath: path) {
                let writer = try RecordWriter(path: path, options: options)
                for record in records { try writer.write(record) }
                try writer.close()
            }
            benchmark.startMeasurement()
            var bytes = 0
            try RecordReader(path: path).forEachRecord { _, payload in bytes &+= payload.byteCount }
            blackHole(bytes)
        }
    }

    // MARK: tf.train.Example
    let coco: Example = [
        "image": .bytes([UInt8](repeating: 0x42, count: 100 << 10)), "area": 367.89, "bbox": [265.67, 99.2, 10, 8],
        "category_id": 18, "id": 1768, "image_id": 289343, "iscrowd": 0, "height": 480, "width": 640,
        "segmentation": [239.97, 260.24, 222.04, 270.49, 199.84, 253.41, 213.5, 227.79],
    ]
    let cocoBytes = coco.serialized()
    Benchmark("Example.encode.coco-like", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(coco.serialized()) }
    }
    Benchmark("Example.decode.coco-like", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try Example(serialized: cocoBytes.span.bytes)) }
    }
    Benchmark("Example.view-lookup.coco-like", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try ExampleView(cocoBytes.span.bytes).feature(named: "category_id")?.int64s())
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
    /// Like `file`, with compressible text-like payloads (words from a small vocabulary).
    static func textFile(name: String, payloadSize: Int, totalBytes: Int) -> @Sendable () -> String {
        {
            let path = NSTemporaryDirectory() + name
            if !FileManager.default.fileExists(atPath: path) {
                let words = ["the", "record", "tensor", "flow", "shard", "image", "label", "bbox", "train", "12", "3.5", "area"]
                let writer = try! RecordWriter(path: path)
                var state: UInt64 = 7
                for _ in 0..<max(1, totalBytes / (payloadSize + 16)) {
                    var payload: [UInt8] = []
                    while payload.count < payloadSize {
                        state = state &* 6364136223846793005 &+ 1442695040888963407
                        payload += Array(words[Int(state >> 60) % words.count].utf8) + [0x20]
                    }
                    try! writer.write(Array(payload.prefix(payloadSize)))
                }
                try! writer.close()
            }
            return path
        }
    }

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
