/// The typed accessors of `Feature` on a parsed feature, so a parse result reads as
/// `parsed["area"]?.float` or `parsed["bbox"]?.floats` (each `nil` for another kind; the
/// scalar ones also `nil` unless there is exactly one value).
extension ParsedFeature {
    /// The one float value, else `nil` (see `Feature.float`).
    public var float: Float? { values.float }
    /// The float values, else `nil`.
    public var floats: [Float]? { values.floats }
    /// The one int64 value, else `nil`.
    public var int64: Int64? { values.int64 }
    /// The int64 values, else `nil`.
    public var int64s: [Int64]? { values.int64s }
    /// The one byte string, else `nil`.
    public var bytes: [UInt8]? { values.bytes }
    /// The byte strings, else `nil`.
    public var byteStrings: [[UInt8]]? { values.byteStrings }
    /// The one byte string as UTF-8 text, else `nil` (also for invalid UTF-8).
    public var string: String? { values.string }
    /// The byte strings as UTF-8 text, else `nil` (also when one is invalid UTF-8).
    public var strings: [String]? { values.strings }
}
