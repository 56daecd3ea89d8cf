/// How a `RecordWriter` writes a file.
public struct WriteOptions: Sendable {
    /// The compression of the file.
    public var compression: Compression
    /// Bytes buffered before a write to the file (TensorFlow's default: 256 KiB).
    public var bufferSize: Int
    /// Write under a temporary name in the same folder and rename into place at `close()`, so a
    /// crash never leaves a partial file under the final name. When false, the file is written
    /// in place as TensorFlow does.
    public var atomic: Bool
    /// `fsync` the file before it is closed (and renamed).
    public var sync: Bool
    /// The deflate parameters of GZIP and ZLIB files (TensorFlow's `TFRecordOptions` knobs,
    /// TensorFlow's defaults).
    public var zlib = ZlibOptions()

    /// Options with TensorFlow's defaults (uncompressed, 256 KiB buffer), written atomically.
    public init(compression: Compression = .none, bufferSize: Int = 256 << 10, atomic: Bool = true, sync: Bool = false) {
        self.compression = compression
        self.bufferSize = bufferSize
        self.atomic = atomic
        self.sync = sync
    }
}
