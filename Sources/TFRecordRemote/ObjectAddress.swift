/// Where an object lives: `s3://bucket/key`, `gs://bucket/key`, `https://host/path` or `http://host/path`.
///
/// S3 and GCS keys are taken literally, as the AWS CLI and gsutil take them: `s3://b/a%20b` names the
/// key `a%20b`, and spaces, `+`, `=`, `~` and any Unicode are part of the key. An `http(s)://`
/// address is a URL: characters a URL cannot carry (spaces, Unicode) are percent-encoded, existing
/// `%XX` escapes are kept. `gs://bucket/key` is read through GCS's public HTTPS endpoint,
/// `https://storage.googleapis.com/bucket/key`.
public struct ObjectAddress: Hashable, Sendable, CustomStringConvertible {
    /// The address's scheme.
    public enum Scheme: String, Sendable, Hashable {
        /// The S3 API (AWS or any compatible store named by `AWS_ENDPOINT_URL(_S3)`).
        case s3
        /// Google Cloud Storage, read through its public HTTPS endpoint.
        case gs
        /// Plain HTTP.
        case http
        /// HTTP over TLS.
        case https
    }

    /// The longest key S3 accepts, in UTF-8 bytes.
    public static let maximumKeyLength = 1024

    /// The scheme.
    public let scheme: Scheme
    /// The bucket for `s3://` and `gs://`; empty for `http(s)://`.
    public let bucket: String
    /// The object key for `s3://` and `gs://` (literal, possibly empty or ending in `/` for a prefix);
    /// for `http(s)://` the percent-encoded path and query, starting with `/`.
    public let key: String
    /// `host[:port]` for `http(s)://`; empty otherwise.
    public let authority: String

    /// Parses an address.
    ///
    /// - Parameter text: `s3://bucket[/key]`, `gs://bucket[/key]`, `http(s)://host[:port][/path][?query]`;
    ///   the scheme is case-insensitive.
    /// - Throws: ``RemoteError`` of kind `invalidAddress` for another scheme, a missing or malformed
    ///   bucket or host, user info or a fragment in a URL, a port out of range, a NUL byte or a key
    ///   longer than ``maximumKeyLength`` bytes.
    /// - Complexity: O(n) in the length of `text`.
    public init(_ text: String) throws(RemoteError) {
        guard let separator = text.range(of: "://") else {
            throw RemoteError(.invalidAddress, address: text, message: "expected s3://, gs://, http:// or https://")
        }
        guard let scheme = Scheme(rawValue: text[..<separator.lowerBound].lowercased()) else {
            throw RemoteError(
                .invalidAddress, address: text,
                message: "unknown scheme '\(text[..<separator.lowerBound])' (expected s3, gs, http or https)")
        }
        let rest = text[separator.upperBound...]
        if text.utf8.contains(0) {
            throw RemoteError(.invalidAddress, address: text, message: "NUL byte in the address")
        }
        switch scheme {
        case .s3, .gs:
            let slash = rest.firstIndex(of: "/")
            let bucket = String(rest[..<(slash ?? rest.endIndex)])
            let key = slash.map { String(rest[rest.index(after: $0)...]) } ?? ""
            try self.init(scheme: scheme, bucket: bucket, key: key, original: text)
        case .http, .https:
            let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            let authority = String(rest[..<end])
            var pathAndQuery = rest[end...]
            if pathAndQuery.contains("#") {
                throw RemoteError(.invalidAddress, address: text, message: "a fragment ('#') names no object")
            }
            if pathAndQuery.first == "?" || pathAndQuery.isEmpty { pathAndQuery = "/" + pathAndQuery }
            try Self.validateAuthority(authority, original: text)
            self.init(
                checkedScheme: scheme, bucket: "", key: Self.encodeURLPath(String(pathAndQuery)),
                authority: authority.lowercased())
        }
    }

    /// Makes an `s3://` or `gs://` address from its parts.
    ///
    /// - Parameters:
    ///   - scheme: `.s3` or `.gs`.
    ///   - bucket: The bucket name: 1 to 255 of `a-z A-Z 0-9 . - _`.
    ///   - key: The key, taken literally.
    /// - Throws: ``RemoteError`` of kind `invalidAddress` for an HTTP scheme, a malformed bucket, a NUL
    ///   byte or a key longer than ``maximumKeyLength`` bytes.
    /// - Complexity: O(n).
    public init(scheme: Scheme, bucket: String, key: String) throws(RemoteError) {
        try self.init(scheme: scheme, bucket: bucket, key: key, original: "\(scheme.rawValue)://\(bucket)/\(key)")
    }

