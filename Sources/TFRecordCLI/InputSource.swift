import TFRecord
import TFRecordRemote

/// One input of a reading command: a local file, or an object in storage (`s3://`, `gs://`,
/// `http(s)://`) found by expanding an address (with the listing it came from, where its
/// sidecar is looked up).
enum InputSource {
    case file(String)
    case object(RemoteShards, Int)

    /// The path or address, as printed.
    var name: String {
        switch self {
        case .file(let path): path
        case .object(let shards, let k): shards.objects[k].name
        }
    }

    /// The remote object, or nil for a local file.
    var object: RemoteObject? {
        if case .object(let shards, let k) = self { return shards.objects[k] }
        return nil
    }

    /// The size in bytes, when known (for progress).
    var size: Int? {
        switch self {
        case .file(let path): FileInfo.size(path)
        case .object(let shards, let k): Int(shards.objects[k].byteCount)
        }
    }

    /// A sequential reader of the input (any compression, every CRC checked).
    /// - Throws: `TFRecordError` when it cannot be opened.
    func reader(options: ReadOptions) throws(TFRecordError) -> RecordReader {
        switch self {
        case .file(let path): try RecordReader(path: path, options: options)
        case .object(let shards, let k): try RecordReader(object: shards.objects[k], options: options)
        }
    }

    /// Expands the command line's inputs in order: local paths as `InputPaths.expand` does,
    /// addresses by `RemoteShards.expand` (listing prefixes, globs and `-of-` sets).
    /// - Throws: `TFRecordError` or `RemoteError` for an input that matches nothing or cannot be read.
    static func expand(_ arguments: [String]) throws -> [InputSource] {
        var sources: [InputSource] = []
        for argument in arguments {
            if RemoteShards.isAddress(argument) {
                let client = try RemoteAccess.client()
                let shards = try RemoteAccess.wait { try await RemoteShards.expand([argument], client: client) }
                sources += shards.objects.indices.map { .object(shards, $0) }
            } else {
                sources += try InputPaths.expand([argument]).map { .file($0) }
            }
        }
        return sources
    }
}
