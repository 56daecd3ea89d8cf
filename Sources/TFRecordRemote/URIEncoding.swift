/// Percent-encoding as AWS Signature V4 defines it (and as botocore's `quote(..., safe='-_.~')` does):
/// every byte of the UTF-8 form except the unreserved `A-Z a-z 0-9 - _ . ~` becomes `%XX` with
/// upper-case hex; paths keep their `/`.
///
/// Used for the canonical request and for the URL actually sent, so both are always the same bytes.
enum URIEncoding {
    /// Encodes a query name or value: everything but the unreserved characters.
    ///
    /// - Complexity: O(n) in the UTF-8 length.
    static func encodeQueryComponent(_ text: String) -> String {
        encode(text, keepingSlash: false)
    }

    /// Encodes an object key for a URL path: per segment, the `/` between segments kept
    /// (botocore's `percent_encode(key, safe='/~')`).
    ///
    /// - Complexity: O(n) in the UTF-8 length.
    static func encodePath(_ text: String) -> String {
        encode(text, keepingSlash: true)
    }

    /// Percent-decodes `text`; `+` becomes a space when `plusIsSpace` (S3's `encoding-type=url`
    /// listings, decoded by botocore with `unquote_plus`). Returns `nil` for a malformed escape or
    /// bytes that are not UTF-8.
    ///
    /// - Complexity: O(n).
    static func decode(_ text: String, plusIsSpace: Bool) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            } else if byte == UInt8(ascii: "+") && plusIsSpace {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Whether `byte` is one of RFC 3986's unreserved characters.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// The value of an ASCII hex digit, or `nil`.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func encode(_ text: String, keepingSlash: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
