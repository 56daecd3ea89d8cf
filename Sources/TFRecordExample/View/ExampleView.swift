import TFRecord
import CSupport

/// A zero-copy view of a serialized `tf.train.Example`: finds one feature by name without
/// decoding the others.
///
/// The lookup runs the C scanner over the record (`csupport_pb_find_entry`): it walks the
/// `features` map entries and compares keys, skipping every value. Only the bytes walked are
/// checked, so a record that is damaged elsewhere may still answer lookups; decode it with
/// `Example(serialized:)` to check all of it.
///
/// The view borrows the record's bytes: it is valid while they are (inside the closure of
/// `RecordReader.forEachRecord` or `Dataset.withRecord(at:)`). Being `~Escapable`, it cannot be
/// passed to `print(_:)`: print `view.description`, or copy it with `decoded()`.
///
/// ```swift
/// try reader.forEachRecord { _, payload in
///     let view = ExampleView(payload)
///     if let area = try view.feature(named: "area")?.float { total += area }
/// }
/// ```
public struct ExampleView: ~Escapable {
    /// The record's bytes.
    public let bytes: RawSpan

    /// Creates a view of the serialized example `bytes`.
    /// - Parameter bytes: a record's payload; the view borrows it.
    /// - Complexity: O(1): nothing is read until a lookup.
    @_lifetime(copy bytes)
    public init(_ bytes: RawSpan) {
        self.bytes = bytes
    }

    /// Finds the feature named `name`: the last map entry with that key, as protobuf decodes it.
    /// - Parameter name: the feature name.
    /// - Returns: a view of the feature, or `nil` when the example has no feature of that name.
    /// - Throws: `ExampleError.malformed` when the bytes walked (the map entries, and the found
    ///   feature's value) are not valid wire format.
    /// - Complexity: O(record size) for the walk of the map entries; the values of the other
    ///   features are skipped, not read.
    @_lifetime(copy self)
    public func feature(named name: String) throws(ExampleError) -> FeatureView? {
        try Self.find(name, topField: 1, in: bytes)
    }

    /// Looks up `name` in the map entries of every top-level field `topField` of `bytes`.
    @_lifetime(copy bytes)
    static func find(_ name: String, topField: UInt32, in bytes: RawSpan) throws(ExampleError) -> FeatureView? {
        var name = name
        var entry = csupport_pb_entry()
        var errorOffset = 0
        let status = bytes.withUnsafeBytes { record in
            name.withUTF8 { key in
                csupport_pb_find_entry(record.baseAddress, record.count, topField, 1,
                                       key.baseAddress, key.count, &entry, &errorOffset)
            }
        }
        guard status == Int32(CSUPPORT_PB_OK.rawValue) else {
            throw ExampleError(.malformed, ProtobufScan.message(status), byteOffset: errorOffset, feature: name)
        }
        guard entry.found != 0 else { return nil }
        let range = Int(entry.entry_offset)..<Int(entry.entry_offset + entry.entry_length)
        return try FeatureView(record: bytes, entry: range)
    }
}
