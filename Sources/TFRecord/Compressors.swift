/// Creates the sink that compresses into `file` as `options.compression` says.
/// - Throws: `TFRecordError.invalidArgument` for a compression this build cannot write.
func makeCompressingSink(into file: FileSink, options: WriteOptions) throws(TFRecordError) -> RecordSink {
    switch options.compression {
    case .none:
        return file
    case .gzip, .zlib, .lz4:
        throw TFRecordError(.invalidArgument, "writing \(options.compression) files is not supported yet", path: file.path)
    }
}
