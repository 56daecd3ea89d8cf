import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample
@testable import TFRecordCLI

/// The `tfrecord` contract: output formats, exit codes, diagnostics, help — in-process and as
/// the built binary.
@Suite struct CLITests {
    static let corpus = Manifest.shared.root.path
    static let small = Manifest.shared.files.first { $0.path == "framing/small.tfrecord" }!
    static let tfdsShards = Manifest.shared.files.filter { $0.group == "shards_tfds" && $0.compression.isEmpty }

    @Test func countOneFile() {
        let r = CLIHarness.run(["count", Self.small.fullPath])
        #expect(r.code == 0)
        #expect(r.stdout == "\(Self.small.numRecords)\t\(Self.small.fullPath)\n")
        #expect(r.stderr.isEmpty)
    }

    @Test func countDirectoryGivesSortedFilesAndTotal() {
        let dir = Self.corpus + "/shards/tfds"
        let r = CLIHarness.run(["count", dir])
        #expect(r.code == 0)
        let expected = Self.tfdsShards.sorted { $0.path < $1.path }
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == expected.count + 1)
        for (line, file) in zip(lines, expected) {
            #expect(line == "\(file.numRecords)\t\(dir)/\(URL(fileURLWithPath: file.path).lastPathComponent)")
        }
        #expect(lines.last == "\(expected.map(\.numRecords).reduce(0, +))\ttotal")
    }

    @Test func countJSON() throws {
        let r = CLIHarness.run(["count", "--json", Self.small.fullPath, Self.small.fullPath])
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(object["total"] as? Int == Self.small.numRecords * 2)
        #expect((object["files"] as? [[String: Any]])?.count == 2)
    }

    @Test func catFormats() throws {
        let payloads = try MappedFile(path: Self.small.fullPath).allRecords()
        let hex = CLIHarness.run(["cat", "--format", "hex", Self.small.fullPath])
        #expect(hex.stdout == payloads.map { Hex.encode($0) + "\n" }.joined())
        let b64 = CLIHarness.run(["cat", Self.small.fullPath])
        #expect(b64.stdout == payloads.map { Base64.encode($0) + "\n" }.joined())
        let raw = CLIHarness.run(["cat", "--format", "raw", "--skip", "3", "--limit", "1", Self.small.fullPath])
        #expect(Array(raw.stdout.utf8) == payloads[3])
    }

    @Test func catSkipAndLimitSpanFiles() throws {
        let payloads = try MappedFile(path: Self.small.fullPath).allRecords()
        let r = CLIHarness.run(["cat", "--format", "hex", "--skip", "2", "--limit", "4", Self.small.fullPath, Self.small.fullPath])
        let expected = (payloads + payloads)[2..<6].map { Hex.encode($0) + "\n" }.joined()
        #expect(r.stdout == expected)
    }

    /// `bench` prints one line per measurement: the sequential read, random lookups through the
    /// GZIP file's inflate checkpoints with their latency percentiles, and writing.
    @Test func benchPrintsEachMeasurement() throws {
        let file = Manifest.shared.files.first { $0.path == "raw/mixed.gzip.tfrecord" }!
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let r = CLIHarness.run(["bench", "--runs", "1", "--random", "20", "--latency", "--write-records", "100",
                                "--write-path", scratch, file.fullPath])
        #expect(r.code == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(lines.contains { $0.first == "sequential-mmap" && $0.count == 4 })
        let latency = try #require(lines.first { $0.first == "random-latency" })
        #expect(latency[1].hasPrefix("p50 ") && latency[2].hasPrefix("p90 "))
        #expect(latency[3] == "20 lookups of \(file.numRecords) records")
        #expect(lines.contains { $0.first == "write" && $0.count == 4 })
        #expect(lines.contains { $0.first == "write-background" && $0.count == 4 })
        #expect(!FileManager.default.fileExists(atPath: scratch), "the write benchmark removes its file")
    }

    @Test func verifyIntactAndDamaged() {
        let good = CLIHarness.run(["verify", Self.small.fullPath])
        #expect(good.code == 0)
        #expect(good.stdout.contains("4 records good, 0 damaged"))
        let damagedPath = Self.corpus + "/corrupt/payload_bitflip.tfrecord"
        let bad = CLIHarness.run(["verify", damagedPath])
        #expect(bad.code == 1)
        #expect(bad.stderr == "\(damagedPath): error: corrupted record 2 at offset 154: payload checksum mismatch (1000 bytes)\n")
        let recovered = CLIHarness.run(["verify", "--skip-corrupt", damagedPath])
        #expect(recovered.code == 1)
        #expect(recovered.stdout.contains("4 records good, 1 damaged"))
    }

    @Test(arguments: Manifest.shared.files.filter { $0.category == "corrupt" && $0.compression.isEmpty })
    func convertRepairsDamagedFiles(_ file: Manifest.File) throws {
        let out = Scratch.path("repair", suffix: ".tfrecord")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = CLIHarness.run(["convert", file.fullPath, out, "--compression", "none", "--skip-corrupt", "--quiet"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning:"), "the damage must be reported")
        let repaired = try MappedFile(path: out).allRecords().map { SHA256.hex($0) }
        #expect(repaired == intactSourceRecords(file))
        #expect(CLIHarness.run(["verify", out]).code == 0)
    }

    @Test func exitCodes() {
        #expect(CLIHarness.run(["count", "/nonexistent/file.tfrecord"]).code == 3)
        #expect(CLIHarness.run(["count"]).code == 2)
        #expect(CLIHarness.run(["cat", "--format", "nope", Self.small.fullPath]).code == 2)
        #expect(CLIHarness.run(["frobnicate"]).code == 2)
        let damaged = CLIHarness.run(["cat", Self.corpus + "/corrupt/length_crc_bitflip.tfrecord"])
        #expect(damaged.code == 1)
        #expect(damaged.stderr.contains(": error: corrupted record 2 at offset 142"))
    }

    @Test func usageErrorsGoToStderr() {
        let r = CLIHarness.run(["count"])
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix("error: "))
    }

    @Test(arguments: TFRecordCommand.configuration.subcommands.map { $0._commandName })
    func everyCommandHasHelpWithAnExample(_ name: String) {
        let r = CLIHarness.run(["help", name])
        #expect(r.code == 0)
        #expect(r.stdout.contains("Example: tfrecord \(name)"), "\(name) help lacks an example")
    }

    @Test func versionFlag() {
        let r = CLIHarness.run(["--version"])
        #expect(r.code == 0)
        #expect(!r.stdout.isEmpty)
    }

    @Test func binaryCountsAndEndsQuietlyOnClosedPipe() throws {
        #expect(FileManager.default.isExecutableFile(atPath: CLIHarness.binary.path), "build the tool first: swift build --build-tests")
        let count = try CLIHarness.shell("\"$TFRECORD\" count '\(Self.small.fullPath)'")
        #expect(count.code == 0)
        #expect(count.stdout == "\(Self.small.numRecords)\t\(Self.small.fullPath)\n")
        // 200k lines into `head -1`: the writer sees EPIPE and must exit 0 without a message.
        let big = Scratch.path("pipe", suffix: ".tfrecord")
        defer { try? FileManager.default.removeItem(atPath: big) }
        let writer = try RecordWriter(path: big)
        for i in 0..<200_000 { try writer.write(Array("record \(i)".utf8)) }
        try writer.close()
        let piped = try CLIHarness.shell("\"$TFRECORD\" cat --format hex '\(big)' | head -1")
        #expect(piped.stdout.hasPrefix(Hex.encode(Array("record 0".utf8)) + "\n"))
        #expect(piped.stderr.isEmpty, "stderr: \(piped.stderr)")
        let status = try CLIHarness.shell("bash -c 'set -o pipefail; \"$TFRECORD\" cat --format hex \(big) | head -1 > /dev/null; echo $?'")
        #expect(status.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }
}
