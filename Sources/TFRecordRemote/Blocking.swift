import Dispatch
import Foundation
import Synchronization
import TFRecord

/// The two bridges between the synchronous core (`RecordReader`, `RecordFile`, `Dataset`, which
/// read a ``RemoteObject`` through its synchronous `StoredObject` methods) and this module's
/// async transport.
///
/// - ``wait(_:)`` (sync → async): the calling thread starts a detached task and blocks on a
///   semaphore until it ends. The requests run on Swift concurrency's threads and NIO's event
///   loop; the blocked thread must therefore not be one of Swift concurrency's cooperative
///   threads (blocking them could leave none for the requests it waits for). The CLI's main
///   thread, a user's own threads and ``onThread(_:)`` qualify; the writers' `ObjectUploadSink`
///   and `ObjectShardPublisher` use it from `ShardWriter`'s Dispatch queues and from the serial
///   queues of `RemoteRecordWriter` and `RemoteShardWriter`.
/// - ``onThread(_:)`` (async → sync): the async API of this module runs the synchronous core on
///   a new `Thread` (never on the cooperative pool) and awaits its result, so it is safe to call
///   from any task.
public enum Blocking {
    /// `wait(_:)` for the core's readers: every failure as a `TFRecordError` (a ``RemoteError``
    /// through ``RemoteError/tfRecordError``, anything else as `.io`).
    static func read<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws(TFRecordError) -> T {
        do {
            return try wait(body)
        } catch let error as TFRecordError {
            throw error
        } catch let error as RemoteError {
            throw error.tfRecordError
        } catch {
            throw TFRecordError(.io, "\(error)")
        }
    }

    /// Runs `body` as a detached task and blocks the calling thread (which must not be a
    /// cooperative-pool thread) until it finishes.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws.
    public static func wait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Mutex<Result<T, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let result: Result<T, any Error>
            do {
                result = .success(try await body())
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        return try outcome.withLock { $0! }.get()
    }

    /// Runs the synchronous `body` on a new thread (not the cooperative pool) and awaits it.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws.
    public static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.name = "tfrecord-remote-reader"
            thread.start()
        }
    }
}
