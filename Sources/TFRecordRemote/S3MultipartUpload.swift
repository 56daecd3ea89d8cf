/// An object being written to S3 in parts: bytes are buffered into parts of `partSize`, each sent as
/// soon as it is full with at most `partsInFlight` parts in flight, and the object appears only when
/// ``finish()`` completes the upload.
///
/// Nothing is sent before the first part is full, and an upload that never filled one is written by
/// ``finish()`` as a single PUT. ``abort()`` (called for you by ``S3ObjectStore/upload(to:_:)`` when
/// its body throws) cancels the parts in flight and deletes the upload, so a failed writer leaves no
/// object under the final name. A process killed mid-upload leaves its parts in the bucket, invisible
/// and billed, until a lifecycle rule (`AbortIncompleteMultipartUpload`) removes them.
///
/// Calls must not overlap: write, then finish or abort, from one task.
public actor S3MultipartUpload {
    private enum State {
        case open
        case finished
        case aborted
    }

    /// The object being written.
    public nonisolated let address: ObjectAddress
    private let store: S3ObjectStore
    private let partSize: Int
    private let partsInFlight: Int
    private var buffer: [UInt8] = []
    private var uploadID: String?
    private var inFlight: [Task<String, any Error>] = []
    private var etags: [String] = []
    private var state = State.open
    private var busy = false

    init(store: S3ObjectStore, address: ObjectAddress, partSize: Int, partsInFlight: Int) {
        self.store = store
        self.address = address
        self.partSize = partSize
        self.partsInFlight = partsInFlight
    }

    /// The number of bytes written so far.
    public private(set) var bytesWritten: Int64 = 0

    /// Appends bytes to the object; full parts are sent, waiting while `partsInFlight` are in flight.
    ///
    /// - Parameter bytes: The next bytes of the object.
    /// - Throws: ``RemoteError`` from a part's request (the upload is then aborted), `cancelled` when the
    ///   task is cancelled (aborted too), `invalidAddress` past 10,000 parts.
    /// - Complexity: O(bytes.count) copies; one request per full part.
    public func write(_ bytes: [UInt8]) async throws {
        try enter()
        defer { busy = false }
        do {
            buffer.append(contentsOf: bytes)
            bytesWritten += Int64(bytes.count)
            while buffer.count >= partSize {
                let part = Array(buffer[..<partSize])
                buffer.removeFirst(partSize)
                try await send(part)
            }
        } catch {
            await abortLocked()
            throw error
        }
    }

    /// Sends the last part and completes the upload: only now does the object appear.
    ///
    /// - Returns: The object's ETag, if the server sent one.
    /// - Throws: ``RemoteError`` from the requests (the upload is then aborted).
    /// - Complexity: waits for the parts in flight; one or two requests.
    @discardableResult
    public func finish() async throws -> String? {
        try enter()
        defer { busy = false }
        do {
            guard let uploadID else {
                let etag = try await store.put(buffer, to: address)
                buffer = []
                state = .finished
                return etag
            }
            if !buffer.isEmpty {
                let part = buffer
                buffer = []
                try await send(part)
            }
            try await drain(keeping: 0)
            if Task.isCancelled {
                throw RemoteError(.cancelled, address: address.description, message: "the task was cancelled")
            }
            // Not cancellable once sent: the object either appears or not, and we learn which.
            let store = self.store
            let address = self.address
            let etags = self.etags
            let etag = try await Task { try await store.completeMultipartUpload(address, uploadID: uploadID, etags: etags) }.value
            state = .finished
            return etag
        } catch {
            await abortLocked()
            throw error
        }
    }

    /// Abandons the upload: cancels the parts in flight and deletes the upload and its parts.
    /// Does nothing after ``finish()`` succeeded or a previous abort.
    ///
    /// - Complexity: waits for the parts in flight to stop; one request.
    public func abort() async {
        await abortLocked()
    }

    private func enter() throws {
        guard !busy else { preconditionFailure("S3MultipartUpload calls must not overlap") }
        guard state == .open else {
            throw RemoteError(.invalidAddress, address: address.description, message: "the upload is already finished or aborted")
        }
        if Task.isCancelled {
            throw RemoteError(.cancelled, address: address.description, message: "the task was cancelled")
        }
        busy = true
    }

    private func send(_ part: [UInt8]) async throws {
        if Task.isCancelled {
            throw RemoteError(.cancelled, address: address.description, message: "the task was cancelled")
        }
        if uploadID == nil {
            // Not cancellable once sent: an upload created on the server whose ID we never learned
            // could not be aborted. A cancellation is seen right after, with the ID known.
            let store = self.store
            let address = self.address
            uploadID = try await Task { try await store.initiateMultipartUpload(address) }.value
            if Task.isCancelled {
                throw RemoteError(.cancelled, address: address.description, message: "the task was cancelled")
            }
        }
        let number = etags.count + inFlight.count + 1
        guard number <= S3ObjectStore.maximumParts else {
            throw RemoteError(
                .tooLarge, address: address.description,
                message: "more than \(S3ObjectStore.maximumParts) parts: raise partSize")
        }
        try await drain(keeping: partsInFlight - 1)
        let store = self.store
        let address = self.address
        let uploadID = self.uploadID!
        inFlight.append(Task { try await store.uploadPart(address, uploadID: uploadID, number: number, bytes: part) })
    }

    /// Waits for the oldest parts until at most `keeping` are in flight.
    private func drain(keeping: Int) async throws {
        while inFlight.count > keeping {
            let task = inFlight.removeFirst()
            let etag = try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                task.cancel()
            }
            etags.append(etag)
        }
    }

    private func abortLocked() async {
        guard state == .open else { return }
        state = .aborted
        for task in inFlight { task.cancel() }
        for task in inFlight { _ = try? await task.value }
        inFlight = []
        buffer = []
        if let uploadID {
            // Delete the parts even when the caller was cancelled.
            let store = self.store
            let address = self.address
            await Task.detached { try? await store.abortMultipartUpload(address, uploadID: uploadID) }.value
        }
    }
}
