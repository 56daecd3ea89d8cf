/// How a `RecordReader` reads a file.
public struct ReadOptions: Sendable {
    /// The file's compression, or nil to detect it from the first bytes (TensorFlow cannot).
    public var compression: Compression?
    /// Check every payload CRC (length CRCs are always checked).
    public var verifyingChecksums: Bool
    /// Read uncompressed files through a memory map (fastest). Set to false for files that other
    /// processes may truncate while they are read: `read(2)` is used instead, which cannot fault.
    public var useMemoryMap: Bool
    /// Recovery mode: after damage, skip to the next intact record instead of stopping, and
    /// report each skipped byte range (see `RecordReader.onSkip`). Off by default (strict mode:
    /// the first damage is thrown, as TensorFlow does).
    public var skipCorrupt: Bool
    /// Bytes read from a compressed file, or from a plain file without the map, at a time.
    public var bufferSize: Int
    /// Workers decompressing a blocked GZIP file (`WriteOptions.blockSize`) in parallel; 0 (the
    /// default) uses every core. Other files are decompressed on the reading thread.
    public var decompressionThreads = 0
    /// The largest payload a reader will buffer, in bytes (default `defaultMaxRecordSize`, 1 GiB).
    /// A record whose header claims more is refused at once, before any of it is buffered, with
    /// an error naming the file, record and offset: a few KB of GZIP can claim a terabyte of
    /// zeros. Applies where a record must be copied out of a stream (compressed files, or plain
    /// files read without the map); a mapped plain file is read in place and needs no cap.
    public var maxRecordSize = ReadOptions.defaultMaxRecordSize
    /// 1 GiB: the default `maxRecordSize` (TensorFlow's own records are far smaller; raise it
    /// for a file of bigger ones).
    public static let defaultMaxRecordSize = 1 << 30
    /// The inflate engine of one-stream GZIP/ZLIB files: ISA-L (fast; zlib redoes any member
    /// where something goes wrong) or zlib alone (the reference).
    var inflateEngine: GzipZlibSource.Engine = .isal

    /// Options with TensorFlow's defaults: detected compression, every checksum verified.
    public init(compression: Compression? = nil, verifyingChecksums: Bool = true, useMemoryMap: Bool = true,
                bufferSize: Int = 256 << 10, skipCorrupt: Bool = false) {
        self.skipCorrupt = skipCorrupt
        self.compression = compression
        self.verifyingChecksums = verifyingChecksums
        self.useMemoryMap = useMemoryMap
        self.bufferSize = bufferSize
    }
}
