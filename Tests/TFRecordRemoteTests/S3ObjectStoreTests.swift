import Foundation
import Testing

@testable import TFRecordRemote

/// Our S3 client against moto, with boto3 as the independent client on the other side.
@Suite(.enabled(if: RemoteTestServers.isAvailable, RemoteTestServers.missingReason))
struct S3ObjectStoreTests {
    let servers = RemoteTestServers.current!

    static let unusualKeys = [
        "plain.tfrecord", "with space/and  two spaces.tfrecord", "ünïcødé/日本語.tfrecord", "plus+equals=tilde~",
        "percent%41%zz%", "dir/sub dir/file(1)!*'.tfrecord", "semi;colon:at@amp&dollar$comma,q?hash#", "trailing/slash/x",
    ]

    @Test func unusualKeysRoundTripWithBoto3() async throws {
        let bucket = try servers.makeBucket(Bytes.uniqueName("keys"))
        try await servers.withClient(servers.configuration(endpoint: servers.s3Endpoint)) { client in
            for (index, key) in Self.unusualKeys.enumerated() {
                let data = Bytes.random(count: 1000 + index * 37, seed: UInt64(index))
                let theirs = try PythonPeer.call(["command": "put_bytes", "endpoint": servers.s3Endpoint, "bucket": bucket, "key": key, "hex": Bytes.hex(data)])
                let address = try ObjectAddress(scheme: .s3, bucket: bucket, key: key)
                let info = try await client.s3.info(of: address)
                #expect(info.size == Int64(data.count), "\(key)")
                #expect(info.etag == theirs["etag"] as? String, "\(key)")
                #expect(try await client.s3.read(address, range: 0..<Int64(data.count)) == data, "\(key)")
                #expect(try await client.s3.read(address, range: 10..<20) == Array(data[10..<20]), "\(key)")

                let ours = try ObjectAddress(scheme: .s3, bucket: bucket, key: key + ".ours")
                try await client.s3.put(data, to: ours)
                let readBack = try PythonPeer.call(["command": "get", "endpoint": servers.s3Endpoint, "bucket": bucket, "key": key + ".ours"])
                #expect(readBack["sha256"] as? String == Bytes.sha256(data), "boto3 reads what we wrote under \(key).ours")
            }
            let listed = try await client.s3.list(try ObjectAddress("s3://\(bucket)/"))
            #expect(Set(listed.map(\.address.key)) == Set(Self.unusualKeys + Self.unusualKeys.map { $0 + ".ours" }))
        }
    }

