import Foundation
import TFRecord

/// A `ShardPublisher` that uploads a `ShardWriter`'s finished shards under an S3 prefix: set it
/// as `ShardWriterOptions.publisher` and the shards (and their sidecars) land at
/// `s3://bucket/prefix/<name>` instead of staying in the local folder.
///
/// ```swift
/// var options = ShardWriterOptions(directory: stagingFolder, recordsPerShard: 4096, write: WriteOptions(compression: .gzip))
/// options.publisher = try ObjectShardPublisher(client: client, prefix: ObjectAddress("s3://bucket/train/"))
/// let shards = try ShardWriter(options: options)   // write(...), finish(): call from a thread, not a Task
/// ```
///
/// Each shard is uploaded from its local staging file through a multipart upload (parts of the
/// client's `partSize`, `partsInFlight` at once; several shards at once, one per shard worker),
/// completed only when the whole shard is sent, so no object appears under a shard's name
/// before it is complete, and a failed upload is aborted. The sidecar is uploaded after its
/// shard's upload completed, so a reader never sees a sidecar without its shard. The bytes are
/// the local writer's, byte for byte.
public struct ObjectShardPublisher: ShardPublisher {
    /// The prefix shards are written under (`s3://bucket/train/`; a key ends with `/`, or is empty).
    public let prefix: ObjectAddress
    private let client: RemoteClient
    /// Bytes read from a staging file per write into the upload.
    static let chunkSize = 1 << 20

    /// A publisher into `prefix`, a folder-like S3 prefix: `s3://bucket/train` is taken as
    /// `s3://bucket/train/`, `s3://bucket` as the bucket's top level.
    /// - Throws: `TFRecordError.invalidArgument` for an address that is not `s3://`.
    /// - Complexity: O(1).
    public init(client: RemoteClient, prefix: ObjectAddress) throws(TFRecordError) {
        guard prefix.scheme == .s3 else {
            throw TFRecordError(.invalidArgument, "cannot write here: writing needs an s3:// address (HTTP(S) and gs:// are read-only)",
                                path: prefix.description)
        }
        var folder = prefix
        if !prefix.key.isEmpty && !prefix.key.hasSuffix("/") {
            do {
                folder = try ObjectAddress(scheme: .s3, bucket: prefix.bucket, key: prefix.key + "/")
            } catch {
                throw error.tfRecordError(naming: prefix.description)
            }
        }
        self.prefix = folder
        self.client = client
    }

    /// `s3://bucket/prefix/name`.
    public func location(of name: String) -> String {
        "s3://\(prefix.bucket)/\(prefix.key)\(name)"
    }

    /// The names of the objects already under the prefix (a listing; for the CLI's check that
    /// an output is empty). Blocks: call it outside the cooperative pool.
    /// - Throws: `TFRecordError.io` naming the prefix.
    /// - Complexity: one request per 1,000 objects.
    public func existingNames() throws(TFRecordError) -> [String] {
        let client = self.client
        let prefix = self.prefix
        do {
            let objects = try Blocking.wait { try await client.s3.list(prefix) }
            return objects.map { String($0.address.key.dropFirst(prefix.key.count)) }
        } catch {
            throw RemoteError.tfRecordError(error, address: prefix.description)
        }
    }

    /// Uploads the shard, then (when given) its sidecar.
    /// - Throws: `TFRecordError.io` naming the object that failed (an aborted upload leaves
    ///   nothing under its name; a failed sidecar leaves the shard without one, which readers
    ///   report or rebuild).
    /// - Complexity: the file sizes, read in 1 MiB chunks; memory about `partsInFlight + 2` parts.
    public func publish(shard: String, sidecar: String?, as name: String, sidecarName: String) throws(TFRecordError) {
        try upload(file: shard, as: name)
        if let sidecar { try upload(file: sidecar, as: sidecarName) }
    }

    private func upload(file path: String, as name: String) throws(TFRecordError) {
        let location = location(of: name)
        let address: ObjectAddress
        do {
            address = try ObjectAddress(scheme: .s3, bucket: prefix.bucket, key: prefix.key + name)
        } catch {
            throw error.tfRecordError(naming: location)
        }
        let sink = try ObjectUploadSink(client: client, address: address)
        guard let input = FileHandle(forReadingAtPath: path) else {
            sink.abandon()
            throw TFRecordError(.io, "cannot open the staged file \(path) to upload it", path: location)
        }
        defer { try? input.close() }
        do throws(TFRecordError) {
            while true {
                let chunk: Data
                do {
                    guard let read = try input.read(upToCount: Self.chunkSize), !read.isEmpty else { break }
                    chunk = read
                } catch {
                    throw TFRecordError(.io, "reading the staged file \(path): \(error)", path: location)
                }
                try sink.write([UInt8](chunk))
            }
            try sink.finish()
        } catch {
            sink.abandon()
            throw error
        }
    }
}
