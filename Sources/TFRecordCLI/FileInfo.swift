import TFRecord

/// File facts the commands need.
enum FileInfo {
    /// The size of the file at `path`, or nil when it cannot be read.
    static func size(_ path: String) -> Int? {
        (try? SystemCalls.status(path: path)).map { Int($0.size) }
    }
}
