/// Shell-style matching of object keys for `s3://bucket/train-*.tfrecord`: `*` any run of
/// characters except `/`, `?` one character except `/`, `[abc]`, `[a-z]`, `[!a-z]` (or `[^…]`)
/// one character of (not of) the set, `\` quotes the next character. As `glob(3)` on a path,
/// a pattern never matches across a `/`.
struct GlobPattern: Sendable {
    private let pattern: [Unicode.Scalar]

    /// Characters that make an address a pattern.
    static func isPattern(_ key: String) -> Bool {
        key.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// The part of `key` before its first pattern character: the prefix to list.
    static func literalPrefix(_ key: String) -> String {
        String(key.prefix { $0 != "*" && $0 != "?" && $0 != "[" && $0 != "\\" })
    }

    init(_ pattern: String) {
        self.pattern = Array(pattern.unicodeScalars)
    }

    /// Whether `name` matches the whole pattern.
    /// - Complexity: O(pattern × name) at worst (backtracking over the last `*` only).
    func matches(_ name: String) -> Bool {
        let text = Array(name.unicodeScalars)
        var p = 0
        var t = 0
        var star: (p: Int, t: Int)?
        while t < text.count {
            if p < pattern.count, pattern[p] == "*" {
                star = (p, t)
                p += 1
                continue
            }
            if p < pattern.count, let (matched, next) = single(at: p, text[t]), matched {
                p = next
                t += 1
                continue
            }
            // Backtrack: the last `*` takes one more character (never a `/`).
            guard let s = star, text[s.t] != "/" else { return false }
            star = (s.p, s.t + 1)
            p = s.p + 1
            t = s.t + 1
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    /// Whether the pattern element at `p` (not `*`) matches `c`, and where the next element starts.
    private func single(at p: Int, _ c: Unicode.Scalar) -> (Bool, Int)? {
        switch pattern[p] {
        case "?":
            return (c != "/", p + 1)
        case "\\" where p + 1 < pattern.count:
            return (pattern[p + 1] == c, p + 2)
        case "[":
            var i = p + 1
            var negate = false
            if i < pattern.count, pattern[i] == "!" || pattern[i] == "^" {
                negate = true
                i += 1
            }
            var found = false
            var first = true
            while i < pattern.count, first || pattern[i] != "]" {
                first = false
                let low = pattern[i]
                if i + 2 < pattern.count, pattern[i + 1] == "-", pattern[i + 2] != "]" {
                    if low.value <= c.value && c.value <= pattern[i + 2].value { found = true }
                    i += 3
                } else {
                    if low == c { found = true }
                    i += 1
                }
            }
            // An unclosed `[` is a literal `[`.
            guard i < pattern.count else { return (c == "[", p + 1) }
            return (c != "/" && found != negate, i + 1)
        default:
            return (pattern[p] == c, p + 1)
        }
    }
}
