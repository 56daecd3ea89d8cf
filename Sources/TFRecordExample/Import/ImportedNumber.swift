/// A JSON number as an import stores it, checked so that no value changes silently.
///
/// An integer literal (no `.`, no exponent) becomes an int64 and must fit one:
/// `18446744073709551616` and `-9223372036854775809` are refused rather than stored as a
/// rounded float. Any other number becomes a float32 and must stay finite and keep its sign of
/// zero: `1e39` and `1e400` (Infinity in a float32) and `1e-50` (a nonzero value that becomes 0)
/// are refused. Rounding to the nearest float32 (`0.1`) is what a float feature is, and is kept.
enum ImportedNumber: Equatable {
    case int64(Int64)
    case float(Float)
    /// Why the number cannot be stored, in a few words.
    case refused(String)

    /// Checks the JSON number literal `text`.
    init(_ text: String) {
        let isIntegerLiteral = !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
        if let i = Int64(text) {
            self = .int64(i)
        } else if isIntegerLiteral {
            self = .refused("integer \(text) does not fit an int64 (-9223372036854775808...9223372036854775807)")
        } else if let f = Float(text) {
            let mantissa = text.prefix(while: { $0 != "e" && $0 != "E" })
            if !f.isFinite {
                self = .refused("number \(text) overflows a float32 (largest \(Float.greatestFiniteMagnitude))")
            } else if f == 0 && mantissa.contains(where: { ("1"..."9").contains($0) }) {
                self = .refused("number \(text) underflows a float32 to 0 (smallest \(Float.leastNonzeroMagnitude))")
            } else {
                self = .float(f)
            }
        } else {
            self = .refused("number \(text) does not fit an int64 or a float")
        }
    }
}
