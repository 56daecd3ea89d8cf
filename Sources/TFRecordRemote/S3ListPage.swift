/// One page of a ListObjectsV2 answer (`encoding-type=url`): the objects and the continuation token.
struct S3ListPage: Sendable, Equatable {
    /// The objects' keys (decoded), sizes and ETags.
    var objects: [(key: String, size: Int64, etag: String?)]
    /// The token for the next page, when the listing is truncated.
    var nextContinuationToken: String?

    static func == (lhs: S3ListPage, rhs: S3ListPage) -> Bool {
        lhs.nextContinuationToken == rhs.nextContinuationToken
            && lhs.objects.elementsEqual(rhs.objects) { $0.key == $1.key && $0.size == $1.size && $0.etag == $1.etag }
    }

    /// Parses a ListBucketResult document.
    ///
    /// - Parameters:
    ///   - body: The answer's body (bounded by the caller).
    ///   - urlEncoded: Whether keys are URL-encoded (`EncodingType` is `url`), decoded as botocore does.
    /// - Throws: `S3XMLParser.Failure` with the reason for hostile or malformed XML, a wrong root,
    ///   a `Contents` without a key or with a bad size, a truncated listing without a token.
    /// - Complexity: O(n).
    init(_ body: [UInt8]) throws(S3XMLParser.Failure) {
        let root = try S3XMLParser.parse(body)
        guard root.name == "ListBucketResult" else {
            throw S3XMLParser.Failure(message: "expected ListBucketResult, got \(root.name)")
        }
        let urlEncoded = root.text(of: "EncodingType")?.lowercased() == "url"
        var objects: [(key: String, size: Int64, etag: String?)] = []
        for contents in root.children("Contents") {
            guard let rawKey = contents.text(of: "Key") else {
                throw S3XMLParser.Failure(message: "Contents without a Key")
            }
            let key: String
            if urlEncoded {
                guard let decoded = URIEncoding.decode(rawKey, plusIsSpace: true) else {
                    throw S3XMLParser.Failure(message: "key '\(rawKey)' is not valid URL encoding")
                }
                key = decoded
            } else {
                key = rawKey
            }
            guard let sizeText = contents.text(of: "Size"), sizeText.count <= 19,
                sizeText.allSatisfy({ $0.isASCII && $0.isNumber }), let size = Int64(sizeText)
            else {
                throw S3XMLParser.Failure(message: "object '\(key)' has no valid Size")
            }
            objects.append((key, size, contents.text(of: "ETag")))
        }
        let truncated = root.text(of: "IsTruncated")?.lowercased() == "true"
        let token = root.text(of: "NextContinuationToken")
        if truncated && (token ?? "").isEmpty {
            throw S3XMLParser.Failure(message: "truncated listing without a NextContinuationToken")
        }
        self.objects = objects
        self.nextContinuationToken = truncated ? token : nil
    }
}
