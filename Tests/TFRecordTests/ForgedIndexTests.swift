import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// Hostile random-access metadata — a blocked-GZIP member size hint that lies, a sidecar forged
/// with its checksums recomputed, an index gone stale with a boundary moved in the middle — gets
/// the right record or a clear error: never another record, a trap or a huge allocation.
@Suite struct ForgedIndexTests {
    /// 100 records of 100 bytes, each naming its number (equal sizes, so a shifted lookup would
    /// land on another intact record).
    static func payload(_ i: Int) -> [UInt8] {
        Array("record \(i)".utf8) + [UInt8](repeating: UInt8(truncatingIfNeeded: i), count: 100 - "record \(i)".utf8.count)
    }
    static let count = 100

    static func write(_ path: String, _ options: WriteOptions, payloads: [[UInt8]]? = nil) throws {
        let writer = try RecordWriter(path: path, options: options)
        for p in payloads ?? (0..<count).map(payload) { try writer.write(p) }
        try writer.close()
    }

    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.removeItem(atPath: RecordIndex.sidecarPath(for: path))
    }

    /// Every record read by number is the one written, or the read throws a `TFRecordError`;
    /// returns how many were read right.
    static func checkNoWrongRecord(_ file: RecordFile, _ expected: (Int) -> [UInt8], _ what: String) -> Int {
        var right = 0
        for i in 0..<file.count {
            do {
                let got = try file.record(at: i)
                if got == expected(i) { right += 1 } else {
                    Issue.record("\(what): record \(i) is another record: \(String(decoding: got.prefix(12), as: UTF8.self))")
                }
            } catch {
                // A clear error is allowed; a wrong record is not.
            }
        }
        return right
    }

    /// Rewrites `index` with new offsets / checkpoints / stream size and its identity set to
    /// the shard's current one, every checksum recomputed: what a forger can write.
    static func forge(_ shard: String, offsets: [UInt64], streamSize: UInt64, compression: Compression,
                      checkpoints: InflateCheckpoints?) throws {
        let index = RecordIndex(table: OffsetTable(copying: offsets), shard: try ShardIdentity.of(path: shard),
                                compression: compression, checksumsVerified: false, streamSize: streamSize,
                                checkpoints: checkpoints)
        try index.write(to: RecordIndex.sidecarPath(for: shard))
    }

    // MARK: item 2 — blocked GZIP whose member size hint lies

    /// The members of a blocked GZIP file: (offset, size) from the hints.
    static func members(_ bytes: [UInt8]) -> [(offset: Int, size: Int)] {
        var out: [(Int, Int)] = []
        var at = 0
        while at + 24 <= bytes.count {
            let size = bytes[(at + 16)..<(at + 24)].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            out.append((at, size))
            at += size
        }
        return out
    }

    @Test func blockedGzipMemberHintThatLies() throws {
        let path = Scratch.path("hint") + ".tfrecord.gz"
        defer { Self.remove(path) }
        var options = WriteOptions(compression: .gzip)
        options.blockSize = 10 * 116
        try Self.write(path, options)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let members = Self.members(bytes)
        #expect(members.count >= 5)
        // Member 0's hint claims members 0 and 1: still a valid gzip file (no header CRC).
        let lie = UInt64(members[0].size + members[1].size)
        for k in 0..<8 { bytes[16 + k] = UInt8(truncatingIfNeeded: lie >> (8 * k)) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        // The sequential read is right (it checks every member)...
        #expect(try RecordReader(path: path).allRecords() == (0..<Self.count).map(Self.payload))
        // ...and random access (index built in memory, or saved and loaded) agrees with it.
        let built = try RecordFile(path: path)
        #expect(Self.checkNoWrongRecord(built, Self.payload, "built index") == Self.count)
        try RecordIndex.build(path: path).write(to: RecordIndex.sidecarPath(for: path))
        let loaded = try RecordFile(path: path, options: IndexOptions(missing: .refuse, stale: .refuse))
        #expect(Self.checkNoWrongRecord(loaded, Self.payload, "saved index") == Self.count)
    }

    // MARK: item 7 — forged sidecars

    @Test(arguments: [Compression.none, .gzip])
    func sidecarThatDropsTheFirstRecord(_ compression: Compression) throws {
        let path = Scratch.path("drop") + ".tfrecord"
        defer { Self.remove(path) }
        try Self.write(path, WriteOptions(compression: compression))
        let real = try RecordIndex.build(path: path)
        try Self.forge(path, offsets: Array(real.offsets.dropFirst()), streamSize: real.streamSize,
                       compression: compression, checkpoints: real.checkpoints)
        // Refused when asked to refuse; rebuilt (right records) by default; never record 1 as 0.
        #expect(throws: TFRecordError.self) {
            _ = try RecordFile(path: path, options: IndexOptions(missing: .refuse, stale: .refuse))
        }
        #expect(RecordFile.indexedCount(ofShardAt: path) == nil)
        let file = try RecordFile(path: path)
        #expect(file.count == Self.count)
        #expect(Self.checkNoWrongRecord(file, Self.payload, "rebuilt") == Self.count)
    }

    /// Checkpoint values a forger can write (the checkpoints' own CRC and the section's are
    /// recomputed). Each is refused when the sidecar is loaded (then rebuilt by default), but
    /// a dropped member start, which only inflating can show: the lookups that cross it fail.
    static let forgeries: [(String, @Sendable (inout InflateCheckpoints) -> Void)] = [
        ("first checkpoint past the start", { $0.checkpoints[0].uncompressedOffset = 1 << 40 }),
        ("compressed offset UInt64.max", { $0.checkpoints[$0.checkpoints.count - 1].compressedOffset = .max }),
        ("bits before byte 0", { $0.checkpoints[0].bits = 3; $0.checkpoints[0].atMemberStart = false }),
        ("uncompressed size 2^40", { $0.uncompressedSize = 1 << 40 }),
        ("offsets going back", { $0.checkpoints[$0.checkpoints.count - 1].uncompressedOffset = 1 }),
        ("uncompressed offset UInt64.max", { $0.checkpoints[$0.checkpoints.count - 1].uncompressedOffset = .max }),
        ("a checkpoint dropped", { $0.checkpoints.remove(at: 1) }),
    ]

    @Test(arguments: 0..<ForgedIndexTests.forgeries.count)
    func forgedCheckpoints(_ which: Int) throws {
        let (name, change) = Self.forgeries[which]
        let path = Scratch.path("ckpt") + ".tfrecord.gz"
        defer { Self.remove(path) }
        var options = WriteOptions(compression: .gzip)
        options.blockSize = 10 * 116
        try Self.write(path, options)
        let real = try RecordIndex.build(path: path)
        var checkpoints = try #require(real.checkpoints)
        #expect(checkpoints.checkpoints.count >= 3)
        change(&checkpoints)
        try Self.forge(path, offsets: real.offsets, streamSize: real.streamSize, compression: .gzip, checkpoints: checkpoints)
        let forged = RecordIndex.sidecarPath(for: path)
        if name == "a checkpoint dropped" {
            let file = try RecordFile(path: path, options: IndexOptions(missing: .refuse, stale: .refuse))
            let right = Self.checkNoWrongRecord(file, Self.payload, name)
            #expect(right > 0 && right < Self.count, "\(name): \(right) right")
            return
        }
        do {
            _ = try RecordFile(path: path, options: IndexOptions(missing: .refuse, stale: .refuse))
            Issue.record("\(name): the forged sidecar was accepted")
        } catch {
            #expect(error.kind == .invalidArgument || error.kind == .corrupted, "\(name): \(error)")
        }
        #expect(FileManager.default.fileExists(atPath: forged))
        let file = try RecordFile(path: path)
        #expect(Self.checkNoWrongRecord(file, Self.payload, name) == Self.count, "\(name)")
    }

    @Test func countTrustsNoForgedHeader() throws {
        let path = Scratch.path("count") + ".tfrecord"
        defer { Self.remove(path) }
        try Self.write(path, WriteOptions())
        #expect(RecordFile.indexedCount(ofShardAt: path) == nil)
        try RecordIndex.build(path: path).write(to: RecordIndex.sidecarPath(for: path))
        #expect(RecordFile.indexedCount(ofShardAt: path) == Self.count)
        // A header claiming 2^37 records over a sparse 1 TiB file: every checksum recomputed.
        let claimed: UInt64 = 1 << 37
        let header = IndexHeader(flags: 0, count: claimed, shard: try ShardIdentity.of(path: path),
                                 streamSize: try ShardIdentity.of(path: path).size, compression: .none,
                                 offsetsChecksum: 0).encoded()
        let sidecar = RecordIndex.sidecarPath(for: path)
        try Data(header).write(to: URL(fileURLWithPath: sidecar))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: sidecar))
        try handle.truncate(atOffset: UInt64(IndexHeader.size) + claimed * 8)
        try handle.close()
        let started = Date()
        #expect(RecordFile.indexedCount(ofShardAt: path) == nil)
        #expect(Date().timeIntervalSince(started) < 5)
        // The same forgery with the offsets' checksum wrong and a plausible count.
        var real = try RecordIndex.build(path: path)
        try Self.forge(path, offsets: real.offsets, streamSize: real.streamSize, compression: .none, checkpoints: nil)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: sidecar)))
        bytes[IndexHeader.size + 8 * 50] ^= 1
        try Data(bytes).write(to: URL(fileURLWithPath: sidecar))
        #expect(RecordFile.indexedCount(ofShardAt: path) == nil)
        real = try RecordIndex.build(path: path)
        #expect(real.count == Self.count)
    }

    // MARK: item 10 — a stale index whose identity still matches

    /// Record 40's length grows by 5 and record 41's shrinks by 5: same size; the sidecar keeps
    /// the old offsets and gets the new identity (as if size, time and the sampled windows
    /// matched). The two records whose boundary moved are errors; every other is right.
    @Test(arguments: [Compression.none, .gzip, .zlib])
    func boundaryMovedInTheMiddle(_ compression: Compression) throws {
        let path = Scratch.path("moved") + ".tfrecord"
        defer { Self.remove(path) }
        try Self.write(path, WriteOptions(compression: compression))
        let old = try RecordIndex.build(path: path)
        var edited = (0..<Self.count).map(Self.payload)
        edited[40] += [1, 2, 3, 4, 5]
        edited[41].removeLast(5)
        try Self.write(path, WriteOptions(compression: compression), payloads: edited)
        #expect(try RecordIndex.build(path: path).streamSize == old.streamSize)
        let checkpoints = compression == .none ? nil : try InflateCheckpoints.build(path: path)
        try Self.forge(path, offsets: old.offsets, streamSize: old.streamSize, compression: compression, checkpoints: checkpoints)
        let file = try RecordFile(path: path, options: IndexOptions(missing: .refuse, stale: .refuse))
        for i in [40, 41] {
            #expect(throws: TFRecordError.self, "record \(i) of \(compression)") { _ = try file.record(at: i) }
            // Without the payload CRC, only the boundary proof (the stored length against the
            // index's next offset) can tell: it must still refuse, never return bytes cut to the
            // index's idea of the record.
            #expect(throws: TFRecordError.self, "record \(i) of \(compression), CRCs off") {
                _ = try file.record(at: i, verifyingChecksums: false)
            }
        }
        for i in 0..<Self.count where i != 40 && i != 41 {
            #expect(try file.record(at: i) == edited[i], "record \(i) of \(compression)")
        }
    }
}
