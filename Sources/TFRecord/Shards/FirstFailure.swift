import Dispatch
import Synchronization
/// The first error of several threads, kept once.
final class FirstFailure: Sendable {
    private let storage = Mutex<TFRecordError?>(nil)

    /// The first error recorded, if any.
    var error: TFRecordError? { storage.withLock { $0 } }

    /// Keeps `error` unless one was recorded before.
    func record(_ error: TFRecordError) {
        storage.withLock { $0 = $0 ?? error }
    }
}
