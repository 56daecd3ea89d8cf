import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample
@testable import TFRecordCLI

/// Issue 15 item 12: hostile or unlucky arguments, names and side files get the contract's exit
/// code and a clear message — never a trap, gigabytes of threads, a silent skip, a forged
/// line or a read of a device as an empty file.
@Suite struct HostileArgumentTests {
    static let payloads = (0..<20).map { Array("record \($0) ".utf8) + [UInt8](repeating: UInt8($0), count: $0 * 7) }

    /// A folder with `in.tfrecord` holding `payloads`.
    static func folder() throws -> String {
        let dir = try Scratch.folder("hostile")
        let writer = try RecordWriter(path: dir + "/in.tfrecord")
        for p in payloads { try writer.write(p) }
        try writer.close()
        return dir
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func hugeBlockSizesAreUsageErrorsNotTraps() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(WritingOptions.parseSize("99999999999999G") == nil)
        #expect(WritingOptions.parseSize("-1") == nil)
        #expect(WritingOptions.parseSize("8589934592G") == nil)
        #expect(WritingOptions.parseSize("8589934591G") == Int.max - (1 << 30) + 1)
        #expect(WritingOptions.parseSize("2M") == 2 << 20)
        // Through the binary: a trap would be a signal, not exit 2.
        let r = try CLIHarness.shell(#""$TFRECORD" convert '\#(dir)/in.tfrecord' '\#(dir)/out.gz' --blocked 99999999999999G; echo status=$?"#)
        #expect(r.stdout.contains("status=2"), "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("--blocked"), "\(r.stderr)")
        let big = CLIHarness.run(["convert", dir + "/in.tfrecord", dir + "/out.gz", "--blocked", "1G"])
        #expect(big.code == 2 && big.stderr.contains("largest block"), "\(big.stderr)")
        let shard = CLIHarness.run(["import", dir + "/in.tfrecord", "--output", dir + "/o", "--shard-size", "99999999999999G"])
        #expect(shard.code == 2, "\(shard.stderr)")
        var options = WriteOptions(compression: .gzip)
        options.blockSize = WriteOptions.maxBlockSize + 1
        #expect(throws: TFRecordError.self) { _ = try RecordWriter(path: dir + "/lib.gz", options: options) }
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.gz"))
    }

    @Test func threadCountsAreCappedWithANote() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let limit = 4 * ProcessInfo.processInfo.activeProcessorCount
        // 100000 workers with two 72 KiB blocks each would need ~28 GB: under a 2 GB address
        // space limit only the capped count can run.
        let r = try CLIHarness.shell(#"ulimit -v 2000000; "$TFRECORD" convert '\#(dir)/in.tfrecord' '\#(dir)/out.gz' --blocked 64K --threads 100000; echo status=$?"#)
        #expect(r.stdout.contains("status=0"), "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("--threads 100000 capped at \(limit)"), "\(r.stderr)")
        #expect(try RecordReader(path: dir + "/out.gz").allRecords() == Self.payloads)
        var options = WriteOptions(compression: .gzip)
        options.blockSize = 1 << 16
        options.compressionThreads = 100_000
        let writer = try RecordWriter(path: dir + "/lib.gz", options: options)
        for p in Self.payloads { try writer.write(p) }
        try writer.close()
        #expect(try RecordReader(path: dir + "/lib.gz").allRecords() == Self.payloads)
    }

    @Test func nonUTF8NamesInAFolderAreAnErrorNotSkipped() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // "b\xff.tfrecord": not UTF-8; made with open(2) on the raw bytes.
        var raw = Array((dir + "/b").utf8CString.dropLast()) + [CChar(bitPattern: 0xff)] + Array(".tfrecord".utf8CString)
        let fd = raw.withUnsafeMutableBufferPointer { open($0.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o644) }
        #expect(fd >= 0)
        close(fd)
        for argument in [dir, dir + "/*.tfrecord"] {
            let r = CLIHarness.run(["count", argument])
            #expect(r.code == 3, "\(argument): \(r.code) \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains("not valid UTF-8"), "\(r.stderr)")
        }
    }

    @Test func devicesAreRefusedNotReadAsEmpty() throws {
        let out = Scratch.path("device-out")
        for command in [["verify", "/dev/zero"], ["count", "/dev/null"], ["cat", "/dev/zero"], ["get", "/dev/zero", "0"],
                        ["convert", "/dev/zero", out], ["import", "/dev/zero", "--output", out, "--records-per-shard", "1"]] {
            let r = CLIHarness.run(command)
            #expect(r.code == 2, "\(command): \(r.code) \(r.stdout) \(r.stderr)")
            #expect(r.stderr.contains("character device") && !r.stdout.contains("good"), "\(command): \(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out), "\(command) wrote output")
        }
    }

