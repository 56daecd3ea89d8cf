/// Looking at a feature view. A `~Escapable` view cannot be passed to `print(_:)` (which takes
/// `Any`), to string interpolation or to `#expect`, so it has no `CustomStringConvertible`
/// conformance (Swift 6.3 refuses one): print its `description`, or copy it to an owned
/// `Feature` with `decoded()`:
///
/// ```swift
/// let area = try ExampleView(payload).feature(named: "area")
/// print(area?.description ?? "no area")        // float[367.89]
/// let owned: Feature? = area?.decoded()        // outlives the record's bytes
/// ```
extension FeatureView {
    /// The feature as `Feature.description` writes it: `float[367.89]`, `int64[18]`,
    /// `bytes[4 bytes]`, `none`.
    /// - Complexity: O(size of the feature): the values are decoded.
    public var description: String { decoded().description }
}
