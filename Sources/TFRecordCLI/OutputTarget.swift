import TFRecord

/// The checks every writing command makes on the path it writes before reading anything.
enum OutputTarget {
    /// Refuses `output` when it is one of `inputs` (the same file: same device and inode, links
    /// and other spellings of the path included), or anything but a regular file or nothing.
    /// - Throws: `TFRecordError.invalidArgument` (exit 2) naming `output`.
    static func check(_ output: String, against inputs: [String]) throws(TFRecordError) {
        try SystemCalls.checkReplaceable(output)
        guard let target = try? SystemCalls.statusIfExists(path: output) else { return }
        for input in inputs {
            guard let source = try? SystemCalls.status(path: input) else { continue }
            if source.isSameFile(as: target) {
                throw TFRecordError(.invalidArgument, "is the input \(input): refusing to write over it (give another output path)",
                                    path: output)
            }
        }
    }
}
