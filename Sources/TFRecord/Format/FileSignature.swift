/// What a file that fails as TFRecord at its first record is, from its first bytes: a GZIP, ZLIB
/// or LZ4 file read as uncompressed, another compressor's file, JSON, an image, an index.
///
/// Used only on the error path of a scan that stopped at offset 0, so a valid TFRecord file is
/// never looked at; a damaged one is named only when its first bytes carry another format's
/// signature (a TFRecord length field of a record under 256 bytes cannot look like one).
enum FileSignature {
    /// A sentence that says what the bytes `head` (the start of a file, or of a decompressed
    /// stream when `decompressed`) are, or nil when they look like no other format.
    static func hint(_ head: UnsafeRawBufferPointer, decompressed: Bool) -> String? {
        let prefix = Array(head.prefix(16))
        let compression = Compression.detect(prefix: prefix)
        if compression != .none && (compression != .zlib || prefix[1] & 0x20 == 0) {
            let name = compression.rawValue.uppercased()
            if decompressed {
                return "the decompressed stream is itself \(name)-compressed (was the file compressed twice?): decompress one layer first"
            }
            return "this is a \(name)-compressed file, read as uncompressed TFRecord: open it with RecordReader or Dataset, which detect the compression (leave ReadOptions.compression nil)"
        }
        guard let kind = otherFormat(prefix) else { return nil }
        let what = decompressed ? "the decompressed stream is a \(kind.name) file" : "this is a \(kind.name) file"
        return "\(what), not a TFRecord file" + (kind.advice.map { ": \($0)" } ?? "")
    }

    /// A format recognised by its signature, with what to do about it.
    private static func otherFormat(_ b: [UInt8]) -> (name: String, advice: String?)? {
        func starts(_ signature: [UInt8]) -> Bool { b.count >= signature.count && Array(b[0..<signature.count]) == signature }
        if starts([0x28, 0xb5, 0x2f, 0xfd]) { return ("Zstandard-compressed", "decompress it first (TFRecord compression is GZIP or ZLIB)") }
        if starts(Array("BZh".utf8)) { return ("bzip2-compressed", "decompress it first (TFRecord compression is GZIP or ZLIB)") }
        if starts([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) { return ("XZ-compressed", "decompress it first (TFRecord compression is GZIP or ZLIB)") }
        if starts([0x50, 0x4b, 0x03, 0x04]) { return ("ZIP archive", "extract it first") }
        if starts([0xff, 0xd8, 0xff]) { return ("JPEG", nil) }
        if starts([0x89, 0x50, 0x4e, 0x47]) { return ("PNG", nil) }
        if starts(Array("TFRINDEX".utf8)) { return ("TFRecord index (.tfindex)", "open the shard it indexes") }
        // Text: JSON starts with `{` or `[` after white space; a length field of a TFRecord has
        // zero bytes in its high half, which text never has.
        guard !b.isEmpty, b.allSatisfy({ $0 >= 0x09 && $0 != 0x7f }) else { return nil }
        let first = b.first { $0 != 0x20 && $0 != 0x0a && $0 != 0x0d && $0 != 0x09 }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            return ("JSON", "make TFRecord shards from it with `tfrecord import`")
        }
        return ("text", nil)
    }
}
