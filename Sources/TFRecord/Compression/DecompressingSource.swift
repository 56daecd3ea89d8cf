/// Creates the `ByteSource` that decompresses `compression` from the open file `fd`, which it
/// takes over.
///
/// Plain (`.none`) input is read with `read(2)`.
/// - Throws: `TFRecordError.compression` when the decompressor cannot be set up; `.io` naming
///   the file when its first bytes (the blocked GZIP header probe) cannot be read.
func makeDecompressingSource(_ compression: Compression, fd: consuming FileDescriptor, path: String,
                             options: ReadOptions, consumed: [UInt8]? = nil) throws(TFRecordError) -> ByteSource {
    try makeDecompressingSource(compression, input: FileInput(fd: fd, path: path), options: options, consumed: consumed)
}

/// Creates the `ByteSource` that decompresses `compression` from `input` (a local file or a
/// stored object), read from its start.
/// - Parameter consumed: the first bytes of a stream that were already read (sequential sources
///   only, fed those bytes first).
/// - Throws: `TFRecordError.compression` when the decompressor cannot be set up.
func makeDecompressingSource(_ compression: Compression, input: any ByteInput,
                             options: ReadOptions, consumed: [UInt8]? = nil) throws(TFRecordError) -> ByteSource {
    if let consumed {
        switch compression {
        case .none:
            return FileByteSource(input: input, consumed: consumed)
        case .gzip, .zlib:
            return try GzipZlibSource(input: input, format: compression, bufferSize: options.bufferSize,
                                      engine: options.inflateEngine, consumed: consumed)
        case .lz4:
            return try LZ4FrameSource(input: input, bufferSize: options.bufferSize, consumed: consumed)
        }
    }
    switch compression {
    case .none:
        return FileByteSource(input: input)
    case .gzip:
        var header = [UInt8](repeating: 0, count: BlockedGzipFormat.headerSize)
        // A failed read is an `.io` error naming the file, not "no blocked header".
        let n = try header.withMutableBytes { (buffer) throws(TFRecordError) in
            try input.read(into: buffer, at: 0)
        }
        if n == header.count, header.withUnsafeBytes({ BlockedGzipFormat.memberSize(header: $0) }) != nil {
            return try BlockedGzipSource(input: input, threads: options.decompressionThreads,
                                         bufferSize: options.bufferSize)
        }
        return try GzipZlibSource(input: input, format: compression, bufferSize: options.bufferSize,
                                  engine: options.inflateEngine)
    case .zlib:
        return try GzipZlibSource(input: input, format: compression, bufferSize: options.bufferSize,
                                  engine: options.inflateEngine)
    case .lz4:
        return try LZ4FrameSource(input: input, bufferSize: options.bufferSize)
    }
}
