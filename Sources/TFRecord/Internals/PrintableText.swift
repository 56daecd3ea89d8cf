/// Text from untrusted input (file names, feature names) made safe to print on one terminal
/// line: control characters — newline, carriage return, ESC and the other C0/C1 codes, DEL — and
/// the backslash are escaped as JSON escapes them (`\n`, `\u001b`, `\\`), so a name cannot start
/// a forged diagnostic line or send terminal escape sequences.
package enum PrintableText {
    /// `text` with control characters and backslashes escaped; unchanged when it has none.
    /// - Complexity: O(length).
    package static func escaping(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where needsEscape(scalar):
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar == "\\" || (0x7f...0x9f).contains(scalar.value)
    }
}