    @Test func schemaEscapesControlCharactersInFeatureNames() throws {
        let dir = try Scratch.folder("schema")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let hostile = "evil\u{1b}[31m\nfake 1 line"
        for n in 0..<3 {
            let writer = try RecordWriter(path: dir + "/part-\(n).tfrecord")
            try writer.write(Example([hostile: 1, "ok": 2]).serialized())
            try writer.close()
        }
        let r = CLIHarness.run(["schema", dir])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(!r.stdout.contains("\u{1b}"))
        #expect(r.stdout.contains(#"evil\u001b[31m\nfake 1 line"#), "\(r.stdout)")
        #expect(r.stdout.split(separator: "\n").count == 4, "header, column names and two features: \(r.stdout)")
        #expect(r.stdout.hasPrefix("# 3 records in 3 files\n"), "\(r.stdout)")
        let json = CLIHarness.run(["schema", "--json", dir])
        #expect(json.stdout.contains(#"evil\u001b[31m\nfake 1 line"#), "\(json.stdout)")
    }

    @Test func pathsWithNewlinesCannotForgeDiagnosticLines() throws {
        let dir = try Scratch.folder("forge")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/x\nforged.tfrecord: error: all is well\u{1b}[2K"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x41, count: 40)))
        let r = CLIHarness.run(["verify", path])
        #expect(r.code == 1, "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(!r.stderr.contains("\u{1b}"))
        #expect(r.stderr.hasPrefix(dir + #"/x\nforged.tfrecord: error: all is well\u001b[2K: error: "#), "\(r.stderr)")
    }

    @Test func aDamagedSidecarIsDamageAndAStaleOneIsRebuilt() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/in.tfrecord"
        let sidecar = RecordIndex.sidecarPath(for: file)
        // Refused by policy: damage is .corrupted (exit 1), not a usage error.
        try Data(repeating: 7, count: 200).write(to: URL(fileURLWithPath: sidecar))
        do {
            _ = try RecordFile(path: file, options: IndexOptions(stale: .refuse))
            Issue.record("a damaged sidecar was accepted")
        } catch {
            #expect(error.kind == .corrupted && error.path == sidecar, "\(error)")
        }
        // Same identity, but it describes another stream size: rebuilt, not an error.
        let good = try RecordIndex.build(path: file, verifyingChecksums: true)
        let lying = RecordIndex(table: OffsetTable(copying: good.offsets), shard: good.shard, compression: .none,
                                checksumsVerified: true, streamSize: good.streamSize + 100)
        try FileManager.default.removeItem(atPath: sidecar)
        try lying.write(to: sidecar)
        #expect(try RecordFile(path: file).record(at: 13) == Self.payloads[13])
        let r = CLIHarness.run(["get", "--format", "hex", file, "13"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stdout == Self.hex(Self.payloads[13]) + "\n")
        // An unreadable sidecar (a folder here, as root reads any file) is rebuilt in memory.
        try FileManager.default.removeItem(atPath: sidecar)
        try FileManager.default.createDirectory(atPath: sidecar, withIntermediateDirectories: false)
        let u = CLIHarness.run(["get", "--format", "hex", file, "4"])
        #expect(u.code == 0, "\(u.stderr)")
        #expect(u.stdout == Self.hex(Self.payloads[4]) + "\n")
    }

    @Test func invalidJSONIsDamagedDataExit1() throws {
        let dir = try Scratch.folder("badjson")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "{\"a\": 1}\n{\"a\": \n".write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        try "{\"annotations\": [".write(toFile: dir + "/coco.json", atomically: true, encoding: .utf8)
        let lines = CLIHarness.run(["import", dir + "/in.jsonl", "--output", dir + "/a", "--records-per-shard", "5", "--quiet"])
        #expect(lines.code == 1 && lines.stderr.contains("corrupted record 1: invalid JSON"), "\(lines.stderr)")
        let coco = CLIHarness.run(["import", dir + "/coco.json", "--format", "coco", "--output", dir + "/b", "--records-per-shard", "5", "--quiet"])
        #expect(coco.code == 1 && coco.stderr.contains("invalid JSON"), "\(coco.stderr)")
    }

    @Test func helpForAnUnknownSubcommandIsAUsageError() {
        let r = CLIHarness.run(["help", "nosuch"])
        #expect(r.code == 2 && r.stderr.contains("no subcommand 'nosuch'"), "\(r.code) \(r.stderr)")
        #expect(CLIHarness.run(["help", "count"]).code == 0)
    }

    @Test func importRefusesANonEmptyOutputUnlessAskedTo() throws {
        let dir = try Scratch.folder("twice")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "{\"a\": 1}\n{\"a\": 2}\n".write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        let base = ["import", dir + "/in.jsonl", "--output", dir + "/out", "--records-per-shard", "1", "--quiet"]
        #expect(CLIHarness.run(base).code == 0)
        let first = try FileManager.default.contentsOfDirectory(atPath: dir + "/out").sorted()
        #expect(first.count == 4)  // two shards, two sidecars
        let again = CLIHarness.run(base)
        #expect(again.code == 2 && again.stderr.contains("is not empty"), "\(again.stderr)")
        let samePrefix = CLIHarness.run(base + ["--append"])
        #expect(samePrefix.code == 2 && samePrefix.stderr.contains("another --prefix"), "\(samePrefix.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out").sorted() == first)
        #expect(CLIHarness.run(base + ["--append", "--prefix", "more"]).code == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out").count == 8)
        #expect(CLIHarness.run(base + ["--overwrite"]).code == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out").count == 8)
        #expect(CLIHarness.run(base + ["--overwrite", "--append"]).code == 2)
    }
}
