import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample
@testable import TFRecordCLI

/// Issue 15 item 3: `import --file-field` never copies a file from outside `--root` (`../x`,
/// absolute paths, links out of the root) unless `--allow-outside-root`, and `--prefix` never
/// puts a file outside `--output`.
@Suite struct ImportSafetyTests {
    /// `dir/root/ok.bin`, `dir/root/sub/`, `dir/secret`, `dir/root/out-link -> ../secret`,
    /// `dir/root/in-link -> ok.bin`, `dir/root/fifo`.
    static func layout() throws -> String {
        let dir = try Scratch.folder("imsafe")
        try FileManager.default.createDirectory(atPath: dir + "/root/sub", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: dir + "/root/ok.bin", contents: Data([1, 2, 3])))
        #expect(FileManager.default.createFile(atPath: dir + "/secret", contents: Data("secret".utf8)))
        try FileManager.default.createSymbolicLink(atPath: dir + "/root/out-link", withDestinationPath: "../secret")
        try FileManager.default.createSymbolicLink(atPath: dir + "/root/in-link", withDestinationPath: "ok.bin")
        #expect(mkfifo(dir + "/root/fifo", 0o644) == 0)
        return dir
    }

    static func json(_ path: String) -> [UInt8] { Array(#"{"id": 1, "image": "\#(path)"}"#.utf8) }

    @Test func pathsThatLeaveTheRootAreErrorsNamingTheRecord() throws {
        let dir = try Self.layout()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let escaping = ["../secret", dir + "/secret", "out-link", "sub/../../secret", "./../root/../secret"]
        for (n, path) in escaping.enumerated() {
            let converter = JSONConverter(fileField: "image", root: dir + "/root")
            do {
                _ = try converter.example(fromJSON: Self.json(path), recordNumber: n, source: "in.jsonl")
                Issue.record("\(path) was read from outside the root")
            } catch {
                #expect(error.kind == .corrupted && error.recordNumber == n && error.path == "in.jsonl", "\(error)")
                #expect(error.detail.contains("outside --root") && error.detail.contains("\"image\""), "\(error)")
            }
            // Allowed explicitly, the same path is read.
            let allowing = JSONConverter(fileField: "image", root: dir + "/root", allowOutsideRoot: true)
            let example = try allowing.example(fromJSON: Self.json(path), recordNumber: n, source: "in.jsonl")
            #expect(example["image"] == .bytesList([Array("secret".utf8)]))
        }
        for path in ["ok.bin", "sub/../ok.bin", "in-link", dir + "/root/ok.bin", dir + "/root/../root/ok.bin"] {
            let example = try JSONConverter(fileField: "image", root: dir + "/root").example(fromJSON: Self.json(path), recordNumber: 0, source: "in.jsonl")
            #expect(example["image"] == .bytesList([[1, 2, 3]]), "\(path)")
        }
    }

    @Test func aSpecialFileIsAnErrorNotAHang() throws {
        let dir = try Self.layout()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for path in ["fifo", "sub"] {
            do {
                _ = try JSONConverter(fileField: "image", root: dir + "/root").example(fromJSON: Self.json(path), recordNumber: 4, source: "in.jsonl")
                Issue.record("\(path) was read")
            } catch {
                #expect(error.kind == .corrupted && error.recordNumber == 4 && error.detail.contains("not a regular file"), "\(error)")
            }
        }
    }

    @Test func cliExitsOneAndPublishesNothing() throws {
        let dir = try Self.layout()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ([#"{"id": 0, "image": "ok.bin"}"#, #"{"id": 1, "image": "../secret"}"#].joined(separator: "\n") + "\n")
            .write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        let args = ["import", dir + "/in.jsonl", "--output", dir + "/out", "--file-field", "image",
                    "--root", dir + "/root", "--records-per-shard", "1", "--quiet"]
        let refused = CLIHarness.run(args)
        #expect(refused.code == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("\(dir)/in.jsonl: error: corrupted record 1: feature \"image\""), "\(refused.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out").filter { !$0.hasPrefix(".") }.isEmpty,
                "shards were published from an import that failed")
        try? FileManager.default.removeItem(atPath: dir + "/out")
        let allowed = CLIHarness.run(args + ["--allow-outside-root"])
        #expect(allowed.code == 0, "\(allowed.stderr)")
        var records: [[UInt8]] = []
        for shard in try ShardPaths.expand([dir + "/out"]) { records += try RecordReader(path: shard).allRecords() }
        #expect(try records.map { try Example(serialized: $0.span.bytes)["image"] } == [.bytesList([[1, 2, 3]]), .bytesList([Array("secret".utf8)])])
    }

    @Test func prefixCannotLeaveTheOutputFolder() throws {
        let dir = try Self.layout()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"{"id": 0}"#.write(toFile: dir + "/in.jsonl", atomically: true, encoding: .utf8)
        let before = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        for prefix in ["/../x", "../x", "a/b", "..", "x/../../y"] {
            let r = CLIHarness.run(["import", dir + "/in.jsonl", "--output", dir + "/out", "--prefix", prefix,
                                    "--records-per-shard", "1", "--quiet"])
            #expect(r.code == 2, "\(prefix): \(r.code) \(r.stderr)")
            #expect(r.stderr.contains("plain name"), "\(r.stderr)")
            #expect(throws: TFRecordError.self) {
                _ = try ShardWriter(options: ShardWriterOptions(directory: dir + "/out", prefix: prefix, recordsPerShard: 1))
            }
        }
        let after = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0 != "out" }.sorted()
        #expect(after == before, "a file was written outside --output")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/..").allSatisfy { $0 != "x" && $0 != "y" })
    }
}
