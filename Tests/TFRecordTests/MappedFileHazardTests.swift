import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// A file truncated by someone else while it is mapped gives a clean `.io` error instead of
/// killing the process with SIGBUS; the `read(2)` reader is unaffected by design.
@Suite struct MappedFileHazardTests {
    static func makeFile(records: Int, size: Int) throws -> String {
        let path = Scratch.path("trunc", suffix: ".tfrecord")
        let writer = try RecordWriter(path: path)
        for i in 0..<records { try writer.write([UInt8](repeating: UInt8(i & 0xff), count: size)) }
        try writer.close()
        return path
    }

    @Test func sequentialScanAfterTruncation() throws {
        let path = try Self.makeFile(records: 3000, size: 4000)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try MappedFile(path: path)
        #expect(truncate(path, off_t(file.byteCount / 3)) == 0)
        #expect(throws: TFRecordError.self) { try file.forEachRecord { _, _ in } }
        do {
            try file.forEachRecord { _, _ in }
        } catch let error as TFRecordError {
            #expect(error.kind == .io)
            #expect(error.detail.contains("truncated while open"))
        }
        #expect(throws: TFRecordError.self) { _ = try file.recordOffsets() }
        #expect(throws: TFRecordError.self) { _ = try file.countRecords() }
    }

    @Test func randomAccessAfterTruncation() throws {
        let path = try Self.makeFile(records: 100, size: 10_000)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try MappedFile(path: path, access: .random)
        let offsets = try file.recordOffsets()
        #expect(truncate(path, 4096) == 0)
        #expect(throws: TFRecordError.self) { _ = try file.record(atOffset: offsets[90], recordNumber: 90) }
    }

    @Test func unmappedReaderReportsTruncationAsData() throws {
        let path = try Self.makeFile(records: 100, size: 1000)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try RecordReader(path: path, options: ReadOptions(useMemoryMap: false, bufferSize: 4096))
        _ = try reader.next()
        #expect(truncate(path, 50_000) == 0)
        var thrown: TFRecordError?
        do { while try reader.next() != nil {} } catch { thrown = error as? TFRecordError }
        #expect(thrown?.kind == .truncated)
    }
}
