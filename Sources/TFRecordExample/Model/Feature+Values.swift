/// Typed values out of a feature, as TensorFlow users write `features['area'].numpy()`:
/// `example["area"]?.float`, `example["bbox"]?.floats`, `parsed["label"]?.int64`.
///
/// Each accessor returns `nil` when the feature holds another kind of list. The scalar ones
/// (`float`, `int64`, `bytes`, `string`) also return `nil` unless the list holds exactly one
/// value, so a list is never silently cut to its first element.
extension Feature {
    /// The value of a float list of exactly one value, else `nil`.
    /// - Complexity: O(1).
    public var float: Float? {
        if case .floatList(let values) = self, values.count == 1 { return values[0] }
        return nil
    }

    /// The values of a float list, else `nil`.
    /// - Complexity: O(1) (the array is shared, not copied).
    public var floats: [Float]? { floatValues }

    /// The value of an int64 list of exactly one value, else `nil`.
    /// - Complexity: O(1).
    public var int64: Int64? {
        if case .int64List(let values) = self, values.count == 1 { return values[0] }
        return nil
    }

    /// The values of an int64 list, else `nil`.
    /// - Complexity: O(1) (the array is shared, not copied).
    public var int64s: [Int64]? { int64Values }

    /// The byte string of a bytes list of exactly one value, else `nil`.
    /// - Complexity: O(1) (the array is shared, not copied).
    public var bytes: [UInt8]? {
        if case .bytesList(let values) = self, values.count == 1 { return values[0] }
        return nil
    }

    /// The byte strings of a bytes list, else `nil`.
    /// - Complexity: O(1) (the array is shared, not copied).
    public var byteStrings: [[UInt8]]? { bytesValues }

    /// The byte string of a bytes list of exactly one value decoded as UTF-8, else `nil`
    /// (also `nil` when the bytes are not valid UTF-8: nothing is replaced).
    /// - Complexity: O(length of the string).
    public var string: String? {
        bytes.flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// The byte strings of a bytes list decoded as UTF-8, else `nil` (also `nil` when one of
    /// them is not valid UTF-8).
    /// - Complexity: O(total length).
    public var strings: [String]? {
        guard let values = bytesValues else { return nil }
        var strings: [String] = []
        strings.reserveCapacity(values.count)
        for value in values {
            guard let string = String(validating: value, as: UTF8.self) else { return nil }
            strings.append(string)
        }
        return strings
    }
}
