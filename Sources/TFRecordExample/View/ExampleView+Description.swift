/// Looking at an example view. A `~Escapable` view cannot be passed to `print(_:)` (which takes
/// `Any`), to string interpolation or to `#expect`, so it has no `CustomStringConvertible`
/// conformance (Swift 6.3 refuses one): print its `description`, or copy it to an owned
/// `Example` with `decoded()`:
///
/// ```swift
/// let view = ExampleView(payload)
/// print(view.description)                      // Example{area: float[367.89], ...}
/// let owned = try view.decoded()               // outlives the record's bytes
/// ```
extension ExampleView {
    /// The whole example decoded, as `Example.description` writes it, or
    /// `ExampleView(<n> bytes, malformed: <reason>)` when the bytes are not an Example.
    /// - Complexity: O(record size): every feature is decoded.
    public var description: String {
        do throws(ExampleError) {
            return try decoded().description
        } catch {
            return "ExampleView(\(bytes.byteCount) bytes, malformed: \(error.detail))"
        }
    }

    /// A copy of the whole example, owned (valid after the record's bytes are gone); the same
    /// as `Example(serialized: view.bytes)`.
    /// - Returns: the example.
    /// - Throws: `ExampleError.malformed` when the bytes are not a valid Example.
    /// - Complexity: O(record size).
    public func decoded() throws(ExampleError) -> Example {
        try Example(serialized: bytes)
    }
}
