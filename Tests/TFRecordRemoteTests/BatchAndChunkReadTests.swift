import Foundation
import Testing

@testable import TFRecordRemote

/// The two read paths the core's readers will use: a planned batch of ranges (random access) and
/// chunks read ahead in order (sequential), through the fault proxy in front of moto.
@Suite(.enabled(if: RemoteTestServers.isAvailable, RemoteTestServers.missingReason))
struct BatchAndChunkReadTests {
    let servers = RemoteTestServers.current!

    func object(size: Int, seed: UInt64) throws -> (bucket: String, key: String, data: [UInt8]) {
        let bucket = try servers.makeBucket(Bytes.uniqueName("batch"))
        let key = Bytes.uniqueName("object") + ".tfrecord"
        let data = Bytes.random(count: size, seed: seed)
        _ = try servers.putWithBoto3(bucket: bucket, key: key, data: data)
        return (bucket, key, data)
    }

    @Test func batchOfRandomRangesThroughFaults() async throws {
        let (bucket, key, data) = try object(size: 3_000_000, seed: 31)
        var state: UInt64 = 9
        let ranges: [Range<Int64>] = (0..<300).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let start = Int64((state >> 20) % 2_990_000)
            return start..<(start + 1 + Int64((state >> 8) % 5000))
        }
        try await servers.withClient(servers.configuration(endpoint: servers.s3ProxyEndpoint)) { client in
            let address = try ObjectAddress("s3://\(bucket)/\(key)")
            let info = try await client.s3.info(of: address)
            try await servers.queueFaults(servers.s3Faults, [
                ["kind": "reset", "after": 1000, "match": key], ["kind": "slowdown", "match": key],
                ["kind": "truncate", "after": 10, "match": key],
            ])
            let parts = try await client.s3.read(address, ranges: ranges, ifMatch: info.etag, gap: 4096, maximumSpan: 256 << 10, maximumInFlight: 8)
            #expect(parts.count == ranges.count)
            for (range, part) in zip(ranges, parts) {
                #expect(part == Array(data[Int(range.lowerBound)..<Int(range.upperBound)]))
            }
            #expect(try await servers.appliedFaults(servers.s3Faults, match: key) == 3)
            do {
                _ = try await client.s3.read(address, ranges: [0..<10], ifMatch: "\"not-the-etag\"")
                Issue.record("a stale ETag must fail")
            } catch let error as RemoteError {
                #expect(error.kind == .changed, "\(error)")
            }
        }
    }

    @Test func chunksArriveInOrderThroughFaults() async throws {
        let (bucket, key, data) = try object(size: 5 * 1_048_576 + 17, seed: 32)
        try await servers.withClient(servers.configuration(endpoint: servers.s3ProxyEndpoint)) { client in
            let address = try ObjectAddress("s3://\(bucket)/\(key)")
            let info = try await client.s3.info(of: address)
            try await servers.queueFaults(servers.s3Faults, [["kind": "truncate", "after": 500_000, "match": key], ["kind": "reset", "after": 1, "match": key]])
            var joined: [UInt8] = []
            var offsets: [Int64] = []
            for try await chunk in ObjectChunks(store: client.s3, info: info, chunkSize: 1 << 20, ahead: 3) {
                offsets.append(chunk.offset)
                joined += chunk.bytes
            }
            #expect(offsets == (0...5).map { Int64($0) << 20 })
            #expect(joined == data)
            #expect(try await servers.appliedFaults(servers.s3Faults, match: key) == 2)
        }
    }

    @Test func chunksOfARewrittenObjectFail() async throws {
        let (bucket, key, _) = try object(size: 6 * 1_048_576, seed: 33)
        try await servers.withClient(servers.configuration(endpoint: servers.s3Endpoint)) { client in
            let address = try ObjectAddress("s3://\(bucket)/\(key)")
            let info = try await client.s3.info(of: address)
            var iterator = ObjectChunks(store: client.s3, info: info, chunkSize: 1 << 20, ahead: 2).makeAsyncIterator()
            _ = try await iterator.next()
            _ = try servers.putWithBoto3(bucket: bucket, key: key, data: Bytes.random(count: 6 * 1_048_576, seed: 34))
            do {
                while try await iterator.next() != nil {}
                Issue.record("chunks of two versions must never be delivered")
            } catch let error as RemoteError {
                #expect(error.kind == .changed, "\(error)")
            }
        }
    }

    @Test func emptyObjectHasNoChunks() async throws {
        let (bucket, key, _) = try object(size: 0, seed: 0)
        try await servers.withClient(servers.configuration(endpoint: servers.s3Endpoint)) { client in
            let info = try await client.s3.info(of: try ObjectAddress("s3://\(bucket)/\(key)"))
            #expect(info.size == 0)
            var count = 0
            for try await _ in ObjectChunks(store: client.s3, info: info) { count += 1 }
            #expect(count == 0)
        }
    }
}
