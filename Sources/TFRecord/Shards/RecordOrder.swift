/// A list of global record numbers to read: all of them or one worker's slice, in order or
/// shuffled. Made by `Dataset.order(seed:worker:of:)` or directly.
///
/// Workers that use the same `count`, `seed` and `workers` get disjoint slices whose union is
/// every record exactly once; slice sizes differ by at most one.
public struct RecordOrder: RandomAccessCollection, Sendable, Equatable {
    /// The positions of the full order that this slice covers.
    public let positions: Range<Int>
    /// The shuffle, or nil for the natural order.
    public let permutation: RecordPermutation?

    /// The slice of worker `worker` of `workers` over `count` records, shuffled with `seed` when
    /// it is not nil.
    /// - Parameters:
    ///   - count: total number of records.
    ///   - seed: the shuffle seed (the same on every worker), or nil for the natural order.
    ///   - worker: this worker's number, `0 ..< workers`.
    ///   - workers: how many workers share the records, at least 1.
    /// - Complexity: O(1).
    public init(count: Int, seed: UInt64? = nil, worker: Int = 0, of workers: Int = 1) {
        precondition(workers >= 1, "the number of workers must be at least 1, not \(workers)")
        precondition(worker >= 0 && worker < workers, "worker \(worker) is out of range 0..<\(workers)")
        positions = RecordOrder.slice(count: count, worker: worker, of: workers)
        permutation = seed.map { RecordPermutation(count: count, seed: $0) }
    }

    /// The balanced contiguous slice of `0 ..< count` for `worker` of `workers`: the first
    /// `count % workers` workers get one more element than the others.
    public static func slice(count: Int, worker: Int, of workers: Int) -> Range<Int> {
        let base = count / workers
        let extra = count % workers
        let lower = base * worker + Swift.min(worker, extra)
        return lower ..< lower + base + (worker < extra ? 1 : 0)
    }

    /// Always 0.
    public var startIndex: Int { 0 }
    /// Number of records in this slice.
    public var endIndex: Int { positions.count }

    /// The global record number at `i`.
    /// - Precondition: `0 <= i < count`.
    public subscript(i: Int) -> Int {
        precondition(i >= 0 && i < positions.count, "position \(i) is out of range: the order has \(positions.count) record(s)")
        let p = positions.lowerBound + i
        return permutation?[p] ?? p
    }
}
