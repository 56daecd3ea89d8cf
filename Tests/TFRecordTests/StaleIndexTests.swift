import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
#if canImport(Glibc)
import Glibc
#endif

/// A sidecar index that no longer describes its shard — truncated, appended to, rewritten with
/// the same size (with or without a new modification time) — or that is itself damaged, is
/// detected, then rebuilt or refused; never silently trusted.
@Suite struct StaleIndexTests {
    /// A copy of the corpus's `raw/random_sizes.tfrecord` (30 records, 323 KB: larger than the
    /// two 64 KiB fingerprint windows) with a saved sidecar.
    struct Fixture {
        let folder: String
        let shard: String
        let source: Manifest.File
        var sidecar: String { shard + ".tfindex" }

        init() throws {
            source = try #require(Manifest.shared.files.first { $0.path == "raw/random_sizes.tfrecord" })
            folder = try Scratch.folder("idx")
            shard = folder + "/shard.tfrecord"
            try FileManager.default.copyItem(atPath: source.fullPath, toPath: shard)
            try RecordIndex.build(path: shard).write(to: sidecar)
            #expect(RecordFile.indexedCount(ofShardAt: shard) == source.numRecords)
        }

        func remove() { try? FileManager.default.removeItem(atPath: folder) }

        /// Opening with `.refuse` throws `.invalidArgument`; returns its message.
        func refusal() throws -> String {
            do {
                _ = try RecordFile(path: shard, options: IndexOptions(missing: .refuse, stale: .refuse))
            } catch {
                #expect(error.kind == .invalidArgument)
                #expect(error.path == shard)
                return error.description
            }
            Issue.record("a stale index was accepted")
            return ""
        }

        func modificationTime() -> timespec {
            var st = stat()
            _ = fstatat(AT_FDCWD, shard, &st, 0)
            return st.st_mtim
        }

        func setModificationTime(_ time: timespec) {
            var times = [time, time]
            _ = utimensat(AT_FDCWD, shard, &times, 0)
        }
    }

    @Test func truncatedAtARecordBoundary() throws {
        let f = try Fixture()
        defer { f.remove() }
        let last = f.source.recordOffsets.last!
        #expect(truncate(f.shard, off_t(last)) == 0)
        #expect(RecordFile.indexedCount(ofShardAt: f.shard) == nil)
        #expect(try RecordIndex.load(from: f.sidecar).staleness(againstShardAt: f.shard)?.contains("shrank") == true)
        #expect(try f.refusal().contains("shrank"))
        let rebuilt = try RecordFile(path: f.shard)
        #expect(rebuilt.count == f.source.numRecords - 1)
        // The default policy rebuilds in memory and leaves the stale sidecar alone.
        #expect(RecordFile.indexedCount(ofShardAt: f.shard) == nil)
    }

    @Test func truncatedInsideARecord() throws {
        let f = try Fixture()
        defer { f.remove() }
        let size = try #require(FileManager.default.attributesOfItem(atPath: f.shard)[.size] as? Int)
        #expect(truncate(f.shard, off_t(size - 3)) == 0)
        #expect(try f.refusal().contains("shrank"))
        #expect(throws: TFRecordError.self) { try RecordFile(path: f.shard) }
        do {
            _ = try RecordFile(path: f.shard)
        } catch {
            #expect(error.kind == .truncated)
            #expect(error.recordNumber == f.source.numRecords - 1)
            #expect(error.offset == f.source.recordOffsets.last)
        }
    }

    @Test func appendedTo() throws {
        let f = try Fixture()
        defer { f.remove() }
        let extra = f.folder + "/extra.tfrecord"
        let writer = try RecordWriter(path: extra)
        try writer.write(Array("one more".utf8))
        try writer.close()
        let handle = try #require(FileHandle(forWritingAtPath: f.shard))
        handle.seekToEndOfFile()
        handle.write(try Data(contentsOf: URL(fileURLWithPath: extra)))
        handle.closeFile()
        #expect(try f.refusal().contains("grew"))
        let rebuilt = try RecordFile(path: f.shard, options: IndexOptions(stale: .rebuildAndSave))
        #expect(rebuilt.count == f.source.numRecords + 1)
        #expect(try rebuilt.record(at: f.source.numRecords) == Array("one more".utf8))
        // The sidecar was replaced and is valid again.
        #expect(RecordFile.indexedCount(ofShardAt: f.shard) == f.source.numRecords + 1)
        _ = try RecordFile(path: f.shard, options: IndexOptions(missing: .refuse, stale: .refuse))
    }

    /// Rewrites the shard with different records of the same lengths: same size, same record
    /// boundaries, different bytes.
    func rewriteSameSize(_ f: Fixture) throws {
        let records = try MappedFile(path: f.source.fullPath).allRecords()
        let writer = try RecordWriter(path: f.shard)
        for record in records { try writer.write(record.map { $0 ^ 0x5a }) }
        try writer.close()
        let size = try #require(FileManager.default.attributesOfItem(atPath: f.shard)[.size] as? Int)
        #expect(size == f.source.uncompressedSize)
    }

