import AsyncHTTPClient
import Foundation
import NIOCore
import TFRecordRemote
import Testing

/// The loopback servers started by `scripts/remote-servers.sh` (via `scripts/test-remote.sh`), found
/// in `TFRECORD_TEST_*` variables; `nil` when they are not running, and the suites that need them
/// are skipped with ``missingReason``.
struct RemoteTestServers: Sendable {
    var s3Endpoint: String
    var s3ProxyEndpoint: String
    var s3Faults: String
    var httpURL: String
    var httpsURL: String
    var httpProxyURL: String
    var httpFaults: String
    var caFile: String
    var www: String
    var corpus: String

    static let current: RemoteTestServers? = {
        let environment = ProcessInfo.processInfo.environment
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let s3 = value("TFRECORD_TEST_S3_ENDPOINT"), let s3Proxy = value("TFRECORD_TEST_S3_PROXY_ENDPOINT"),
            let s3Faults = value("TFRECORD_TEST_S3_FAULTS"), let http = value("TFRECORD_TEST_HTTP_URL"),
            let https = value("TFRECORD_TEST_HTTPS_URL"), let httpProxy = value("TFRECORD_TEST_HTTP_PROXY_URL"),
            let httpFaults = value("TFRECORD_TEST_HTTP_FAULTS"), let ca = value("TFRECORD_TEST_CA_FILE"),
            let www = value("TFRECORD_TEST_WWW"), let corpus = value("TFRECORD_TEST_CORPUS")
        else { return nil }
        return RemoteTestServers(
            s3Endpoint: s3, s3ProxyEndpoint: s3Proxy, s3Faults: s3Faults, httpURL: http, httpsURL: https,
            httpProxyURL: httpProxy, httpFaults: httpFaults, caFile: ca, www: www, corpus: corpus)
    }()

    /// Whether the servers are running (and the Python peer is there).
    static let isAvailable = current != nil && PythonPeer.isAvailable

    /// The skip reason, naming the variables.
    static let missingReason: Comment =
        "needs the loopback servers: TFRECORD_TEST_S3_ENDPOINT, TFRECORD_TEST_HTTP_URL, … unset (scripts/test-remote.sh starts moto, nginx and the fault proxies and sets them)"

    /// A configuration for moto (or its fault proxy) with test credentials and fast retries.
    func configuration(endpoint: String, attempts: Int = 5) -> RemoteConfiguration {
        var configuration = RemoteConfiguration(
            s3: S3Configuration(
                region: "us-east-1", endpoint: endpoint,
                credentials: AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing")),
            retry: RetryPolicy(maximumAttempts: attempts, baseDelay: 0.01, maximumDelay: 0.1))
        configuration.trustedCertificatesFile = caFile
        configuration.partSize = S3ObjectStore.minimumPartSize
        return configuration
    }

    /// Runs `body` with a client, shutting the client down afterwards whatever happens.
    func withClient<T>(
        _ configuration: RemoteConfiguration, _ body: (RemoteClient) async throws -> T
    ) async throws -> T {
        let client = try RemoteClient(configuration: configuration)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Makes a bucket with boto3 (idempotent) and returns its name.
    func makeBucket(_ name: String) throws -> String {
        _ = try PythonPeer.call(["command": "create_bucket", "endpoint": s3Endpoint, "bucket": name])
        return name
    }

    /// Stores `data` under `key` with boto3 (its transfer manager, from a temporary file); returns the ETag.
    func putWithBoto3(bucket: String, key: String, data: [UInt8]) throws -> String? {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(Bytes.uniqueName("upload")).path
        try Data(data).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try PythonPeer.call(["command": "put_files", "endpoint": s3Endpoint, "bucket": bucket, "files": [key: path]])
        return try PythonPeer.call(["command": "get", "endpoint": s3Endpoint, "bucket": bucket, "key": key])["etag"] as? String
    }

    /// Writes `size` random bytes to a new file in nginx's `scratch/` folder; returns its name and bytes.
    func scratchFile(size: Int, seed: UInt64) throws -> (name: String, bytes: [UInt8]) {
        let name = Bytes.uniqueName("scratch") + ".tfrecord"
        let bytes = Bytes.random(count: size, seed: seed)
        try Data(bytes).write(to: URL(fileURLWithPath: www + "/scratch/" + name))
        return (name, bytes)
    }

    /// Queues faults in a proxy (`s3Faults` or `httpFaults`).
    func queueFaults(_ control: String, _ faults: [[String: Any]]) async throws {
        var request = HTTPClientRequest(url: control + "/faults")
        request.method = .POST
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: faults)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        #expect(response.status == .ok)
        _ = try await response.body.collect(upTo: 1 << 20)
    }

    /// How many faults with this `match` text a proxy has applied.
    func appliedFaults(_ control: String, match: String) async throws -> Int {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: control + "/stats"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        let json = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        let applied = json?["applied_by_match"] as? [String: Int]
        return applied?[match] ?? 0
    }
}
