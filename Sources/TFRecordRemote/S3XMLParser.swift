/// A small XML parser for S3's answers, written for untrusted input.
///
/// It accepts what S3-compatible servers send (an XML declaration, elements with attributes, text,
/// the five predefined entities, numeric character references, CDATA, comments) and refuses the
/// rest: any DOCTYPE (no entity expansion or external entities, so "billion laughs" and XXE cannot
/// happen), unknown entities, mismatched tags, nesting deeper than ``maximumDepth``, more than
/// ``maximumElements`` elements, content after the root. Input size is bounded by the caller.
struct S3XMLParser {
    /// The deepest nesting accepted.
    static let maximumDepth = 32
    /// The most elements accepted in one document.
    static let maximumElements = 1_000_000

    /// Why a document was refused.
    struct Failure: Error, Equatable {
        /// What was wrong, with the byte offset.
        var message: String
    }

    private let bytes: [UInt8]
    private var position = 0
    private var elementCount = 0

    /// Parses a whole document and returns its root element.
    ///
    /// - Throws: ``Failure`` for anything outside the accepted subset.
    /// - Complexity: O(n).
    static func parse(_ bytes: [UInt8]) throws(Failure) -> S3XMLElement {
        var parser = S3XMLParser(bytes: bytes)
        return try parser.document()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private func fail(_ message: String) -> Failure {
        Failure(message: "\(message) at byte \(position)")
    }

    private mutating func document() throws(Failure) -> S3XMLElement {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        try skipMisc()
        guard position < bytes.count else { throw fail("empty document") }
        let root = try element(depth: 1)
        try skipMisc()
        guard position == bytes.count else { throw fail("content after the root element") }
        return root
    }

    /// Skips whitespace, the XML declaration, processing instructions and comments; refuses DOCTYPE.
    private mutating func skipMisc() throws(Failure) {
        while true {
            skipWhitespace()
            if starts("<?") {
                try skip(past: Array("?>".utf8))
            } else if starts("<!--") {
                try skip(past: Array("-->".utf8))
            } else if starts("<!") {
                throw fail("DOCTYPE and entity declarations are refused")
            } else {
                return
            }
        }
    }

    private mutating func element(depth: Int) throws(Failure) -> S3XMLElement {
        guard depth <= Self.maximumDepth else { throw fail("elements nested deeper than \(Self.maximumDepth)") }
        elementCount += 1
        guard elementCount <= Self.maximumElements else { throw fail("more than \(Self.maximumElements) elements") }
        guard consume(UInt8(ascii: "<")) else { throw fail("expected '<'") }
        let qualifiedName = try name()
        var selfClosing = false
        // Attributes: name = "value" | 'value', skipped.
        while true {
            skipWhitespace()
            guard position < bytes.count else { throw fail("unterminated start tag") }
            if consume(UInt8(ascii: ">")) { break }
            if starts("/>") {
                position += 2
                selfClosing = true
                break
            }
            _ = try name()
            skipWhitespace()
            guard consume(UInt8(ascii: "=")) else { throw fail("expected '=' in an attribute") }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'")
            else { throw fail("expected a quoted attribute value") }
            let quote = bytes[position]
            position += 1
            guard let end = bytes[position...].firstIndex(of: quote) else { throw fail("unterminated attribute value") }
            if bytes[position..<end].contains(UInt8(ascii: "<")) { throw fail("'<' in an attribute value") }
            position = end + 1
        }
        var result = S3XMLElement(name: Self.localName(qualifiedName), text: "", children: [])
        if selfClosing { return result }
        var text: [UInt8] = []
        while true {
            guard position < bytes.count else { throw fail("unterminated element <\(qualifiedName)>") }
            if starts("</") {
                position += 2
                let closing = try name()
                guard closing == qualifiedName else { throw fail("</\(closing)> closes <\(qualifiedName)>") }
                skipWhitespace()
                guard consume(UInt8(ascii: ">")) else { throw fail("expected '>'") }
                break
            } else if starts("<![CDATA[") {
                position += 9
                let start = position
                try skip(past: Array("]]>".utf8))
                text.append(contentsOf: bytes[start..<(position - 3)])
            } else if starts("<!--") {
                try skip(past: Array("-->".utf8))
            } else if starts("<?") {
                try skip(past: Array("?>".utf8))
            } else if starts("<!") {
                throw fail("DOCTYPE and entity declarations are refused")
            } else if bytes[position] == UInt8(ascii: "<") {
                result.children.append(try element(depth: depth + 1))
            } else if bytes[position] == UInt8(ascii: "&") {
                try reference(into: &text)
            } else {
                text.append(bytes[position])
                position += 1
            }
        }
        guard let decoded = String(validating: text, as: UTF8.self) else { throw fail("text is not UTF-8") }
        result.text = decoded
        return result
    }

    private mutating func reference(into text: inout [UInt8]) throws(Failure) {
        guard let semicolon = bytes[position...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
            throw fail("unterminated entity reference")
        }
        let body = String(decoding: bytes[(position + 1)..<semicolon], as: UTF8.self)
        switch body {
        case "lt": text.append(UInt8(ascii: "<"))
        case "gt": text.append(UInt8(ascii: ">"))
        case "amp": text.append(UInt8(ascii: "&"))
        case "quot": text.append(UInt8(ascii: "\""))
        case "apos": text.append(UInt8(ascii: "'"))
        default:
            guard body.hasPrefix("#") else { throw fail("unknown entity '&\(body);'") }
            let digits = body.dropFirst()
            let value: UInt32?
            if digits.hasPrefix("x") || digits.hasPrefix("X") {
                value = UInt32(digits.dropFirst(), radix: 16)
            } else {
                value = UInt32(digits, radix: 10)
            }
            guard let value, value != 0, let scalar = Unicode.Scalar(value) else {
                throw fail("invalid character reference '&\(body);'")
            }
            text.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        position = semicolon + 1
    }

    private mutating func name() throws(Failure) -> String {
        let start = position
        while position < bytes.count {
            let byte = bytes[position]
            let isNameByte = byte >= 0x80 || URIEncoding.isUnreserved(byte) || byte == UInt8(ascii: ":")
            guard isNameByte else { break }
            position += 1
        }
        guard position > start, position - start <= 256 else { throw fail("expected a name of 1 to 256 bytes") }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private static func localName(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    private func starts(_ text: String) -> Bool {
        bytes[position...].starts(with: text.utf8)
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func skip(past terminator: [UInt8]) throws(Failure) {
        var index = position
        while index + terminator.count <= bytes.count {
            if bytes[index..<(index + terminator.count)].elementsEqual(terminator) {
                position = index + terminator.count
                return
            }
            index += 1
        }
        throw fail("unterminated construct")
    }
}
