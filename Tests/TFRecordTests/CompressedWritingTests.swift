import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// Our GZIP/ZLIB writer reproduces TensorFlow's files byte for byte (default options wherever the
/// manifest says the same zlib does, and every `options/` variant with its options), non-default
/// options round-trip, and `lz4 -d` reads our LZ4 files.
@Suite struct CompressedWritingTests {
    static let compressed = Manifest.shared.files.filter { !$0.compression.isEmpty && $0.category != "corrupt" }
    /// TF-written files whose bytes the same zlib reproduces with default options.
    static let sameBytes = compressed.filter { $0.pythonZlibSameBytes == true }
    /// TF-written files with non-default options (or a flush after each record).
    static let optionFiles = compressed.filter { $0.category == "options" }

    static func temporaryPath(_ suffix: String = "") -> String {
        Scratch.path("cw", suffix: "\(suffix)")
    }

    static func payloads(_ file: Manifest.File) throws -> [[UInt8]] {
        try RecordReader(path: file.fullPath).allRecords()
    }

    /// Maps a manifest `writer_options` dictionary onto `ZlibOptions`.
    static func zlibOptions(_ raw: [String: Any]?) -> ZlibOptions {
        var options = ZlibOptions()
        guard let raw else { return options }
        if let v = raw["compression_level"] as? Int { options.compressionLevel = v }
        if let v = raw["mem_level"] as? Int { options.memLevel = v }
        if let v = raw["compression_strategy"] as? Int { options.strategy = ZlibOptions.Strategy(rawValue: Int32(v))! }
        if let v = raw["window_bits"] as? Int { options.windowBits = v }
        if let v = raw["input_buffer_size"] as? Int { options.inputBufferSize = v }
        if let v = raw["output_buffer_size"] as? Int { options.outputBufferSize = v }
        if let v = raw["flush_mode"] as? Int { options.flushMode = ZlibOptions.FlushMode(rawValue: Int32(v))! }
        return options
    }

    static func write(_ payloads: [[UInt8]], to path: String, _ options: WriteOptions, flushEach: Bool = false) throws {
        let writer = try RecordWriter(path: path, options: options)
        for payload in payloads {
            try writer.write(payload)
            if flushEach { try writer.flush() }
        }
        try writer.close()
    }

