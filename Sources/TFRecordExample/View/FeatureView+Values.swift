/// The scalar accessors of `Feature` on a zero-copy view, read straight from the record:
/// `try ExampleView(payload).feature(named: "area")?.float`. Each is `nil` for another kind or
/// unless the list holds exactly one value. (The lists are `floats()`, `int64s()` and
/// `byteStrings()`, which copy.)
extension FeatureView {
    /// The value of a float list of exactly one value, else `nil`.
    /// - Complexity: O(size of the feature).
    public var float: Float? {
        guard kind == .float, count == 1 else { return nil }
        var value: Float?
        forEachFloat { value = $0 }
        return value
    }

    /// The value of an int64 list of exactly one value, else `nil`.
    /// - Complexity: O(size of the feature).
    public var int64: Int64? {
        guard kind == .int64, count == 1 else { return nil }
        var value: Int64?
        forEachInt64 { value = $0 }
        return value
    }

    /// The byte string of a bytes list of exactly one value decoded as UTF-8, else `nil` (also
    /// for invalid UTF-8).
    /// - Complexity: O(size of the feature).
    public var string: String? {
        guard kind == .bytes, count == 1 else { return nil }
        var value: String?
        forEachBytes { span in value = span.withUnsafeBytes { String(validating: $0, as: UTF8.self) } }
        return value
    }
}
