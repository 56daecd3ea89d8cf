/// A seeded pseudo-random permutation of `0 ..< count` in O(1) memory: element `i` is computed
/// on demand, so shuffling a billion records costs no table at all.
///
/// It is a bijection by construction: a balanced Feistel network (6 rounds keyed from the seed
/// with SplitMix64) permutes the smallest domain of 2^(2h) values holding `count`, and
/// cycle-walking (re-encrypting values ≥ `count`) restricts it to `0 ..< count`. The domain is
/// less than 4 × `count`, so a lookup takes fewer than 4 rounds of the network on average. The
/// same `count` and `seed` give the same order on every machine and every run.
///
/// The order is good for shuffling training data; it is not a cryptographic permutation.
public struct RecordPermutation: RandomAccessCollection, Sendable, Equatable {
    /// Number of elements permuted.
    public let count: Int
    /// The seed the order was made from.
    public let seed: UInt64
    private let halfBits: UInt64
    private let keys: [UInt64]

    /// The permutation of `0 ..< count` for `seed`.
    /// - Parameters:
    ///   - count: how many elements (record numbers) to permute; at least 0.
    ///   - seed: any value; the same seed gives the same order.
    /// - Complexity: O(1).
    public init(count: Int, seed: UInt64) {
        precondition(count >= 0, "a permutation needs a count of at least 0, not \(count)")
        self.count = count
        self.seed = seed
        var bits = 2
        while bits < 62 && (UInt64(1) << UInt64(bits)) < UInt64(count) { bits += 2 }
        halfBits = UInt64(bits / 2)
        var state = seed
        keys = (0..<6).map { _ in RecordPermutation.splitMix(&state) }
    }

    /// Always 0.
    public var startIndex: Int { 0 }
    /// `count`.
    public var endIndex: Int { count }

    /// The element at `position`: where the permutation sends `position`.
    /// - Precondition: `0 <= position < count`.
    /// - Complexity: O(1) expected.
    public subscript(position: Int) -> Int {
        precondition(position >= 0 && position < count,
                     "position \(position) is out of range: the permutation has \(count) element(s)")
        var x = UInt64(position)
        repeat { x = encrypt(x) } while x >= UInt64(count)
        return Int(x)
    }

    private func encrypt(_ value: UInt64) -> UInt64 {
        let mask = (UInt64(1) << halfBits) - 1
        var left = value >> halfBits
        var right = value & mask
        for key in keys {
            let next = left ^ (RecordPermutation.mix(right ^ key) & mask)
            left = right
            right = next
        }
        return (left << halfBits) | right
    }

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix(state)
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