    static func sha256(ofFile path: String) throws -> String {
        SHA256.hex([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    @Test func corpusHasByteIdenticalCandidates() {
        #expect(Self.sameBytes.count >= 10)
        #expect(Self.optionFiles.count >= 10)
    }

    @Test(arguments: sameBytes)
    func defaultOptionsReproduceTensorFlowBytes(_ file: Manifest.File) throws {
        let out = Self.temporaryPath()
        defer { unlink(out) }
        let compression: Compression = file.compression == "GZIP" ? .gzip : .zlib
        try Self.write(try Self.payloads(file), to: out, WriteOptions(compression: compression))
        #expect(try Self.sha256(ofFile: out) == file.fileSHA256)
    }

    @Test(arguments: optionFiles)
    func tensorFlowOptionsReproduceTensorFlowBytes(_ file: Manifest.File) throws {
        let out = Self.temporaryPath()
        defer { unlink(out) }
        var options = WriteOptions(compression: file.compression == "GZIP" ? .gzip : .zlib)
        options.zlib = Self.zlibOptions(file.writerOptions)
        let flushEach = file.flushAfterEachRecord
        try Self.write(try Self.payloads(file), to: out, options, flushEach: flushEach)
        #expect(try Self.sha256(ofFile: out) == file.fileSHA256)
        #expect(try RecordReader(path: out).allRecords().map(SHA256.hex) == file.recordSHA256)
    }

    static let nonDefault: [ZlibOptions] = [
        ZlibOptions(compressionLevel: 1),
        ZlibOptions(compressionLevel: 9, memLevel: 1, strategy: .filtered),
        ZlibOptions(strategy: .huffmanOnly, inputBufferSize: 3, outputBufferSize: 2),
        ZlibOptions(strategy: .rle, windowBits: 9, flushMode: .sync),
        ZlibOptions(windowBits: 10 + 16),
        ZlibOptions(strategy: .fixed, inputBufferSize: 100, outputBufferSize: 7, flushMode: .full),
        ZlibOptions(compressionLevel: 0, flushMode: .partial),
    ]

    @Test(arguments: [Compression.gzip, .zlib], nonDefault)
    func nonDefaultOptionsRoundTrip(_ compression: Compression, _ zlib: ZlibOptions) throws {
        let file = try #require(Manifest.shared.files.first { $0.path == "raw/mixed.tfrecord" })
        let records = try Self.payloads(file)
        let out = Self.temporaryPath()
        defer { unlink(out) }
        var options = WriteOptions(compression: compression)
        options.zlib = zlib
        try Self.write(records, to: out, options, flushEach: zlib.flushMode == .partial)
        let reader = try RecordReader(path: out)
        // Window bits are passed verbatim, as TensorFlow does: above 15 they select the gzip
        // wrapper, up to 15 the zlib one, whatever the compression says.
        let expected: Compression = zlib.windowBits.map { $0 > 15 ? .gzip : .zlib } ?? compression
        #expect(reader.compression == expected)
        #expect(try reader.allRecords() == records)
    }

    @Test func invalidOptionsAreRefused() throws {
        var options = WriteOptions(compression: .gzip)
        options.zlib.outputBufferSize = 1
        #expect(throws: TFRecordError.self) { try RecordWriter(path: Self.temporaryPath(), options: options) }
        options.zlib = ZlibOptions(memLevel: 42)
        #expect(throws: TFRecordError.self) { try RecordWriter(path: Self.temporaryPath(), options: options) }
    }

    @Test func flushEmitsAPartialFlushPoint() throws {
        let out = Self.temporaryPath()
        defer { unlink(out) }
        let writer = try RecordWriter(path: out, options: WriteOptions(compression: .gzip, atomic: false))
        try writer.write([UInt8](repeating: 7, count: 100))
        try writer.flush()
        let flushed = try [UInt8](Data(contentsOf: URL(fileURLWithPath: out)))
        #expect(flushed.count > 10)
        // What has been flushed inflates to the first record already.
        let partial = Self.temporaryPath()
        defer { unlink(partial) }
        try Data(flushed).write(to: URL(fileURLWithPath: partial))
        let reader = try RecordReader(path: partial)
        #expect(try reader.next() == [UInt8](repeating: 7, count: 100))
        try writer.close()
    }

    static var lz4Available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/lz4") }

    @Test(.enabled(if: lz4Available, "the lz4 command-line tool is not installed"),
          arguments: Manifest.shared.files.filter { $0.compression.isEmpty && $0.isIntact && $0.numRecords > 0 }.prefix(12))
    func lz4CommandLineReadsOurFiles(_ file: Manifest.File) throws {
        let records = try MappedFile(path: file.fullPath).allRecords()
        let lz4Path = Self.temporaryPath(".lz4")
        let plain = Self.temporaryPath()
        let decompressed = Self.temporaryPath()
        defer { for p in [lz4Path, plain, decompressed] { unlink(p) } }
        try Self.write(records, to: lz4Path, WriteOptions(compression: .lz4))
        try Self.write(records, to: plain, WriteOptions())
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/lz4")
        process.arguments = ["-d", "-q", "-f", lz4Path, decompressed]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try Self.sha256(ofFile: decompressed) == Self.sha256(ofFile: plain))
        let reader = try RecordReader(path: lz4Path)
        #expect(reader.compression == .lz4)
        #expect(try reader.allRecords() == records)
    }

    @Test func lz4DamageIsReported() throws {
        let file = try #require(Manifest.shared.files.first { $0.path == "raw/mixed.tfrecord" })
        let records = try Self.payloads(file)
        let out = Self.temporaryPath()
        defer { unlink(out) }
        try Self.write(records, to: out, WriteOptions(compression: .lz4))
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: out)))
        let cut = Self.temporaryPath()
        defer { unlink(cut) }
        try Data(bytes[..<(bytes.count - 9)]).write(to: URL(fileURLWithPath: cut))
        #expect { try RecordReader(path: cut).allRecords() } throws: { ($0 as? TFRecordError)?.kind == .truncated }
        bytes[bytes.count / 2] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: cut))
        #expect { try RecordReader(path: cut).allRecords() } throws: {
            let kind = ($0 as? TFRecordError)?.kind
            return kind == .compression || kind == .corrupted
        }
    }
}
