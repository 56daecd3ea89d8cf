import TFRecord

/// JSONEncoder's snake-case conversion, applied to one key: `imageID` → `image_id`,
/// `myURLValue` → `my_url_value`, `area` → `area`. Leading and trailing underscores are kept.
enum SnakeCase {
    /// Converts a camel-case key to snake case (JSONEncoder's `.convertToSnakeCase`).
    /// - Complexity: O(key length).
    static func convert(_ key: String) -> String {
        guard !key.isEmpty else { return key }
        // ASCII keys (nearly all): the same rule on bytes, without Character's Unicode work.
        let utf8 = key.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            if !utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5a }) { return key }  // no uppercase
            return asciiConvert(Array(utf8))
        }
        let characters = Array(key)
        var words: [Range<Int>] = []
        var wordStart = 0
        var i = 1
        // A word starts at an uppercase letter that follows a lowercase one, or at the last
        // uppercase letter of a run followed by a lowercase one ("URLValue" → "URL", "Value").
        while i < characters.count {
            let c = characters[i]
            if c.isUppercase {
                let previous = characters[i - 1]
                let nextIsLower = i + 1 < characters.count && characters[i + 1].isLowercase
                if !previous.isUppercase || nextIsLower {
                    if previous != "_" { words.append(wordStart..<i); wordStart = i }
                }
            }
            i += 1
        }
        words.append(wordStart..<characters.count)
        return words.map { String(characters[$0]).lowercased() }.filter { !$0.isEmpty }.joined(separator: "_")
    }
}

extension SnakeCase {
    /// `convert` for ASCII bytes: an underscore before each word start, words lowercased.
    static func asciiConvert(_ c: [UInt8]) -> String {
        func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5a }
        func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7a }
        var out: [UInt8] = []
        out.reserveCapacity(c.count + 4)
        for i in c.indices {
            let b = c[i]
            if i > 0 && isUpper(b) {
                let previous = c[i - 1]
                let nextIsLower = i + 1 < c.count && isLower(c[i + 1])
                if (!isUpper(previous) || nextIsLower) && previous != 0x5f { out.append(0x5f) }
            }
            out.append(isUpper(b) ? b + 0x20 : b)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `category_id` → `categoryId` (JSONDecoder's `.convertFromSnakeCase`, for `allKeys`).
    static func camel(_ key: String) -> String {
        let parts = key.split(separator: "_", omittingEmptySubsequences: true)
        guard let first = parts.first else { return key }
        return String(first) + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
