import TFRecord
#if canImport(Glibc)
import Glibc
#endif

/// Writes diagnostics to stderr, one line each, as `PATH: error: message`.
enum Diagnostics {
    /// Prints `error` as `PATH: error: message`.
    static func error(_ error: TFRecordError) {
        var body = error
        let path = body.path
        body.path = nil
        if let path {
            line("\(path): error: \(body.description)")
        } else {
            line("error: \(body.description)")
        }
    }

    /// Prints one line to stderr.
    static func line(_ text: String) {
        let line = text + "\n"
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
