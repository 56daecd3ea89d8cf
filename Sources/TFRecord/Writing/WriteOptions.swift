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
    /// Blocked mode (GZIP and LZ4 only; our extension of the format, still one file TensorFlow
    /// reads in full for GZIP): when set, records go into independent gzip members / LZ4 frames
    /// of about this many uncompressed bytes, cut at record boundaries, compressed in parallel
    /// and readable in parallel and from any member. nil (the default) writes one stream as
    /// TensorFlow does. `WriteOptions.defaultBlockSize` is 1 MiB.
    public var blockSize: Int?
    /// Workers compressing blocks in blocked mode; 0 (the default) uses every core. The file is
    /// the same whatever the count.
    public var compressionThreads = 0
    /// The compression level in blocked mode and for LZ4: zlib's -1...9 (-1 = 6) for GZIP; LZ4's
    /// 0...12 (0 = fast, 3 and above = LZ4 HC). For one-stream GZIP/ZLIB use `zlib`.
    public var level: Int?
    /// Uncompressed files: hand each full buffer to a background thread that writes it while
    /// the next records are framed (two buffers of `bufferSize`; the file is the same). For small
    /// records, where the kernel's copy into the page cache is most of the cost, this writes up
    /// to twice as many records per second on two cores. A failed write is then reported by the
    /// next `write`, `flush` or `close` (and `close` still removes an atomic writer's file).
    /// Off by default, as TensorFlow's writer: one thread.
    public var writesInBackground = false
    /// Compress blocked GZIP members with zlib instead of libdeflate (the reference; slower).
    var blockEngine: BlockCompressor.Engine = .libdeflate

    /// The block size of blocked mode when none is given: 1 MiB of uncompressed records.
    public static let defaultBlockSize = 1 << 20

    /// Options with TensorFlow's defaults (uncompressed, 256 KiB buffer), written atomically.
    public init(compression: Compression = .none, bufferSize: Int = 256 << 10, atomic: Bool = true, sync: Bool = false) {
        self.compression = compression
        self.bufferSize = bufferSize
        self.atomic = atomic
        self.sync = sync
    }
}
