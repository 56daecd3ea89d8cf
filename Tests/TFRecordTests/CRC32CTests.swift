import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// `CRC32C`'s public entry points against a bitwise CRC32C written here (independent of
/// CSupport) and the RFC 3720 vectors: `extend` continues a checksum from any split point, so a
/// seed that is ignored or misused shows.
@Suite struct CRC32CTests {
    /// CRC32C, bit by bit (reflected polynomial 0x82F63B78).
    static func bitwise(_ bytes: some Sequence<UInt8>, seed: UInt32 = 0) -> UInt32 {
        var crc = ~seed
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        }
        return ~crc
    }

    @Test func rfc3720Vectors() {
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xff, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum(Array(0..<32)) == 0x46DD_794E)
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(Self.bitwise(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test func extendContinuesFromEverySplit() {
        var rng = SplitMix(seed: 18)
        let data = (0..<1500).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let whole = Self.bitwise(data)
        #expect(CRC32C.checksum(data) == whole)
        var splits = 0
        for cut in [0, 1, 7, 8, 9, 63, 64, 65, 255, 256, 700, 1499, 1500] {
            let head = Array(data[..<cut]), tail = Array(data[cut...])
            let first = CRC32C.extend(0, head.span.bytes)
            #expect(first == Self.bitwise(head), "prefix of \(cut) bytes")
            #expect(CRC32C.extend(first, tail.span.bytes) == whole, "split at \(cut)")
            splits += 1
        }
        #expect(splits == 13)
        // A non-zero seed over an empty span is the seed itself.
        #expect(CRC32C.extend(0xDEAD_BEEF, [UInt8]().span.bytes) == 0xDEAD_BEEF)
    }

    @Test func everyImplementationAgrees() {
        let names = CRC32C.availableImplementations
        #expect(names.contains("portable"))
        #expect(names.contains(CRC32C.implementation))
        let data = (0..<4099).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for name in names {
            #expect(CRC32C.checksum(data, implementation: name) == Self.bitwise(data), "\(name)")
        }
        #expect(CRC32C.checksum(data, implementation: "no such implementation") == nil)
    }

    @Test func maskRoundTrips() {
        // TensorFlow's mask: rotate right by 15, add 0xa282ead8.
        for crc: UInt32 in [0, 1, 0xE306_9283, 0xFFFF_FFFF] {
            let rotated = (crc >> 15) | (crc << 17)
            #expect(CRC32C.mask(crc) == rotated &+ 0xA282_EAD8)
            #expect(CRC32C.unmask(CRC32C.mask(crc)) == crc)
        }
    }
}
