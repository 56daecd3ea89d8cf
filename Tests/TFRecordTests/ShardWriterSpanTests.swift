import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// `ShardWriter.write(_: RawSpan)`: the span entry point writes exactly the bytes given (every
/// length, 0 included), in order, across shard boundaries, checked against the manifest-free
/// expectation of SHA-256 per record.
@Suite struct ShardWriterSpanTests {
    @Test func spanWritesEveryByte() throws {
        let dir = Scratch.path("span-shards")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let payloads: [[UInt8]] = (0..<25).map { i in (0..<(i * 37 % 200)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ i) } }
        #expect(payloads.contains { $0.isEmpty })
        let writer = try ShardWriter(options: ShardWriterOptions(directory: dir, prefix: "span", recordsPerShard: 10))
        for payload in payloads { try writer.write(payload.span.bytes) }
        let shards = try writer.finish()
        #expect(shards.map(\.recordCount) == [10, 10, 5])
        var read: [[UInt8]] = []
        for shard in shards { read += try RecordReader(path: shard.path).allRecords() }
        #expect(read.count == payloads.count)
        #expect(read.map(SHA256.hex) == payloads.map(SHA256.hex))
    }
}
