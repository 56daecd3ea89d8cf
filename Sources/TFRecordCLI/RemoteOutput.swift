import TFRecord
import TFRecordRemote

/// Writing commands' object-storage outputs (`s3://bucket/key`): the client, its sinks and
/// publishers, and the local staging folder shards are written in before they are uploaded.
/// The commands run on the main thread, outside Swift concurrency's pool, so the blocking
/// bridges of `TFRecordRemote` may be used here.
final class RemoteOutput {
    /// The client, made from the environment (`AWS_*`, `~/.aws`; see docs/REMOTE.md).
    let client: RemoteClient
    /// The output as written.
    let address: ObjectAddress
    private var stagingFolder: String?

    /// Whether `output` names an object address rather than a local path.
    static func isRemote(_ output: String) -> Bool {
        output.hasPrefix("s3://") || output.hasPrefix("gs://") || output.hasPrefix("http://") || output.hasPrefix("https://")
    }

    /// Parses `output` and makes a client.
    /// - Throws: `TFRecordError.invalidArgument` (exit 2) for a bad address or configuration,
    ///   or an address that cannot be written (only `s3://` can).
    init(_ output: String) throws(TFRecordError) {
        do {
            address = try ObjectAddress(output)
            guard address.scheme == .s3 else {
                throw TFRecordError(.invalidArgument, "cannot write here: writing needs an s3:// address (HTTP(S) and gs:// are read-only)",
                                    path: output)
            }
            client = try RemoteClient(configuration: RemoteConfiguration.resolve())
        } catch let error as RemoteError {
            throw error.tfRecordError(naming: output)
        } catch let error as TFRecordError {
            throw error
        } catch {
            throw TFRecordError(.invalidArgument, "\(error)", path: output)
        }
    }

    /// A writer of one object at the address (`convert`, `generate`).
    func recordWriter(options: WriteOptions) throws(TFRecordError) -> RecordWriter {
        try RecordWriter(sink: try ObjectUploadSink(client: client, address: address), name: address.description, options: options)
    }

    /// A publisher into the address as a folder, and a new local staging folder for the shards
    /// (`$TMPDIR`, else `/tmp`; removed by `close()`).
    func shardPublisher() throws(TFRecordError) -> (publisher: ObjectShardPublisher, staging: String) {
        let publisher = try ObjectShardPublisher(client: client, prefix: address)
        let base = SystemCalls.environment("TMPDIR").flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let folder = base + "/.tfrecord-staging-\(SystemCalls.processID)-\(String(UInt64.random(in: .min ... .max), radix: 36))"
        try SystemCalls.makeNewDirectory(folder)
        stagingFolder = folder
        return (publisher, folder)
    }

    /// Removes the staging folder (empty once the shard writer finished or was abandoned) and
    /// closes the client's connections.
    func close() {
        if let stagingFolder { SystemCalls.removeDirectory(stagingFolder) }
        stagingFolder = nil
        try? client.syncShutdown()
    }
}
