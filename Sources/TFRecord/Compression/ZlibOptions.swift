import CSupport

/// The deflate parameters of a GZIP or ZLIB file: every knob of TensorFlow's
/// `tf.io.TFRecordOptions`, with TensorFlow's defaults.
///
/// With the defaults, a file written here is byte for byte the file TensorFlow writes (where
/// the same zlib is linked; see the conformance tests).
public struct ZlibOptions: Sendable, Equatable {
    /// zlib's `strategy` argument.
    public enum Strategy: Int32, Sendable, CaseIterable {
        /// `Z_DEFAULT_STRATEGY` (TensorFlow's default).
        case `default` = 0
        /// `Z_FILTERED`.
        case filtered = 1
        /// `Z_HUFFMAN_ONLY`.
        case huffmanOnly = 2
        /// `Z_RLE`.
        case rle = 3
        /// `Z_FIXED`.
        case fixed = 4
    }

    /// zlib's `flush` argument, used for every `deflate` call while records are written.
    public enum FlushMode: Int32, Sendable, CaseIterable {
        /// `Z_NO_FLUSH` (TensorFlow's default): best compression.
        case none = 0
        /// `Z_PARTIAL_FLUSH`.
        case partial = 1
        /// `Z_SYNC_FLUSH`.
        case sync = 2
        /// `Z_FULL_FLUSH`.
        case full = 3
    }

    /// `compression_level`: -1 (`Z_DEFAULT_COMPRESSION`, TensorFlow's default, zlib's 6) or 0...9.
    public var compressionLevel: Int
    /// `mem_level`: 1...9 (TensorFlow's default 9; zlib's own default is 8).
    public var memLevel: Int
    /// `compression_strategy`.
    public var strategy: Strategy
    /// `window_bits`, passed to `deflateInit2` verbatim as TensorFlow does, or nil for
    /// TensorFlow's default: 15 for ZLIB, 31 (15 + 16, the gzip wrapper) for GZIP. Note that an
    /// explicit value below 16 with GZIP makes a zlib-wrapped stream, exactly as in TensorFlow.
    public var windowBits: Int?
    /// `input_buffer_size`: bytes collected before `deflate` is called (default 256 KiB).
    public var inputBufferSize: Int
    /// `output_buffer_size`: bytes of compressed output collected before a write to the file
    /// (default 256 KiB; at least 2, as in TensorFlow).
    public var outputBufferSize: Int
    /// `flush_mode`, for every `deflate` call made while writing (default `.none`).
    /// `RecordWriter.flush()` always emits a `Z_PARTIAL_FLUSH` point, as TensorFlow's does.
    public var flushMode: FlushMode

    /// TensorFlow's defaults, each overridable.
    public init(compressionLevel: Int = -1, memLevel: Int = 9, strategy: Strategy = .default,
                windowBits: Int? = nil, inputBufferSize: Int = 256 << 10, outputBufferSize: Int = 256 << 10,
                flushMode: FlushMode = .none) {
        self.compressionLevel = compressionLevel
        self.memLevel = memLevel
        self.strategy = strategy
        self.windowBits = windowBits
        self.inputBufferSize = inputBufferSize
        self.outputBufferSize = outputBufferSize
        self.flushMode = flushMode
    }

    /// The window bits given to `deflateInit2` for `compression`.
    func effectiveWindowBits(for compression: Compression) -> Int {
        windowBits ?? (compression == .gzip ? 15 + 16 : 15)
    }
}
