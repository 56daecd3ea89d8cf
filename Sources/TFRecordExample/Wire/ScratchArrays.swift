import TFRecord
/// Builds arrays of plain values (bytes, floats, integers) through the standard library's fast
/// allocation path.
///
/// `Array(unsafeUninitializedCapacity:)` and its relatives allocate through a standard-library
/// function that looks the array's storage type up in the runtime's metadata cache on every
/// call, while `Array(UnsafeBufferPointer)` allocates through code specialized here (figures:
/// Benchmarks/README.md, "Figures behind the code").
///
/// So a small array is filled in scratch memory on the stack and copied into its array once. A
/// copy of at most `scratchBytes` costs less than the lookup. A larger array is filled in place,
/// because there a second copy would cost more than the lookup.
enum ScratchArrays {
    /// The largest array, in bytes, that is built on the stack and copied.
    static let scratchBytes = 2048

    /// A new array of `count` values, written by `fill` from the first element on.
    /// - Parameter fill: must initialize all `count` values.
    @inline(__always)
    static func make<T: BitwiseCopyable>(_ count: Int, _ fill: (UnsafeMutablePointer<T>) -> Void) -> [T] {
        guard count > 0 else { return [] }
        if count * MemoryLayout<T>.stride <= scratchBytes {
            return withUnsafeTemporaryAllocation(of: T.self, capacity: count) { scratch in
                fill(scratch.baseAddress!)
                return Array(UnsafeBufferPointer(scratch))
            }
        }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(buffer.baseAddress!)
            initialized = count
        }
    }

    /// Appends `count` values, written by `fill`, to `values`.
    /// - Parameter fill: must initialize all `count` values.
    @inline(__always)
    static func append<T: BitwiseCopyable>(_ count: Int, to values: inout [T],
                                           _ fill: (UnsafeMutablePointer<T>) -> Void) {
        let new = make(count, fill)
        if values.isEmpty { values = new } else { values.append(contentsOf: new) }
    }
}
