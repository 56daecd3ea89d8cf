import Foundation
import Testing
import CSupport
@testable import TFRecordTestSupport
@testable import TFRecord

/// Issue 15 item 9: recovery (`skipCorrupt`) is near-linear in the file size, even over a file
/// built so that every 12 bytes a header with a valid length CRC claims the rest of the file
/// (the naive search CRCs each claim: quadratic, hours for a few MB) — and finds exactly the
/// records the naive search finds.
@Suite struct RecoveryComplexityTests {
    /// `headers` headers 12 bytes apart, each claiming every byte to the end of the file.
    static func hostile(headers: Int) -> [UInt8] {
        let size = headers * 12 + 16
        var bytes = [UInt8](repeating: 0, count: size)
        for k in 0..<headers {
            let p = k * 12
            let length = UInt64(size - p - 16)
            bytes.withUnsafeMutableBytes { csupport_write_header($0.baseAddress! + p, length) }
        }
        return bytes
    }

    /// This thread's CPU seconds so far: unlike wall time, not inflated when a loaded machine
    /// preempts the test (the ratio below failed at 8.1 on wall time with a load average of 12).
    static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// CPU seconds of a full recovery read of `path` on this thread (the least of three runs),
    /// and what it found.
    static func recover(_ path: String, map: Bool) throws -> (seconds: Double, records: Int, skipped: Int) {
        var best = Double.infinity
        var records = 0
        var skipped = 0
        for _ in 0..<3 {
            let started = threadCPUSeconds()
            let reader = try RecordReader(path: path, options: ReadOptions(useMemoryMap: map, skipCorrupt: true))
            records = 0
            try reader.forEachRecord { _, _ in records += 1 }
            skipped = reader.skippedRanges.count
            best = min(best, threadCPUSeconds() - started)
        }
        return (best, records, skipped)
    }

    @Test(arguments: [true, false])
    func hostileHeadersRecoverInLinearTime(_ map: Bool) throws {
        let small = Scratch.path("resync-small")
        let large = Scratch.path("resync-large")
        defer { try? FileManager.default.removeItem(atPath: small); try? FileManager.default.removeItem(atPath: large) }
        try Data(Self.hostile(headers: 50_000)).write(to: URL(fileURLWithPath: small))    // 0.6 MB
        try Data(Self.hostile(headers: 200_000)).write(to: URL(fileURLWithPath: large))   // 2.4 MB
        let a = try Self.recover(small, map: map)
        let b = try Self.recover(large, map: map)
        #expect(a.records == 0 && b.records == 0)
        #expect(a.skipped >= 1 && b.skipped >= 1)
        // Four times the size: about four times the time (quadratic would be 16x, and minutes);
        // the bound leaves room for a loaded machine.
        let ratio = b.seconds / max(a.seconds, 0.02)
        #expect(ratio < 8, "map=\(map): \(a.seconds) s for 0.6 MB, \(b.seconds) s for 2.4 MB (ratio \(ratio))")
        #expect(b.seconds < 30, "map=\(map): \(b.seconds) s")
    }

    /// The naive search: the first position at or after `start` where a complete record with a
    /// valid length CRC and payload CRC lies.
    static func naiveNext(_ bytes: [UInt8], from start: Int) -> Int {
        var pos = start
        while pos + 16 <= bytes.count {
            var length: UInt64 = 0
            let ok = bytes.withUnsafeBytes { csupport_read_header($0.baseAddress! + pos, &length) } != 0
            if ok, length <= UInt64(bytes.count - pos - 16) {
                let payload = Array(bytes[(pos + 12)..<(pos + 12 + Int(length))])
                let stored = bytes[(pos + 12 + Int(length))..<(pos + 16 + Int(length))].enumerated()
                    .reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
                if CRC32C.mask(CRC32C.checksum(payload)) == stored { return pos }
            }
            pos += 1
        }
        return bytes.count
    }

    /// Random damage over records of all sizes (short ones CRC'd directly, long ones through
    /// the prefix CRCs): the fast search answers as the naive one, at every start.
    @Test func sameAnswersAsTheNaiveSearch() throws {
        var rng = SplitMix(state: 91)
        for trial in 0..<40 {
            var bytes: [UInt8] = []
            for _ in 0..<6 {
                let garbage = Int(rng.next() % 300)
                bytes += (0..<garbage).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                let length = Int(rng.next() % 2) == 0 ? Int(rng.next() % 200) : Int(rng.next() % 9000)
                let payload = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                var framed = [UInt8](repeating: 0, count: length + 16)
                framed.withUnsafeMutableBytes { out in
                    payload.withUnsafeBytes { _ = csupport_frame_record(out.baseAddress!, $0.baseAddress, length) }
                }
                if rng.next() % 3 == 0 { framed[12 + Int(rng.next() % UInt64(length + 4))] ^= 0x40 }
                bytes += framed
            }
            for start in stride(from: 0, to: bytes.count, by: 97) {
                let want = Self.naiveNext(bytes, from: start)
                let got = bytes.withUnsafeBytes { Int(csupport_find_next_record($0.baseAddress!, $0.count, start)) }
                #expect(got == want, "trial \(trial) start \(start)")
                let resync = bytes.withUnsafeBytes { csupport_resync($0.baseAddress!, $0.count, start) }
                if resync.complete == 1 { #expect(Int(resync.position) == want, "trial \(trial) start \(start)") }
            }
        }
    }
}
