import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// Files of large records (the first ≥ 64 KiB, the file over 16 MiB) are scanned in windows
/// behind a helper thread that maps pages ahead: the same records, errors and recovery as the
/// plain scan, including records longer than a window.
@Suite struct LargeRecordScanTests {
    static func sizes() -> [Int] {
        (0..<30).map { i in [1 << 20, 70_000, 3 << 20, 5 << 20 + 7, 100, 0, 2 << 20][i % 7] }
    }

    static func payload(_ i: Int, _ size: Int) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) }
    }

    static func write(_ path: String) throws -> [[UInt8]] {
        let payloads = sizes().enumerated().map { payload($0.offset, $0.element) }
        let writer = try RecordWriter(path: path)
        for p in payloads { try writer.write(p) }
        try writer.close()
        return payloads
    }

    @Test func readsEveryRecordAndDetectsDamage() throws {
        let path = Scratch.path("large", suffix: ".tfrecord")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let payloads = try Self.write(path)
        let file = try MappedFile(path: path)
        #expect(file.byteCount > 16 << 20)
        var read: [[UInt8]] = []
        try file.forEachRecord { _, payload in read.append(payload.withUnsafeBytes { [UInt8]($0) }) }
        #expect(read.count == payloads.count)
        #expect(read == payloads)

        // Damage the payload of record 17 (a 3 MiB record, crossing windows).
        let offsets = try file.recordOffsets()
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[Int(offsets[17]) + 12 + 2_000_000] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let damaged = try MappedFile(path: path)
        var count = 0
        do {
            try damaged.forEachRecord { _, _ in count += 1 }
            Issue.record("damage not reported")
        } catch let error as TFRecordError {
            #expect(error.kind == .corrupted && error.recordNumber == 17 && error.offset == offsets[17] + 12)
        }
        #expect(count == 17)
        var recovered: [[UInt8]] = []
        var skipped: [SkippedRange] = []
        try damaged.forEachRecord(skippingCorrupt: { skipped.append($0) }) { _, payload in
            recovered.append(payload.withUnsafeBytes { [UInt8]($0) })
        }
        #expect(recovered == payloads.enumerated().filter { $0.offset != 17 }.map(\.element))
        #expect(skipped.count == 1 && skipped[0].range.lowerBound == offsets[17])

        // Cut the file inside record 24 (5 MiB, longer than a window).
        try Data(bytes[..<(Int(offsets[24]) + 1000)]).write(to: URL(fileURLWithPath: path))
        let cut = try MappedFile(path: path)
        do {
            try cut.forEachRecord(verifyingChecksums: false) { _, _ in }
            Issue.record("truncation not reported")
        } catch let error as TFRecordError {
            #expect(error.kind == .truncated && error.recordNumber == 24 && error.offset == offsets[24], "\(error)")
        }
    }
}
