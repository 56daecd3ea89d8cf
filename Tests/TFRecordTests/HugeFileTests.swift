import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// Offsets above 4 GiB. Off by default (needs ~5 GiB of disk and about a minute):
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