    @Test func listingPaginatesAndFiltersByPrefix() async throws {
        let bucket = try servers.makeBucket(Bytes.uniqueName("list"))
        try await servers.withClient(servers.configuration(endpoint: servers.s3Endpoint)) { client in
            let keys = (0..<25).map { String(format: "shards/train-%05d-of-00025.tfrecord", $0) } + ["other/x", "shards-not/y"]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, key) in keys.enumerated() {
                    group.addTask { try await client.s3.put(Array(repeating: UInt8(index), count: index + 1), to: try ObjectAddress("s3://\(bucket)/\(key)")) }
                }
                try await group.waitForAll()
            }
            let shards = try await client.s3.list(try ObjectAddress("s3://\(bucket)/shards/"), pageSize: 7)
            #expect(shards.map(\.address.key) == Array(keys.prefix(25)))
            #expect(shards.map(\.size) == (1...25).map(Int64.init))
            #expect(shards.allSatisfy { $0.etag != nil })
            #expect(try await client.s3.list(try ObjectAddress("s3://\(bucket)/shards"), pageSize: 10).count == 26)
            #expect(try await client.s3.list(try ObjectAddress("s3://\(bucket)/nothing-here/")).isEmpty)
            await #expect(throws: RemoteError.self) { try await client.s3.list(try ObjectAddress("s3://no-such-bucket-\(bucket)/")) }
        }
    }

    @Test func multipartUploadIsReadBackByBoto3() async throws {
        let bucket = try servers.makeBucket(Bytes.uniqueName("multipart"))
        let data = Bytes.random(count: 12 * 1024 * 1024 + 123, seed: 99)
        let address = try ObjectAddress("s3://\(bucket)/big/shard 0.tfrecord")
        var configuration = servers.configuration(endpoint: servers.s3Endpoint)
        configuration.partsInFlight = 2
        try await servers.withClient(configuration) { client in
            let etag = try await client.s3.upload(to: address) { upload in
                var offset = 0
                while offset < data.count {
                    let end = min(data.count, offset + 1_048_583)
                    try await upload.write(Array(data[offset..<end]))
                    offset = end
                }
                #expect(await upload.bytesWritten == Int64(data.count))
            }
            #expect(etag?.hasSuffix("-3\"") == true, "three parts: \(etag ?? "nil")")
            let theirs = try PythonPeer.call(["command": "get", "endpoint": servers.s3Endpoint, "bucket": bucket, "key": address.key])
            #expect(theirs["sha256"] as? String == Bytes.sha256(data))
            #expect(theirs["size"] as? Int == data.count)
            let middle: Range<Int64> = 5_242_000..<5_243_000
            #expect(try await client.s3.read(address, range: middle) == Array(data[5_242_000..<5_243_000]), "across a part boundary")

            let small = try ObjectAddress("s3://\(bucket)/small")
            let smallETag = try await client.s3.upload(to: small) { try await $0.write(Array(data.prefix(100))) }
            #expect(smallETag?.contains("-") == false, "under one part: a single PUT")
            #expect(try await client.s3.read(small, range: 0..<100) == Array(data.prefix(100)))
        }
    }

    struct WriterFailed: Error {}

    @Test func failedOrCancelledUploadLeavesNoObject() async throws {
        let bucket = try servers.makeBucket(Bytes.uniqueName("abort"))
        let part = Bytes.random(count: 6 * 1024 * 1024, seed: 5)
        try await servers.withClient(servers.configuration(endpoint: servers.s3Endpoint)) { client in
            let failed = try ObjectAddress("s3://\(bucket)/failed.tfrecord")
            await #expect(throws: WriterFailed.self) {
                try await client.s3.upload(to: failed) { upload in
                    try await upload.write(part)
                    try await upload.write(part)
                    throw WriterFailed()
                }
            }
            let cancelled = try ObjectAddress("s3://\(bucket)/cancelled.tfrecord")
            let task = Task {
                try await client.s3.upload(to: cancelled) { upload in
                    try await upload.write(part)
                    try await Task.sleep(for: .seconds(30))
                    try await upload.write(part)
                }
            }
            try await Task.sleep(for: .milliseconds(500))
            task.cancel()
            await #expect(throws: (any Error).self) { try await task.value }

            for key in ["failed.tfrecord", "cancelled.tfrecord"] {
                let exists = try PythonPeer.call(["command": "exists", "endpoint": servers.s3Endpoint, "bucket": bucket, "key": key])
                #expect(exists["exists"] as? Bool == false, "no object under \(key)")
            }
            let pending = try PythonPeer.call(["command": "uploads", "endpoint": servers.s3Endpoint, "bucket": bucket])
            #expect((pending["keys"] as? [String])?.isEmpty == true, "aborted uploads leave no parts: \(pending)")
        }
    }

    @Test func missingObjectsAndRangesPastTheEnd() async throws {
        let bucket = try servers.makeBucket(Bytes.uniqueName("errors"))
        try await servers.withClient(servers.configuration(endpoint: servers.s3Endpoint)) { client in
            let address = try ObjectAddress("s3://\(bucket)/ten")
            try await client.s3.put(Array(0..<10), to: address)
            do {
                _ = try await client.s3.read(address, range: 5..<20)
                Issue.record("a range past the end must fail")
            } catch let error as RemoteError {
                #expect(error.kind == .outOfRange, "\(error)")
                #expect(error.description.hasPrefix("s3://\(bucket)/ten: "), "\(error)")
            }
            await #expect(throws: RemoteError.self) { try await client.s3.read(address, range: 10..<11) }
            do {
                _ = try await client.s3.info(of: try ObjectAddress("s3://\(bucket)/missing"))
                Issue.record("a missing object must fail")
            } catch let error as RemoteError {
                #expect(error.kind == .notFound)
                #expect(error.attempts == 1, "a 404 is not retried")
            }
            do {
                _ = try await client.s3.read(try ObjectAddress("s3://\(bucket)/missing"), range: 0..<1)
                Issue.record("a missing object must fail")
            } catch let error as RemoteError {
                #expect(error.kind == .notFound, "\(error)")
            }
            await #expect(throws: RemoteError.self) { try await client.s3.read(address, range: 3..<3) }
            await #expect(throws: RemoteError.self) { try await client.s3.info(of: try ObjectAddress("s3://\(bucket)/")) }
        }
    }
}
