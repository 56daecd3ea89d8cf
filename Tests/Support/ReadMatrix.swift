import Foundation
@testable import TFRecord

/// The pieces of the read matrix (also used by the CLI's part of it).
enum ReadMatrix {
    /// One way to write a file.
    struct Encoding: CustomStringConvertible, Sendable {
        let name: String
        let compression: Compression
        let blockSize: Int?
        /// Random access (an index with inflate checkpoints) is possible.
        var randomAccess: Bool { compression != .lz4 }
        var description: String { name }
        var options: WriteOptions {
            var o = WriteOptions(compression: compression)
            o.blockSize = blockSize
            return o
        }
    }

    /// Every compression the writer makes, one line each.
    static let encodings: [Encoding] = [
        Encoding(name: "none", compression: .none, blockSize: nil),
        Encoding(name: "gzip", compression: .gzip, blockSize: nil),
        Encoding(name: "zlib", compression: .zlib, blockSize: nil),
        Encoding(name: "blocked gzip", compression: .gzip, blockSize: 4096),
        Encoding(name: "lz4", compression: .lz4, blockSize: nil),
        Encoding(name: "blocked lz4", compression: .lz4, blockSize: 4096),
    ]

    enum SidecarState: String, CaseIterable, CustomStringConvertible, Sendable {
        /// A valid `.tfindex` beside the shard.
        case present
        /// No `.tfindex`.
        case absent
        /// A `.tfindex` of an earlier content of the shard (the shard was rewritten since).
        case stale
        var description: String { rawValue }
    }

    /// The payloads: empty, small, and some larger than a block, deterministic.
    static func payloads(seed: UInt64) -> [[UInt8]] {
        var rng = SplitMix(state: seed)
        return (0..<97).map { i in
            let size = i == 0 ? 0 : (i % 17 == 0 ? 5000 + Int(rng.next() % 3000) : Int(rng.next() % 300))
            return (0..<size).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        }
    }

    /// A shard written with one encoding, its sidecar in one state.
    struct Fixture {
        let path: String
        let encoding: Encoding
        let payloads: [[UInt8]]

        init(_ encoding: Encoding, _ sidecar: SidecarState) throws {
            self.encoding = encoding
            path = Scratch.path("matrix") + ".tfrecord"
            payloads = ReadMatrix.payloads(seed: 15)
            if sidecar == .stale {
                // An index of other content (fewer, different records), then the shard rewritten.
                try Self.write(Array(ReadMatrix.payloads(seed: 16).prefix(60)), to: path, encoding)
                try RecordIndex.build(path: path).write(to: RecordIndex.sidecarPath(for: path))
            }
            try Self.write(payloads, to: path, encoding)
            if sidecar == .present {
                try RecordIndex.build(path: path).write(to: RecordIndex.sidecarPath(for: path))
            }
        }

        static func write(_ payloads: [[UInt8]], to path: String, _ encoding: Encoding) throws {
            let writer = try RecordWriter(path: path, options: encoding.options)
            for p in payloads { try writer.write(p) }
            try writer.close()
        }

        func remove() {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: RecordIndex.sidecarPath(for: path))
        }

        /// A fixed shuffle of every record number (random access reads them in this order).
        var shuffled: [Int] {
            var numbers = Array(0..<payloads.count)
            var rng = SplitMix(state: 3)
            for i in stride(from: numbers.count - 1, to: 0, by: -1) {
                numbers.swapAt(i, Int(rng.next() % UInt64(i + 1)))
            }
            return numbers
        }
    }

    /// A record as delivered: its number and bytes.
    struct Delivered: Equatable {
        let number: Int
        let bytes: [UInt8]
    }
}
