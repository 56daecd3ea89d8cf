import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample
@testable import TFRecordCLI

/// `tfrecord convert`, in process: TensorFlow's bytes for GZIP/ZLIB, blocked and LZ4 output that
/// reads back, usage errors exit 2.
@Suite struct ConvertCommandTests {
    static func temporaryPath() -> String {
        Scratch.path("cv")
    }

    /// TensorFlow's compressed files (default options, bytes Python's zlib reproduces) of `file`'s group.
    static func siblings(of file: Manifest.File) -> [Manifest.File] {
        Manifest.shared.files.filter {
            $0.group == file.group && !$0.compression.isEmpty && $0.pythonZlibSameBytes == true && $0.writerOptions == nil
        }
    }

    /// Only the uncompressed files that have such siblings (the shard sets have none).
    static let filesWithSiblings = Manifest.shared.files.filter {
        $0.compression.isEmpty && $0.isIntact && $0.group != nil && !siblings(of: $0).isEmpty
    }

    @Test(arguments: filesWithSiblings)
    func convertMatchesTensorFlowsCompressedSiblings(_ file: Manifest.File) throws {
        let siblings = Self.siblings(of: file)
        #expect(siblings.count >= 1)
        for sibling in siblings {
            let out = Self.temporaryPath()
            defer { unlink(out) }
            let kind = sibling.compression.lowercased()
            #expect(CommandRunner.run(["convert", file.fullPath, out, "--compression", kind]) == .success)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: out)))
            #expect(SHA256.hex(bytes) == sibling.fileSHA256, "\(sibling.path)")
        }
    }

    @Test func corpusHasCompressedSiblings() {
        let plainGroups = Set(Manifest.shared.files.filter { $0.compression.isEmpty && $0.isIntact }.compactMap(\.group))
        let siblings = Manifest.shared.files.filter {
            !$0.compression.isEmpty && $0.pythonZlibSameBytes == true && plainGroups.contains($0.group ?? "-")
        }
        #expect(siblings.count >= 10)
        #expect(Self.filesWithSiblings.count >= 5)
        #expect(Self.filesWithSiblings.map { Self.siblings(of: $0).count }.reduce(0, +) >= 10)
    }

    @Test func blockedAndLZ4RoundTrip() throws {
        let file = try #require(Manifest.shared.files.first { $0.path == "raw/text_600k.gzip.tfrecord" })
        let blocked = Self.temporaryPath()
        let lz4 = Self.temporaryPath()
        let back = Self.temporaryPath()
        defer { for p in [blocked, lz4, back] { unlink(p) } }
        #expect(CommandRunner.run(["convert", file.fullPath, blocked, "--blocked", "64K", "--level", "9"]) == .success)
        #expect(CommandRunner.run(["convert", blocked, lz4, "--compression", "lz4", "--blocked", "100000"]) == .success)
        #expect(CommandRunner.run(["convert", lz4, back, "--compression", "none"]) == .success)
        #expect(try RecordReader(path: blocked).compression == .gzip)
        #expect(try RecordReader(path: lz4).compression == .lz4)
        let hashes = try RecordReader(path: back).allRecords().map(SHA256.hex)
        #expect(hashes == file.recordSHA256)
        let plain = try #require(Manifest.shared.files.first { $0.path == "raw/text_600k.tfrecord" })
        #expect(SHA256.hex([UInt8](try Data(contentsOf: URL(fileURLWithPath: back)))) == plain.fileSHA256)
    }

    @Test func usageErrorsExitTwo() {
        let out = Self.temporaryPath()
        let input = Manifest.shared.root.appendingPathComponent("raw/mixed.tfrecord").path
        #expect(CommandRunner.run(["convert", input, out, "--compression", "zlib", "--blocked", "1M"]) == .usage)
        #expect(CommandRunner.run(["convert", input, out, "--blocked", "12X"]) == .usage)
        #expect(CommandRunner.run(["convert", input, out, "--level", "11"]) == .usage)
        #expect(CommandRunner.run(["convert", input, out, "--compression", "bzip2"]) == .usage)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func damagedInputExitsOneAndLeavesNoOutput() {
        let out = Self.temporaryPath()
        let input = Manifest.shared.root.appendingPathComponent("corrupt/gzip_truncated_mid_deflate.tfrecord").path
        #expect(CommandRunner.run(["convert", input, out, "--compression", "none"]) == .damaged)
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
