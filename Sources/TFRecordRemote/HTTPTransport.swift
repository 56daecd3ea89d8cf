import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL

/// Sends requests through the one shared `HTTPClient`, with bounded bodies, retries and resumable
/// ranged reads. Every error leaving it is a ``RemoteError``.
final class HTTPTransport: Sendable {
    /// The shared client (owned by ``RemoteClient``, which shuts it down).
    let client: HTTPClient
    /// When and how often to retry.
    let retry: RetryPolicy
    /// The deadline of one request, head and body.
    let requestTimeout: TimeAmount
    /// The most bytes discarded to reach a range's start when a server answers a ranged GET with 200.
    let maximumDiscard: Int64
    /// The most bytes of an error answer read (to find the S3 error code).
    static let errorBodyLimit = 64 * 1024

    init(client: HTTPClient, retry: RetryPolicy, requestTimeout: TimeAmount, maximumDiscard: Int64) {
        self.client = client
        self.retry = retry
        self.requestTimeout = requestTimeout
        self.maximumDiscard = maximumDiscard
    }

    /// Sends a request (rebuilt by `make` for every attempt, so it is re-signed with a fresh date) until
    /// it gets a 2xx answer, retrying what ``RetryPolicy`` allows.
    ///
    /// - Parameters:
    ///   - address: The object, for messages.
    ///   - bodyLimit: The largest body accepted; a larger one is `tooLarge`.
    ///   - errorInBody: Treat a 200 whose body is an S3 `<Error>` document as that error (S3's
    ///     CompleteMultipartUpload can fail that way).
    ///   - make: Builds the request for an attempt.
    /// - Returns: The 2xx answer with its whole body.
    /// - Throws: ``RemoteError``.
    func send(
        address: String, bodyLimit: Int, errorInBody: Bool = false,
        make: @Sendable () throws(RemoteError) -> TransportRequest
    ) async throws(RemoteError) -> TransportResponse {
        var attempt = 0
        while true {
            attempt += 1
            var failure: RemoteError
            do {
                let request = try make()
                let response = try await execute(request)
                let status = Int(response.status.code)
                if (200..<300).contains(status) {
                    let body = try await collect(response.body, limit: bodyLimit, address: address, attempts: attempt)
                    if errorInBody, let error = S3ErrorBody(body), error.root == "Error" {
                        failure = RemoteError(
                            .io, address: address, attempts: attempt, status: status, serverCode: error.code,
                            message: "HTTP \(status) with an error document: \(error.code ?? "?") \(error.message ?? "")")
                        if !RetryPolicy.isRetryable(status: 500, serverCode: error.code) { throw failure }
                    } else {
                        return TransportResponse(status: status, headers: response.headers, body: body)
                    }
                } else {
                    failure = await errorFor(response, address: address, offset: nil, attempts: attempt)
                    guard failure.kind == .io else { throw failure }
                }
            } catch {
                let mapped = Self.map(error, address: address, offset: nil, attempts: attempt)
                guard mapped.kind == .io else { throw mapped }
                failure = mapped
            }
            guard attempt < retry.maximumAttempts else { throw failure }
            try await backoff(after: attempt)
        }
    }

