#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Creates the `ByteSource` that decompresses `compression` from the open file `fd`.
///
/// Owns `fd` from here on (closes it on failure). Plain (`.none`) input is read with `read(2)`.
/// - Throws: `TFRecordError.invalidArgument` for a compression this build cannot read.
func makeDecompressingSource(_ compression: Compression, fd: Int32, path: String,
                             options: ReadOptions) throws(TFRecordError) -> ByteSource {
    switch compression {
    case .none:
        return FileByteSource(fd: fd, path: path)
    case .gzip, .zlib, .lz4:
        Glibc.close(fd)
        throw TFRecordError(.invalidArgument, "reading \(compression) files is not supported yet", path: path)
    }
}
