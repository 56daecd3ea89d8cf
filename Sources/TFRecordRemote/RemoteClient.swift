import AsyncHTTPClient
import NIOCore
import NIOSSL

/// The entry point of the remote layer: one shared HTTP client (connection pool, TLS) and the stores
/// that use it, shut down in one place.
///
/// ```swift
/// let client = try RemoteClient(configuration: .resolve())   // AWS_* variables, ~/.aws files
/// defer { ... }                                               // call `try await client.shutdown()` when done
/// let address = try ObjectAddress("s3://bucket/train-00000-of-00064.tfrecord")
/// let store = client.store(for: address)
/// let size = try await store.info(of: address).size
/// let header = try await store.read(address, range: 0..<12)
/// ```
public final class RemoteClient: Sendable {
    /// The configuration the client was made with.
    public let configuration: RemoteConfiguration
    /// The S3 API store (`s3://`).
    public let s3: S3ObjectStore
    /// The plain HTTP(S) store (`http://`, `https://`, `gs://`).
    public let http: HTTPObjectStore
    private let httpClient: HTTPClient

    /// Makes a client and its connection pool.
    ///
    /// - Parameter configuration: Endpoint, credentials, retries, timeouts and bounds.
    /// - Throws: ``RemoteError`` of kind `invalidConfiguration` when the trusted certificates file cannot
    ///   be loaded or a bound is not positive.
    /// - Complexity: O(1); connections are opened on first use.
    public init(configuration: RemoteConfiguration) throws(RemoteError) {
        guard configuration.maximumConnectionsPerHost >= 1, configuration.maximumReadSize >= 1,
            configuration.connectTimeout > 0, configuration.readTimeout > 0, configuration.requestTimeout > 0
        else {
            throw RemoteError(.invalidConfiguration, message: "timeouts and bounds must be positive")
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = configuration.trustedCertificatesFile {
            do {
                tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(file))]
            } catch {
                throw RemoteError(.invalidConfiguration, message: "cannot load trusted certificates from \(file): \(error)")
            }
        }
        var http = HTTPClient.Configuration(
            tlsConfiguration: tls,
            redirectConfiguration: .disallow,
            timeout: .init(
                connect: Self.amount(configuration.connectTimeout), read: Self.amount(configuration.readTimeout)),
            decompression: .disabled)
        http.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = configuration.maximumConnectionsPerHost
        http.httpVersion = .http1Only
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
        let transport = HTTPTransport(
            client: client, retry: configuration.retry, requestTimeout: Self.amount(configuration.requestTimeout),
            maximumDiscard: configuration.maximumDiscard)
        self.configuration = configuration
        self.httpClient = client
        self.s3 = S3ObjectStore(configuration: configuration, transport: transport)
        self.http = HTTPObjectStore(configuration: configuration, transport: transport)
    }

    /// The store that serves an address: ``s3`` for `s3://`, ``http`` for the others.
    ///
    /// - Complexity: O(1).
    public func store(for address: ObjectAddress) -> any ObjectStore {
        address.scheme == .s3 ? s3 : http
    }

    /// Closes every connection; requests still running fail. Call it once, when done.
    ///
    /// - Throws: ``RemoteError`` of kind `io` when the pool does not close cleanly.
    /// - Complexity: waits for the connections to close.
    public func shutdown() async throws {
        do {
            try await httpClient.shutdown()
        } catch {
            throw RemoteError(.io, message: "shutting down the HTTP client: \(error)")
        }
    }

    /// ``shutdown()`` for synchronous callers (the CLI): blocks until the pool is closed. Call
    /// it from a thread outside Swift concurrency's cooperative pool.
    ///
    /// - Throws: ``RemoteError`` of kind `io` when the pool does not close cleanly.
    /// - Complexity: waits for the connections to close.
    public func syncShutdown() throws {
        try Blocking.wait { [self] in try await shutdown() }
    }

    private static func amount(_ seconds: Double) -> TimeAmount {
        .nanoseconds(Int64(min(seconds, 86_400) * 1_000_000_000))
    }
}
