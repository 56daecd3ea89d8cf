import Foundation

/// Everything a ``RemoteClient`` needs: the S3 configuration, the retry policy, timeouts, bounds and
/// the multipart upload shape.
public struct RemoteConfiguration: Sendable, Equatable {
    /// The S3 endpoint, region and credentials.
    public var s3: S3Configuration
    /// How failed requests are retried.
    public var retry: RetryPolicy
    /// Seconds to establish a connection (TCP and TLS).
    public var connectTimeout: Double = 10
    /// Seconds without a byte from the server before a request fails (and is retried).
    public var readTimeout: Double = 30
    /// Seconds one request may take in all, head and body.
    public var requestTimeout: Double = 300
    /// Connections kept per host; the most requests in flight to one server.
    public var maximumConnectionsPerHost = 64
    /// The largest range one ``ObjectStore/read(_:range:)`` may ask for (its bytes are held in memory).
    public var maximumReadSize: Int64 = 1 << 30
    /// The most bytes discarded to reach a range's start from a server that ignores `Range`.
    public var maximumDiscard: Int64 = 8 << 20
    /// The most objects one listing returns before it fails as `tooLarge`.
    public var maximumListedObjects = 10_000_000
    /// The size of multipart upload parts (at least 5 MiB, S3's minimum for all but the last part).
    public var partSize = 8 << 20
    /// The most parts of one upload sent at once.
    public var partsInFlight = 4
    /// A PEM file of extra trusted certificates (`AWS_CA_BUNDLE`), e.g. a test server's self-signed one.
    public var trustedCertificatesFile: String?

    /// Makes a configuration; every other setting has its default.
    ///
    /// - Parameters:
    ///   - s3: The S3 endpoint, region and credentials.
    ///   - retry: The retry policy.
    /// - Complexity: O(1).
    public init(s3: S3Configuration = S3Configuration(), retry: RetryPolicy = RetryPolicy()) {
        self.s3 = s3
        self.retry = retry
    }

    /// The configuration the environment describes: ``S3Configuration/resolve(environment:)``, plus
    /// `AWS_MAX_ATTEMPTS` for the retries, `AWS_CA_BUNDLE` for extra trusted certificates, and the
    /// upload shape: `TFRECORD_S3_PART_SIZE` (5M to 5G; `8388608`, `16M`) and
    /// `TFRECORD_S3_PARTS_IN_FLIGHT` (1 to 64).
    ///
    /// - Parameter environment: The variables to read; the process's by default.
    /// - Throws: ``RemoteError`` of kind `invalidConfiguration` (see `S3Configuration.resolve`), or for an
    ///   `AWS_MAX_ATTEMPTS` that is not a number from 1 to 100, or an upload shape out of its range.
    /// - Complexity: reads at most two small files.
    public static func resolve(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(RemoteError) -> RemoteConfiguration {
        var configuration = RemoteConfiguration(s3: try S3Configuration.resolve(environment: environment))
        if let text = environment["AWS_MAX_ATTEMPTS"], !text.isEmpty {
            guard let attempts = Int(text), (1...100).contains(attempts) else {
                throw RemoteError(.invalidConfiguration, message: "AWS_MAX_ATTEMPTS '\(text)' is not a number from 1 to 100")
            }
            configuration.retry.maximumAttempts = attempts
        }
        if let text = environment["TFRECORD_S3_PART_SIZE"], !text.isEmpty {
            guard let size = parseSize(text), size >= S3ObjectStore.minimumPartSize, size <= S3ObjectStore.maximumPutSize else {
                throw RemoteError(.invalidConfiguration, message: "TFRECORD_S3_PART_SIZE '\(text)' is not a size from 5M to 5G")
            }
            configuration.partSize = size
        }
        if let text = environment["TFRECORD_S3_PARTS_IN_FLIGHT"], !text.isEmpty {
            guard let count = Int(text), (1...64).contains(count) else {
                throw RemoteError(.invalidConfiguration, message: "TFRECORD_S3_PARTS_IN_FLIGHT '\(text)' is not a number from 1 to 64")
            }
            configuration.partsInFlight = count
        }
        if let bundle = environment["AWS_CA_BUNDLE"], !bundle.isEmpty {
            configuration.trustedCertificatesFile = bundle
        }
        return configuration
    }
}

extension RemoteConfiguration {
    /// `8388608`, `512K`, `16M`, `1G` (powers of 1024), or nil.
    static func parseSize(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "k": 1 << 10, "M": 1 << 20, "m": 1 << 20, "G": 1 << 30, "g": 1 << 30]
        var digits = Substring(text)
        var unit = 1
        if let last = text.last, let scale = units[last] {
            digits = digits.dropLast()
            unit = scale
        }
        guard let number = Int(digits), number >= 0 else { return nil }
        let (size, overflow) = number.multipliedReportingOverflow(by: unit)
        return overflow ? nil : size
    }
}
