import Synchronization
/// One shard's lazily opened file: empty until first use, then set once. Reading it is one
/// acquiring atomic load.
final class ShardSlot: Sendable {
    private let state = Atomic<Unmanaged<RecordFile>?>(nil)

    /// The opened shard, or nil.
    var file: RecordFile? {
        state.load(ordering: .acquiring)?.takeUnretainedValue()
    }

    /// Stores `file` unless another thread stored one first; returns the stored one.
    @discardableResult
    func publish(_ file: RecordFile) -> RecordFile {
        let retained = Unmanaged.passRetained(file)
        let (exchanged, current) = state.compareExchange(expected: nil, desired: retained,
                                                         successOrdering: .acquiringAndReleasing,
                                                         failureOrdering: .acquiring)
        if exchanged { return file }
        retained.release()
        return current!.takeUnretainedValue()
    }

    deinit {
        state.load(ordering: .acquiring)?.release()
    }
}
