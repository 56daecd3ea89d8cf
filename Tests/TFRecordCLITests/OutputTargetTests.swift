import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordCLI

/// Issue 15 item 4: writers refuse to replace anything but a regular file (a character device,
/// a FIFO, a directory) and any output that is one of the inputs, with exit 2; nothing at the
/// target changes.
@Suite struct OutputTargetTests {
    /// A folder with `in.tfrecord` (3 records) and the special files the tests write to.
    static func folder() throws -> String {
        let dir = try Scratch.folder("target")
        let writer = try RecordWriter(path: dir + "/in.tfrecord")
        for i in 0..<3 { try writer.write(Array("record \(i)".utf8)) }
        try writer.close()
        #expect(mkfifo(dir + "/fifo", 0o644) == 0)
        try FileManager.default.createDirectory(atPath: dir + "/folder", withIntermediateDirectories: false)
        // A link to the system's /dev/null: following it must not replace or write the device.
        try FileManager.default.createSymbolicLink(atPath: dir + "/null-link", withDestinationPath: "/dev/null")
        return dir
    }

    /// A character device of our own (root only; a copy of /dev/null's numbers, harmless).
    static func characterDevice(in dir: String) -> String? {
        let path = dir + "/chardev"
        return mknod(path, S_IFCHR | 0o644, dev_t((1 << 8) | 3)  /* makedev(1, 3): a macro Swift cannot see */) == 0 ? path : nil
    }

    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    static func kind(_ path: String) throws -> SystemCalls.FileKind { try SystemCalls.linkStatus(path: path).kind }

    @Test(arguments: [true, false])
    func recordWriterRefusesSpecialFiles(atomic: Bool) throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var targets = [dir + "/fifo", dir + "/folder", dir + "/null-link"]
        if let device = Self.characterDevice(in: dir) { targets.append(device) }
        else { #expect(getuid() != 0, "root could not make a device node") }
        var options = WriteOptions()
        options.atomic = atomic
        for target in targets {
            let before = try Self.kind(target)
            do {
                let writer = try RecordWriter(path: target, options: options)
                writer.abandon()
                Issue.record("\(target) was opened for writing")
            } catch {
                #expect(error.kind == .invalidArgument && error.path == target, "\(error)")
                #expect(error.detail.contains("not a regular file"), "\(error)")
            }
            #expect(try Self.kind(target) == before, "\(target) was replaced")
        }
        #expect(try Self.kind("/dev/null") == .characterDevice)
        do {
            try RecordIndex.build(path: dir + "/in.tfrecord", verifyingChecksums: true).write(to: dir + "/fifo")
            Issue.record("an index was written over a FIFO")
        } catch {
            #expect(error.kind == .invalidArgument)
        }
        #expect(try Self.kind(dir + "/fifo") == .fifo)
    }

    @Test func convertRefusesSpecialTargetsWithExit2() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var targets = ["fifo", "folder", "null-link"].map { dir + "/" + $0 }
        if let device = Self.characterDevice(in: dir) { targets.append(device) }
        for target in targets {
            let before = try Self.kind(target)
            let r = CLIHarness.run(["convert", dir + "/in.tfrecord", target, "--compression", "none"])
            #expect(r.code == 2, "\(target): \(r.code) \(r.stderr)")
            #expect(r.stderr.contains("\(target): error: is a ") && r.stderr.contains("refusing to write over it"), "\(r.stderr)")
            #expect(try Self.kind(target) == before)
        }
        #expect(try Self.kind("/dev/null") == .characterDevice)
    }

    @Test func outputThatIsTheInputIsRefusedWithExit2() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/in.tfrecord"
        try FileManager.default.createSymbolicLink(atPath: dir + "/alias", withDestinationPath: input)
        let original = try Self.bytes(input)
        let lines: [[String]] = [
            ["convert", input, input],
            ["convert", input, dir + "/alias"],
            ["convert", input, dir + "/./in.tfrecord", "--compression", "none"],
            ["index", "--output", input, input],
            ["index", "--format", "text", "--output", input, input],
            ["index", "--output", dir + "/alias", input],
        ]
        for line in lines {
            let r = CLIHarness.run(line)
            #expect(r.code == 2, "\(line): \(r.code) \(r.stderr)")
            #expect(r.stderr.contains("is the input"), "\(line): \(r.stderr)")
            #expect(try Self.bytes(input) == original, "\(line) changed the input")
        }
        #expect(try Self.kind(dir + "/alias") == .symbolicLink)
        // A different file is still fine.
        #expect(CLIHarness.run(["convert", input, dir + "/out.tfrecord", "--compression", "none"]).code == 0)
        #expect(try Self.bytes(dir + "/out.tfrecord") == original)
    }
}

extension OutputTargetTests {
    /// `bench` removes what it writes: `--write-path` must not be an input, and
    /// `--shard-write` must not be a folder that holds files (they could share the shard names).
    @Test func benchNeverRemovesAnInputOrAFolder() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/in.tfrecord"
        let original = try Self.bytes(input)
        let write = CLIHarness.run(["bench", "--runs", "1", "--write-records", "10", "--write-path", input, input])
        #expect(write.code == 2 && write.stderr.contains("is the input"), "\(write.stderr)")
        #expect(try Self.bytes(input) == original)
        let shards = CLIHarness.run(["bench", "--runs", "1", "--shard-write", dir, input])
        #expect(shards.code == 2 && shards.stderr.contains("is not empty"), "\(shards.stderr)")
        #expect(try Self.bytes(input) == original)
        let fresh = dir + "/shards"
        let ok = CLIHarness.run(["bench", "--runs", "1", "--shard-write", fresh, "--shard-records", "1", input])
        #expect(ok.code == 0, "\(ok.stderr)")
        #expect(try Self.bytes(input) == original)
    }
}
