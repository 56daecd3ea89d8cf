import TFRecord

/// A `ByteSink` that writes one S3 object through a multipart upload: the core's
/// `RecordWriter(sink:name:options:)` streams a TFRecord file (any compression) straight into the
/// bucket, and the object appears under its address only when the writer closes.
///
/// Bytes are gathered into parts of the client's `partSize` (≥ 5 MiB) and handed to an
/// ``S3MultipartUpload``, which sends each full part while the writer keeps writing, at most
/// `partsInFlight` at once; `finish()` sends the last part and completes the upload (an object
/// smaller than one part is a single PUT there). `abandon()` — called by the writer when a
/// write, the compressor or `close()` fails, or when it is abandoned — aborts the upload, so
/// no object appears under the address and no parts are left. A process killed with `kill -9`
/// cannot abort: its parts stay until the bucket's lifecycle rule removes them
/// (docs/REMOTE.md). Requests are retried under the client's ``RetryPolicy``; what still fails
/// is a `TFRecordError.io` naming the address.
///
/// Synchronous: every call blocks its thread while the upload catches up (a full part waits
/// for a free slot). Use it only on threads outside Swift concurrency's cooperative pool (see
/// `Blocking`); from async code use ``RemoteRecordWriter``. Used by one thread at a time.
/// Memory: about `partsInFlight + 2` parts.
public final class ObjectUploadSink: ByteSink, @unchecked Sendable {
    /// The object being written.
    public let address: ObjectAddress
    private let upload: S3MultipartUpload
    private let partSize: Int
    /// Bytes not yet handed to the upload (less than one part).
    private var pending: [UInt8] = []
    private var ended = false

    /// Prepares an upload to `address`; nothing is sent before the first part is full.
    /// - Parameters:
    ///   - client: the client whose S3 store, part size and retries are used.
    ///   - address: an `s3://bucket/key` address (HTTP servers and `gs://` are read-only here).
    /// - Throws: `TFRecordError.invalidArgument` for another scheme, a bucket address or a part
    ///   size under 5 MiB.
    /// - Complexity: O(1).
    public init(client: RemoteClient, address: ObjectAddress) throws(TFRecordError) {
        guard address.scheme == .s3 else {
            throw TFRecordError(.invalidArgument, "cannot write here: writing needs an s3:// address (HTTP(S) and gs:// are read-only)",
                                path: address.description)
        }
        do {
            upload = try client.s3.makeUpload(to: address)
        } catch {
            throw RemoteError.tfRecordError(error, address: address.description)
        }
        self.address = address
        partSize = client.configuration.partSize
        pending.reserveCapacity(partSize)
    }

    /// Appends bytes; hands each full part to the upload (waiting while `partsInFlight` parts
    /// are in flight).
    /// - Throws: `TFRecordError.io` naming the address when a part fails after its retries
    ///   (the upload is then aborted).
    /// - Complexity: one copy of `bytes`.
    public func write(_ bytes: RawSpan) throws(TFRecordError) {
        bytes.withUnsafeBytes { pending.append(contentsOf: $0) }
        if pending.count >= partSize { try sendFullParts() }
    }

    /// `write(_:)` for bytes already in an array (the shard publisher's file chunks).
    func write(_ bytes: [UInt8]) throws(TFRecordError) {
        pending.append(contentsOf: bytes)
        if pending.count >= partSize { try sendFullParts() }
    }

    private func sendFullParts() throws(TFRecordError) {
        let whole = pending.count - pending.count % partSize
        let chunk = Array(pending[..<whole])
        pending.removeFirst(whole)
        try call { [upload] in try await upload.write(chunk) }
    }

    /// Sends what is left and completes the upload: the object appears now.
    /// - Throws: `TFRecordError.io` naming the address (the upload is then aborted: no object).
    /// - Complexity: waits for the parts in flight; one or two requests.
    public func finish() throws(TFRecordError) {
        guard !ended else { return }
        ended = true
        let rest = pending
        pending = []
        try call { [upload] in
            if !rest.isEmpty { try await upload.write(rest) }
            try await upload.finish()
        }
    }

    /// Aborts the upload: parts in flight are cancelled and the parts sent are deleted.
    /// - Complexity: waits for the parts in flight to stop; one request.
    public func abandon() {
        guard !ended else { return }
        ended = true
        pending = []
        _ = try? Blocking.wait { [upload] in await upload.abort() }
    }

    private func call(_ body: @escaping @Sendable () async throws -> Void) throws(TFRecordError) {
        do {
            try Blocking.wait(body)
        } catch {
            throw RemoteError.tfRecordError(error, address: address.description)
        }
    }
}
