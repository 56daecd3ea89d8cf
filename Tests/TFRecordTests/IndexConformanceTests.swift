import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// For every intact, uncompressed file of the TensorFlow-made corpus: our index lists exactly
/// the manifest's offsets, survives being saved and mapped back, exports the text index the
/// PyPI `tfrecord` package writes, and fetches every record by number.
@Suite struct IndexConformanceTests {
    static let plainFiles = Manifest.shared.files.filter { $0.compression.isEmpty && $0.isIntact }

    /// A fresh folder under the temporary directory.
    @Test func corpusHasPlainFiles() {
        #expect(Self.plainFiles.count >= 20)
    }

    @Test(arguments: plainFiles)
    func indexListsManifestOffsets(_ file: Manifest.File) throws {
        let recordFile = try MappedFile(path: file.fullPath)
        for verify in [false, true] {
            let index = try RecordIndex.build(for: recordFile, verifyingChecksums: verify)
            #expect(index.offsets == file.recordOffsets)
            #expect(index.count == file.numRecords)
            #expect(index.checksumsVerified == verify)
            #expect(index.compression == .none)
            #expect(index.streamSize == UInt64(recordFile.byteCount))
        }
        #expect(try RecordIndex.build(path: file.fullPath).offsets == file.recordOffsets)
    }

    /// More records than the first offsets block holds (2^20), so the block must grow.
    @Test func buildGrowsPastTheFirstBlock() throws {
        let folder = try Scratch.folder("idx")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let one = folder + "/one.tfrecord"
        let writer = try RecordWriter(path: one)
        try writer.write([])
        try writer.close()
        let record = try Data(contentsOf: URL(fileURLWithPath: one))
        #expect(record.count == 16)
        let count = (1 << 20) * 5 / 2 + 3
        let many = folder + "/many.tfrecord"
        try Data(repeating: 0, count: 0).write(to: URL(fileURLWithPath: many))
        var bytes = Data(capacity: count * 16)
        for _ in 0..<count { bytes.append(record) }
        try bytes.write(to: URL(fileURLWithPath: many))
        let index = try RecordIndex.build(path: many)
        #expect(index.count == count)
        for i in [0, 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, count - 1] {
            #expect(index.offset(ofRecord: i) == UInt64(16 * i))
        }
        try index.write(to: many + ".tfindex")
        #expect(try RecordIndex.load(from: many + ".tfindex").offsets == index.offsets)
    }

    @Test(arguments: plainFiles)
    func savedIndexReloadsEqual(_ file: Manifest.File) throws {
        let folder = try Scratch.folder("idx")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let index = try RecordIndex.build(path: file.fullPath, verifyingChecksums: true)
        let saved = folder + "/x.tfindex"
        try index.write(to: saved)
        let size = try FileManager.default.attributesOfItem(atPath: saved)[.size] as! Int
        #expect(size == 64 + 8 * file.numRecords)
        let loaded = try RecordIndex.load(from: saved)
        #expect(loaded.offsets == file.recordOffsets)
        #expect(loaded.count == index.count)
        #expect(loaded.shard == index.shard)
        #expect(loaded.streamSize == index.streamSize)
        #expect(loaded.checksumsVerified)
        #expect(try loaded.staleness(againstShardAt: file.fullPath) == nil)
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["x.tfindex"])
    }

    @Test(arguments: plainFiles)
    func textExportMatchesTfrecord2idx(_ file: Manifest.File) throws {
        let index = try RecordIndex.build(path: file.fullPath)
        let text = index.textRepresentation()
        #expect(text == Manifest.expectedTextIndex(file))
        let recordFile = try MappedFile(path: file.fullPath)
        let imported = try RecordIndex.importText(text, for: recordFile, verifyingChecksums: true)
        #expect(imported.offsets == file.recordOffsets)
    }

    /// Files written by the PyPI `tfrecord` package's `tfrecord2idx` (version 1.14.6), committed
    /// under Tests/Fixtures/index.
    @Test(arguments: ["raw/mixed.tfrecord", "framing/small.tfrecord"])
    func textExportEqualsRealTfrecord2idxOutput(_ relative: String) throws {
        let file = try #require(Manifest.shared.files.first { $0.path == relative })
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/index/" + URL(fileURLWithPath: relative).lastPathComponent + ".idx")
        let theirs = try String(contentsOf: fixture, encoding: .utf8)
        let folder = try Scratch.folder("idx")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ours = folder + "/ours.idx"
        try RecordIndex.build(path: file.fullPath).writeText(to: ours)
        #expect(try String(contentsOfFile: ours, encoding: .utf8) == theirs)
        #expect(theirs == Manifest.expectedTextIndex(file))
        let imported = try RecordIndex.importText(contentsOf: fixture.path, for: MappedFile(path: file.fullPath))
        #expect(imported.offsets == file.recordOffsets)
    }

    @Test(arguments: plainFiles)
    func everyRecordByNumberInRandomOrder(_ file: Manifest.File) throws {
        let indexed = try RecordFile(path: file.fullPath)
        #expect(indexed.count == file.numRecords)
        var generator = SystemRandomNumberGenerator()
        for i in (0..<file.numRecords).shuffled(using: &generator) {
            #expect(SHA256.hex(try indexed.record(at: i)) == file.recordSHA256[i])
            let length = try indexed.withRecord(at: i, verifyingChecksums: false) { $0.byteCount }
            #expect(length == file.recordLengths[i])
        }
        // The batched path, with repeats, in random order.
        let numbers = (0..<(3 * file.numRecords)).map { _ in Int.random(in: 0..<max(file.numRecords, 1), using: &generator) }
            .filter { $0 < file.numRecords }
        var seen: [Int] = []
        try indexed.forEachRecord(at: numbers) { i, payload in
            seen.append(i)
            #expect(SHA256.hex(payload.withUnsafeBytes { [UInt8]($0) }) == file.recordSHA256[i])
        }
        #expect(seen == numbers)
    }

    @Test(arguments: plainFiles)
    func sidecarIsUsedForCountAndAccess(_ file: Manifest.File) throws {
        let folder = try Scratch.folder("idx")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shard = folder + "/shard.tfrecord"
        try FileManager.default.copyItem(atPath: file.fullPath, toPath: shard)
        #expect(RecordFile.indexedCount(ofShardAt: shard) == nil)
        _ = try RecordFile(path: shard, options: IndexOptions(missing: .buildAndSave))
        #expect(FileManager.default.fileExists(atPath: shard + ".tfindex"))
        #expect(RecordFile.indexedCount(ofShardAt: shard) == file.numRecords)
        let reopened = try RecordFile(path: shard, options: IndexOptions(missing: .refuse, stale: .refuse))
        #expect(reopened.index.offsets == file.recordOffsets)
        if file.numRecords > 0 {
            #expect(SHA256.hex(try reopened.record(at: file.numRecords - 1)) == file.recordSHA256.last)
        }
    }
}
