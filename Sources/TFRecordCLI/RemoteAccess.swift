import TFRecord
import TFRecordRemote

/// The CLI's one connection to object storage: a `RemoteClient` made on first use from the
/// environment (`AWS_*` variables, `~/.aws` files: `RemoteConfiguration.resolve()`), the
/// sidecar cache (`ObjectCache.standard()`: `TFRECORD_CACHE_DIR`, else `~/.cache/tfrecord`),
/// and the shutdown of its connection pool when the command ends. The CLI runs on the main
/// thread, so the library's blocking bridge (`Blocking.wait`) is safe here.
enum RemoteAccess {
    nonisolated(unsafe) private static var shared: RemoteClient?

    /// The client, made on first use.
    /// - Throws: `RemoteError` (`invalidConfiguration`) for a bad environment.
    static func client() throws -> RemoteClient {
        if let shared { return shared }
        let client = try RemoteClient(configuration: RemoteConfiguration.resolve())
        shared = client
        return client
    }

    /// The sidecar cache.
    static var cache: ObjectCache { ObjectCache.standard() }

    /// Runs `body` (async) and waits for it on this (the main) thread.
    /// - Throws: what `body` throws (`CommandRunner` maps `RemoteError`s to exit codes).
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        try Blocking.wait(body)
    }

    /// Closes the connection pool, when one was opened.
    static func shutdown() {
        guard let client = shared else { return }
        shared = nil
        _ = try? Blocking.wait { try await client.shutdown() }
    }
}
