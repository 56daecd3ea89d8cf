import CSupport

/// Owns one ISA-L (igzip) streaming inflater (`csupport_isal_inflater`).
final class IsalInflater {
    private let handle: OpaquePointer

    /// An inflater for gzip members (`zlib` false) or zlib streams.
    /// - Throws: `TFRecordError.compression` without memory.
    init(zlib: Bool) throws(TFRecordError) {
        guard let handle = csupport_isal_inflater_create(zlib ? 1 : 0) else {
            throw TFRecordError(.compression, "cannot allocate an ISA-L inflater")
        }
        self.handle = handle
    }

    deinit { csupport_isal_inflater_free(handle) }

    /// Makes it ready for the next member / stream.
    func reset() { csupport_isal_inflater_reset(handle) }

    /// Inflates from `input` into `output`.
    /// - Returns: bytes consumed and produced, whether the member's trailer was read and checked,
    ///   and 0 or a negative ISA-L error.
    func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
        -> (consumed: Int, produced: Int, finished: Bool, status: Int32) {
        var consumed = 0
        var produced = 0
        var finished: Int32 = 0
        let status = csupport_isal_inflate(handle, input.baseAddress, input.count, &consumed,
                                           output.baseAddress, output.count, &produced, &finished)
        return (consumed, produced, finished != 0, status)
    }
}
