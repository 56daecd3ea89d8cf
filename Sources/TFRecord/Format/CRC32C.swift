import CSupport

/// CRC32C (Castagnoli) as TFRecord uses it, computed by the fastest implementation the CPU has.
public enum CRC32C {
    /// The CRC32C of `bytes`, continuing from `crc` (0 to start), so a stream can be checksummed
    /// in pieces: `extend(extend(0, a), b) == checksum(a + b)`.
    /// - Complexity: O(n).
    public static func extend(_ crc: UInt32, _ bytes: RawSpan) -> UInt32 {
        bytes.withUnsafeBytes { csupport_crc32c_extend(crc, $0.baseAddress, $0.count) }
    }

    /// The CRC32C of `bytes`.
    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { csupport_crc32c_extend(0, $0.baseAddress, $0.count) }
    }

    /// TensorFlow's masked form of a CRC: rotate right by 15 bits, add `0xa282ead8`.
    public static func mask(_ crc: UInt32) -> UInt32 { csupport_crc32c_mask(crc) }

    /// Undoes `mask(_:)`.
    public static func unmask(_ masked: UInt32) -> UInt32 { csupport_crc32c_unmask(masked) }

    /// The name of the implementation in use ("avx512-vpclmul", "sse42", "arm64-crc", "portable").
    public static var implementation: String { String(cString: csupport_crc32c_active_name()) }

    /// The CRC32C of `bytes` computed by the named implementation (for tests and benchmarks).
    /// - Returns: nil when this CPU cannot run `implementation` or no such implementation exists.
    public static func checksum(_ bytes: [UInt8], implementation: String) -> UInt32? {
        for i in 0..<csupport_crc32c_implementation_count()
        where String(cString: csupport_crc32c_implementation_name(i)) == implementation {
            guard let fn = csupport_crc32c_implementation(i) else { return nil }
            return bytes.withUnsafeBytes { fn(0, $0.baseAddress, $0.count) }
        }
        return nil
    }

    /// The names of every implementation this CPU can run, fastest last.
    public static var availableImplementations: [String] {
        (0..<csupport_crc32c_implementation_count()).compactMap { i in
            csupport_crc32c_implementation(i) == nil ? nil : String(cString: csupport_crc32c_implementation_name(i))
        }
    }
}
