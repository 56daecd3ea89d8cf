import Dispatch
import Foundation
import TFRecord
import Testing

@testable import TFRecordRemote

/// Writing TFRecord files and shards into S3 (moto) through the core's output hooks, read back by
/// boto3: the same bytes as the local writers, multipart uploads completed only at the end, faults
/// retried or aborted cleanly, sidecars only after their shards.
@Suite(.enabled(if: RemoteTestServers.isAvailable, RemoteTestServers.missingReason))
struct RemoteWriteTests {
    let servers = RemoteTestServers.current!

    /// Runs synchronous code that blocks on uploads on a Dispatch thread, never on the cooperative
    /// pool (the rule of `Blocking`).
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Records of varied sizes, some larger than the writer's buffer; about `bytes` in all.
    static func records(bytes: Int, seed: UInt64) -> [[UInt8]] {
        var records: [[UInt8]] = []
        var total = 0
        var index = 0
        while total < bytes {
            let size = index % 97 == 0 ? 300_000 : 100 + (index * 7919) % 20_000
            // Half text-like (compressible), half random.
            var record = Bytes.random(count: size / 2, seed: seed &+ UInt64(index))
            record += Array(String(repeating: "record \(index) ", count: size / 20 + 1).utf8.prefix(size - size / 2))
            records.append(record)
            total += record.count + 16
            index += 1
        }
        return records
    }

    static func localFile(_ records: [[UInt8]], options: WriteOptions) throws -> [UInt8] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(Bytes.uniqueName("local") + ".tfrecord").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try RecordWriter(path: path, options: options)
        for record in records { try writer.write(record) }
        try writer.close()
        return try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func get(_ bucket: String, _ key: String) throws -> [String: Any] {
        try PythonPeer.call(["command": "get", "endpoint": servers.s3Endpoint, "bucket": bucket, "key": key])
    }

    func exists(_ bucket: String, _ key: String) throws -> Bool {
        try PythonPeer.call(["command": "exists", "endpoint": servers.s3Endpoint, "bucket": bucket, "key": key])["exists"] as? Bool ?? true
    }

    func pendingUploads(_ bucket: String) throws -> [String] {
        try PythonPeer.call(["command": "uploads", "endpoint": servers.s3Endpoint, "bucket": bucket])["keys"] as? [String] ?? ["?"]
    }

    static let modes: [(String, WriteOptions)] = {
        var modes: [(String, WriteOptions)] = []
        for compression in [Compression.none, .gzip, .zlib, .lz4] {
            modes.append((compression.rawValue, WriteOptions(compression: compression)))
        }
        var blocked = WriteOptions(compression: .gzip)
        blocked.blockSize = 1 << 20
        modes.append(("blocked-gzip", blocked))
        return modes
    }()

    @Test func recordWriterUploadsTheLocalBytesInEveryCompression() async throws {
        let bucket = try servers.makeBucket(Bytes.uniqueName("write"))
        let records = Self.records(bytes: 14 << 20, seed: 1)
        try await servers.withClient(servers.configuration(endpoint: servers.s3Endpoint)) { client in
            for (label, options) in Self.modes {
                let expected = try Self.localFile(records, options: options)
                let key = "file-\(label).tfrecord"
                let address = try ObjectAddress("s3://\(bucket)/\(key)")
                try await Self.offPool {
                    let writer = try RecordWriter(sink: try ObjectUploadSink(client: client, address: address), name: address.description, options: options)
                    for record in records { try writer.write(record) }
                    #expect(!(try exists(bucket, key)), "\(label): no object before close")
                    try writer.close()
                }
                let theirs = try get(bucket, key)
                #expect(theirs["size"] as? Int == expected.count, "\(label)")
                #expect(theirs["sha256"] as? String == Bytes.sha256(expected), "\(label): boto3 reads the local writer's bytes")
                if expected.count > 2 * S3ObjectStore.minimumPartSize {
                    // A multipart upload's ETag is "<md5 of the part md5s>-<parts>".
                    let parts = (theirs["etag"] as? String)?.split(separator: "-").last.map { Int($0.filter(\.isNumber)) ?? 0 } ?? 0
                    #expect(parts >= 2, "\(label): uploaded in parts, ETag \(theirs["etag"] ?? "")")
                }
            }
            #expect(try pendingUploads(bucket).isEmpty)
        }
    }