    /// Reads `range` of an object, resuming after failures at the first byte not yet received.
    ///
    /// - Parameters:
    ///   - address: The object, for messages.
    ///   - range: The bytes wanted (not empty).
    ///   - etag: The ETag the object must have from the first request on, or `nil`.
    ///   - make: Builds the request for the remaining bytes, with `If-Match` when an ETag is known.
    /// - Returns: Exactly `range.count` bytes.
    /// - Throws: ``RemoteError`` (see ``ObjectStore/read(_:range:)``).
    func readRange(
        address: String, range: Range<Int64>, etag expected: String? = nil,
        make: @Sendable (_ remaining: Range<Int64>, _ ifMatch: String?) throws(RemoteError) -> TransportRequest
    ) async throws(RemoteError) -> [UInt8] {
        precondition(!range.isEmpty, "readRange needs a non-empty range")
        var out: [UInt8] = []
        out.reserveCapacity(Int(range.count))
        var etag = expected
        var total: Int64?
        var attempts = 0
        var failuresInARow = 0
        while Int64(out.count) < range.count {
            attempts += 1
            let from = range.lowerBound + Int64(out.count)
            let before = out.count
            var failure: RemoteError?
            do {
                let request = try make(from..<range.upperBound, etag)
                let response = try await execute(request)
                let status = Int(response.status.code)
                let answerETag = response.headers.first(name: "etag")
                if let etag, let answerETag, answerETag != etag {
                    throw RemoteError(
                        .changed, address: address, offset: from, attempts: attempts,
                        message: "ETag changed from \(etag) to \(answerETag) during the read")
                }
                etag = etag ?? answerETag
                var skip: Int64 = 0
                var wanted = range.upperBound - from
                switch status {
                case 206:
                    guard let header = response.headers.first(name: "content-range"), let parsed = ContentRange(header) else {
                        throw RemoteError(
                            .protocolViolation, address: address, offset: from, attempts: attempts, status: status,
                            message: "206 answer without a valid Content-Range (\(response.headers.first(name: "content-range") ?? "none"))")
                    }
                    guard parsed.first == from, parsed.last < range.upperBound else {
                        throw RemoteError(
                            .protocolViolation, address: address, offset: from, attempts: attempts, status: status,
                            message: "asked for bytes \(from)-\(range.upperBound - 1), got Content-Range \(header)")
                    }
                    if let known = total, let size = parsed.total, known != size {
                        throw RemoteError(
                            .changed, address: address, offset: from, attempts: attempts,
                            message: "object size changed from \(known) to \(size) during the read")
                    }
                    total = total ?? parsed.total
                    if parsed.last < range.upperBound - 1, let size = parsed.total, parsed.last == size - 1 {
                        throw RemoteError(
                            .outOfRange, address: address, offset: range.lowerBound, attempts: attempts, status: status,
                            message: "asked for bytes up to \(range.upperBound - 1), object is \(size) bytes")
                    }
                    wanted = parsed.last - parsed.first + 1
                    if let length = response.headers.first(name: "content-length"), Int64(length) != wanted {
                        throw RemoteError(
                            .protocolViolation, address: address, offset: from, attempts: attempts, status: status,
                            message: "Content-Length \(length) does not match Content-Range \(header)")
                    }
                case 200:
                    // The server ignored Range: read only the bytes asked for, never deliver others.
                    skip = from
                    guard skip <= maximumDiscard else {
                        throw RemoteError(
                            .unsupported, address: address, offset: from, attempts: attempts, status: status,
                            message: "the server ignores Range requests; refusing to download \(skip) bytes to reach the offset")
                    }
                    if let length = response.headers.first(name: "content-length").flatMap({ Int64($0) }) {
                        if let known = total, known != length {
                            throw RemoteError(
                                .changed, address: address, offset: from, attempts: attempts,
                                message: "object size changed from \(known) to \(length) during the read")
                        }
                        total = length
                        guard length >= range.upperBound else {
                            throw RemoteError(
                                .outOfRange, address: address, offset: range.lowerBound, attempts: attempts, status: status,
                                message: "asked for bytes up to \(range.upperBound - 1), object is \(length) bytes")
                        }
                    }
                default:
                    throw await errorFor(response, address: address, offset: from, attempts: attempts)
                }
                var iterator = response.body.makeAsyncIterator()
                var taken: Int64 = 0
                while taken < wanted, let buffer = try await iterator.next() {
                    var view = buffer.readableBytesView[...]
                    if skip > 0 {
                        let dropped = min(Int64(view.count), skip)
                        view = view.dropFirst(Int(dropped))
                        skip -= dropped
                    }
                    if status == 206, taken + Int64(view.count) > wanted {
                        throw RemoteError(
                            .protocolViolation, address: address, offset: from + taken, attempts: attempts, status: status,
                            message: "the server sent more bytes than its Content-Range")
                    }
                    let use = view.prefix(Int(wanted - taken))
                    out.append(contentsOf: use)
                    taken += Int64(use.count)
                }
                if status == 206, taken == wanted {
                    // Read the end of the body so the connection goes back to the pool; bytes past the
                    // Content-Range are a protocol violation, a failure here costs nothing (all bytes are in).
                    let extra: ByteBuffer?
                    do { extra = try await iterator.next() } catch { extra = nil }
                    if let extra, extra.readableBytes > 0 {
                        out.removeLast(Int(taken))
                        throw RemoteError(
                            .protocolViolation, address: address, offset: from + taken, attempts: attempts, status: status,
                            message: "the server sent more bytes than its Content-Range")
                    }
                }
                if taken < wanted {
                    failure = RemoteError(
                        .io, address: address, offset: from + taken, attempts: attempts, status: status,
                        message: "short body: the answer ended after \(taken) of \(wanted) bytes")
                }
                // Leaving the loop with bytes unread (a 200 answer) drops the connection: nothing is delivered.
            } catch {
                let mapped = Self.map(error, address: address, offset: range.lowerBound + Int64(out.count), attempts: attempts)
                guard mapped.kind == .io else { throw mapped }
                failure = mapped
            }
            guard var failure else { continue }
            failuresInARow = out.count > before ? 1 : failuresInARow + 1
            guard failuresInARow < retry.maximumAttempts else {
                failure.offset = range.lowerBound + Int64(out.count)
                failure.attempts = attempts
                throw failure
            }
            try await backoff(after: failuresInARow)
        }
        return out
    }

