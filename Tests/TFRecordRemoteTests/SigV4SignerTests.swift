import Foundation
import Testing

@testable import TFRecordRemote

@Suite struct SigV4SignerTests {
    static let example = AWSCredentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    /// 2013-05-24T00:00:00Z, the date of AWS's published S3 SigV4 examples.
    static let exampleDate = Date(timeIntervalSince1970: 1_369_353_600)

    /// AWS's documented example "GET Object" (S3 API reference, sigv4-header-based-auth), which signs Range.
    @Test func awsDocumentedGetObjectExample() {
        let signer = SigV4Signer(credentials: Self.example, region: "us-east-1")
        let headers = signer.sign(
            method: "GET", host: "examplebucket.s3.amazonaws.com", encodedPath: "/test.txt", query: [],
            headers: [("Range", "bytes=0-9")], payloadHash: SigV4Signer.emptyPayloadHash, date: Self.exampleDate)
        let authorization = headers.first { $0.0 == "Authorization" }?.1
        #expect(
            authorization
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
        #expect(headers.first { $0.0 == "x-amz-date" }?.1 == "20130524T000000Z")
    }

    /// AWS's documented example "GET Bucket (List Objects)" with `max-keys=2&prefix=J`.
    @Test func awsDocumentedListObjectsExample() {
        let signer = SigV4Signer(credentials: Self.example, region: "us-east-1")
        let headers = signer.sign(
            method: "GET", host: "examplebucket.s3.amazonaws.com", encodedPath: "/", query: [("prefix", "J"), ("max-keys", "2")],
            payloadHash: SigV4Signer.emptyPayloadHash, date: Self.exampleDate)
        #expect(headers.last?.1.hasSuffix("Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7") == true)
    }

    @Test func timestampsAreUTCCalendarDates() {
        #expect(SigV4Signer.timestamp(Date(timeIntervalSince1970: 0)) == "19700101T000000Z")
        #expect(SigV4Signer.timestamp(Self.exampleDate) == "20130524T000000Z")
        #expect(SigV4Signer.timestamp(Date(timeIntervalSince1970: 951_782_400)) == "20000229T000000Z")
        #expect(SigV4Signer.timestamp(Date(timeIntervalSince1970: 1_798_761_599.9)) == "20261231T235959Z")
        #expect(SigV4Signer.timestamp(Date(timeIntervalSince1970: 4_107_542_400)) == "21000301T000000Z")
        #expect(SigV4Signer.timestamp(Date(timeIntervalSince1970: -1)) == "19691231T235959Z")
    }

    @Test func canonicalQueryIsEncodedAndSorted() {
        let query = SigV4Signer.canonicalQuery([
            ("prefix", "a b+c=d~e/ü"), ("list-type", "2"), ("continuation-token", "x/y=="), ("a", "2"), ("a", "10"), ("uploads", ""),
        ])
        #expect(query == "a=10&a=2&continuation-token=x%2Fy%3D%3D&list-type=2&prefix=a%20b%2Bc%3Dd~e%2F%C3%BC&uploads=")
    }

    @Test func headerValuesAreTrimmedAndNamesLowerCased() {
        let signer = SigV4Signer(credentials: Self.example, region: "us-east-1")
        let canonical = signer.canonicalRequest(
            method: "get", encodedPath: "/k", query: [],
            headers: [("Host", "h"), ("X-Amz-Meta-A", "  two   spaces  "), ("x-amz-meta-a", "second")],
            payloadHash: "UNSIGNED-PAYLOAD")
        #expect(canonical == "GET\n/k\n\nhost:h\nx-amz-meta-a:two spaces,second\n\nhost;x-amz-meta-a\nUNSIGNED-PAYLOAD")
    }

