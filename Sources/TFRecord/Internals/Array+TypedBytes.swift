extension Array where Element == UInt8 {
    /// `withUnsafeMutableBytes` whose closure throws a typed error, which it rethrows as such.
    ///
    /// The standard library's version is untyped in Swift 6.3, which would turn every
    /// `TFRecordError` thrown inside it into `any Error`; this one carries the type out through
    /// a `Result`, so callers keep `throws(TFRecordError)`.
    /// - Complexity: that of `body`.
    package mutating func withMutableBytes<R, E: Error>(
        _ body: (UnsafeMutableRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        try withUnsafeMutableBytes { buffer in
            Result { () throws(E) -> R in try body(buffer) }
        }.get()
    }
}
