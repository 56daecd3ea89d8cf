import Testing

@testable import TFRecordRemote

@Suite struct RetryPolicyTests {
    @Test func backoffIsExponentialJitteredAndCapped() {
        let policy = RetryPolicy(maximumAttempts: 5, baseDelay: 0.1, maximumDelay: 1)
        #expect(policy.delay(afterAttempt: 1, unitRandom: 1) == 0.1)
        #expect(policy.delay(afterAttempt: 2, unitRandom: 1) == 0.2)
        #expect(policy.delay(afterAttempt: 3, unitRandom: 1) == 0.4)
        #expect(policy.delay(afterAttempt: 5, unitRandom: 1) == 1, "capped")
        #expect(policy.delay(afterAttempt: 500, unitRandom: 1) == 1, "no overflow")
        #expect(policy.delay(afterAttempt: 3, unitRandom: 0.5) == 0.2)
        #expect(policy.delay(afterAttempt: 3, unitRandom: 0) == 0)
        #expect(policy.delay(afterAttempt: 3, unitRandom: 7) == 0.4, "jitter clamped to 0...1")
    }

    @Test func whatIsRetried() {
        for status in [429, 500, 502, 503, 504] { #expect(RetryPolicy.isRetryable(status: status, serverCode: nil)) }
        for status in [400, 401, 403, 404, 412, 416] { #expect(!RetryPolicy.isRetryable(status: status, serverCode: nil)) }
        #expect(RetryPolicy.isRetryable(status: 400, serverCode: "RequestTimeout"))
        #expect(RetryPolicy.isRetryable(status: 200, serverCode: "InternalError"))
        #expect(!RetryPolicy.isRetryable(status: 400, serverCode: "InvalidPart"))
    }

    @Test func contentRangeParsing() {
        let parsed = ContentRange("bytes 0-9/100")
        #expect(parsed?.first == 0 && parsed?.last == 9 && parsed?.total == 100)
        #expect(ContentRange("bytes 5-5/*")?.total == nil)
        #expect(ContentRange("Bytes 1-2/3")?.last == 2)
        for bad in ["bytes 9-0/100", "bytes 0-100/100", "bytes */100", "bytes 0-9", "items 0-9/100", "bytes -1-9/100", "bytes 0-9/abc",
            "bytes 0-99999999999999999999/1", "", "bytes 0x1-2/3"]
        {
            #expect(ContentRange(bad) == nil, "\(bad)")
        }
    }

    @Test func errorDescriptionsNameObjectOffsetAndAttempts() {
        let error = RemoteError(
            .io, address: "s3://b/train.tfrecord", offset: 8_388_608, attempts: 5, status: 503, serverCode: "SlowDown",
            message: "HTTP 503 SlowDown")
        #expect(error.description == "s3://b/train.tfrecord: I/O error at offset 8388608 after 5 attempts: HTTP 503 SlowDown")
        #expect(RemoteError(.notFound, message: "m").description == "not found error: m")
    }

    @Test func requestBuilderAddressingAndAnonymousAccess() {
        let anonymous = S3RequestBuilder(configuration: S3Configuration(region: "us-west-2"))
        let request = anonymous.request(.GET, bucket: "public-bucket", key: "a/b c", date: .init(timeIntervalSince1970: 0))
        #expect(request.url == "https://public-bucket.s3.us-west-2.amazonaws.com/a/b%20c")
        #expect(!request.headers.contains { $0.0 == "Authorization" }, "unsigned")
        #expect(request.headers.first { $0.0 == "Host" }?.1 == "public-bucket.s3.us-west-2.amazonaws.com")
        #expect(S3RequestBuilder.isVirtualHostCompatible("my-bucket-1"))
        for name in ["My-Bucket", "my.bucket", "my_bucket", "ab", "-ab", String(repeating: "a", count: 64)] {
            #expect(!S3RequestBuilder.isVirtualHostCompatible(name), "\(name)")
        }
        var path = S3Configuration(region: "us-east-1")
        path.addressingStyle = .path
        #expect(S3RequestBuilder(configuration: path).location(bucket: "b", key: nil) == ("https", "s3.us-east-1.amazonaws.com", "/b"))
    }
}