    @Test func asyncRemoteRecordWriter() async throws {
        let bucket = try servers.makeBucket(Bytes.uniqueName("async"))
        let records = Self.records(bytes: 12 << 20, seed: 2)
        let options = WriteOptions(compression: .gzip)
        let expected = try Self.localFile(records, options: options)
        try await servers.withClient(servers.configuration(endpoint: servers.s3Endpoint)) { client in
            let writer = try RemoteRecordWriter(client: client, address: try ObjectAddress("s3://\(bucket)/a.tfrecord.gz"), options: options)
            try await writer.write(contentsOf: Array(records.prefix(10)))
            for record in records.dropFirst(10) { try await writer.write(record) }
            #expect(await writer.recordCount == records.count)
            try await writer.close()
            #expect(try get(bucket, "a.tfrecord.gz")["sha256"] as? String == Bytes.sha256(expected))

            let abandoned = try RemoteRecordWriter(client: client, address: try ObjectAddress("s3://\(bucket)/b.tfrecord"))
            try await abandoned.write(contentsOf: records)
            await abandoned.abandon()
            #expect(!(try exists(bucket, "b.tfrecord")))
            #expect(try pendingUploads(bucket).isEmpty, "the abandoned upload's parts are deleted")
        }
    }

    @Test func shardWriterPublishesTheLocalShardsThenSidecars() async throws {
        let bucket = try servers.makeBucket(Bytes.uniqueName("shards"))
        let records = Self.records(bytes: 24 << 20, seed: 3)
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent(Bytes.uniqueName("staging")).path
        let local = FileManager.default.temporaryDirectory.appendingPathComponent(Bytes.uniqueName("localshards")).path
        defer { for path in [staging, local] { try? FileManager.default.removeItem(atPath: path) } }
        try await servers.withClient(servers.configuration(endpoint: servers.s3Endpoint)) { client in
            let (remoteShards, localShards) = try await Self.offPool {
                var options = ShardWriterOptions(directory: staging, prefix: "train", recordsPerShard: 400,
                                                 write: WriteOptions(compression: .gzip), parallelShards: 2)
                options.publisher = try ObjectShardPublisher(client: client, prefix: ObjectAddress("s3://\(bucket)/coco"))
                var localOptions = options
                localOptions.publisher = nil
                localOptions.directory = local
                let remote = try ShardWriter(options: options)
                let reference = try ShardWriter(options: localOptions)
                for record in records {
                    try remote.write(record)
                    try reference.write(record)
                }
                return (try remote.finish(), try reference.finish())
            }
            #expect(remoteShards.count == localShards.count && remoteShards.count >= 3)
            for (remote, local) in zip(remoteShards, localShards) {
                let name = URL(fileURLWithPath: local.path).lastPathComponent
                #expect(remote.path == "s3://\(bucket)/coco/\(name)")
                #expect(remote.recordCount == local.recordCount && remote.recordOffsets == local.recordOffsets)
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: local.path)))
                #expect(try get(bucket, "coco/" + name)["sha256"] as? String == Bytes.sha256(bytes), "\(name): the local writer's bytes")
                #expect(try exists(bucket, "coco/" + name + ".tfindex"), "\(name): its sidecar")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: staging).isEmpty, "staging files are removed")
            #expect(try pendingUploads(bucket).isEmpty)
        }
    }

    @Test func asyncRemoteShardWriter() async throws {
        let bucket = try servers.makeBucket(Bytes.uniqueName("asyncshards"))
        let records = Self.records(bytes: 3 << 20, seed: 6)
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent(Bytes.uniqueName("staging")).path
        let local = FileManager.default.temporaryDirectory.appendingPathComponent(Bytes.uniqueName("localshards")).path
        defer { for path in [staging, local] { try? FileManager.default.removeItem(atPath: path) } }
        let options = ShardWriterOptions(directory: staging, prefix: "part", nameTemplate: .tutorial, recordsPerShard: 60,
                                         write: WriteOptions(compression: .zlib))
        var localOptions = options
        localOptions.directory = local
        let reference = try ShardWriter(options: localOptions)
        for record in records { try reference.write(record) }
        let localShards = try reference.finish()
        try await servers.withClient(servers.configuration(endpoint: servers.s3Endpoint)) { client in
            let writer = try RemoteShardWriter(client: client, prefix: try ObjectAddress("s3://\(bucket)/async"), options: options)
            try await writer.write(contentsOf: Array(records.prefix(100)))
            for record in records.dropFirst(100) { try await writer.write(record) }
            let shards = try await writer.finish()
            #expect(shards.count == localShards.count && shards.count >= 2)
            for (shard, localShard) in zip(shards, localShards) {
                let name = URL(fileURLWithPath: localShard.path).lastPathComponent
                #expect(shard.path == "s3://\(bucket)/async/\(name)")
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: localShard.path)))
                #expect(try get(bucket, "async/" + name)["sha256"] as? String == Bytes.sha256(bytes))
                #expect(try exists(bucket, "async/" + name + ".tfindex"))
            }
            let abandoned = try RemoteShardWriter(client: client, prefix: try ObjectAddress("s3://\(bucket)/gone/"),
                                                  options: ShardWriterOptions(directory: staging, recordsPerShard: 10_000))
            try await abandoned.write(contentsOf: Array(records.prefix(50)))
            await abandoned.abandon()
            #expect(try PythonPeer.call(["command": "exists", "endpoint": servers.s3Endpoint, "bucket": bucket,
                                         "key": "gone/data-00000-of-00001.tfrecord"])["exists"] as? Bool == false)
        }
    }

    @Test func sidecarIsNotUploadedWhenItsShardFails() async throws {
        let bucket = try servers.makeBucket(Bytes.uniqueName("sidecar"))
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent(Bytes.uniqueName("staging")).path
        defer { try? FileManager.default.removeItem(atPath: staging) }
        // One attempt: the shard's PUT fails with 500; its sidecar must then never be sent.
        try await servers.withClient(servers.configuration(endpoint: servers.s3ProxyEndpoint, attempts: 1)) { client in
            let shard = "train-00000-of-00001.tfrecord"
            try await servers.queueFaults(servers.s3Faults, [["kind": "error500", "match": "PUT /\(bucket)/out/\(shard) HTTP"]])
            let failure: TFRecordError? = try await Self.offPool { () -> TFRecordError? in
                var options = ShardWriterOptions(directory: staging, prefix: "train", recordsPerShard: 100)
                options.publisher = try ObjectShardPublisher(client: client, prefix: ObjectAddress("s3://\(bucket)/out/"))
                let writer = try ShardWriter(options: options)
                for record in Self.records(bytes: 200_000, seed: 4) { try writer.write(record) }
                do {
                    _ = try writer.finish()
                    return nil
                } catch {
                    return error as? TFRecordError ?? TFRecordError(.invalidArgument, "unexpected \(error)")
                }
            }
            #expect(failure?.kind == .io)
            #expect(failure?.path == "s3://\(bucket)/out/\(shard)", "the error names the object")
            #expect(try await servers.appliedFaults(servers.s3Faults, match: "PUT /\(bucket)/out/\(shard) HTTP") == 1)
            #expect(!(try exists(bucket, "out/" + shard)))
            #expect(!(try exists(bucket, "out/" + shard + ".tfindex")), "no sidecar without its shard")
        }
    }

    @Test func faultsMidUploadAreRetriedOrAbortCleanly() async throws {
        let bucket = try servers.makeBucket(Bytes.uniqueName("upfault"))
        let records = Self.records(bytes: 13 << 20, seed: 5)
        let expected = try Self.localFile(records, options: WriteOptions())
        // Retried: a 503 SlowDown and a connection reset on parts; the object is still exact.
        try await servers.withClient(servers.configuration(endpoint: servers.s3ProxyEndpoint)) { client in
            try await servers.queueFaults(servers.s3Faults, [
                ["kind": "slowdown", "match": "PUT /\(bucket)/retried.tfrecord?partNumber=1"],
                ["kind": "drop", "match": "PUT /\(bucket)/retried.tfrecord?partNumber=2"],
            ])
            let address = try ObjectAddress("s3://\(bucket)/retried.tfrecord")
            try await Self.offPool {
                let writer = try RecordWriter(sink: try ObjectUploadSink(client: client, address: address), name: address.description)
                for record in records { try writer.write(record) }
                try writer.close()
            }
            #expect(try get(bucket, "retried.tfrecord")["sha256"] as? String == Bytes.sha256(expected))
            #expect(try await servers.appliedFaults(servers.s3Faults, match: "PUT /\(bucket)/retried.tfrecord?partNumber=1") == 1)
            #expect(try await servers.appliedFaults(servers.s3Faults, match: "PUT /\(bucket)/retried.tfrecord?partNumber=2") == 1)
        }
        // Not retried enough: resets on every attempt of part 2; the writer fails with an I/O
        // error naming the object, and the upload is aborted (no object, no parts).
        try await servers.withClient(servers.configuration(endpoint: servers.s3ProxyEndpoint, attempts: 2)) { client in
            let match = "PUT /\(bucket)/failed.tfrecord?partNumber=2"
            try await servers.queueFaults(servers.s3Faults, Array(repeating: ["kind": "drop", "match": match], count: 2))
            let address = try ObjectAddress("s3://\(bucket)/failed.tfrecord")
            let failure: TFRecordError? = try await Self.offPool { () -> TFRecordError? in
                let writer = try RecordWriter(sink: try ObjectUploadSink(client: client, address: address), name: address.description)
                do {
                    for record in records { try writer.write(record) }
                    try writer.close()
                    return nil
                } catch {
                    return error as? TFRecordError ?? TFRecordError(.invalidArgument, "unexpected \(error)")
                }
            }
            #expect(failure?.kind == .io)
            #expect(failure?.path == "s3://\(bucket)/failed.tfrecord")
            #expect(failure?.detail.contains("2 attempts") == true, "\(failure?.description ?? "")")
            #expect(try await servers.appliedFaults(servers.s3Faults, match: match) == 2)
            #expect(!(try exists(bucket, "failed.tfrecord")))
            #expect(try pendingUploads(bucket).isEmpty, "the failed upload is aborted")
        }
    }
}
