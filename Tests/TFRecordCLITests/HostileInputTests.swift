import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordCLI

/// Hostile inputs against the built binary: the CLI's contract (exit 1 for damaged data, never
/// a signal, a hang or memory that grows with the input's claims).
@Suite struct HostileInputTests {
    /// A 12-byte record header claiming `length` payload bytes (its length CRC valid).
    static func header(claiming length: UInt64) -> [UInt8] {
        var bytes = withUnsafeBytes(of: length.littleEndian) { Array($0) }
        let crc = CRC32C.mask(CRC32C.checksum(bytes))
        bytes += withUnsafeBytes(of: crc.littleEndian) { Array($0) }
        return bytes
    }

    /// Issue 15 item 5: a GZIP file of ~400 KB whose record header claims 2^40 bytes, followed
    /// by 400 MB of real zeros. Under a 600 MB address-space limit `count`, `verify` and `cat`
    /// refuse the record at once (exit 1, naming the limit) instead of buffering it until the
    /// allocator aborts (SIGABRT before).
    @Test func decompressionAmplificationIsRefusedAtOnce() throws {
        let folder = try Scratch.folder("amp")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(Self.header(claiming: 1 << 40)).write(to: URL(fileURLWithPath: folder + "/h.bin"))
        // Concatenated gzip members are one valid GZIP file: one member of 16 MiB of zeros, 25 times.
        let make = try CLIHarness.shell("""
            cd '\(folder)' && gzip -1 < h.bin > amp.gz && head -c 16777216 /dev/zero | gzip -1 > z.gz && \
            for i in $(seq 25); do cat z.gz; done >> amp.gz && rm z.gz
            """)
        #expect(make.code == 0, "\(make.stderr)")
        for command in ["count", "verify", "cat", "cat --format json", "count --max-record-size 100"] {
            let r = try CLIHarness.shell("cd '\(folder)' && ulimit -v 600000 && exec \"$TFRECORD\" \(command) amp.gz")
            #expect(r.code == 1, "\(command): exit \(r.code): \(r.stderr.prefix(300))")
            #expect(r.stderr.contains("amp.gz") && r.stderr.contains("record 0") && r.stderr.contains("limit"),
                    "\(command): \(r.stderr.prefix(300))")
        }
        // A limit above the claim is honoured: the claim is then read as far as the data goes
        // (here: cut short, since only 400 MB follow) — but not under 600 MB of address space,
        // so this runs without the ulimit and with a smaller file.
        let small = try CLIHarness.shell("""
            cd '\(folder)' && gzip -1 < h.bin > small.gz && head -c 1000 /dev/zero | gzip -1 >> small.gz && \
            exec "$TFRECORD" count --max-record-size 1099511627776 small.gz
            """)
        #expect(small.code == 1, "\(small.stderr)")
        #expect(small.stderr.contains("truncated"), "\(small.stderr)")
    }
}