    private init(scheme: Scheme, bucket: String, key: String, original: String) throws(RemoteError) {
        guard scheme == .s3 || scheme == .gs else {
            throw RemoteError(.invalidAddress, address: original, message: "bucket and key need s3:// or gs://")
        }
        guard !bucket.isEmpty, bucket.utf8.count <= 255,
            bucket.utf8.allSatisfy({ URIEncoding.isUnreserved($0) && $0 != UInt8(ascii: "~") })
        else {
            throw RemoteError(
                .invalidAddress, address: original,
                message: "bucket name must be 1 to 255 of a-z, A-Z, 0-9, '.', '-', '_'")
        }
        guard key.utf8.count <= Self.maximumKeyLength else {
            throw RemoteError(
                .invalidAddress, address: original,
                message: "key is \(key.utf8.count) bytes long, more than S3's \(Self.maximumKeyLength)")
        }
        guard !key.utf8.contains(0) else {
            throw RemoteError(.invalidAddress, address: original, message: "NUL byte in the key")
        }
        self.init(checkedScheme: scheme, bucket: bucket, key: key, authority: "")
    }

    private init(checkedScheme: Scheme, bucket: String, key: String, authority: String) {
        self.scheme = checkedScheme
        self.bucket = bucket
        self.key = key
        self.authority = authority
    }

    /// The address in its canonical written form (`s3://bucket/key`, `https://host/path`).
    public var description: String {
        switch scheme {
        case .s3, .gs: "\(scheme.rawValue)://\(bucket)/\(key)"
        case .http, .https: "\(scheme.rawValue)://\(authority)\(key)"
        }
    }

    /// Whether this address names a prefix (a "folder") rather than one object: an `s3://`/`gs://` key
    /// that is empty or ends with `/`.
    public var isPrefix: Bool {
        (scheme == .s3 || scheme == .gs) && (key.isEmpty || key.hasSuffix("/"))
    }

    /// The URL an HTTP GET of this object goes to, for `http(s)://` and `gs://` addresses (GCS's public
    /// endpoint, the key percent-encoded per path segment); `nil` for `s3://`, whose URL depends on the
    /// endpoint and addressing style.
    public var httpURL: String? {
        switch scheme {
        case .s3: nil
        case .gs: "https://storage.googleapis.com/\(bucket)/\(URIEncoding.encodePath(key))"
        case .http, .https: "\(scheme.rawValue)://\(authority)\(key)"
        }
    }

    /// The address of the object `name` under this prefix (`s3://b/dir/` + `x` = `s3://b/dir/x`), or of a
    /// sibling key for an `http(s)` path; used for sidecars and listings.
    ///
    /// - Throws: ``RemoteError`` of kind `invalidAddress` when the result is not a valid address.
    /// - Complexity: O(n).
    public func replacingKey(with newKey: String) throws(RemoteError) -> ObjectAddress {
        switch scheme {
        case .s3, .gs: try ObjectAddress(scheme: scheme, bucket: bucket, key: newKey)
        case .http, .https: try ObjectAddress("\(scheme.rawValue)://\(authority)/\(newKey)")
        }
    }

    private static func validateAuthority(_ authority: String, original: String) throws(RemoteError) {
        func fail(_ message: String) -> RemoteError {
            RemoteError(.invalidAddress, address: original, message: message)
        }
        if authority.contains("@") { throw fail("user info in a URL is not supported (use credentials)") }
        var host = Substring(authority)
        var port: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw fail("unterminated IPv6 address") }
            let inside = host[host.index(after: host.startIndex)..<close]
            guard !inside.isEmpty, inside.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw fail("malformed IPv6 address")
            }
            let after = host[host.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { throw fail("malformed host") }
                port = after.dropFirst()
            }
            host = host[...close]
        } else {
            if let colon = host.firstIndex(of: ":") {
                port = host[host.index(after: colon)...]
                host = host[..<colon]
            }
            guard !host.isEmpty, host.utf8.count <= 253,
                host.utf8.allSatisfy({ URIEncoding.isUnreserved($0) && $0 != UInt8(ascii: "~") && $0 != UInt8(ascii: "_") })
            else { throw fail("host must be a DNS name or an IP address") }
        }
        if let port {
            guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }),
                let number = Int(port), (1...65535).contains(number)
            else { throw fail("port must be a number from 1 to 65535") }
        }
    }

    /// Percent-encodes what a URL path and query cannot carry; keeps valid `%XX` escapes and the
    /// reserved characters.
    private static func encodeURLPath(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        let allowed = Set("!$&'()*+,;=:@/?".utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                URIEncoding.hexValue(bytes[index + 1]) != nil, URIEncoding.hexValue(bytes[index + 2]) != nil
            {
                out.append(contentsOf: bytes[index...(index + 2)])
                index += 3
                continue
            }
            if URIEncoding.isUnreserved(byte) || allowed.contains(byte) {
                out.append(byte)
            } else {
                out.append(contentsOf: Array("%\(String(byte >> 4, radix: 16, uppercase: true))\(String(byte & 0xF, radix: 16, uppercase: true))".utf8))
            }
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
