/// Trimming without Foundation's CharacterSet, for the configuration and header parsers.
extension StringProtocol {
    /// The string without the given characters at either end.
    func trimmingCharacters(in characters: String) -> String {
        let set = Set(characters)
        guard let first = firstIndex(where: { !set.contains($0) }) else { return "" }
        let last = lastIndex(where: { !set.contains($0) })!
        return String(self[first...last])
    }
}
