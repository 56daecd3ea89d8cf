/// A parsed `Content-Range: bytes FIRST-LAST/TOTAL` header of a 206 answer (RFC 9110 §14.4).
struct ContentRange: Equatable, Sendable {
    /// The first byte's offset.
    var first: Int64
    /// The last byte's offset (inclusive).
    var last: Int64
    /// The object's size, or `nil` for `*`.
    var total: Int64?

    /// Parses the header value; `nil` for anything else than `bytes A-B/T` or `bytes A-B/*` with
    /// `A <= B < T` and decimal numbers that fit in 63 bits.
    ///
    /// - Complexity: O(n).
    init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: " \t")
        guard trimmed.lowercased().hasPrefix("bytes ") else { return nil }
        let spec = trimmed.dropFirst(6).trimmingCharacters(in: " ")
        guard let slash = spec.firstIndex(of: "/"), let dash = spec[..<slash].firstIndex(of: "-") else { return nil }
        func number(_ text: Substring) -> Int64? {
            guard !text.isEmpty, text.count <= 19, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int64(text)
        }
        guard let first = number(spec[..<dash]), let last = number(spec[spec.index(after: dash)..<slash]), first <= last
        else { return nil }
        let totalText = spec[spec.index(after: slash)...]
        var total: Int64?
        if totalText != "*" {
            guard let value = number(totalText), last < value else { return nil }
            total = value
        }
        self.first = first
        self.last = last
        self.total = total
    }
}
