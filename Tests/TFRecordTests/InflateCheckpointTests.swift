import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// zran-style checkpoints: every record of every intact GZIP/ZLIB corpus file (several members
/// and streams included) is read at its manifest offset through them, with tiny and default
/// spacings; serialization round-trips and rejects damage.
@Suite struct InflateCheckpointTests {
    static let files = Manifest.shared.files.filter {
        !$0.compression.isEmpty && $0.category != "corrupt" && $0.allMembersRecordSHA256 == nil
            && $0.allStreamsRecordSHA256 == nil && $0.numRecords > 0
    }

    @Test func corpusHasFiles() { #expect(Self.files.count >= 20) }

    @Test(arguments: files, [1000, 1 << 20])
    func everyRecordByOffset(_ file: Manifest.File, _ spacing: Int) throws {
        let checkpoints = try InflateCheckpoints.build(path: file.fullPath, spacing: spacing)
        #expect(checkpoints.uncompressedSize == UInt64(file.uncompressedSize ?? -1))
        // Access points sit at deflate block boundaries (a block may hold much more than the
        // spacing); each keeps the 32 KiB before it, or all of it near the start.
        #expect(checkpoints.checkpoints.first?.atMemberStart == true)
        #expect(checkpoints.checkpoints.allSatisfy {
            $0.atMemberStart ? $0.window.isEmpty && $0.bits == 0
                : !$0.window.isEmpty && UInt64($0.window.count) <= min(32 << 10, $0.uncompressedOffset)
        })
        if spacing == 1000 && file.path.hasPrefix("raw/text_600k") {
            #expect(checkpoints.checkpoints.count >= 2)
        }
        let restored = try InflateCheckpoints(serialized: checkpoints.serialized())
        #expect(restored == checkpoints)
        let seekable = try CompressedFile(path: file.fullPath, checkpoints: restored)
        for (i, offset) in file.recordOffsets.enumerated().reversed() {
            let payload = try seekable.record(atOffset: offset, recordNumber: i)
            #expect(SHA256.hex(payload) == file.recordSHA256[i], "record \(i)")
        }
    }

    @Test func acrossMembersAndStreams() throws {
        for file in Manifest.shared.files where file.path.hasPrefix("concat/") {
            let all = file.allMembersRecordSHA256 ?? file.allStreamsRecordSHA256 ?? file.recordSHA256
            let plain = Self.temporaryCopyUncompressed(file)
            defer { unlink(plain) }
            let offsets = try MappedFile(path: plain).recordOffsets()
            #expect(offsets.count == all.count)
            for spacing in [100, 1 << 20] {
                let seekable = try CompressedFile(path: file.fullPath, spacing: spacing)
                for (i, offset) in offsets.enumerated() {
                    #expect(SHA256.hex(try seekable.record(atOffset: offset, recordNumber: i)) == all[i], "\(file.path) record \(i)")
                }
            }
        }
    }

    static func temporaryCopyUncompressed(_ file: Manifest.File) -> String {
        let out = Scratch.path("ck")
        let writer = try! RecordWriter(path: out)
        for record in try! RecordReader(path: file.fullPath).allRecords() { try! writer.write(record) }
        try! writer.close()
        return out
    }

    @Test func blockedFilesGetOneCheckpointPerMemberWithoutInflating() throws {
        let file = try #require(Self.files.first { $0.path == "raw/text_600k.gzip.tfrecord" })
        let records = try RecordReader(path: file.fullPath).allRecords()
        let out = Scratch.path("ckb")
        defer { unlink(out) }
        var options = WriteOptions(compression: .gzip)
        options.blockSize = 50_000
        let writer = try RecordWriter(path: out, options: options)
        for record in records { try writer.write(record) }
        try writer.close()
        let checkpoints = try InflateCheckpoints.build(path: out)
        let members = BlockedCompressionTests.members([UInt8](try Data(contentsOf: URL(fileURLWithPath: out))))
        #expect(members.count > 10)
        #expect(checkpoints.checkpoints.count == members.count)
        #expect(checkpoints.checkpoints.allSatisfy { $0.atMemberStart && $0.window.isEmpty })
        #expect(checkpoints.uncompressedSize == UInt64(file.uncompressedSize!))
        let seekable = try CompressedFile(path: out, checkpoints: checkpoints)
        for (i, offset) in file.recordOffsets.enumerated().shuffled() {
            #expect(SHA256.hex(try seekable.record(atOffset: offset, recordNumber: i)) == file.recordSHA256[i])
        }
    }

    @Test func damagedSerializationIsRejected() throws {
        let file = try #require(Self.files.first { $0.path == "raw/text_600k.gzip.tfrecord" })
        var bytes = try InflateCheckpoints.build(path: file.fullPath, spacing: 10_000).serialized()
        bytes[bytes.count / 2] ^= 1
        #expect(throws: TFRecordError.self) { try InflateCheckpoints(serialized: bytes) }
        #expect(throws: TFRecordError.self) { try InflateCheckpoints(serialized: Array(bytes.prefix(20))) }
    }

    @Test func outOfRangeIsAnError() throws {
        let file = try #require(Self.files.first { $0.path == "raw/mixed.zlib.tfrecord" })
        let seekable = try CompressedFile(path: file.fullPath)
        #expect(throws: TFRecordError.self) { try seekable.read(at: UInt64(file.uncompressedSize!), count: 1) }
        #expect(try seekable.read(at: 0, count: 12).count == 12)
        #expect { try seekable.record(atOffset: 1) } throws: { ($0 as? TFRecordError)?.kind == .corrupted }
    }
}
