#if canImport(Glibc)
import Glibc
#endif

/// File facts the commands need.
enum FileInfo {
    /// The size of the file at `path`, or nil when it cannot be read.
    static func size(_ path: String) -> Int? {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : nil
    }
}
