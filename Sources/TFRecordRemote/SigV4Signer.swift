import Crypto
import Foundation

/// AWS Signature Version 4 for request headers, written by hand: no library available to this package
/// signs requests (swift-crypto gives the HMAC-SHA256 and SHA-256 used here; Soto is not available).
///
/// It builds the canonical request exactly as botocore's `S3SigV4Auth` does: the method; the path as
/// sent (object keys percent-encoded per segment, `/` kept, no normalisation — S3's rule); the query
/// pairs encoded with everything but `A-Za-z0-9-_.~` escaped and sorted by name then value; the signed
/// headers lower-cased, values trimmed with inner runs of spaces collapsed, sorted; the payload hash.
/// Tests compare the resulting `Authorization` header with botocore's for the same requests.
public struct SigV4Signer: Sendable {
    /// The SHA-256 of an empty payload, the `x-amz-content-sha256` of bodiless requests.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// The payload hash that tells S3 the body is not signed.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// The credentials that sign.
    public let credentials: AWSCredentials
    /// The region in the credential scope.
    public let region: String
    /// The service in the credential scope (`s3`).
    public let service: String

    /// Makes a signer.
    ///
    /// - Parameters:
    ///   - credentials: The access key that signs.
    ///   - region: The signing region.
    ///   - service: The service name, `s3` by default.
    /// - Complexity: O(1).
    public init(credentials: AWSCredentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Signs a request and returns the headers to add to it: `x-amz-date`, `x-amz-content-sha256`,
    /// `x-amz-security-token` (with temporary credentials) and `Authorization`.
    ///
    /// - Parameters:
    ///   - method: The HTTP method, upper-case.
    ///   - host: The `Host` header: the host, and `:port` unless it is the scheme's default.
    ///   - encodedPath: The path exactly as sent, already percent-encoded (see `URIEncoding`).
    ///   - query: The query pairs, not encoded; encoded and sorted here.
    ///   - headers: Further headers to sign (names in any case), e.g. `x-amz-*` headers; others such as
    ///     `Range` or `Content-Length` need not be signed.
    ///   - payloadHash: The hex SHA-256 of the body, ``emptyPayloadHash`` or ``unsignedPayload``.
    ///   - date: The signing time.
    /// - Returns: The headers to add, in order, names lower-case except `Authorization`.
    /// - Complexity: O(n) in the request's size plus five HMAC-SHA256 computations.
    public func sign(
        method: String, host: String, encodedPath: String, query: [(String, String)], headers: [(String, String)] = [],
        payloadHash: String, date: Date
    ) -> [(String, String)] {
        let timestamp = Self.timestamp(date)
        var added: [(String, String)] = [("x-amz-date", timestamp), ("x-amz-content-sha256", payloadHash)]
        if let token = credentials.sessionToken { added.append(("x-amz-security-token", token)) }
        let signed = [("host", host)] + headers + added
        let canonical = canonicalRequest(
            method: method, encodedPath: encodedPath, query: query, headers: signed, payloadHash: payloadHash)
        let scope = "\(timestamp.prefix(8))/\(region)/\(service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(timestamp)\n\(scope)\n\(Self.hex(SHA256.hash(data: Array(canonical.utf8))))"
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: signingKey(day: String(timestamp.prefix(8)))))
        let authorization = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(Self.signedHeaderNames(signed)), Signature=\(signature)"
        return added + [("Authorization", authorization)]
    }

    /// The canonical request of SigV4 (step 1 of the algorithm), as botocore's `S3SigV4Auth` builds it.
    ///
    /// - Complexity: O(n log n) in the number of query pairs and headers.
    func canonicalRequest(
        method: String, encodedPath: String, query: [(String, String)], headers: [(String, String)], payloadHash: String
    ) -> String {
        let canonicalHeaders = Self.canonicalHeaders(headers)
            .map { "\($0.name):\($0.value)\n" }.joined()
        return [
            method.uppercased(),
            encodedPath,
            Self.canonicalQuery(query),
            canonicalHeaders,
            Self.signedHeaderNames(headers),
            payloadHash,
        ].joined(separator: "\n")
    }

    /// The query string as it is both sent and signed: pairs encoded, sorted by name then value
    /// (byte order of the encoded forms), joined with `&`.
    ///
    /// - Complexity: O(n log n).
    static func canonicalQuery(_ query: [(String, String)]) -> String {
        query.map { (URIEncoding.encodeQueryComponent($0.0), URIEncoding.encodeQueryComponent($0.1)) }
            .sorted { lhs, rhs in
                lhs.0 != rhs.0 ? lhs.0.utf8.lexicographicallyPrecedes(rhs.0.utf8) : lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8)
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// The hex form of a digest or MAC.
    static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC, computed without a formatter (days-from-civil inverted).
    static func timestamp(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)\(two(month))\(two(day))T\(two(secondOfDay / 3600))\(two(secondOfDay / 60 % 60))\(two(secondOfDay % 60))Z"
    }

    private func signingKey(day: String) -> SymmetricKey {
        func mac(_ key: SymmetricKey, _ text: String) -> SymmetricKey {
            SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key)))
        }
        let secret = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        return mac(mac(mac(mac(secret, day), region), service), "aws4_request")
    }

    private static func canonicalHeaders(_ headers: [(String, String)]) -> [(name: String, value: String)] {
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            let trimmed = value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
            merged[name.lowercased(), default: []].append(trimmed)
        }
        return merged.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { (name: $0, value: merged[$0]!.joined(separator: ",")) }
    }

    private static func signedHeaderNames(_ headers: [(String, String)]) -> String {
        Set(headers.map { $0.0.lowercased() }).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: ";")
    }
}