    @Test func rewrittenWithTheSameSize() throws {
        let f = try Fixture()
        defer { f.remove() }
        let before = f.modificationTime()
        usleep(10_000)
        try rewriteSameSize(f)
        let after = f.modificationTime()
        #expect(before.tv_sec != after.tv_sec || before.tv_nsec != after.tv_nsec)
        #expect(try f.refusal().contains("modified"))
        let rebuilt = try RecordFile(path: f.shard)
        #expect(try rebuilt.record(at: 0) != (try MappedFile(path: f.source.fullPath).record(atOffset: 0)))
    }

    @Test func rewrittenWithTheSameSizeAndTime() throws {
        let f = try Fixture()
        defer { f.remove() }
        let before = f.modificationTime()
        try rewriteSameSize(f)
        f.setModificationTime(before)
        #expect(try f.refusal().contains("fingerprint"))
    }

    @Test func damagedSidecarIsDetected() throws {
        let f = try Fixture()
        defer { f.remove() }
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: f.sidecar)))
        bytes[64 + 8 * 3] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: f.sidecar))
        #expect(throws: TFRecordError.self) { try RecordIndex.load(from: f.sidecar) }
        do {
            _ = try RecordIndex.load(from: f.sidecar)
        } catch {
            #expect(error.kind == .corrupted)
            #expect(error.path == f.sidecar)
            #expect(error.detail.contains("checksum"))
        }
        #expect(try f.refusal().contains("checksum"))
        #expect(try RecordFile(path: f.shard).index.offsets == f.source.recordOffsets)
        // A cut sidecar is detected from its header alone.
        try Data(bytes[0..<(64 + 8)]).write(to: URL(fileURLWithPath: f.sidecar))
        #expect(RecordFile.indexedCount(ofShardAt: f.shard) == nil)
        #expect(throws: TFRecordError.self) { try RecordIndex.load(from: f.sidecar) }
        // A text index is not taken for a sidecar.
        try Data("0 16\n".utf8).write(to: URL(fileURLWithPath: f.sidecar))
        do {
            _ = try RecordIndex.load(from: f.sidecar)
            Issue.record("a text index was loaded as a sidecar")
        } catch {
            #expect(error.detail.contains("text index"))
        }
    }

    @Test func textIndexThatDisagreesWithTheFileIsRefused() throws {
        let f = try Fixture()
        defer { f.remove() }
        let file = try MappedFile(path: f.shard)
        let good = Manifest.expectedTextIndex(f.source)
        var lines = good.split(separator: "\n").map(String.init)
        // A wrong length on line 5.
        var wrongLength = lines
        let fields = wrongLength[4].split(separator: " ")
        wrongLength[4] = "\(fields[0]) \(Int(fields[1])! + 1)"
        do {
            _ = try RecordIndex.importText(wrongLength.joined(separator: "\n"), for: file)
            Issue.record("a wrong length was accepted")
        } catch {
            #expect(error.kind == .corrupted)
            #expect(error.recordNumber == 4)
            #expect(error.offset == f.source.recordOffsets[4])
        }
        // A missing last entry.
        lines.removeLast()
        #expect(throws: TFRecordError.self) { try RecordIndex.importText(lines.joined(separator: "\n"), for: file) }
        // An offset that is not a record.
        do {
            _ = try RecordIndex.importText("0 \(f.source.recordLengths[0] + 16)\n1 20\n", for: file)
            Issue.record("a bad offset was accepted")
        } catch {
            #expect(error.kind == .corrupted)
            #expect(error.recordNumber == 1)
        }
        // Without the final newline it is still accepted.
        #expect(try RecordIndex.importText(String(good.dropLast()), for: file).count == f.source.numRecords)
    }

    @Test func damagedRecordIsReportedWithItsNumber() throws {
        let f = try Fixture()
        defer { f.remove() }
        // Flip one payload byte of record 7: its payload CRC no longer matches.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: f.shard)))
        bytes[Int(f.source.recordOffsets[7]) + 12 + 3] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: f.shard))
        let indexed = try RecordFile(path: f.shard) // rebuilt: payload CRCs are not checked by default
        #expect(try indexed.record(at: 6).count == f.source.recordLengths[6])
        #expect(try indexed.record(at: 7, verifyingChecksums: false).count == f.source.recordLengths[7])
        for attempt in 0..<2 {
            do {
                if attempt == 0 {
                    _ = try indexed.record(at: 7)
                } else {
                    try indexed.forEachRecord(at: [3, 7, 1]) { _, _ in }
                }
                Issue.record("a damaged record was returned")
            } catch let error as TFRecordError {
                #expect(error.kind == .corrupted)
                #expect(error.path == f.shard)
                #expect(error.recordNumber == 7)
                #expect(error.offset == f.source.recordOffsets[7] + 12)
            }
        }
    }

    @Test func outOfRangeRecordNumberStopsTheProcess() async {
        await #expect(processExitsWith: .failure) {
            let file = Manifest.shared.files.first { $0.path == "framing/small.tfrecord" }!
            let indexed = try RecordFile(path: file.fullPath)
            _ = try indexed.record(at: indexed.count)
        }
    }
}
