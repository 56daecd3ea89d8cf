#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The one owner of an index's offsets: `count` little-endian u64 values, 8-byte aligned, either
/// in a heap block (an index just built) or inside the mapped index file (an index loaded from
/// disk, used in place).
///
/// Unsafe boundary: `base` is valid while this value lives; only `RecordIndex` holds one and it
/// never hands the pointer out.
@safe
struct OffsetTable: ~Copyable, @unchecked Sendable {
    /// First offset (u64 LE), or nil when `count` is 0.
    let base: UnsafeRawPointer?
    /// Number of offsets.
    let count: Int
    private let heap: UnsafeMutableRawPointer?
    private let region: MappedRegion?

    /// Takes ownership of `heap`, a `malloc`ed block of at least `count` u64 LE values.
    init(heap: UnsafeMutableRawPointer?, count: Int) {
        self.heap = heap
        self.base = count > 0 ? UnsafeRawPointer(heap) : nil
        self.count = count
        self.region = nil
    }

    /// Uses `count` offsets at byte `offset` of the mapped index file `region`.
    init(region: consuming MappedRegion, offset: Int, count: Int) {
        self.base = count > 0 ? region.bytes.baseAddress.map { $0 + offset } : nil
        self.count = count
        self.heap = nil
        self.region = consume region
    }

    /// Copies `offsets` into a new heap block.
    init(copying offsets: [UInt64]) {
        guard !offsets.isEmpty else {
            self.init(heap: nil, count: 0)
            return
        }
        let block = malloc(offsets.count * 8)!
        offsets.withUnsafeBytes { block.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        #if _endian(big)
        for i in 0..<offsets.count { block.storeBytes(of: offsets[i].littleEndian, toByteOffset: i * 8, as: UInt64.self) }
        #endif
        self.init(heap: block, count: offsets.count)
    }

    /// Offset number `i` (the caller checks `i < count`).
    @inline(__always)
    func offset(_ i: Int) -> UInt64 {
        UInt64(littleEndian: base.unsafelyUnwrapped.load(fromByteOffset: i &* 8, as: UInt64.self))
    }

    /// The raw bytes of the table (8 × `count`).
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count * 8) }

    deinit {
        free(heap)
    }
}
