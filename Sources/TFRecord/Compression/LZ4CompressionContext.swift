import CSupport

/// Owns one LZ4F compression context.
final class LZ4CompressionContext {
    /// The context; valid until `deinit`.
    let context: OpaquePointer

    /// - Throws: `TFRecordError.compression` when liblz4 cannot allocate it.
    init() throws(TFRecordError) {
        var ctx: OpaquePointer?
        let code = LZ4F_createCompressionContext(&ctx, UInt32(LZ4F_VERSION))
        guard csupport_lz4f_is_error(code) == 0, let ctx else {
            throw TFRecordError(.compression, "LZ4F_createCompressionContext failed")
        }
        context = ctx
    }

    deinit { LZ4F_freeCompressionContext(context) }
}
