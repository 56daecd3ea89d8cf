/// The GETs an ``ObjectChunks/Iterator`` has started; cancels those still running when the iterator
/// goes away (a consumer that stopped early).
final class PendingChunks {
    // Only touched by the task that owns the iterator.
    var tasks: [Task<[UInt8], any Error>] = []
    var offsets: [Int64] = []

    deinit {
        for task in tasks { task.cancel() }
    }
}
