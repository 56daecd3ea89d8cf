import TFRecord

/// Every feature map entry of one serialized `tf.train.Example`, found in one pass over the
/// record: the key's and the entry's byte ranges, so that many lookups cost one walk (the
/// Codable decoder and the batched parser use it; `ExampleView` walks per lookup instead).
///
/// Unsafe boundary: the table holds offsets only; `bytes` must be the buffer it was built from,
/// borrowed by the caller for as long as the table is used.
struct FeatureTable {
    /// One map entry: the key's bytes and the whole entry (key and value fields).
    struct Entry {
        var key: Range<Int>
        var entry: Range<Int>
    }

    /// The entries in record order (a repeated key appears several times; the last one wins).
    private(set) var entries: [Entry] = []

    /// Walks the record's `features` fields and their map entries; values are skipped, not read.
    /// - Throws: `ExampleError.malformed` with the byte offset when the walked bytes are not
    ///   wire format.
    init(_ bytes: UnsafeRawBufferPointer) throws(ExampleError) {
        try rebuild(bytes)
    }

    /// An empty table, to `rebuild` for each record (its storage is reused).
    init() {}

    /// Replaces the entries with those of `bytes`, keeping the storage (no allocation once
    /// it is large enough).
    /// - Throws: `ExampleError.malformed` with the byte offset.
    mutating func rebuild(_ bytes: UnsafeRawBufferPointer) throws(ExampleError) {
        entries.removeAll(keepingCapacity: true)
        var reader = WireReader(bytes)
        while !reader.atEnd {
            let tagOffset = reader.position
            let (field, wire) = try reader.readTag()
            guard field == 1 && wire == WireReader.len else {
                try reader.skip(field: field, wire: wire, tagOffset: tagOffset)
                continue
            }
            var map = WireReader(base: reader.base, range: try reader.readLengthDelimited())
            while !map.atEnd {
                let entryOffset = map.position
                let (entryField, entryWire) = try map.readTag()
                guard entryField == 1 && entryWire == WireReader.len else {
                    try map.skip(field: entryField, wire: entryWire, tagOffset: entryOffset)
                    continue
                }
                let entry = try map.readLengthDelimited()
                var inner = WireReader(base: reader.base, range: entry)
                var key = entry.lowerBound..<entry.lowerBound
                while !inner.atEnd {
                    let innerOffset = inner.position
                    let (innerField, innerWire) = try inner.readTag()
                    if innerField == 1 && innerWire == WireReader.len {
                        key = try inner.readLengthDelimited()
                    } else {
                        try inner.skip(field: innerField, wire: innerWire, tagOffset: innerOffset)
                    }
                }
                entries.append(Entry(key: key, entry: entry))
            }
        }
    }

    /// The index of the entry named `name` (the last one when repeated), or nil.
    /// - Parameter hint: an index to try first (records of one dataset share their layout).
    /// - Complexity: O(1) when the hint is right, else O(entries × key length).
    func find(_ name: UnsafeRawBufferPointer, in bytes: UnsafeRawBufferPointer, hint: Int = -1) -> Int? {
        if hint >= 0 && hint < entries.count && matches(entries[hint].key, name, bytes) {
            // The hint is right unless the key repeats later.
            var later = hint + 1
            var last = hint
            while later < entries.count {
                if matches(entries[later].key, name, bytes) { last = later }
                later += 1
            }
            return last
        }
        var i = entries.count - 1
        while i >= 0 {
            if matches(entries[i].key, name, bytes) { return i }
            i -= 1
        }
        return nil
    }

    /// Finds `name` given as a String.
    func find(_ name: String, in bytes: UnsafeRawBufferPointer) -> Int? {
        var name = name
        return name.withUTF8 { find(UnsafeRawBufferPointer($0), in: bytes) }
    }

    @inline(__always)
    private func matches(_ key: Range<Int>, _ name: UnsafeRawBufferPointer, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard key.count == name.count else { return false }
        if key.isEmpty { return true }
        return memoryEqual(bytes.baseAddress! + key.lowerBound, name.baseAddress!, key.count)
    }

    /// The key of entry `i` as a String (keys that are not UTF-8 are repaired; protobuf would
    /// have rejected the record).
    func keyString(_ i: Int, in bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[entries[i].key]), as: UTF8.self)
    }
}