    // MARK: - One attempt

    private func execute(_ request: TransportRequest) async throws -> HTTPClientResponse {
        if Task.isCancelled { throw CancellationError() }
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = request.method
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body {
            outgoing.body = .bytes(body)
        }
        return try await client.execute(outgoing, timeout: requestTimeout)
    }

    private func collect(
        _ body: HTTPClientResponse.Body, limit: Int, address: String, attempts: Int
    ) async throws -> [UInt8] {
        var out: [UInt8] = []
        for try await buffer in body {
            guard out.count + buffer.readableBytes <= limit else {
                throw RemoteError(
                    .tooLarge, address: address, attempts: attempts,
                    message: "answer body larger than the \(limit)-byte bound")
            }
            out.append(contentsOf: buffer.readableBytesView)
        }
        return out
    }

    /// The error for a non-2xx answer; kind `io` when it is worth retrying.
    private func errorFor(
        _ response: HTTPClientResponse, address: String, offset: Int64?, attempts: Int
    ) async -> RemoteError {
        let status = Int(response.status.code)
        var body: [UInt8] = []
        do {
            for try await buffer in response.body {
                body.append(contentsOf: buffer.readableBytesView.prefix(Self.errorBodyLimit - body.count))
                if body.count >= Self.errorBodyLimit { break }
            }
        } catch {
            // The status decides; a broken error body adds nothing.
        }
        let parsed = S3ErrorBody(body)
        let code = parsed?.code
        var message = "HTTP \(status)"
        if let code { message += " \(code)" }
        if let text = parsed?.message, !text.isEmpty { message += ": \(text)" }
        let kind: RemoteError.Kind
        switch status {
        case 404: kind = .notFound
        case 401, 403: kind = .accessDenied
        case 416: kind = .outOfRange
        case 412: kind = .changed
        case 300..<400:
            kind = .protocolViolation
            if let region = response.headers.first(name: "x-amz-bucket-region") {
                message += " (the bucket is in region \(region): set AWS_REGION=\(region))"
            } else if let location = response.headers.first(name: "location") {
                message += " (redirected to \(location); redirects are not followed)"
            }
        default:
            kind = RetryPolicy.isRetryable(status: status, serverCode: code) ? .io : .protocolViolation
        }
        return RemoteError(kind, address: address, offset: offset, attempts: attempts, status: status, serverCode: code, message: message)
    }

    private func backoff(after attempt: Int) async throws(RemoteError) {
        let seconds = retry.delay(afterAttempt: attempt, unitRandom: Double.random(in: 0...1))
        do {
            try await Task.sleep(for: .seconds(seconds))
        } catch {
            throw RemoteError(.cancelled, message: "cancelled while waiting to retry")
        }
    }

    /// Maps anything thrown during an attempt to a ``RemoteError``; kind `io` means "retry".
    static func map(_ error: any Error, address: String, offset: Int64?, attempts: Int) -> RemoteError {
        if var remote = error as? RemoteError {
            remote.address = remote.address ?? address
            return remote
        }
        if error is CancellationError || Task.isCancelled {
            return RemoteError(.cancelled, address: address, offset: offset, attempts: attempts, message: "the task was cancelled")
        }
        if let client = error as? HTTPClientError {
            let permanent: [HTTPClientError] = [
                .invalidURL, .emptyHost, .emptyScheme, .alreadyShutdown, .redirectLimitReached, .redirectCycleDetected,
                .invalidRedirectConfiguration,
            ]
            if permanent.contains(client) {
                return RemoteError(.protocolViolation, address: address, offset: offset, attempts: attempts, message: "\(client)")
            }
            if client == .cancelled {
                return RemoteError(.cancelled, address: address, offset: offset, attempts: attempts, message: "the request was cancelled")
            }
        }
        if let tls = error as? NIOSSLError, case .uncleanShutdown = tls {
            return RemoteError(.io, address: address, offset: offset, attempts: attempts, message: "TLS connection cut: \(error)")
        }
        if error is NIOSSLError || error is BoringSSLError {
            // Certificate and handshake failures do not go away by retrying.
            return RemoteError(.accessDenied, address: address, offset: offset, attempts: attempts, message: "TLS failure: \(error)")
        }
        return RemoteError(.io, address: address, offset: offset, attempts: attempts, message: "\(error)")
    }
}