    /// Our Authorization header equals botocore's `S3SigV4Auth` for the same requests, and our URLs equal
    /// the ones botocore builds for the same S3 operations (key encoding, query).
    @Test(.enabled(if: PythonPeer.isAvailable, PythonPeer.missingReason))
    func signaturesEqualBotocores() throws {
        let date = Date(timeIntervalSince1970: 1_780_000_123)
        let keys = [
            "train-00000-of-00004.tfrecord", "with space/and  two.tfrecord", "ünïcødé/日本語.tfrecord", "plus+equals=tilde~",
            "percent%41%zz", "dir/sub dir/file(1)!*'.tfrecord", "semi;colon:at@amp&dollar$comma,q?hash#", "",
        ]
        struct Case {
            var configuration: S3Configuration
            var request: TransportRequest
            var operation: String?
            var params: [String: Any]
        }
        let moto = S3Configuration(
            region: "us-east-1", endpoint: "http://127.0.0.1:9000",
            credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))
        var temporary = moto
        temporary.credentials?.sessionToken = "FwoGZXIvYXdzEJr//////////wEaDOx+token/with=chars"
        var aws = S3Configuration(
            region: "eu-west-1", credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret"))
        aws.addressingStyle = .automatic

        var cases: [Case] = []
        for configuration in [moto, temporary] {
            let builder = S3RequestBuilder(configuration: configuration)
            for key in keys where !key.isEmpty {
                cases.append(Case(
                    configuration: configuration,
                    request: builder.request(.GET, bucket: "bucket", key: key, headers: [("Range", "bytes=100-199")], date: date),
                    operation: "get_object", params: ["Bucket": "bucket", "Key": key, "Range": "bytes=100-199"]))
                cases.append(Case(
                    configuration: configuration, request: builder.request(.HEAD, bucket: "bucket", key: key, date: date),
                    operation: "head_object", params: ["Bucket": "bucket", "Key": key]))
            }
            for (prefix, token) in [("", nil), ("data/train-", nil), ("ü dir/+=~", "1/abc+def=="), ("p", "token with space")] {
                var query = [("list-type", "2"), ("prefix", prefix), ("encoding-type", "url")]
                var params: [String: Any] = ["Bucket": "bucket", "Prefix": prefix]
                if let token {
                    query.append(("continuation-token", token))
                    params["ContinuationToken"] = token
                }
                cases.append(Case(
                    configuration: configuration, request: builder.request(.GET, bucket: "bucket", key: nil, query: query, date: date),
                    operation: "list_objects_v2", params: params))
            }
            let key = "shards/train 0+1=ü~%.tfrecord"
            cases.append(Case(
                configuration: configuration,
                request: builder.request(.POST, bucket: "bucket", key: key, query: [("uploads", "")], date: date),
                operation: "create_multipart_upload", params: ["Bucket": "bucket", "Key": key]))
            let part = Bytes.random(count: 3000, seed: 3)
            cases.append(Case(
                configuration: configuration,
                request: builder.request(
                    .PUT, bucket: "bucket", key: key, query: [("partNumber", "3"), ("uploadId", "VXBsb2Fk+SUQ=/x")], body: part,
                    date: date),
                operation: "upload_part",
                params: ["Bucket": "bucket", "Key": key, "PartNumber": 3, "UploadId": "VXBsb2Fk+SUQ=/x"]))
            let complete = Array("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"e\"</ETag></Part></CompleteMultipartUpload>".utf8)
            cases.append(Case(
                configuration: configuration,
                request: builder.request(
                    .POST, bucket: "bucket", key: key, query: [("uploadId", "VXBsb2Fk+SUQ=/x")],
                    headers: [("Content-Type", "application/xml")], body: complete, date: date),
                operation: "complete_multipart_upload",
                params: [
                    "Bucket": "bucket", "Key": key, "UploadId": "VXBsb2Fk+SUQ=/x",
                    "MultipartUpload": ["Parts": [["ETag": "\"e\"", "PartNumber": 1]]],
                ]))
            cases.append(Case(
                configuration: configuration,
                request: builder.request(.DELETE, bucket: "bucket", key: key, query: [("uploadId", "VXBsb2Fk+SUQ=/x")], date: date),
                operation: "abort_multipart_upload", params: ["Bucket": "bucket", "Key": key, "UploadId": "VXBsb2Fk+SUQ=/x"]))
            cases.append(Case(
                configuration: configuration,
                request: builder.request(.PUT, bucket: "bucket", key: "small ü", body: Array("hello".utf8), date: date),
                operation: "put_object", params: ["Bucket": "bucket", "Key": "small ü"]))
        }
        // AWS itself: virtual-host addressing over HTTPS, and a dotted bucket that must stay path-style.
        let awsBuilder = S3RequestBuilder(configuration: aws)
        cases.append(Case(
            configuration: aws, request: awsBuilder.request(.GET, bucket: "my-bucket", key: "a b/ü", headers: [("Range", "bytes=0-9")], date: date),
            operation: nil, params: [:]))
        cases.append(Case(
            configuration: aws, request: awsBuilder.request(.GET, bucket: "my.dotted.bucket", key: "k", date: date),
            operation: nil, params: [:]))
        #expect(cases[cases.count - 2].request.url == "https://my-bucket.s3.eu-west-1.amazonaws.com/a%20b/%C3%BC")
        #expect(cases[cases.count - 1].request.url == "https://s3.eu-west-1.amazonaws.com/my.dotted.bucket/k")

        var payload: [[String: Any]] = cases.map { item in
            var description: [String: Any] = [
                "method": item.request.method.rawValue, "url": item.request.url,
                "headers": Dictionary(
                    item.request.headers.filter { $0.0.lowercased().hasPrefix("x-amz-") }.map { ($0.0, $0.1) },
                    uniquingKeysWith: { first, _ in first }),
                "body_hex": Bytes.hex(item.request.body ?? []),
                "access_key": item.configuration.credentials!.accessKeyID,
                "secret_key": item.configuration.credentials!.secretAccessKey,
                "region": item.configuration.region, "timestamp": SigV4Signer.timestamp(date),
            ]
            if let token = item.configuration.credentials!.sessionToken { description["token"] = token }
            if let operation = item.operation {
                description["operation"] = operation
                description["params"] = item.params
                description["endpoint"] = item.configuration.endpoint!
            }
            return description
        }
        // Unsigned payload over HTTPS, signed directly.
        let unsigned = SigV4Signer(credentials: Self.example, region: "us-west-2").sign(
            method: "PUT", host: "b.s3.us-west-2.amazonaws.com", encodedPath: "/k%20ey", query: [],
            payloadHash: SigV4Signer.unsignedPayload, date: date)
        payload.append([
            "method": "PUT", "url": "https://b.s3.us-west-2.amazonaws.com/k%20ey",
            "headers": Dictionary(unsigned.filter { $0.0.hasPrefix("x-amz-") }.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a }),
            "body_hex": "00ff", "access_key": Self.example.accessKeyID, "secret_key": Self.example.secretAccessKey,
            "region": "us-west-2", "timestamp": SigV4Signer.timestamp(date), "unsigned_payload": true,
        ])

