#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Creates the `ByteSource` that decompresses `compression` from the open file `fd`.
///
/// Owns `fd` from here on (closes it on failure). Plain (`.none`) input is read with `read(2)`.
/// - Throws: `TFRecordError.compression` when the decompressor cannot be set up.
func makeDecompressingSource(_ compression: Compression, fd: Int32, path: String,
                             options: ReadOptions) throws(TFRecordError) -> ByteSource {
    switch compression {
    case .none:
        return FileByteSource(fd: fd, path: path)
    case .gzip, .zlib:
        return try GzipZlibSource(fd: fd, path: path, format: compression, bufferSize: options.bufferSize)
    case .lz4:
        return try LZ4FrameSource(fd: fd, path: path, bufferSize: options.bufferSize)
    }
}
