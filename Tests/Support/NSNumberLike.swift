import Foundation

/// JSON numbers as Foundation decodes them.
typealias NSNumberLike = NSNumber

extension NSNumber {
    /// The value as UInt64 (JSON integers in the manifest are non-negative).
    var uint64: UInt64 { uint64Value }
}
