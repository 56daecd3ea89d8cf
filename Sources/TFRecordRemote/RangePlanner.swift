/// Turns many wanted byte ranges of one object into few ranged GETs, as a batch of random record
/// reads needs: ranges sorted, neighbours closer than a gap merged (one request instead of two costs
/// the gap's bytes, saves a round trip), spans larger than a maximum split, and every wanted byte
/// mapped back to the range that asked for it.
///
/// Pure: no I/O, the same input always gives the same plan.
public enum RangePlanner {
    /// Plans the GETs for `wanted`.
    ///
    /// Ranges are taken in order of their start; a range joins the current span when the hole between
    /// them is at most `gap` bytes (overlapping ranges always join) and the grown span stays within
    /// `maximumSpan`; otherwise it starts a new span. A single range longer than `maximumSpan` is cut
    /// into pieces of `maximumSpan` bytes, each its own span. Empty ranges get no piece.
    ///
    /// - Parameters:
    ///   - wanted: The byte ranges asked for, in any order, overlaps and duplicates allowed.
    ///   - gap: The largest hole, in bytes, fetched to save a request; `0` merges only touching ranges.
    ///   - maximumSpan: The largest span, in bytes, one GET may fetch; at least 1.
    /// - Returns: The spans, in the order of the starts of the ranges they serve (a range that starts
    ///   inside a split large range gets a span after that range's pieces); each wanted byte lies in
    ///   exactly one piece.
    /// - Complexity: O(n log n) in the number of ranges, plus the number of pieces.
    public static func plan(_ wanted: [Range<Int64>], gap: Int64, maximumSpan: Int64) -> [PlannedSpan] {
        precondition(gap >= 0, "gap must not be negative")
        precondition(maximumSpan >= 1, "maximumSpan must be at least 1")
        let order = wanted.indices.filter { !wanted[$0].isEmpty }
            .sorted { (wanted[$0].lowerBound, wanted[$0].upperBound, $0) < (wanted[$1].lowerBound, wanted[$1].upperBound, $1) }
        var spans: [PlannedSpan] = []
        var current: (start: Int64, end: Int64, members: [(index: Int, offset: Int64, range: Range<Int64>)])?

        func close() {
            guard let span = current else { return }
            spans.append(
                PlannedSpan(
                    range: span.start..<span.end,
                    pieces: span.members.map {
                        PlannedSpan.Piece(
                            request: $0.index, offsetInRequest: $0.offset,
                            bytesInSpan: ($0.range.lowerBound - span.start)..<($0.range.upperBound - span.start))
                    }))
            current = nil
        }

        for index in order {
            let range = wanted[index]
            if range.count > maximumSpan {
                close()
                var start = range.lowerBound
                while start < range.upperBound {
                    let end = min(range.upperBound, start + maximumSpan)
                    current = (start, end, [(index, start - range.lowerBound, start..<end)])
                    close()
                    start = end
                }
                continue
            }
            if let span = current, range.lowerBound - span.end <= gap,
                max(span.end, range.upperBound) - span.start <= maximumSpan
            {
                current!.end = max(span.end, range.upperBound)
                current!.members.append((index, 0, range))
            } else {
                close()
                current = (range.lowerBound, range.upperBound, [(index, 0, range)])
            }
        }
        close()
        return spans
    }

    /// Puts fetched span data back together into the bytes of each wanted range.
    ///
    /// - Parameters:
    ///   - spans: The plan from ``plan(_:gap:maximumSpan:)``.
    ///   - data: The bytes fetched for each span, `data[i].count == spans[i].range.count`.
    ///   - wanted: The ranges given to `plan`.
    /// - Returns: The bytes of each wanted range, in the order of `wanted`.
    /// - Complexity: O(total wanted bytes). Traps when `data` does not match the plan (a programmer error).
    public static func assemble(_ spans: [PlannedSpan], data: [[UInt8]], wanted: [Range<Int64>]) -> [[UInt8]] {
        precondition(spans.count == data.count, "one data array per span")
        var out = wanted.map { [UInt8](repeating: 0, count: Int($0.count)) }
        for (span, bytes) in zip(spans, data) {
            precondition(Int64(bytes.count) == span.range.count, "span data has the wrong length")
            for piece in span.pieces {
                let source = bytes[Int(piece.bytesInSpan.lowerBound)..<Int(piece.bytesInSpan.upperBound)]
                let start = Int(piece.offsetInRequest)
                out[piece.request].replaceSubrange(start..<(start + source.count), with: source)
            }
        }
        return out
    }
}
