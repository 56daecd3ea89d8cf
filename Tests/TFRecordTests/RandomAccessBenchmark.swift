import Foundation
import Testing
@testable import TFRecord

/// Random access timing, run by `Benchmarks/compare/compression_seek.sh` with
/// `TFRECORD_SEEK_BENCH=FILE[:FILE...]` (GZIP/ZLIB files, one-stream or blocked): builds the
/// checkpoints, then reads 300 random records through them and prints p50/p90 per record.
/// Skipped otherwise.
@Suite struct RandomAccessBenchmark {
    static let files = ProcessInfo.processInfo.environment["TFRECORD_SEEK_BENCH"]?.split(separator: ":").map(String.init)

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    @Test(.enabled(if: files != nil, "set TFRECORD_SEEK_BENCH to time random access"))
    func randomRecords() throws {
        for path in Self.files! {
            var offsets: [UInt64] = []
            var offset: UInt64 = 0
            let reader = try RecordReader(path: path, options: ReadOptions(verifyChecksums: false))
            try reader.forEach { _, payload in
                offsets.append(offset)
                offset += UInt64(payload.byteCount + 16)
            }
            let t0 = Self.now()
            let checkpoints = try InflateCheckpoints.build(path: path)
            let buildTime = Self.now() - t0
            let seekable = try SeekableCompressedFile(path: path, checkpoints: checkpoints)
            var generator = SystemRandomNumberGenerator()
            var times: [Double] = []
            for _ in 0..<300 {
                let i = Int.random(in: 0..<offsets.count, using: &generator)
                let t = Self.now()
                _ = try seekable.record(atOffset: offsets[i], recordNumber: i)
                times.append(Self.now() - t)
            }
            times.sort()
            let line = String(format: "seek\t%@\t%d records\t%d checkpoints (%d bytes serialized)\tbuild %.2f s\tp50 %.2f ms\tp90 %.2f ms\n",
                              (path as NSString).lastPathComponent, offsets.count, checkpoints.checkpoints.count,
                              checkpoints.serialized().count, buildTime, times[150] * 1000, times[270] * 1000)
            FileHandle.standardError.write(line.data(using: .utf8)!)
        }
    }
}
