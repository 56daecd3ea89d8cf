import CSupport
import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// `csupport_scan_records_fast` (hardware length CRC) gives exactly what `csupport_scan_records`
/// gives — offsets, counts, positions, statuses and lengths — on every corpus file, intact or
/// corrupt, from every start offset of the first records, with and without payload checks.
@Suite struct FastScannerTests {
    static let plainFiles = Manifest.shared.files.filter { $0.compression.isEmpty }

    @Test(arguments: plainFiles)
    func sameResultsAsTheGenericScanner(_ file: Manifest.File) throws {
        let bytes = try [UInt8](Data(contentsOf: file.url))
        bytes.withUnsafeBytes { raw in
            let starts = Array(0 ..< min(raw.count, 300)) + [raw.count / 2, max(raw.count - 1, 0)]
            for start in starts {
                for verify: Int32 in [0, 1] {
                    for capacity in [1, 3, Int.max] {
                        var a = [UInt64](repeating: 0, count: 4096)
                        var b = [UInt64](repeating: 0, count: 4096)
                        let cap = min(capacity, 4096)
                        let slow = a.withUnsafeMutableBufferPointer {
                            csupport_scan_records(raw.baseAddress, raw.count, start, verify, $0.baseAddress, cap)
                        }
                        let fast = b.withUnsafeMutableBufferPointer {
                            csupport_scan_records_fast(raw.baseAddress, raw.count, start, verify, $0.baseAddress, cap)
                        }
                        #expect(slow.position == fast.position && slow.records == fast.records
                                && slow.status == fast.status && slow.length == fast.length,
                                "start \(start) verify \(verify) capacity \(cap)")
                        #expect(a[..<Int(slow.records)] == b[..<Int(fast.records)])
                    }
                }
            }
        }
    }
}
