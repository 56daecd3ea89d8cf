import TFRecord

/// Writes JSON in one of `ExampleJSON.Style`'s layouts, escaping as Python's `json.dumps`
/// (`ensure_ascii=True`).
///
/// With a `sink`, the text is handed over in pieces of about `pieceSize` bytes as it grows, so a
/// record of any size is written in bounded memory (bytes values are base64-encoded in pieces).
struct JSONWriter {
    let style: ExampleJSON.Style
    var text = ""
    var depth = 0
    /// Receives the text in pieces; nil keeps it all in `text`.
    let sink: ((String) -> Void)?
    /// About how much text is held before it goes to `sink`.
    static let pieceSize = 64 << 10

    init(style: ExampleJSON.Style, sink: ((String) -> Void)? = nil) {
        self.style = style
        self.sink = sink
    }

    mutating func raw(_ value: String) {
        text += value
        if sink != nil && text.utf8.count >= Self.pieceSize { drain() }
    }

    /// Hands what is held to `sink` (nothing without one).
    mutating func drain() {
        guard let sink, !text.isEmpty else { return }
        sink(text)
        text = ""
    }

    /// `bytes` as a base64 JSON string, encoded (and handed to `sink`) in pieces.
    mutating func base64String(_ bytes: [UInt8]) {
        text += "\""
        bytes.withUnsafeBytes { all in
            let step = Self.pieceSize / 4 * 3   // a multiple of 3: no padding inside
            var start = 0
            repeat {
                let end = min(all.count, start + step)
                raw(Base64.encode(UnsafeRawBufferPointer(rebasing: all[start..<end])))
                start = end
            } while start < all.count
        }
        text += "\""
    }

    /// An array of `count` elements, each written by `element(i, &writer)` (no closure per
    /// element, so a list of millions of values costs no more than its text).
    mutating func array(count: Int, _ element: (Int, inout JSONWriter) -> Void) {
        guard count > 0 else { text += "[]"; return }
        text += "["
        depth += 1
        for i in 0..<count {
            if i > 0 { text += itemSeparator }
            newline()
            element(i, &self)
            if sink != nil && text.utf8.count >= Self.pieceSize { drain() }
        }
        depth -= 1
        newline()
        text += "]"
    }

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
