/// Creates the sink that compresses into `file` as `options.compression` says.
/// - Throws: `TFRecordError.invalidArgument` for parameters the compressor refuses.
func makeCompressingSink(into file: FileSink, options: WriteOptions) throws(TFRecordError) -> RecordSink {
    switch options.compression {
    case .none:
        return file
    case .gzip, .zlib:
        return try ZlibSink(file: file, compression: options.compression, options: options.zlib)
    case .lz4:
        return try LZ4FrameSink(file: file)
    }
}
