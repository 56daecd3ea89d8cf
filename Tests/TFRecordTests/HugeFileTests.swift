import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// Offsets above 4 GiB on a sparse file, always (a few MiB of disk, about a second): one record
/// whose 4.4 GiB payload is a hole (zeros, CRC computed here), framed small records before and
/// after it. The scan, random reads, a built index and its sidecar must all carry offsets past
/// 2^32 exactly; the huge payload itself is never read (its pages would fill the page cache).
@Suite struct SparseHugeFileTests {
    static func frame(_ payload: [UInt8]) -> [UInt8] {
        var length = [UInt8](repeating: 0, count: 8)
        for k in 0..<8 { length[k] = UInt8(truncatingIfNeeded: UInt64(payload.count) >> (8 * k)) }
        return length + le32(CRC32C.mask(CRC32C.checksum(length))) + payload + le32(CRC32C.mask(CRC32C.checksum(payload)))
    }

    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

    @Test func offsetsPastFourGiBOnASparseFile() throws {
        let path = Scratch.path("sparse-huge", suffix: ".tfrecord")
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: path + ".tfindex") }
        let head = Self.frame(Array("head".utf8))
        let hugeLength: UInt64 = 70 << 26   // 70 × 64 MiB ≈ 4.4 GiB of zeros
        var lengthBytes = [UInt8](repeating: 0, count: 8)
        for k in 0..<8 { lengthBytes[k] = UInt8(truncatingIfNeeded: hugeLength >> (8 * k)) }
        let zeros = [UInt8](repeating: 0, count: 64 << 20)
        var crc: UInt32 = 0
        for _ in 0..<70 { crc = CRC32C.extend(crc, zeros.span.bytes) }
        let tails = (0..<5).map { Array("tail \($0) ".utf8) + [UInt8](repeating: UInt8($0), count: $0 * 100) }
        _ = FileManager.default.createFile(atPath: path, contents: Data(head + lengthBytes + Self.le32(CRC32C.mask(CRC32C.checksum(lengthBytes)))))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        let hugeStart = UInt64(head.count)
        try handle.seek(toOffset: hugeStart + 12 + hugeLength)   // the payload is a hole
        var expected = [0, hugeStart]
        var tailBytes = Self.le32(CRC32C.mask(crc))
        var offset = hugeStart + 12 + hugeLength + 4
        for tail in tails {
            expected.append(offset)
            let framed = Self.frame(tail)
            tailBytes += framed
            offset += UInt64(framed.count)
        }
        try handle.write(contentsOf: Data(tailBytes))
        try handle.close()
        #expect(expected.last! > UInt64(UInt32.max))

        let file = try MappedFile(path: path, access: .random)
        let offsets = try file.recordOffsets()
        #expect(offsets == expected)
        #expect(try file.record(atOffset: 0) == Array("head".utf8))
        for (k, tail) in tails.enumerated() {
            #expect(try file.record(atOffset: expected[2 + k]) == tail, "tail record \(k)")
        }
        let index = try RecordIndex.build(for: file)
        #expect(index.offsets == expected)
        try index.write(to: path + ".tfindex")
        #expect(try RecordIndex.load(from: path + ".tfindex").offsets == expected)
        let random = try RecordFile(path: path, options: IndexOptions(missing: .refuse, stale: .refuse))
        #expect(random.count == 2 + tails.count)
        for (k, tail) in tails.enumerated().reversed() {
            #expect(try random.record(at: 2 + k) == tail, "record \(2 + k) through the sidecar")
        }
    }
}

/// Offsets above 4 GiB on a real file. Off by default (needs ~5 GiB of disk and about a
/// minute; `SparseHugeFileTests` covers the offsets always):
/// `TFRECORD_HUGE_TESTS=1 swift test --filter HugeFileTests`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["TFRECORD_HUGE_TESTS"] != nil,
                "set TFRECORD_HUGE_TESTS=1 to write and read a file over 4 GiB"))
struct HugeFileTests {
    @Test func recordsPastFourGiB() throws {
        let path = Scratch.path("huge", suffix: ".tfrecord")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let chunk = [UInt8](repeating: 0x5A, count: 64 << 20)
        let writer = try RecordWriter(path: path, options: WriteOptions(bufferSize: 1 << 20))
        var expectedOffsets: [UInt64] = []
        for i in 0..<70 {  // 70 × 64 MiB ≈ 4.4 GiB
            expectedOffsets.append(writer.uncompressedOffset)
            var payload = chunk
            payload[0] = UInt8(i)
            try writer.write(payload)
        }
        try writer.write(Array("tail".utf8))
        try writer.close()
        let file = try MappedFile(path: path, access: .random)
        let offsets = try file.recordOffsets()
        #expect(Array(offsets.prefix(70)) == expectedOffsets)
        #expect(offsets.last! > UInt64(UInt32.max))
        #expect(try file.record(atOffset: offsets[69])[0] == 69)
        #expect(try file.record(atOffset: offsets[70]) == Array("tail".utf8))
        let index = try RecordIndex.build(for: file)
        #expect(index.offset(ofRecord: 70) == offsets[70])
    }
}
