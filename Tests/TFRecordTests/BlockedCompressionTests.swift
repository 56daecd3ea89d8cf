import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// Blocked GZIP and LZ4: members hold whole records, never empty in a file with records, the
/// bytes do not depend on the thread count, and every reader (parallel, one thread, streaming
/// zlib, `lz4 -d`) gets the records back; damage is still reported.
@Suite struct BlockedCompressionTests {
    static let sources = Manifest.shared.files.filter { $0.compression.isEmpty && $0.isIntact && $0.numRecords > 0 }

    static func temporaryPath() -> String {
        Scratch.path("bc")
    }

    static func write(_ records: [[UInt8]], _ options: WriteOptions) throws -> [UInt8] {
        let out = temporaryPath()
        defer { unlink(out) }
        let writer = try RecordWriter(path: out, options: options)
        for record in records { try writer.write(record) }
        try writer.close()
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: out)))
    }

    static func read(_ bytes: [UInt8], _ options: ReadOptions = ReadOptions()) throws -> [[UInt8]] {
        let path = temporaryPath()
        defer { unlink(path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return try RecordReader(path: path, options: options).allRecords()
    }

    /// Reads with the streaming zlib reader, as TensorFlow does.
    static func readStreaming(_ bytes: [UInt8]) throws -> [[UInt8]] {
        let path = temporaryPath()
        defer { unlink(path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let source = try GzipZlibSource(input: FileInput(fd: FileDescriptor(opening: path, .read), path: path), format: .gzip, bufferSize: 4096)
        let framer = StreamFramer(source: source, path: path)
        var records: [[UInt8]] = []
        while let record = try framer.next(verifyingChecksums: true, { $0.withUnsafeBytes { [UInt8]($0) } }) {
            records.append(record)
        }
        return records
    }

    /// The (compressed size, uncompressed size) of each member, found by the size subfield.
    static func members(_ bytes: [UInt8]) -> [(Int, Int)] {
        var result: [(Int, Int)] = []
        var offset = 0
        while offset < bytes.count {
            let size = bytes[offset...].withUnsafeBytes { BlockedGzipFormat.memberSize(header: $0) }
            guard let size else { return result + [(-1, -1)] }
            let end = offset + Int(size)
            let isize = bytes[(end - 4)..<end].withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) }
            result.append((Int(size), isize))
            offset = end
        }
        return result
    }

    @Test(arguments: sources)
    func blockedGzipIsIndependentOfThreadsAndAlignedToRecords(_ file: Manifest.File) throws {
        let records = try MappedFile(path: file.fullPath).allRecords()
        var options = WriteOptions(compression: .gzip)
        options.blockSize = 700
        options.compressionThreads = 1
        let one = try Self.write(records, options)
        for threads in [2, 3, 0] {
            options.compressionThreads = threads
            #expect(try Self.write(records, options) == one, "threads \(threads)")
        }
        let members = Self.members(one)
        #expect(!members.contains { $0.0 < 0 })
        #expect(!members.contains { $0.1 == 0 }, "an empty member in a file with records")
        // Every member ends at a record boundary.
        var boundaries = Set(file.recordOffsets)
        boundaries.insert(UInt64(file.uncompressedSize ?? 0))
        var end: UInt64 = 0
        for member in members {
            end += UInt64(member.1)
            #expect(boundaries.contains(end), "member ends at \(end), inside a record")
        }
        #expect(try Self.read(one) == records)
        var oneThread = ReadOptions()
        oneThread.decompressionThreads = 1
        #expect(try Self.read(one, oneThread) == records)
        #expect(try Self.readStreaming(one) == records)
        options.blockEngine = .zlib
        #expect(try Self.read(try Self.write(records, options)) == records)
    }

    @Test func noRecordsIsOneEmptyMember() throws {
        var options = WriteOptions(compression: .gzip)
        options.blockSize = WriteOptions.defaultBlockSize
        let bytes = try Self.write([], options)
        #expect(Self.members(bytes).count == 1)
        #expect(try Self.read(bytes).isEmpty)
    }

    @Test func recordLargerThanTheBlockIsOneMember() throws {
        var options = WriteOptions(compression: .gzip)
        options.blockSize = 1000
        let records: [[UInt8]] = [[1, 2, 3], [UInt8](repeating: 9, count: 50_000), [4]]
        let bytes = try Self.write(records, options)
        #expect(Self.members(bytes).count == 2)
        #expect(try Self.read(bytes) == records)
    }

    static func bigRecords() -> [[UInt8]] {
        var generator = SystemRandomNumberGenerator()
        return (0..<200).map { i in (0..<(100 + i * 37 % 3000)).map { _ in UInt8.random(in: 0...15, using: &generator) } }
    }

    @Test func damageInAMemberIsReportedAfterTheRecordsBeforeIt() throws {
        let records = Self.bigRecords()
        var options = WriteOptions(compression: .gzip)
        options.blockSize = 20_000
        var bytes = try Self.write(records, options)
        let members = Self.members(bytes)
        #expect(members.count > 6)
        let damagedStart = members[..<5].reduce(0) { $0 + $1.0 }
        let before = members[..<5].reduce(0) { $0 + $1.1 }
        bytes[damagedStart + members[5].0 / 2] ^= 0x55
        let path = Self.temporaryPath()
        defer { unlink(path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let (got, failure) = CompressedReadingTests.readUntilError(path, ReadOptions())
        #expect(got == records.prefix(got.count).map(SHA256.hex))
        let uncompressed = records.prefix(got.count).reduce(0) { $0 + $1.count + 16 }
        #expect(uncompressed >= before)
        let error = try #require(failure as? TFRecordError)
        #expect(error.kind == .compression || error.kind == .corrupted, "\(error)")
        #expect(error.compressedOffset != nil)
        #expect(error.recordNumber == got.count)
        // Cut inside member 5: truncated, after every record of the members before it.
        let cut = Array(bytes[..<(damagedStart + 40)])
        #expect { try Self.read(cut) } throws: { ($0 as? TFRecordError)?.kind == .truncated }
    }

    @Test func anotherWritersMemberAfterBlockedMembersIsRead() throws {
        let records = Self.bigRecords()
        var options = WriteOptions(compression: .gzip)
        options.blockSize = 30_000
        let blocked = try Self.write(records, options)
        let tail = try Self.write([[7, 7, 7]], WriteOptions(compression: .gzip))
        #expect(try Self.read(blocked + tail) == records + [[7, 7, 7]])
        #expect(try Self.read(blocked + tail + blocked) == records + [[7, 7, 7]] + records)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/lz4"), "lz4 CLI missing"))
    func blockedLZ4IsFramesReadByTheLZ4Tool() throws {
        let records = Self.bigRecords()
        var options = WriteOptions(compression: .lz4)
        options.blockSize = 30_000
        options.compressionThreads = 1
        let one = try Self.write(records, options)
        options.compressionThreads = 2
        #expect(try Self.write(records, options) == one)
        #expect(try Self.read(one) == records)
        let plain = try Self.write(records, WriteOptions())
        let input = Self.temporaryPath()
        let output = Self.temporaryPath()
        defer { unlink(input); unlink(output) }
        try Data(one).write(to: URL(fileURLWithPath: input))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/lz4")
        process.arguments = ["-d", "-q", "-f", input, output]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: output))) == plain)
    }

    @Test func zlibBlockedIsRefused() {
        var options = WriteOptions(compression: .zlib)
        options.blockSize = 1000
        #expect(throws: TFRecordError.self) { try RecordWriter(path: Self.temporaryPath(), options: options) }
    }
}
