import Dispatch
import Synchronization

/// The one bridge from the synchronous core to the async remote layer: runs async work and
/// blocks the calling thread until it is done.
///
/// The core's writers are synchronous and call their `ByteSink`/`ShardPublisher` on the thread
/// that uses them; the uploads they drive are async (`S3MultipartUpload`, AsyncHTTPClient on
/// NIO's event loops). The work runs in a detached task; the caller waits on a semaphore.
///
/// Precondition (not checkable at run time): never call it from a thread of Swift
/// concurrency's cooperative pool (inside an `async` function or a `Task`). Blocking a pool
/// thread starves the pool (on 2 cores it has 2 threads), and if every pool thread blocks, the
/// task they wait for never runs. The callers keep it: `ShardWriter` publishes on its own
/// Dispatch queues, the CLI runs on the main thread, and `RemoteRecordWriter` moves its
/// synchronous writer onto a Dispatch queue before writing.
enum BlockingCall {
    /// Runs `body` to completion and returns its result or throws its error.
    /// - Complexity: one task and one semaphore wait, plus `body`.
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<T, any Error>?>(nil)
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
}
