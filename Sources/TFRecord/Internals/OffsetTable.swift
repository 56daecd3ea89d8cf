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
    private let anonymous: UnsafeMutableRawBufferPointer?

    /// Takes ownership of `heap`, an `allocate`d block of at least `count` u64 LE values.
    init(heap: UnsafeMutableRawPointer?, count: Int) {
        self.heap = heap
        self.base = count > 0 ? UnsafeRawPointer(heap) : nil
        self.count = count
        self.region = nil
        self.anonymous = nil
    }

    /// Takes ownership of `mapping`, an anonymous map (unmapped at deinit) whose first
    /// `count` u64 LE values are the offsets.
    init(anonymous mapping: UnsafeMutableRawBufferPointer, count: Int) {
        self.heap = nil
        self.region = nil
        self.anonymous = mapping
        self.base = count > 0 ? UnsafeRawPointer(mapping.baseAddress) : nil
        self.count = count
    }

    /// Uses `count` offsets at byte `offset` of the mapped index file `region`.
    init(region: consuming MappedRegion, offset: Int, count: Int) {
        self.base = count > 0 ? region.bytes.baseAddress.map { $0 + offset } : nil
        self.count = count
        self.heap = nil
        self.anonymous = nil
        self.region = consume region
    }

    /// Copies `offsets` into a new heap block.
    init(copying offsets: [UInt64]) {
        guard !offsets.isEmpty else {
            self.init(heap: nil, count: 0)
            return
        }
        let block = UnsafeMutableRawPointer.allocate(byteCount: offsets.count * 8, alignment: 8)
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
        heap?.deallocate()
        if let anonymous, let address = anonymous.baseAddress { SystemCalls.unmap(address, anonymous.count) }
    }
}

extension OffsetTable {
    /// Address space for up to `count` offsets, written by the scanner, then trimmed into a table.
    struct Reservation {
        /// Where the scanner writes offsets (8-byte aligned, 2 MiB aligned when large).
        let base: UnsafeMutableRawPointer
        private let length: Int
        private static let hugePage = 2 << 20
        private static let page = SystemCalls.pageSize

        /// Reserves room for `count` u64 values.
        /// - Throws: `.io` (ENOMEM) when the address space cannot be reserved.
        init(count: Int, path: String) throws(TFRecordError) {
            let huge = Reservation.hugePage
            let needed = (count * 8 + huge - 1) / huge * huge
            let raw = try SystemCalls.mapAnonymous(needed + huge, path: path, what: "the offsets of \(count) records")
            // Keep a 2 MiB-aligned window so the kernel can use huge pages for all of it.
            let aligned = (Int(bitPattern: raw) + huge - 1) & ~(huge - 1)
            let head = aligned - Int(bitPattern: raw)
            if head > 0 { SystemCalls.unmap(raw, head) }
            let tail = huge - head
            if tail > 0 { SystemCalls.unmap(UnsafeRawPointer(bitPattern: aligned + needed)!, tail) }
            base = UnsafeMutableRawPointer(bitPattern: aligned)!
            length = needed
            SystemCalls.advise(base, length, .hugePages)
        }

        /// Gives the whole reservation back.
        func release() {
            SystemCalls.unmap(base, length)
        }

        /// The table of the first `count` offsets; the unused tail is given back.
        consuming func finish(count: Int) -> OffsetTable {
            let page = Reservation.page
            let keep = max((count * 8 + page - 1) / page * page, page)
            if keep < length { SystemCalls.unmap(base + keep, length - keep) }
            return OffsetTable(anonymous: UnsafeMutableRawBufferPointer(start: base, count: min(keep, length)), count: count)
        }
    }
}
