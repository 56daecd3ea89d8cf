import TFRecord
import TFRecordExample
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

    /// Prints `error` as `PATH: warning: message` (damage that was skipped on request).
    static func warning(_ error: TFRecordError) {
        var body = error
        let path = body.path
        body.path = nil
        line("\(path.map { "\($0): " } ?? "")warning: \(body.description)")
    }

    /// Prints one line to stderr.
    static func line(_ text: String) {
        try? Output.diagnostics.write(text + "\n")
    }
}
