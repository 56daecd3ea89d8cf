import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordCLI

/// Issue 15, second round, item 2: a record printed as text (`cat`/`get` with `--format json`,
/// `base64`, `hex`) is written in pieces as it is encoded, never built as one string: under an
/// 800 MB address-space limit a 200 MB record prints (before, the text was built whole, then
/// copied with its newline and into the output buffer: several times 267 MB of base64 on top of
/// the record and its decoded Example).
@Suite struct StreamedOutputTests {
    /// Protobuf's varint.
    static func varint(_ value: Int) -> [UInt8] {
        var v = UInt64(value)
        var out: [UInt8] = []
        while v >= 0x80 { out.append(UInt8(v & 0x7f) | 0x80); v >>= 7 }
        return out + [UInt8(v)]
    }

    /// The bytes before the data of an Example `{"b": bytes(<count> zero bytes)}`: every
    /// length-delimited field's tag and length; the data comes last.
    static func examplePrefix(zeros count: Int) -> [UInt8] {
        let bytesList = [0x0a] + varint(count)                                   // BytesList.value
        let feature = [0x0a] + varint(bytesList.count + count) + bytesList         // Feature.bytes_list
        let entry = [0x0a, 0x01, UInt8(ascii: "b"), 0x12] + varint(feature.count + count) + feature
        let features = [0x0a] + varint(entry.count + count) + entry               // Features.feature
        return [0x0a] + varint(features.count + count) + features                  // Example.features
    }

    @Test func aHugeRecordPrintsInBoundedMemory() throws {
        let dir = try Scratch.folder("bigjson")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let zeros = 200 << 20
        let prefix = Self.examplePrefix(zeros: zeros)
        let length = prefix.count + zeros
        // The record: header, prefix, zeros (streamed by the shell), footer.
        var crc = CRC32C.extend(0, prefix.span.bytes)
        let chunk = [UInt8](repeating: 0, count: 1 << 20)
        for _ in 0..<(zeros >> 20) { crc = CRC32C.extend(crc, chunk.span.bytes) }
        try Data(HostileInputTests.header(claiming: UInt64(length)) + prefix).write(to: URL(fileURLWithPath: dir + "/head.bin"))
        try Data(withUnsafeBytes(of: CRC32C.mask(crc).littleEndian) { Array($0) }).write(to: URL(fileURLWithPath: dir + "/foot.bin"))
        let make = try CLIHarness.shell("cd '\(dir)' && { cat head.bin; head -c \(zeros) /dev/zero; cat foot.bin; } > big.tfrecord && rm head.bin foot.bin")
        #expect(make.code == 0, "\(make.stderr)")
        let base64Size = (zeros + 2) / 3 * 4
        let cases: [(format: String, size: Int, head: String, tail: String)] = [
            ("json", #"{"features":{"feature":{"b":{"bytesList":{"value":[""#.utf8.count + base64Size + #""]}}}}}"#.utf8.count + 1,
             #"{"features":{"feature":{"b":{"bytesList":{"value":["AAAA"#, "AAA=\"]}}}}}\n"),   // 200 MiB = 2 mod 3: one "="
            ("base64", (length + 2) / 3 * 4 + 1, Base64.encode(Array(prefix.prefix(3))), "AAAA\n"),
            ("hex", length * 2 + 1, Hex.encode(prefix), "0000\n"),
        ]
        for c in cases {
            let r = try CLIHarness.shell("""
                cd '\(dir)' && (ulimit -v 800000 && exec timeout 600 "$TFRECORD" cat --format \(c.format) --max-record-size 300000000 big.tfrecord > out.txt); \
                echo "status=$?"; wc -c < out.txt; head -c \(c.head.utf8.count) out.txt; echo; tail -c \(c.tail.utf8.count) out.txt; rm out.txt
                """)
            let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(lines.first == "status=0", "\(c.format): \(r.stdout.prefix(200)) \(r.stderr.prefix(300))")
            #expect(lines.count >= 4 && Int(lines[1].trimmingCharacters(in: .whitespaces)) == c.size, "\(c.format): \(lines.prefix(2))")
            #expect(lines.count >= 4 && lines[2] == c.head, "\(c.format): \(lines.dropFirst(2).first ?? "")")
            #expect(r.stdout.hasSuffix(c.tail), "\(c.format): \(r.stdout.suffix(40))")
        }
    }
}
