import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample

/// What a writer leaves behind when things go wrong: never a file under its final name that a
/// reader would accept as complete but is not, and nothing already there lost.
@Suite struct WriterSafetyTests {
    static func tempDir() throws -> String {
        let dir = Scratch.path("ws")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func killedWriterLeavesNoFileUnderItsName() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = dir + "/data.tfrecord"
        let r = try CLIHarness.shell("""
            "$TFRECORD" generate '\(target)' --size 100 --records 50000000 & pid=$!
            for i in $(seq 200); do [ -n "$(find '\(dir)' -name '.data.tfrecord.tmp-*' -size +64k)" ] && break; sleep 0.1; done
            kill -9 $pid; wait $pid; echo killed=$?
            """)
        #expect(r.stdout.contains("killed=137"), "the writer was not killed mid-way: \(r.stdout) \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: target), "a killed writer left a file under its final name")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir)
        #expect(!left.isEmpty, "the writer never wrote; the test proves nothing")
        #expect(left.allSatisfy { $0.hasPrefix(".data.tfrecord.tmp-") }, "unexpected files: \(left)")
        // Readers given the folder do not mistake the hidden temporary file for data.
        let count = CLIHarness.run(["count", dir])
        #expect(count.code == 0)
        #expect(count.stdout.isEmpty)
    }

    @Test func fileSizeLimitIsACleanErrorAndKeepsTheOldFile() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = dir + "/data.tfrecord"
        let old = try RecordWriter(path: target)
        try old.write(Array("previous contents".utf8))
        try old.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: target))
        // ulimit -f makes write(2) fail with EFBIG, as a full disk fails with ENOSPC.
        let r = try CLIHarness.shell("export LLVM_PROFILE_FILE=/dev/null; ulimit -f 64; \"$TFRECORD\" generate '\(target)' --size 1000 --records 100000; echo status=$?")
        #expect(r.stdout.contains("status=3"), "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("\(dir)/.data.tfrecord.tmp-") && r.stderr.contains("cannot write file"), "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == before, "the previous file was damaged")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["data.tfrecord"], "temporary file left behind")
    }

    @Test func permissionErrorIsAnIOError() throws {
        let dir = try Self.tempDir()
        defer { chmod(dir, 0o755); try? FileManager.default.removeItem(atPath: dir) }
        chmod(dir, 0o555)
        if getuid() == 0 {
            // root ignores permission bits; use a path whose parent is a file instead.
            let file = dir + "/plain"
            chmod(dir, 0o755)
            _ = FileManager.default.createFile(atPath: file, contents: Data())
            let error = #expect(throws: TFRecordError.self) { _ = try RecordWriter(path: file + "/x.tfrecord") }
            #expect(error?.kind == .io && error?.errno == ENOTDIR, "\(String(describing: error))")
        } else {
            let error = #expect(throws: TFRecordError.self) { _ = try RecordWriter(path: dir + "/x.tfrecord") }
            #expect(error?.kind == .io && error?.errno == EACCES, "\(String(describing: error))")
        }
    }

    @Test func abandonedWriterLeavesPreviousFile() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = dir + "/a.tfrecord"
        _ = FileManager.default.createFile(atPath: target, contents: Data("old".utf8))
        let writer = try RecordWriter(path: target)
        try writer.write([1, 2, 3])
        writer.abandon()
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a.tfrecord"])
    }

    @Test func droppedWriterStillLeavesAValidFile() throws {
        let dir = try Self.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = dir + "/dropped.tfrecord"
        do {
            let writer = try RecordWriter(path: target)
            for i in 0..<1000 { try writer.write(Array("r\(i)".utf8)) }
        }
        #expect(try MappedFile(path: target).countRecords(verifyingChecksums: true) == 1000)
    }
}
