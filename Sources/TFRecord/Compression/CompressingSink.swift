/// Creates the sink that compresses into `file` (a local file or a caller's `ByteSink`) as `options.compression` says: one stream as
/// TensorFlow writes it, or independent blocks when `options.blockSize` is set.
/// - Throws: `TFRecordError.invalidArgument` for parameters the compressor refuses.
func makeCompressingSink(into file: ByteOutput, options: WriteOptions) throws(TFRecordError) -> RecordSink {
    if let blockSize = options.blockSize, options.compression != .none {
        guard options.compression != .zlib else {
            throw TFRecordError(.invalidArgument, "blocked mode is for GZIP and LZ4 (a ZLIB file holds one stream)", path: file.path)
        }
        let level = options.level ?? (options.compression == .gzip ? options.zlib.compressionLevel : 0)
        return try BlockedSink(file: file, compression: options.compression, blockSize: blockSize,
                               threads: options.compressionThreads, level: level, zlib: options.zlib,
                               engine: options.blockEngine)
    }
    switch options.compression {
    case .none:
        // Background writes are for files; a caller's sink gets the bytes on the writer's thread.
        if options.writesInBackground, let file = file as? FileSink {
            return BackgroundFileSink(file: file, capacity: options.bufferSize)
        }
        return file
    case .gzip, .zlib:
        return try ZlibSink(file: file, compression: options.compression, options: options.zlib)
    case .lz4:
        return try LZ4FrameSink(file: file, level: Int32(clamping: options.level ?? 0))
    }
}
