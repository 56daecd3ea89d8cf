import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// Issue 15, second round, item 1, in-process: `RecordReader.forEachRecordSize` streams records
/// bigger than the read buffer past (CRC by pieces) and agrees with `forEachRecord` for every
/// compression; damage inside a streamed record is found (strict) or skipped (recovery).
@Suite struct RecordSizeScanTests {
    static let sizes = [10, 300_000, 5, 1_000_000, 7, 65_536]

    static func payloads() -> [[UInt8]] {
        sizes.enumerated().map { i, n in (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) } }
    }

    @Test(arguments: [ReadMatrix.Encoding(name: "none", compression: .none, blockSize: nil),
                      ReadMatrix.Encoding(name: "gzip", compression: .gzip, blockSize: nil),
                      ReadMatrix.Encoding(name: "zlib", compression: .zlib, blockSize: nil),
                      ReadMatrix.Encoding(name: "lz4", compression: .lz4, blockSize: nil),
                      ReadMatrix.Encoding(name: "blocked", compression: .gzip, blockSize: 128 << 10)])
    func sizesMatchTheDeliveredRecords(_ encoding: ReadMatrix.Encoding) throws {
        let path = Scratch.path("sizes", suffix: ".tfrecord")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ReadMatrix.Fixture.write(Self.payloads(), to: path, encoding)
        var options = ReadOptions(useMemoryMap: false, bufferSize: 64 << 10)
        options.maxRecordSize = 1000   // a cap on delivering: does not apply to sizes
        var sizes: [Int] = []
        try RecordReader(path: path, options: options).forEachRecordSize { number, size in
            #expect(number == sizes.count)
            sizes.append(Int(size))
        }
        #expect(sizes == Self.sizes, "\(encoding)")
    }

    @Test func damageInsideAStreamedRecord() throws {
        let path = Scratch.path("sizes-bad", suffix: ".tfrecord")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ReadMatrix.Fixture.write(Self.payloads(), to: path, ReadMatrix.Encoding(name: "none", compression: .none, blockSize: nil))
        // Flip a byte in the middle of record 3's payload (1 MB, streamed with a 64 KiB buffer).
        let record3 = 16 * 3 + 10 + 300_000 + 5
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[record3 + 12 + 500_000] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let options = ReadOptions(useMemoryMap: false, bufferSize: 64 << 10)
        var seen: [Int] = []
        do {
            try RecordReader(path: path, options: options).forEachRecordSize { _, size in seen.append(Int(size)) }
            Issue.record("damage not found")
        } catch let error as TFRecordError {
            #expect(error.kind == .corrupted && error.recordNumber == 3 && error.offset == UInt64(record3 + 12), "\(error)")
        }
        #expect(seen == Array(Self.sizes.prefix(3)))
        // Recovery: the damaged record is skipped whole, the rest are found.
        var recovery = options
        recovery.skipCorrupt = true
        let reader = try RecordReader(path: path, options: recovery)
        seen = []
        try reader.forEachRecordSize { _, size in seen.append(Int(size)) }
        #expect(seen == [10, 300_000, 5, 7, 65_536])
        #expect(reader.skippedRanges.map(\.range) == [UInt64(record3)..<UInt64(record3 + 16 + 1_000_000)])
    }
}