/// Byte equality of two regions.
@inline(__always)
func memoryEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    var i = 0
    while i + 8 <= count {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
        i += 8
    }
    while i < count {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}

/// The values of one feature map entry, located and checked: its kind, its count and where the
/// lists of the final kind start (protobuf's merge rules, as `FeatureView` reads them).
struct FeatureValues {
    let entry: Range<Int>
    let kind: Feature.Kind
    let count: Int
    let start: Int

    /// Checks the entry's value and counts its values.
    /// - Throws: `ExampleError.malformed` with the byte offset.
    init(_ bytes: UnsafeRawBufferPointer, entry: Range<Int>) throws(ExampleError) {
        let summary = try FeatureView.summary(bytes, entry: entry)
        self.entry = entry
        self.kind = summary.kind
        self.count = summary.count
        self.start = summary.start
    }

    /// Calls `body` with each list run of the final kind: a packed run's data range (`packed`
    /// true) or one unpacked value's location.
    private func forEachRun(_ bytes: UnsafeRawBufferPointer,
                            _ body: (_ reader: inout WireReader, _ field: UInt32, _ wire: UInt32) throws(ExampleError) -> Void) {
        try? FeatureView.walk(bytes, entry, from: start) { list, _, _ throws(ExampleError) in
            var reader = list
            while !reader.atEnd {
                let tagOffset = reader.position
                let (field, wire) = try reader.readTag()
                if field == 1 {
                    try body(&reader, field, wire)
                } else {
                    try reader.skip(field: field, wire: wire, tagOffset: tagOffset)
                }
            }
        }
    }

    /// Copies the floats (this must be a float list) to `out`, which has room for `count`.
    func copyFloats(_ bytes: UnsafeRawBufferPointer, to out: UnsafeMutablePointer<Float>) {
        var n = 0
        forEachRun(bytes) { reader, _, wire throws(ExampleError) in
            if wire == WireReader.len {
                let run = try reader.readLengthDelimited()
                // Little-endian floats, as the wire stores them (x86-64 and arm64).
                UnsafeMutableRawPointer(out + n).copyMemory(from: reader.base + run.lowerBound, byteCount: run.count)
                n += run.count / 4
            } else if wire == WireReader.i32 {
                out[n] = Float(bitPattern: try reader.readFixed32())
                n += 1
            } else {
                try reader.skip(field: 1, wire: wire, tagOffset: reader.position)
            }
        }
    }

    /// Copies the int64s (this must be an int64 list) to `out`, which has room for `count`.
    func copyInt64s(_ bytes: UnsafeRawBufferPointer, to out: UnsafeMutablePointer<Int64>) {
        var n = 0
        forEachRun(bytes) { reader, _, wire throws(ExampleError) in
            if wire == WireReader.len {
                var run = WireReader(base: reader.base, range: try reader.readLengthDelimited())
                while !run.atEnd {
                    out[n] = Int64(bitPattern: try run.readVarint())
                    n += 1
                }
            } else if wire == WireReader.varint {
                out[n] = Int64(bitPattern: try reader.readVarint())
                n += 1
            } else {
                try reader.skip(field: 1, wire: wire, tagOffset: reader.position)
            }
        }
    }

    /// Calls `body` with the range of each byte string (this must be a bytes list).
    func forEachBytes(_ bytes: UnsafeRawBufferPointer, _ body: (Range<Int>) -> Void) {
        forEachRun(bytes) { reader, _, wire throws(ExampleError) in
            if wire == WireReader.len {
                body(try reader.readLengthDelimited())
            } else {
                try reader.skip(field: 1, wire: wire, tagOffset: reader.position)
            }
        }
    }

    /// The values as an owned `Feature`.
    func decoded(_ bytes: UnsafeRawBufferPointer) -> Feature {
        switch kind {
        case .none: return .none
        case .float:
            return .floatList([Float](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0 { copyFloats(bytes, to: buffer.baseAddress!) }
                initialized = count
            })
        case .int64:
            return .int64List([Int64](unsafeUninitializedCapacity: count) { buffer, initialized in
                if count > 0 { copyInt64s(bytes, to: buffer.baseAddress!) }
                initialized = count
            })
        case .bytes:
            var values: [[UInt8]] = []
            values.reserveCapacity(count)
            forEachBytes(bytes) { values.append([UInt8](UnsafeRawBufferPointer(rebasing: bytes[$0]))) }
            return .bytesList(values)
        }
    }
}
