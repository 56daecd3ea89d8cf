import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// A file that is not uncompressed TFRecord fails at record 0: every reader looks at its first
/// bytes and says what the file is, instead of "length checksum mismatch" alone (issue 19, item 4).
@Suite struct WrongFileKindTests {
    /// A small record file in `compression`, with three records.
    static func shard(_ compression: Compression) throws -> String {
        let path = Scratch.path("kind", suffix: ".tfrecord")
        let writer = try RecordWriter(path: path, options: WriteOptions(compression: compression))
        for i in 0..<3 { try writer.write([UInt8](repeating: UInt8(i), count: 40 + i)) }
        try writer.close()
        return path
    }

    /// The error `body` throws, which must be a `TFRecordError`.
    static func error(_ body: () throws -> Void) -> TFRecordError? {
        do {
            try body()
            Issue.record("expected an error")
            return nil
        } catch let error as TFRecordError {
            return error
        } catch {
            Issue.record("not a TFRecordError: \(error)")
            return nil
        }
    }

    static func readAll(_ path: String, _ options: ReadOptions) throws {
        try RecordReader(path: path, options: options).forEachRecord { _, _ in }
    }

    @Test(arguments: [Compression.gzip, .zlib, .lz4])
    func readingACompressedFileAsUncompressedSaysWhatItIs(_ compression: Compression) throws {
        let path = try Self.shard(compression)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let name = compression.rawValue.uppercased()
        for options in [ReadOptions(compression: Compression.none), ReadOptions(compression: Compression.none, useMemoryMap: false)] {
            let error = try #require(Self.error { try Self.readAll(path, options) })
            #expect(error.recordNumber == 0)
            #expect(error.offset == 0)
            #expect(error.path == path)
            #expect(error.detail.contains("this is a \(name)-compressed file"), "\(error)")
            #expect(error.detail.contains("RecordReader or Dataset"), "\(error)")
        }
        // Detection still reads it.
        #expect(try RecordReader(path: path).allRecords().count == 3)
    }

    @Test func importingADALIIndexForAGZIPShardSaysWhatTheShardIs() throws {
        let path = try Self.shard(.gzip)
        let indexPath = Scratch.path("kind", suffix: ".idx")
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: indexPath)
        }
        try "0 52\n52 53\n105 54\n".write(toFile: indexPath, atomically: true, encoding: .utf8)
        let error = try #require(Self.error { _ = try RecordIndex.importText(contentsOf: indexPath, forShardAt: path) })
        #expect(error.detail.contains("this is a GZIP-compressed file"), "\(error)")
    }

    @Test func aCompressedStreamInsideACompressedFileIsNamed() throws {
        // A GZIP file whose content is itself a GZIP TFRecord file (compressed twice).
        let inner = try Self.shard(.gzip)
        let outer = Scratch.path("kind", suffix: ".gz")
        defer {
            try? FileManager.default.removeItem(atPath: inner)
            try? FileManager.default.removeItem(atPath: outer)
        }
        // gzip(1) made the outer layer: data another tool wrote.
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        gzip.arguments = ["-c", inner]
        #expect(FileManager.default.createFile(atPath: outer, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outer))
        gzip.standardOutput = handle
        try gzip.run()
        gzip.waitUntilExit()
        try handle.close()
        #expect(gzip.terminationStatus == 0)
        let error = try #require(Self.error { try Self.readAll(outer, ReadOptions()) })
        #expect(error.recordNumber == 0)
        #expect(error.detail.contains("the decompressed stream is itself GZIP-compressed"), "\(error)")
    }

    @Test(arguments: [
        ("{\"images\": []}\n", "JSON"),
        ("[{\"id\": 1}, {\"id\": 2}]", "JSON"),
        ("\u{FF}\u{D8}", "JPEG"),
    ])
    func otherFilesAreNamed(_ content: String, _ kind: String) throws {
        let path = Scratch.path("kind", suffix: ".tfrecord")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var bytes = kind == "JPEG" ? [0xff, 0xd8, 0xff, 0xe0] + [UInt8](repeating: 0x41, count: 60) : Array(content.utf8)
        bytes += [UInt8](repeating: 0x20, count: max(0, 40 - bytes.count))
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        for body: () throws -> Void in [{ try Self.readAll(path, ReadOptions()) },
                                        { try Self.readAll(path, ReadOptions(useMemoryMap: false)) },
                                        { _ = try RecordFile(path: path, options: IndexOptions(missing: .build)) },
                                        { _ = try Dataset(paths: [path]) }] {
            let error = try #require(Self.error(body))
            #expect(error.detail.contains("this is a \(kind) file, not a TFRecord file"), "\(error)")
            #expect(error.recordNumber == 0)
        }
    }

    @Test func damageInTheFirstRecordOfATFRecordFileIsNotRenamed() throws {
        // An uncompressed file whose first length checksum is broken is reported as damage.
        let path = try Self.shard(.none)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[8] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = try #require(Self.error { try Self.readAll(path, ReadOptions()) })
        #expect(error.kind == .corrupted)
        #expect(error.detail.hasPrefix("length checksum mismatch"), "\(error)")
        #expect(!error.detail.contains("this is a"), "\(error)")
    }
}
