/// Creates the `ByteSource` that decompresses `compression` from the open file `fd`, which it
/// takes over.
///
/// Plain (`.none`) input is read with `read(2)`.
/// - Throws: `TFRecordError.compression` when the decompressor cannot be set up; `.io` naming
///   the file when its first bytes (the blocked GZIP header probe) cannot be read.
func makeDecompressingSource(_ compression: Compression, fd: consuming FileDescriptor, path: String,
                             options: ReadOptions, consumed: [UInt8]? = nil) throws(TFRecordError) -> ByteSource {
    if let consumed {
        // A stream whose first bytes were already read: sequential sources only, fed those
        // bytes first.
        switch compression {
        case .none:
            return FileByteSource(fd: fd, path: path, consumed: consumed)
        case .gzip, .zlib:
            return try GzipZlibSource(fd: fd, path: path, format: compression, bufferSize: options.bufferSize,
                                      engine: options.inflateEngine, consumed: consumed)
        case .lz4:
            return try LZ4FrameSource(fd: fd, path: path, bufferSize: options.bufferSize, consumed: consumed)
        }
    }
    switch compression {
    case .none:
        return FileByteSource(fd: fd, path: path)
    case .gzip:
        var header = [UInt8](repeating: 0, count: BlockedGzipFormat.headerSize)
        // A failed read is an `.io` error naming the file, not "no blocked header".
        let raw = fd.raw
        let n = try header.withMutableBytes { (buffer) throws(TFRecordError) in
            try SystemCalls.pread(raw, buffer, at: 0, path: path)
        }
        if n == header.count, header.withUnsafeBytes({ BlockedGzipFormat.memberSize(header: $0) }) != nil {
            return try BlockedGzipSource(fd: fd, path: path, threads: options.decompressionThreads,
                                         bufferSize: options.bufferSize)
        }
        return try GzipZlibSource(fd: fd, path: path, format: compression, bufferSize: options.bufferSize,
                                  engine: options.inflateEngine)
    case .zlib:
        return try GzipZlibSource(fd: fd, path: path, format: compression, bufferSize: options.bufferSize,
                                  engine: options.inflateEngine)
    case .lz4:
        return try LZ4FrameSource(fd: fd, path: path, bufferSize: options.bufferSize)
    }
}
