import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// Compressed files checked by decoders that are not ours: the blocked GZIP we write is read
/// back by Python's `gzip` and `zlib` modules (every member), and LZ4 frames made by the `lz4`
/// command-line tool (several frame options) are read by us. The expected bytes are TensorFlow's
/// uncompressed corpus file, so neither side is judged by our own code.
@Suite struct IndependentDecoderTests {
    static let source = Manifest.shared.files.first { $0.path == "raw/mixed.tfrecord" }!

    /// Runs `executable` with `arguments`; returns its stdout, recording a failure for a non-zero exit.
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        var env = ProcessInfo.processInfo.environment
        env["LLVM_PROFILE_FILE"] = "/dev/null"
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(executable) \(arguments): \(String(decoding: stderr, as: UTF8.self))")
        return String(decoding: stdout, as: UTF8.self)
    }

    static let pythonCheck = """
        import gzip, hashlib, sys, zlib
        data = open(sys.argv[1], "rb").read()
        whole = gzip.decompress(data)
        members, rest, parts = 0, data, []
        while rest:
            d = zlib.decompressobj(wbits=31)
            parts.append(d.decompress(rest) + d.flush())
            if not d.eof: sys.exit("zlib: member %d has no end" % (members + 1))
            rest = d.unused_data
            members += 1
        assert b"".join(parts) == whole, "gzip and zlib disagree"
        print(members, hashlib.sha256(whole).hexdigest(), len(whole))
        """

    @Test(arguments: [700, 4096, WriteOptions.defaultBlockSize])
    func blockedGzipReadByPython(blockSize: Int) throws {
        let payloads = try Self.source.payloads()
        #expect(payloads.count == Self.source.numRecords)
        let path = Scratch.path("blocked", suffix: ".tfrecord.gz")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = WriteOptions(compression: .gzip)
        options.blockSize = blockSize
        let writer = try RecordWriter(path: path, options: options)
        for payload in payloads { try writer.write(payload) }
        try writer.close()
        let fields = try Self.run("python3", ["-c", Self.pythonCheck, path]).split(separator: " ").map(String.init)
        try #require(fields.count == 3, "python printed \(fields)")
        // The uncompressed stream is byte for byte TensorFlow's uncompressed file.
        #expect(fields[1] == Self.source.fileSHA256)
        #expect(Int(fields[2].trimmingCharacters(in: .whitespacesAndNewlines)) == Self.source.fileSize)
        let members = Int(fields[0]) ?? 0
        if blockSize < Self.source.fileSize {
            #expect(members > 1, "block size \(blockSize) should give several members")
        } else {
            #expect(members >= 1)
        }
    }

    @Test(arguments: [["-1"], ["-9", "-B4"], ["-BD", "-B4"], ["--content-size"], ["--no-frame-crc"], ["-BX", "-B4"]])
    func lz4ToolFilesReadByUs(flags: [String]) throws {
        let path = Scratch.path("tool", suffix: ".tfrecord.lz4")
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try Self.run("lz4", ["-q", "-f"] + flags + [Self.source.fullPath, path])
        let records = try RecordReader(path: path).allRecords()
        #expect(records.count == Self.source.numRecords)
        #expect(records.map(SHA256.hex) == Self.source.recordSHA256, "lz4 \(flags)")
    }

    @Test func lz4ToolReadsOurLZ4() throws {
        let path = Scratch.path("ours", suffix: ".tfrecord.lz4")
        let plain = path + ".plain"
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: plain) }
        let writer = try RecordWriter(path: path, options: WriteOptions(compression: .lz4))
        for payload in try Self.source.payloads() { try writer.write(payload) }
        try writer.close()
        _ = try Self.run("lz4", ["-d", "-q", "-f", path, plain])
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: plain)))
        #expect(SHA256.hex(bytes) == Self.source.fileSHA256)
    }
}