        let answer = try PythonPeer.call(["command": "sign", "cases": payload])
        let results = try #require(answer["results"] as? [[String: Any]])
        try #require(results.count == payload.count)
        var ours = cases.map { $0.request.headers.first { $0.0 == "Authorization" }?.1 }
        ours.append(unsigned.last?.1)
        var urlsCompared = 0
        for (index, result) in results.enumerated() {
            let theirs = result["authorization"] as? String
            let canonical = result["canonical_request"] as? String ?? ""
            let label = "case \(index) \(payload[index]["url"] as? String ?? "")"
            let mine = ours[index]
            #expect(mine == theirs, "\(label)\nbotocore canonical request:\n\(canonical)")
            if let botocoreURL = result["botocore_url"] as? String {
                #expect(Self.normalized(botocoreURL) == Self.normalized(cases[index].request.url), "URL of case \(index)")
                urlsCompared += 1
            }
        }
        #expect(urlsCompared >= 30, "botocore built the URLs of the operation cases")
    }

    /// A URL with its query pairs sorted (botocore orders them differently) and `?uploads` as `?uploads=`.
    static func normalized(_ url: String) -> String {
        guard let question = url.firstIndex(of: "?") else { return url }
        let pairs = url[url.index(after: question)...].split(separator: "&").map { $0.contains("=") ? String($0) : "\($0)=" }
        return url[..<question] + "?" + pairs.sorted().joined(separator: "&")
    }
}
