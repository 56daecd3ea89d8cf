import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// A GZIP/ZLIB shard whose compression is intact but one record's payload is not: a TensorFlow
/// file with one payload byte changed, compressed by the `gzip` tool (so the deflate stream and its
/// CRC-32 are valid, and only the record's own payload CRC knows). Random access through the
/// index (`RecordFile`, `Dataset`) inflates from a checkpoint and never reaches the member's
/// trailer: the payload CRC is the only guard, and it must throw, naming record and offset.
@Suite struct CompressedRandomAccessDamageTests {
    static let source = Manifest.shared.files.first { $0.path == "raw/mixed.tfrecord" }!
    static let damaged = 20

    /// The damaged uncompressed bytes, then gzip'ed by the gzip tool; returns the .gz path.
    static func damagedGzip() throws -> String {
        let plain = Scratch.path("payload-damage", suffix: ".tfrecord")
        var bytes = try [UInt8](Data(contentsOf: source.url))
        #expect(source.recordLengths[damaged] > 0)
        bytes[Int(source.recordOffsets[damaged]) + 12] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: plain))
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gzip.arguments = ["gzip", "-f", plain]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
        return plain + ".gz"
    }

    @Test func recordFileThrowsOnTheDamagedPayloadOnly() throws {
        let path = try Self.damagedGzip()
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: path + ".tfindex") }
        let file = try RecordFile(path: path)
        #expect(file.count == Self.source.numRecords)
        let error = #expect(throws: TFRecordError.self) { _ = try file.record(at: Self.damaged) }
        #expect(error?.kind == .corrupted)
        #expect(error?.detail.contains("payload checksum mismatch") == true, "\(String(describing: error))")
        #expect(error?.recordNumber == Self.damaged)
        #expect(error?.offset == Self.source.recordOffsets[Self.damaged] + 12)
        // Without the check the damaged bytes come back; the neighbours are intact either way.
        #expect(try SHA256.hex(file.record(at: Self.damaged, verifyingChecksums: false)) != Self.source.recordSHA256[Self.damaged])
        for i in [0, Self.damaged - 1, Self.damaged + 1, Self.source.numRecords - 1] {
            #expect(try SHA256.hex(file.record(at: i)) == Self.source.recordSHA256[i], "record \(i)")
        }
        #expect(throws: TFRecordError.self) { try file.withRecord(at: Self.damaged) { _ in () } }
    }

    @Test func datasetThrowsOnTheDamagedPayload() throws {
        let folder = try Scratch.folder("payload-damage-set")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = try Self.damagedGzip()
        try FileManager.default.moveItem(atPath: path, toPath: folder + "/part-0.tfrecord.gz")
        let dataset = try Dataset(paths: [folder])
        #expect(dataset.count == Self.source.numRecords)
        let error = #expect(throws: TFRecordError.self) { _ = try dataset.record(at: Self.damaged) }
        #expect(error?.detail.contains("payload checksum mismatch") == true, "\(String(describing: error))")
        #expect(try SHA256.hex(dataset.record(at: Self.damaged + 1)) == Self.source.recordSHA256[Self.damaged + 1])
    }
}
