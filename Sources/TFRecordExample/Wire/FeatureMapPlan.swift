import TFRecord
/// A `Features` map in write order (keys sorted byte-wise) with every size computed once, held in
/// scratch memory that lives only for the call of `FeatureMapPlan.with(_:_:)`.
///
/// Built with no per-entry reference counting and no heap allocation for typical maps:
/// - one pass over the map records each entry's dictionary index, key length and sizes in
///   `entries`, a buffer of plain values;
/// - one pass over `entries` copies each key's UTF-8 bytes into `keyWords` (zero-padded to
///   whole 8-byte words);
/// - sorting compares the keys as big-endian 8-byte words, so a comparison is a few integer
///   compares (zero padding sorts before every byte, and equal padded words fall back to the
///   lengths, which is exactly byte-wise order);
/// - writing looks each feature up by its dictionary index.
struct FeatureMapPlan {
    /// One map entry. Plain values only, so moving it while sorting costs no reference counting.
    struct Entry {
        /// The key's first 8 bytes, big-endian and zero-padded.
        var prefix: UInt64
        /// The key's first word in `keyWords`, and its length in bytes.
        var keyWord: Int
        var keyCount: Int
        /// Where the feature is in the map.
        var index: Dictionary<String, Feature>.Index
        var plan: FeatureSizes
        /// Bytes of the map entry message (key and value fields).
        var entrySize: Int
    }

    /// The map the plan was made for.
    let map: [String: Feature]
    /// The entries in write order.
    let entries: UnsafeMutableBufferPointer<Entry>
    /// Every key's UTF-8 bytes, each starting on a word and zero-padded to whole words.
    let keyWords: UnsafeMutablePointer<UInt64>
    /// Bytes of the `Features` message.
    let size: Int

    /// Plans `map` in scratch memory and calls `body` with the plan; the plan is valid only
    /// inside `body`.
    static func with<Result>(_ map: [String: Feature], _ body: (FeatureMapPlan) -> Result) -> Result {
        withUnsafeTemporaryAllocation(of: Entry.self, capacity: map.count) { entries in
            // Sizes first: every feature, and every key's length (kept in the String itself).
            var words = 0
            var size = 0
            var count = 0
            var index = map.startIndex
            while index != map.endIndex {
                let keyCount = map.keys[index].utf8.count
                let plan = FeatureSizes(map.values[index])
                let entrySize = ExampleWireEncoder.fieldSize(keyCount) + ExampleWireEncoder.fieldSize(plan.bodySize)
                size += ExampleWireEncoder.fieldSize(entrySize)
                (entries.baseAddress! + count).initialize(to: Entry(
                    prefix: 0, keyWord: words, keyCount: keyCount, index: index, plan: plan, entrySize: entrySize))
                words += (keyCount + 7) / 8
                count += 1
                map.formIndex(after: &index)
            }
            return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(words, 1)) { keyWords in
                body(FeatureMapPlan(map, entries: entries, keyWords: keyWords.baseAddress!, size: size))
            }
        }
    }

    /// Copies the keys into `keyWords`, then sorts the entries.
    private init(_ map: [String: Feature], entries: UnsafeMutableBufferPointer<Entry>,
                 keyWords: UnsafeMutablePointer<UInt64>, size: Int) {
        for i in entries.indices {
            let entry = entries[i]
            let copied = Self.copyKey(map.keys[entry.index], to: keyWords + entry.keyWord)
            precondition(copied == entry.keyCount, "a key's UTF-8 length changed while encoding")
            if copied > 0 { entries[i].prefix = UInt64(bigEndian: keyWords[entry.keyWord]) }
        }
        self.map = map
        self.entries = entries
        self.keyWords = keyWords
        self.size = size
        sort()
    }

    /// Copies the UTF-8 bytes of `key` to `destination`, zero-padding the last word.
    /// - Returns: the number of bytes.
    @inline(__always)
    private static func copyKey(_ key: String, to destination: UnsafeMutablePointer<UInt64>) -> Int {
        func copy(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
            let count = utf8.count
            guard count > 0 else { return 0 }
            destination[(count - 1) / 8] = 0
            UnsafeMutableRawPointer(destination).copyMemory(from: utf8.baseAddress!, byteCount: count)
            return count
        }
        if let count = key.utf8.withContiguousStorageIfAvailable(copy) { return count }
        var key = key
        return key.withUTF8(copy)
    }

    /// Whether the key of `a` sorts before the key of `b`, byte-wise.
    @inline(__always)
    private func keyLess(_ a: Entry, _ b: Entry) -> Bool {
        if a.prefix != b.prefix { return a.prefix < b.prefix }
        let words = (min(a.keyCount, b.keyCount) + 7) / 8
        var word = 1
        while word < words {
            let x = UInt64(bigEndian: keyWords[a.keyWord + word])
            let y = UInt64(bigEndian: keyWords[b.keyWord + word])
            if x != y { return x < y }
            word += 1
        }
        return a.keyCount < b.keyCount
    }

    /// Sorts `entries` by key: insertion sort for the usual handful of features, the standard
    /// library's sort above that.
    private func sort() {
        guard entries.count > 32 else {
            for i in entries.indices.dropFirst() {
                let entry = entries[i]
                var j = i
                while j > 0 && keyLess(entry, entries[j - 1]) {
                    entries[j] = entries[j - 1]
                    j -= 1
                }
                entries[j] = entry
            }
            return
        }
        var entries = entries
        entries.sort(by: keyLess)
    }

    /// Writes the map entries in key order.
    func write(_ writer: inout WireWriter) {
        let keyBytes = UnsafeRawPointer(keyWords)
        for entry in entries {
            writer.tagLength(1, entry.entrySize)
            writer.tagLength(1, entry.keyCount)
            writer.raw(keyBytes + entry.keyWord * 8, entry.keyCount)
            writer.tagLength(2, entry.plan.bodySize)
            entry.plan.write(map.values[entry.index], &writer)
        }
    }
}
