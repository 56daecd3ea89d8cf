/// Many ranges of one object in few requests: the random-access path of a batch of records.
extension ObjectStore {
    /// Reads many byte ranges of one object: plans them with ``RangePlanner`` (sorted, neighbours within
    /// `gap` merged, spans of at most `maximumSpan`), runs at most `maximumInFlight` ranged GETs at once,
    /// and returns each range's bytes in the order given.
    ///
    /// - Parameters:
    ///   - address: The object.
    ///   - ranges: The byte ranges wanted, any order, overlaps allowed; each within the object.
    ///   - etag: The ETag every request must match (from ``info(of:)``), or `nil`.
    ///   - gap: The largest hole fetched to save a request (default 64 KiB).
    ///   - maximumSpan: The largest single GET (default 8 MiB).
    ///   - maximumInFlight: The most GETs at once (default 16).
    /// - Returns: The bytes of each range, `result[i].count == ranges[i].count`.
    /// - Throws: ``RemoteError`` of the first failed GET (the others are cancelled).
    /// - Complexity: one GET per planned span; memory O(bytes of the spans).
    public func read(
        _ address: ObjectAddress, ranges: [Range<Int64>], ifMatch etag: String? = nil, gap: Int64 = 64 << 10,
        maximumSpan: Int64 = 8 << 20, maximumInFlight: Int = 16
    ) async throws -> [[UInt8]] {
        precondition(maximumInFlight >= 1, "maximumInFlight must be at least 1")
        let spans = RangePlanner.plan(ranges, gap: gap, maximumSpan: maximumSpan)
        var data = [[UInt8]](repeating: [], count: spans.count)
        try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            var next = 0
            func launch() {
                guard next < spans.count else { return }
                let index = next
                let range = spans[index].range
                next += 1
                group.addTask { (index, try await self.read(address, range: range, ifMatch: etag)) }
            }
            for _ in 0..<maximumInFlight { launch() }
            while let (index, bytes) = try await group.next() {
                data[index] = bytes
                launch()
            }
        }
        return RangePlanner.assemble(spans, data: data, wanted: ranges)
    }
}
