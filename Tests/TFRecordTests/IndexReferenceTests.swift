import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// The committed reference sidecar `Tests/Fixtures/index/mixed.tfrecord.tfindex` (written once
/// by `tfrecord index` for the corpus file `raw/mixed.tfrecord`, documented byte by byte in
/// docs/INDEX_FORMAT.md) read field by field by hand — with a bitwise CRC32C written here, not
/// ours — and checked against the manifest; then every header field damaged, one test each,
/// expecting the error that names it.
@Suite struct IndexReferenceTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/index/mixed.tfrecord.tfindex").path
    static let shard = Manifest.shared.files.first { $0.path == "raw/mixed.tfrecord" }!

    static func bytes() throws -> [UInt8] {
        try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture)))
    }

    /// CRC32C (Castagnoli, reflected polynomial 0x82F63B78), bit by bit: independent of CSupport.
    static func crc32c(_ bytes: some Sequence<UInt8>, seed: UInt32 = 0) -> UInt32 {
        var crc = ~seed
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    static func le<T: FixedWidthInteger>(_ bytes: [UInt8], _ at: Int, _: T.Type) -> T {
        var value: T = 0
        for k in 0..<MemoryLayout<T>.size { value |= T(truncatingIfNeeded: bytes[at + k]) << (8 * k) }
        return value
    }

    static func put<T: FixedWidthInteger>(_ value: T, _ bytes: inout [UInt8], _ at: Int) {
        for k in 0..<MemoryLayout<T>.size { bytes[at + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
    }

    /// Recomputes the header CRC (bytes 60..<64) so a damaged field is reached past that check.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        put(crc32c(out[0..<60]), &out, 60)
        return out
    }

    @Test func referenceIsSmallAndMatchesTheManifestFieldByField() throws {
        let b = try Self.bytes()
        let n = Self.shard.numRecords
        #expect(n == 45)
        #expect(b.count == 64 + 8 * n)
        #expect(b.count < 4096)
        #expect(Array(b[0..<8]) == Array("TFRINDEX".utf8))
        #expect(Self.le(b, 8, UInt16.self) == 1)
        #expect(Self.le(b, 10, UInt16.self) == 64)
        #expect(Self.le(b, 12, UInt32.self) == 1, "flags: payload CRCs verified, no sections")
        #expect(Self.le(b, 16, UInt64.self) == UInt64(n))
        #expect(Self.le(b, 24, UInt64.self) == UInt64(Self.shard.fileSize))
        #expect(Self.le(b, 32, Int64.self) > 1_700_000_000_000_000_000, "shard mtime in nanoseconds")
        #expect(Self.le(b, 40, UInt64.self) == UInt64(Self.shard.fileSize), "stream size of an uncompressed shard")
        // Fingerprint: the whole shard (under 128 KiB), then its size as 8 LE bytes.
        let shardBytes = try [UInt8](Data(contentsOf: Self.shard.url))
        #expect(shardBytes.count < 128 << 10)
        var size = [UInt8](repeating: 0, count: 8)
        Self.put(UInt64(shardBytes.count), &size, 0)
        #expect(Self.le(b, 48, UInt32.self) == Self.crc32c(size, seed: Self.crc32c(shardBytes)))
        #expect(b[52] == 0, "compression: none")
        #expect(Array(b[53..<56]) == [0, 0, 0])
        #expect(Self.le(b, 56, UInt32.self) == Self.crc32c(b[64...]))
        #expect(Self.le(b, 60, UInt32.self) == Self.crc32c(b[0..<60]))
        let offsets = (0..<n).map { Self.le(b, 64 + 8 * $0, UInt64.self) }
        #expect(offsets == Self.shard.recordOffsets)
        // Our reader reads the reference as written.
        let loaded = try RecordIndex.load(from: Self.fixture)
        #expect(loaded.offsets == Self.shard.recordOffsets)
        #expect(loaded.count == n)
        #expect(loaded.streamSize == UInt64(Self.shard.fileSize))
        #expect(loaded.checksumsVerified)
        #expect(loaded.shard.size == UInt64(Self.shard.fileSize))
        #expect(loaded.shard.fingerprint == Self.le(b, 48, UInt32.self))
    }

    /// Loads `bytes` as an index; returns the error (a success is recorded as a failure).
    static func loadError(_ bytes: [UInt8], _ comment: Comment) throws -> TFRecordError? {
        let path = Scratch.path("damaged", suffix: ".tfindex")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            _ = try RecordIndex.load(from: path)
            Issue.record("a damaged index loaded: \(comment)")
            return nil
        } catch {
            #expect(error.kind == .corrupted, comment)
            #expect(error.path == path, comment)
            return error
        }
    }

    static func expectError(_ bytes: [UInt8], _ words: String, offset: UInt64? = nil, _ comment: Comment) throws {
        let error = try loadError(bytes, comment)
        #expect(error?.detail.contains(words) == true, "\(comment): \(String(describing: error))")
        if let offset { #expect(error?.offset == offset, comment) }
    }

    @Test func badMagic() throws {
        var b = try Self.bytes()
        b[0] = UInt8(ascii: "X")
        try Self.expectError(Self.resealed(b), "bad magic", "magic")
    }

    @Test func newerVersion() throws {
        var b = try Self.bytes()
        Self.put(UInt16(2), &b, 8)
        try Self.expectError(Self.resealed(b), "index format version 2 is not supported", "version")
    }

    @Test func otherHeaderSize() throws {
        var b = try Self.bytes()
        Self.put(UInt16(72), &b, 10)
        try Self.expectError(Self.resealed(b), "is not supported", "header size")
    }

    @Test func unknownFlag() throws {
        var b = try Self.bytes()
        Self.put(Self.le(b, 12, UInt32.self) | 1 << 5, &b, 12)
        try Self.expectError(Self.resealed(b), "unknown flags 0x21", "flags")
    }

    @Test func unknownCompressionCode() throws {
        var b = try Self.bytes()
        b[52] = 9
        try Self.expectError(Self.resealed(b), "unknown compression code 9", offset: 52, "compression code")
    }

    @Test func impossibleCount() throws {
        var b = try Self.bytes()
        Self.put(UInt64.max / 2, &b, 16)
        try Self.expectError(Self.resealed(b), "index claims \(UInt64.max / 2) records", offset: 16, "count")
    }

    @Test func countBeyondTheFile() throws {
        var b = try Self.bytes()
        Self.put(Self.le(b, 16, UInt64.self) + 1, &b, 16)
        try Self.expectError(Self.resealed(b), "describes 46 records", "count + 1")
    }

    @Test func trailingBytesWithoutSectionsFlag() throws {
        let b = try Self.bytes() + [UInt8](repeating: 0, count: 8)
        try Self.expectError(b, "describes 45 records", "8 bytes appended")
    }

    @Test func sectionHeaderCutShort() throws {
        var b = try Self.bytes()
        Self.put(Self.le(b, 12, UInt32.self) | 2, &b, 12)
        try Self.expectError(Self.resealed(b) + [1, 0, 0, 0], "index section header cut short", offset: UInt64(b.count), "section bounds")
    }

    @Test func sectionPastTheEnd() throws {
        var b = try Self.bytes()
        Self.put(Self.le(b, 12, UInt32.self) | 2, &b, 12)
        var section = [UInt8](repeating: 0, count: 16)
        Self.put(UInt32(1), &section, 0)
        Self.put(UInt64(100), &section, 8)
        try Self.expectError(Self.resealed(b) + section + [1, 2, 3], "claims 100 bytes past the end", offset: UInt64(b.count), "section length")
    }

    @Test func sectionChecksum() throws {
        var b = try Self.bytes()
        Self.put(Self.le(b, 12, UInt32.self) | 2, &b, 12)
        var section = [UInt8](repeating: 0, count: 24)
        Self.put(UInt32(1), &section, 0)
        Self.put(Self.crc32c([1, 2, 3, 4, 5, 6, 7, 8]) ^ 1, &section, 4)
        Self.put(UInt64(8), &section, 8)
        for k in 0..<8 { section[16 + k] = UInt8(k + 1) }
        try Self.expectError(Self.resealed(b) + section, "checksum mismatch", offset: UInt64(b.count), "section CRC")
    }

    @Test func headerChecksum() throws {
        // Every header byte but the CRC itself, changed without resealing, is caught by the CRC.
        let b = try Self.bytes()
        for at in [13, 20, 24, 33, 40, 48, 53, 56] {
            var damaged = b
            damaged[at] ^= 0x10
            try Self.expectError(damaged, "index header checksum mismatch", "header byte \(at)")
        }
        var damaged = b
        damaged[61] ^= 1
        try Self.expectError(damaged, "index header checksum mismatch", "header CRC byte 61")
    }

    @Test func offsetsChecksum() throws {
        let b = try Self.bytes()
        for record in [0, 22, 44] {
            var damaged = b
            damaged[64 + 8 * record] ^= 0x04
            try Self.expectError(damaged, "index checksum mismatch over its 45 offsets", "offset of record \(record)")
        }
        var damaged = b
        damaged[57] ^= 1
        try Self.expectError(Self.resealed(damaged), "index checksum mismatch over its 45 offsets", "offsets CRC field")
    }

    @Test func shorterThanTheHeader() throws {
        let b = try Self.bytes()
        try Self.expectError(Array(b[0..<40]), "40 byte(s), fewer than the 64-byte header", offset: 0, "cut to 40 bytes")
    }

    /// `RecordFile(path:index:)` with the reference: every record by number equals TensorFlow's;
    /// the reference on another file, or claiming GZIP without checkpoints, is refused.
    @Test func recordFileWithTheReferenceIndex() throws {
        let index = try RecordIndex.load(from: Self.fixture)
        let file = try RecordFile(path: Self.shard.fullPath, index: index)
        #expect(file.count == Self.shard.numRecords)
        for i in (0..<file.count).reversed() {
            #expect(try SHA256.hex(file.record(at: i)) == Self.shard.recordSHA256[i], "record \(i)")
        }
        let other = try #require(Manifest.shared.files.first { $0.path == "framing/small.tfrecord" })
        let stale = #expect(throws: TFRecordError.self) { _ = try RecordFile(path: other.fullPath, index: index) }
        #expect(stale?.detail.contains("the index describes \(Self.shard.fileSize) bytes but the file has \(other.fileSize)") == true,
                "\(String(describing: stale))")
        var b = try Self.bytes()
        b[52] = 1
        let path = Scratch.path("gzip-without-checkpoints", suffix: ".tfindex")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(Self.resealed(b)).write(to: URL(fileURLWithPath: path))
        let gzipIndex = try RecordIndex.load(from: path)
        #expect(gzipIndex.checkpoints == nil)
        let gz = try #require(Manifest.shared.files.first { $0.group == Self.shard.group && $0.compression == "GZIP" })
        let noCheckpoints = #expect(throws: TFRecordError.self) { _ = try RecordFile(path: gz.fullPath, index: gzipIndex) }
        #expect(noCheckpoints?.detail.contains("needs an index with inflate checkpoints") == true, "\(String(describing: noCheckpoints))")
    }

    @Test func missingSidecarRefused() throws {
        let copy = Scratch.path("no-sidecar", suffix: ".tfrecord")
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.copyItem(atPath: Self.shard.fullPath, toPath: copy)
        let error = #expect(throws: TFRecordError.self) { _ = try RecordFile(path: copy, options: IndexOptions(missing: .refuse)) }
        #expect(error?.kind == .invalidArgument)
        #expect(error?.detail == "no index \(copy).tfindex; build it with `tfrecord index`", "\(String(describing: error))")
    }
}
