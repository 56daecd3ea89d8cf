import TFRecord

/// Writes JSON in one of `ExampleJSON.Style`'s layouts, escaping as Python's `json.dumps`
/// (`ensure_ascii=True`).
struct JSONWriter {
    let style: ExampleJSON.Style
    var text = ""
    var depth = 0

    init(style: ExampleJSON.Style) { self.style = style }

    mutating func raw(_ value: String) { text += value }

    mutating func newline() {
        if case .pretty(let indent) = style {
            text += "\n" + String(repeating: " ", count: indent * depth)
        }
    }

    var itemSeparator: String {
        switch style {
        case .compact: return ","
        case .python: return ", "
        case .pretty: return ","
        }
    }

    var keySeparator: String { style == .compact ? ":" : ": " }

    mutating func object(_ members: [(String, (inout JSONWriter) -> Void)]) {
        guard !members.isEmpty else { text += "{}"; return }
        text += "{"
        depth += 1
        for (i, (key, write)) in members.enumerated() {
            if i > 0 { text += itemSeparator }
            newline()
            string(key)
            text += keySeparator
            write(&self)
        }
        depth -= 1
        newline()
        text += "}"
    }

    mutating func array(_ elements: [(inout JSONWriter) -> Void]) {
        guard !elements.isEmpty else { text += "[]"; return }
        text += "["
        depth += 1
        for (i, write) in elements.enumerated() {
            if i > 0 { text += itemSeparator }
            newline()
            write(&self)
        }
        depth -= 1
        newline()
        text += "]"
    }

    mutating func string(_ value: String) {
        text += "\""
        for unit in value.utf16 {
            switch unit {
            case 0x22: text += "\\\""
            case 0x5c: text += "\\\\"
            case 0x0a: text += "\\n"
            case 0x0d: text += "\\r"
            case 0x09: text += "\\t"
            case 0x08: text += "\\b"
            case 0x0c: text += "\\f"
            case 0x20..<0x7f, 0x7f: text.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        text += "\""
    }
}
