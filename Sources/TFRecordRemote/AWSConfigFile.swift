/// A parsed AWS shared configuration file (`~/.aws/credentials` or `~/.aws/config`): INI sections of
/// `name = value` lines, as botocore's `raw_config_parse` reads them.
///
/// The file is untrusted input: it is read up to ``maximumSize`` bytes, lines that are neither a section,
/// a setting, a comment (`#`, `;`) nor blank are ignored as botocore ignores them, and nested
/// (indented) settings are skipped.
struct AWSConfigFile: Sendable {
    /// The largest file read; a bigger one is refused.
    static let maximumSize = 1 << 20

    /// Settings by section name (`default`, `profile dev`), names lower-cased.
    var sections: [String: [String: String]]

    /// Parses the text of a configuration file.
    ///
    /// - Complexity: O(n).
    init(text: String) {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            if rawLine.first == " " || rawLine.first == "\t" { continue }  // nested settings (s3 = ...)
            let line = rawLine.trimmingCharacters(in: " \t")
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { current = nil; continue }
                let name = line.dropFirst().dropLast().trimmingCharacters(in: " \t")
                current = name
                if sections[name] == nil { sections[name] = [:] }
                continue
            }
            guard let current, let equals = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            let name = line[..<equals].trimmingCharacters(in: " \t").lowercased()
            var value = line[line.index(after: equals)...].trimmingCharacters(in: " \t")
            if let comment = value.range(of: " #") ?? value.range(of: " ;") {
                value = value[..<comment.lowerBound].trimmingCharacters(in: " \t")
            }
            sections[current, default: [:]][name] = value
        }
        self.sections = sections
    }
}
