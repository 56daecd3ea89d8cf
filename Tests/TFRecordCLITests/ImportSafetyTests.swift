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
    /// `dir/root/in-link -> ok.bin`, `dir/root/fifo`, `dir/root/sub/up-link -> ../ok.bin`,
    /// `dir/root/sub/out-link2 -> ../../secret`, `dir/root/abs-link -> <dir>/root/ok.bin`,
    /// `dir/root/loop -> loop`.
    static func layout() throws -> String {
        let dir = try Scratch.folder("imsafe")
        try FileManager.default.createDirectory(atPath: dir + "/root/sub", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: dir + "/root/ok.bin", contents: Data([1, 2, 3])))
        #expect(FileManager.default.createFile(atPath: dir + "/secret", contents: Data("secret".utf8)))
        try FileManager.default.createSymbolicLink(atPath: dir + "/root/out-link", withDestinationPath: "../secret")
        try FileManager.default.createSymbolicLink(atPath: dir + "/root/in-link", withDestinationPath: "ok.bin")
        #expect(mkfifo(dir + "/root/fifo", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: dir + "/root/sub/up-link", withDestinationPath: "../ok.bin")
        try FileManager.default.createSymbolicLink(atPath: dir + "/root/sub/out-link2", withDestinationPath: "../../secret")
        try FileManager.default.createSymbolicLink(atPath: dir + "/root/abs-link", withDestinationPath: dir + "/root/ok.bin")
        try FileManager.default.createSymbolicLink(atPath: dir + "/root/loop", withDestinationPath: "loop")
        return dir
    }

    static func json(_ path: String) -> [UInt8] { Array(#"{"id": 1, "image": "\#(path)"}"#.utf8) }

    @Test func pathsThatLeaveTheRootAreErrorsNamingTheRecord() throws {
        let dir = try Self.layout()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let escaping = ["../secret", dir + "/secret", "out-link", "sub/../../secret", "./../root/../secret", "sub/out-link2"]
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
        for path in ["ok.bin", "sub/../ok.bin", "in-link", "sub/up-link", "./sub/./../ok.bin"] {
            let example = try JSONConverter(fileField: "image", root: dir + "/root").example(fromJSON: Self.json(path), recordNumber: 0, source: "in.jsonl")
            #expect(example["image"] == .bytesList([[1, 2, 3]]), "\(path)")
        }
        // Absolute paths are refused even when they name a file inside the root (the open is
        // relative to the root's descriptor); an absolute link too. Allowed explicitly, read.
        for path in [dir + "/root/ok.bin", dir + "/root/../root/ok.bin", "abs-link"] {
            #expect(throws: TFRecordError.self, "\(path)") {
                _ = try JSONConverter(fileField: "image", root: dir + "/root").example(fromJSON: Self.json(path), recordNumber: 0, source: "in.jsonl")
            }
            let allowing = JSONConverter(fileField: "image", root: dir + "/root", allowOutsideRoot: true)
            #expect(try allowing.example(fromJSON: Self.json(path), recordNumber: 0, source: "in.jsonl")["image"] == .bytesList([[1, 2, 3]]))
        }
    }

    /// Issue 15, second round, item 4: the open itself is confined (no prior `realpath` check
    /// to race): `RootDirectory` refuses every escape with `EXDEV`, through `openat2` and through
    /// the fallback walk alike, and opens what stays beneath the root, links included.
    @Test(arguments: RootDirectory.Method.allCases)
    func theOpenerRefusesEscapesItself(_ method: RootDirectory.Method) throws {
        let dir = try Self.layout()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let root = try RootDirectory(path: dir + "/root")
        for name in ["ok.bin", "in-link", "sub/up-link", "sub/../ok.bin", "./sub/./../ok.bin", "sub//up-link"] {
            let fd = try root.open(name, method: method)
            var bytes = [UInt8](repeating: 0, count: 16)
            let n = try bytes.withMutableBytes { (b) throws(TFRecordError) in try SystemCalls.readFully(fd.raw, b, path: name) }
            #expect(Array(bytes[..<n]) == [1, 2, 3], "\(method) \(name)")
        }
        for name in ["../secret", dir + "/secret", dir + "/root/ok.bin", "out-link", "sub/out-link2", "abs-link",
                     "sub/../../secret", "./../root/ok.bin", "..", "sub/../.."] {
            do {
                _ = try root.open(name, method: method)
                Issue.record("\(method): \(name) was opened")
            } catch {
                #expect(error.errno == SystemCalls.Code.escapes, "\(method) \(name): \(error)")
            }
        }
        // A loop and a missing file are I/O errors naming the file; a FIFO opens without blocking.
        #expect(throws: TFRecordError.self) { _ = try root.open("loop", method: method) }
        do { _ = try root.open("missing", method: method) } catch { #expect(error.errno == ENOENT && error.path == dir + "/root/missing") }
        let fifo = try root.open("fifo", method: method)
        #expect(try SystemCalls.status(fifo.raw, path: "fifo").kind == .fifo)
    }

    /// The race the old resolve-then-open check lost: `realpath("d/f")` saw `d` as a folder
    /// inside the root, then `open` of the resolved path followed `d` after another process had
    /// swapped it for a link to a folder outside. Here a thread swaps `d` between the two as fast
    /// as it can while the import reads `d/f`: the open is confined, so the secret is never read,
    /// whichever way each swap falls.
    @Test(arguments: RootDirectory.Method.allCases)
    func aFolderSwappedForALinkDuringTheImportNeverLeaksTheSecret(_ method: RootDirectory.Method) throws {
        let dir = try Self.layout()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/outside", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: dir + "/outside/f", contents: Data("secret".utf8)))
        try FileManager.default.createDirectory(atPath: dir + "/root/d-real", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: dir + "/root/d-real/f", contents: Data([1, 2, 3])))
        #expect(symlink("../outside", dir + "/root/d-link") == 0)
        let stop = SwapFlag()
        let swapper = Thread {
            let (d, real, link) = (dir + "/root/d", dir + "/root/d-real", dir + "/root/d-link")
            while !stop.isSet {
                _ = rename(real, d); _ = rename(d, real)
                _ = rename(link, d); _ = rename(d, link)
            }
        }
        swapper.start()
        defer { stop.set() }
        var root = ImportRoot(path: dir + "/root", allowsOutside: false, method: method)
        var inside = 0
        var refused = 0
        for n in 0..<3000 {
            do {
                let bytes = try root.read("d/f", field: "image", recordNumber: n, source: "in.jsonl")
                #expect(bytes == [1, 2, 3], "record \(n) read \(bytes)")
                inside += 1
            } catch {
                #expect(error.kind == .corrupted || error.kind == .io, "\(error)")
                refused += 1
            }
        }
        #expect(inside + refused == 3000)
        #expect(refused > 0, "the swap never hit an open: the test proved nothing")
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

/// A flag one thread sets and another polls.
final class SwapFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
