import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// GZIP and ZLIB shards of the corpus: the index (built by decompressing front to back) lists
/// the manifest's offsets in the uncompressed stream, its sidecar carries the inflate
/// checkpoints in the optional section, and every record can then be fetched by number.
@Suite struct CompressedIndexTests {
    /// Intact compressed files, except 0-byte ones (nothing to decompress: they read as empty
    /// uncompressed files) and the concatenations where TensorFlow stops early (an empty GZIP
    /// member, a second ZLIB stream), where our reader reads on by design.
    static let compressedFiles = Manifest.shared.files.filter {
        !$0.compression.isEmpty && $0.isIntact && $0.category != "corrupt_source"
            && ($0.fileSize) > 0
            && $0.allMembersRecordSHA256 == nil && $0.allStreamsRecordSHA256 == nil
    }

    @Test func corpusHasCompressedFiles() {
        #expect(Self.compressedFiles.count >= 10)
    }

    @Test(arguments: compressedFiles)
    func indexWithCheckpointsFetchesEveryRecord(_ file: Manifest.File) throws {
        let folder = try Scratch.folder("idx")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shard = folder + "/shard.tfrecord"
        try FileManager.default.copyItem(atPath: file.fullPath, toPath: shard)
        let index = try RecordIndex.build(path: shard, verifyingChecksums: true)
        #expect(index.offsets == file.recordOffsets)
        #expect(index.compression == (file.compression == "GZIP" ? .gzip : .zlib))
        #expect(index.streamSize == UInt64(file.uncompressedSize ?? -1))
        #expect(index.textRepresentation() == Manifest.expectedTextIndex(file))
        let checkpoints = try #require(index.checkpoints)
        try index.write(to: RecordIndex.sidecarPath(for: shard))
        #expect(RecordFile.indexedCount(ofShardAt: shard) == file.numRecords)
        let loaded = try RecordIndex.load(from: RecordIndex.sidecarPath(for: shard))
        #expect(loaded.offsets == file.recordOffsets)
        #expect(loaded.checkpoints == checkpoints)
        #expect(try loaded.staleness(againstShardAt: shard) == nil)
        let seekable = try CompressedFile(path: shard, checkpoints: try #require(loaded.checkpoints))
        for i in (0..<loaded.count).shuffled() {
            let payload = try seekable.record(atOffset: loaded.offset(ofRecord: i), recordNumber: i)
            #expect(SHA256.hex(payload) == file.recordSHA256[i])
        }
        // Random access through RecordFile uses the saved checkpoints.
        let indexed = try RecordFile(path: shard, options: IndexOptions(missing: .refuse, stale: .refuse))
        #expect(indexed.count == file.numRecords)
        for i in (0..<indexed.count).shuffled() {
            #expect(SHA256.hex(try indexed.record(at: i)) == file.recordSHA256[i])
        }
    }

    @Test func damagedCheckpointSectionIsDetected() throws {
        let file = try #require(Self.compressedFiles.first { $0.numRecords > 3 })
        let folder = try Scratch.folder("idx")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shard = folder + "/shard.tfrecord"
        try FileManager.default.copyItem(atPath: file.fullPath, toPath: shard)
        let sidecar = RecordIndex.sidecarPath(for: shard)
        try RecordIndex.build(path: shard).write(to: sidecar)
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: sidecar)))
        bytes[64 + 8 * file.numRecords + 16 + 20] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: sidecar))
        do {
            _ = try RecordIndex.load(from: sidecar)
            Issue.record("a damaged checkpoint section was loaded")
        } catch {
            #expect(error.kind == .corrupted)
            #expect(error.path == sidecar)
        }
    }
}
