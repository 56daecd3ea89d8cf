/// One request of a range plan: the bytes to fetch, and which parts of them answer which wanted ranges.
public struct PlannedSpan: Sendable, Equatable {
    /// A part of the span that belongs to one wanted range.
    public struct Piece: Sendable, Equatable {
        /// The index of the wanted range in the list given to ``RangePlanner/plan(_:gap:maximumSpan:)``.
        public var request: Int
        /// Where the piece starts within that wanted range (non-zero when a large range was split).
        public var offsetInRequest: Int64
        /// The piece's bytes as offsets within the span's data (`0` = the span's first byte).
        public var bytesInSpan: Range<Int64>

        /// Makes a piece.
        ///
        /// - Complexity: O(1).
        public init(request: Int, offsetInRequest: Int64, bytesInSpan: Range<Int64>) {
            self.request = request
            self.offsetInRequest = offsetInRequest
            self.bytesInSpan = bytesInSpan
        }
    }

    /// The object's bytes to fetch in one ranged GET.
    public var range: Range<Int64>
    /// The wanted bytes inside it, in order of their offset; gaps between them are fetched and dropped.
    public var pieces: [Piece]

    /// Makes a span.
    ///
    /// - Complexity: O(1).
    public init(range: Range<Int64>, pieces: [Piece]) {
        self.range = range
        self.pieces = pieces
    }
}
