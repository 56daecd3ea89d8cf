/// Builds arrays of plain values (bytes, floats, integers) through the standard library's fast
/// allocation path.
///
/// With Swift 6.3 on Linux, `Array(unsafeUninitializedCapacity:)`, `Array(repeating:count:)`
/// and `ContiguousArray`'s equivalents allocate through a standard-library function that is not
/// inlined into this module, and that function looks the array's storage type up in the
/// runtime's generic-metadata cache on every call. Measured with callgrind, that costs about 400
/// instructions, more than the rest of decoding a six-value list.
/// `Array(UnsafeBufferPointer)` allocates through code specialized in this module, with the
/// storage type cached, for about 300 instructions including `malloc` and `free`.
///
/// So a small array is filled in scratch memory on the stack and copied into its array once. A
/// copy of at most `scratchBytes` costs less than the lookup. A larger array is filled in place,
/// because there a second copy would cost more than the lookup.
enum ScratchArrays {
    /// The largest array, in bytes, that is built on the stack and copied.
    static let scratchBytes = 2048

    /// A new array of at most `capacity` values, written by `fill` from the first element on.
    /// - Parameter fill: writes the values and returns how many it wrote (at most `capacity`).
    /// - Throws: what `fill` throws.
    @inline(__always)
    static func make<T: BitwiseCopyable, E: Error>(
        upTo capacity: Int, _ fill: (UnsafeMutablePointer<T>) throws(E) -> Int
    ) throws(E) -> [T] {
        guard capacity > 0 else { return [] }
        if capacity * MemoryLayout<T>.stride <= scratchBytes {
            return try withUnsafeTemporaryAllocation(of: T.self, capacity: capacity) { (scratch) throws(E) -> [T] in
                let count = try fill(scratch.baseAddress!)
                precondition(count <= capacity)
                return Array(UnsafeBufferPointer(start: scratch.baseAddress!, count: count))
            }
        }
        var failure: E?
        let values = [T](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            do throws(E) {
                initialized = try fill(buffer.baseAddress!)
                precondition(initialized <= capacity)
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return values
    }

    /// Appends at most `capacity` values, written by `fill`, to `values`.
    /// - Parameter fill: writes the values and returns how many it wrote (at most `capacity`).
    /// - Throws: what `fill` throws; `values` is then unchanged.
    @inline(__always)
    static func append<T: BitwiseCopyable, E: Error>(
        upTo capacity: Int, to values: inout [T], _ fill: (UnsafeMutablePointer<T>) throws(E) -> Int
    ) throws(E) {
        let new = try make(upTo: capacity, fill)
        if values.isEmpty { values = new } else { values.append(contentsOf: new) }
    }

    /// Appends exactly `count` values, written by `fill`, to `values`.
    @inline(__always)
    static func append<T: BitwiseCopyable>(_ count: Int, to values: inout [T],
                                           _ fill: (UnsafeMutablePointer<T>) -> Void) {
        append(upTo: count, to: &values) { destination in
            fill(destination)
            return count
        }
    }
}
