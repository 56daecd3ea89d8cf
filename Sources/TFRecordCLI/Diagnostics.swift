import TFRecord
import TFRecordExample
/// Writes diagnostics to stderr, one line each, as `PATH: error: message`. Paths and details
/// come from untrusted input (file names, feature names), so control characters in them are
/// escaped (`PrintableText`): a file named `x\nfake: error: ...` cannot forge a second line.
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

    /// Prints one line to stderr, control characters in `text` escaped.
    static func line(_ text: String) {
        try? Output.diagnostics.write(PrintableText.escaping(text) + "\n")
    }

    /// Prints `text` as it is (the argument parser's multi-line usage messages).
    static func verbatim(_ text: String) {
        try? Output.diagnostics.write(text + "\n")
    }
}
