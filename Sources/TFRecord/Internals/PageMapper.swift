import CSupport
import Dispatch
import Synchronization
/// Maps the pages of a region ahead of a sequential scan on a helper thread
/// (`MADV_POPULATE_READ`), staying at most `ahead` bytes in front of the reader.
final class PageMapper: @unchecked Sendable {
    // @unchecked: `base`/`count` describe a map that outlives this object (the owner calls
    // `finish()`, which waits for the thread, before the map can go away); the rest is atomic.
    private let base: UnsafeRawPointer
    private let count: Int
    private let reader = Atomic<Int>(0)
    private let stop = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    private let chunk = 4 << 20
    private let ahead = 32 << 20

    init(region: borrowing MappedRegion) {
        base = region.bytes.baseAddress!
        count = region.bytes.count
        DispatchQueue.global(qos: .userInitiated).async { [self] in run() }
    }

    /// The reader has consumed everything before `offset`.
    func consumed(upTo offset: Int) {
        reader.store(offset, ordering: .relaxed)
    }

    /// Stops the helper and waits for it.
    func finish() {
        stop.store(true, ordering: .relaxed)
        done.wait()
    }

    private func run() {
        var at = 0
        while at < count && !stop.load(ordering: .relaxed) {
            if at > reader.load(ordering: .relaxed) + ahead {
                SystemCalls.sleep(microseconds: 50)
                continue
            }
            let length = min(chunk, count - at)
            SystemCalls.advise(base + at, length, .populate)
            at += length
        }
        done.signal()
    }
}
