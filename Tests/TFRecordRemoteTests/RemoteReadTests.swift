import Foundation
import TFRecord
import Testing

@testable import TFRecordRemote

/// The integrated read path against the real peers: every conformance file, uploaded to moto by
/// boto3 and served by nginx, read through `RecordReader(object:)` gives exactly what the local
/// file gives (the same records, then the same damage at the same offset); with a sidecar
/// uploaded beside it, random access through `RemoteDataset` gives the manifest's records and
/// counts; without one, a clear message; through the fault proxy, the same records.
@Suite(.enabled(if: RemoteTestServers.isAvailable, RemoteTestServers.missingReason))
struct RemoteReadTests {
    let servers = RemoteTestServers.current!

    struct Entry: Sendable {
        var path: String
        var compression: String
        var category: String
        var records: Int?
        var recordSHA256: [String]
        var intact: Bool { !category.hasPrefix("corrupt") }
    }

    func manifest() throws -> [Entry] {
        let data = try Data(contentsOf: URL(fileURLWithPath: servers.corpus + "/manifest.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(json["files"] as? [[String: Any]]).map { file in
            // This library reads every gzip member / zlib stream of a concatenation (TensorFlow the first).
            let all = file["all_members_record_sha256"] as? [String] ?? file["all_streams_record_sha256"] as? [String]
            return Entry(path: file["path"] as! String, compression: file["compression"] as? String ?? "",
                         category: file["category"] as? String ?? "", records: file["num_records"] as? Int,
                         recordSHA256: all ?? file["record_sha256"] as? [String] ?? [])
        }
    }

    /// What a sequential read gave: record hashes, then the error (kind, record, offsets, words).
    struct Reading: Equatable, Sendable, CustomStringConvertible {
        var hashes: [String] = []
        var error: String?
        var description: String { "\(hashes.count) records, error: \(error ?? "none")" }
    }

    /// Reads with the core reader `make` on a thread (the core blocks while requests run).
    static func read(_ make: @escaping @Sendable () throws -> RecordReader) async throws -> Reading {
        try await Blocking.onThread {
            var reading = Reading()
            do {
                let reader = try make()
                try reader.forEachRecord { _, payload in reading.hashes.append(Bytes.sha256(payload.withUnsafeBytes { Array($0) })) }
            } catch let error as TFRecordError {
                // The path differs (file vs address); everything else must be equal.
                var unnamed = error
                unnamed.path = nil
                reading.error = "\(error.kind) \(error.recordNumber.map(String.init) ?? "-") \(error.offset.map(String.init) ?? "-") \(error.compressedOffset.map(String.init) ?? "-") \(unnamed.description)"
            }
            return reading
        }
    }

    func upload(_ files: [String: String], bucket: String) throws {
        let answer = try PythonPeer.call(["command": "put_files", "endpoint": servers.s3Endpoint, "bucket": bucket, "files": files])
        #expect(answer["count"] as? Int == files.count)
    }

    @Test func everyCorpusFileReadsSequentiallyFromS3AndHTTPAsLocally() async throws {
        let entries = try manifest()
        let bucket = try servers.makeBucket(Bytes.uniqueName("sequential"))
        try upload(Dictionary(uniqueKeysWithValues: entries.map { ($0.path, servers.corpus + "/" + $0.path) }), bucket: bucket)
        let corpus = servers.corpus
        try await servers.withClient(servers.configuration(endpoint: servers.s3Endpoint)) { client in
            var compared = 0
            for entry in entries {
                let local = try await Self.read { try RecordReader(path: corpus + "/" + entry.path, options: ReadOptions(useMemoryMap: false)) }
                if entry.intact, entry.records != nil {
                    #expect(local.hashes == entry.recordSHA256 && local.error == nil, "\(entry.path): the local reference")
                }
                for text in ["s3://\(bucket)/\(entry.path)", servers.httpURL + "/conformance/" + entry.path] {
                    let (address, store) = RemoteShards.route(try ObjectAddress(text), client: client)
                    let info = try await store.info(of: address)
                    var options = RemoteReadOptions()
                    options.chunkSize = 311  // records straddle many chunks
                    let object = RemoteObject(info: info, store: store, options: options)
                    let remote = try await Self.read { try RecordReader(object: object) }
                    #expect(remote == local, "\(text)")
                    compared += 1
                }
            }
            #expect(compared == 2 * entries.count)
        }
    }

    /// Intact files with records that random access serves (LZ4 has no checkpoints).
    func randomAccessEntries() throws -> [Entry] {
        try manifest().filter { $0.intact && ($0.records ?? 0) > 0 && ["", "GZIP", "ZLIB"].contains($0.compression) && !$0.recordSHA256.isEmpty }
    }

    @Test func randomAccessWithSidecarsFromS3AndHTTPGivesTheManifestsRecords() async throws {
        let entries = try randomAccessEntries()
        #expect(entries.count > 20)
        let bucket = try servers.makeBucket(Bytes.uniqueName("random"))
        let folder = Bytes.uniqueName("random")
        let scratch = servers.www + "/scratch/" + folder
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var files: [String: String] = [:]
        for (k, entry) in entries.enumerated() {
            // Half with the binary sidecar, the uncompressed half of the rest with DALI's text index.
            let source = servers.corpus + "/" + entry.path
            let index = try RecordIndex.build(path: source, verifyingChecksums: true)
            let key = "\(k)-" + entry.path.replacingOccurrences(of: "/", with: "_")
            try FileManager.default.copyItem(atPath: source, toPath: scratch + "/" + key)
            files[key] = source
            if k % 2 == 1 && entry.compression.isEmpty {
                try index.writeText(to: scratch + "/" + key + ".idx")
                files[key + ".idx"] = scratch + "/" + key + ".idx"
            } else {
                try index.write(to: scratch + "/" + key + ".tfindex")
                files[key + ".tfindex"] = scratch + "/" + key + ".tfindex"
            }
        }
        try upload(files, bucket: bucket)
        let cache = ObjectCache(directory: FileManager.default.temporaryDirectory.appendingPathComponent(Bytes.uniqueName("cache")).path)
        defer { try? FileManager.default.removeItem(atPath: cache.directory) }
        try await servers.withClient(servers.configuration(endpoint: servers.s3Endpoint)) { client in
            let keys = entries.indices.map { "\($0)-" + entries[$0].path.replacingOccurrences(of: "/", with: "_") }
            let expected = entries.flatMap(\.recordSHA256)
            for base in ["s3://\(bucket)/", servers.httpURL + "/scratch/\(folder)/"] {
                let dataset = try await RemoteDataset.open(keys.map { base + $0 }, client: client, cache: cache)
                #expect(dataset.count == expected.count, "\(base): counts from sidecars")
                #expect(dataset.dataset.recordCounts == entries.map { $0.recordSHA256.count }, "\(base)")
                // One record at a time, and an epoch of shuffled batches.
                for i in stride(from: 0, to: expected.count, by: 7) {
                    #expect(Bytes.sha256(try await dataset.record(at: i)) == expected[i], "\(base) record \(i)")
                }
                let order = Array(dataset.order(seed: 42))
                let records = try await dataset.records(at: order)
                #expect(records.count == order.count)
                for (k, i) in order.enumerated() where Bytes.sha256(records[k]) != expected[i] {
                    Issue.record("\(base): record \(i) of the epoch differs")
                    break
                }
            }
        }
    }

    @Test func aShardWithoutASidecarSaysSoAndNamesTheCommand() async throws {
        let entry = try #require(try randomAccessEntries().first { $0.compression.isEmpty })
        let bucket = try servers.makeBucket(Bytes.uniqueName("nosidecar"))
        try upload(["shard.tfrecord": servers.corpus + "/" + entry.path], bucket: bucket)
        try await servers.withClient(servers.configuration(endpoint: servers.s3Endpoint)) { client in
            for text in ["s3://\(bucket)/shard.tfrecord", servers.httpURL + "/conformance/" + entry.path] {
                do {
                    _ = try await RemoteDataset.open([text], client: client, cache: ObjectCache(directory: "/nonexistent-cache"))
                    Issue.record("\(text): a shard without a sidecar must not open")
                } catch let error as TFRecordError {
                    #expect(error.kind == .invalidArgument)
                    #expect(error.path == text)
                    #expect(error.description.contains("no index") && error.description.contains("tfrecord index \(text)"), "\(error)")
                }
            }
        }
    }

    /// A shard of `count` records of about `size` bytes, written locally with `compression`,
    /// and its sidecar; returns the payloads and the two files.
    func writeShard(count: Int, size: Int, compression: Compression, seed: UInt64) throws -> (payloads: [[UInt8]], shard: String, sidecar: String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(Bytes.uniqueName("shard") + ".tfrecord").path
        let payloads = (0..<count).map { Bytes.random(count: size + $0 % 97, seed: seed &+ UInt64($0)) }
        let writer = try RecordWriter(path: path, options: WriteOptions(compression: compression))
        for payload in payloads { try writer.write(payload) }
        try writer.close()
        try RecordIndex.build(path: path).write(to: path + ".tfindex")
        return (payloads, path, path + ".tfindex")
    }

    @Test func aRewrittenShardInvalidatesTheCachedSidecar() async throws {
        let bucket = try servers.makeBucket(Bytes.uniqueName("rewrite"))
        let first = try writeShard(count: 50, size: 100, compression: .none, seed: 1)
        let second = try writeShard(count: 70, size: 100, compression: .none, seed: 2)
        let cache = ObjectCache(directory: FileManager.default.temporaryDirectory.appendingPathComponent(Bytes.uniqueName("cache")).path)
        defer {
            for f in [first.shard, first.sidecar, second.shard, second.sidecar, cache.directory] { try? FileManager.default.removeItem(atPath: f) }
        }
        try upload(["s.tfrecord": first.shard, "s.tfrecord.tfindex": first.sidecar], bucket: bucket)
        try await servers.withClient(servers.configuration(endpoint: servers.s3Endpoint)) { client in
            let address = "s3://\(bucket)/s.tfrecord"
            var dataset = try await RemoteDataset.open([address], client: client, cache: cache)
            #expect(try await dataset.record(at: 49) == first.payloads[49])
            // The shard rewritten, its sidecar not: the cached sidecar no longer fits and is refused.
            try upload(["s.tfrecord": second.shard], bucket: bucket)
            do {
                dataset = try await RemoteDataset.open([address], client: client, cache: cache)
                _ = try await dataset.record(at: 0)
                Issue.record("a sidecar of the old shard must be refused")
            } catch let error as TFRecordError {
                #expect(error.description.contains("stale index") && error.description.contains("tfrecord index \(address)"), "\(error)")
                #expect(error.path?.hasPrefix(address) == true, "names the shard or its sidecar: \(error)")
            }
            // Both rewritten: the new sidecar (a new ETag) is fetched, the new records read.
            try upload(["s.tfrecord.tfindex": second.sidecar], bucket: bucket)
            dataset = try await RemoteDataset.open([address], client: client, cache: cache)
            #expect(dataset.count == 70)
            #expect(try await dataset.records(at: [69, 0, 50]) == [second.payloads[69], second.payloads[0], second.payloads[50]])
        }
    }

    @Test(arguments: [Compression.none, .gzip])
    func faultsAreRetriedAndNeverGiveAWrongRecord(_ compression: Compression) async throws {
        let bucket = try servers.makeBucket(Bytes.uniqueName("faults"))
        let shard = try writeShard(count: 3000, size: 300, compression: compression, seed: 7)
        defer { for f in [shard.shard, shard.sidecar] { try? FileManager.default.removeItem(atPath: f) } }
        let key = Bytes.uniqueName("faulty") + ".tfrecord"
        try upload([key: shard.shard, key + ".tfindex": shard.sidecar], bucket: bucket)
        let cache = ObjectCache(directory: FileManager.default.temporaryDirectory.appendingPathComponent(Bytes.uniqueName("cache")).path)
        defer { try? FileManager.default.removeItem(atPath: cache.directory) }
        let match = "/\(bucket)/\(key) HTTP"  // the shard's GETs, not its sidecar's
        try await servers.withClient(servers.configuration(endpoint: servers.s3ProxyEndpoint, attempts: 5)) { client in
            var options = RemoteReadOptions()
            options.chunkSize = 64 << 10
            options.maximumSpan = 64 << 10
            let shards = try await RemoteShards.expand(["s3://\(bucket)/\(key)"], client: client, options: options)
            let faults: [[String: Any]] = [
                ["kind": "slowdown", "match": match], ["kind": "reset", "after": 10_000, "match": match],
                ["kind": "truncate", "after": 5_000, "match": match], ["kind": "error500", "match": match],
            ]
            // Sequentially.
            try await servers.queueFaults(servers.s3Faults, faults)
            let object = shards.objects[0]
            let read = try await Self.read { try RecordReader(object: object) }
            #expect(read.error == nil && read.hashes == shard.payloads.map { Bytes.sha256($0) })
            #expect(try await servers.appliedFaults(servers.s3Faults, match: match) == faults.count)
            // By random access, an epoch.
            let dataset = try await RemoteDataset.open(shards, cache: cache)
            _ = try await dataset.record(at: 0)  // opens the shard (sidecar, fingerprint)
            try await servers.queueFaults(servers.s3Faults, faults)
            let order = Array(dataset.order(seed: 3))
            let records = try await dataset.records(at: order)
            #expect(records == order.map { shard.payloads[$0] })
            #expect(try await servers.appliedFaults(servers.s3Faults, match: match) == 2 * faults.count)
        }
        // Out of attempts: the error names the object, the record and the offset.
        try await servers.withClient(servers.configuration(endpoint: servers.s3ProxyEndpoint, attempts: 2)) { client in
            let dataset = try await RemoteDataset.open(["s3://\(bucket)/\(key)"], client: client, cache: cache)
            _ = try await dataset.record(at: 0)
            try await servers.queueFaults(servers.s3Faults, Array(repeating: ["kind": "slowdown", "match": match], count: 2))
            do {
                _ = try await dataset.record(at: 1234)
                Issue.record("two SlowDowns with two attempts must fail")
            } catch let error as TFRecordError {
                #expect(error.kind == .io)
                #expect(error.path == "s3://\(bucket)/\(key)")
                #expect(error.recordNumber == 1234)
                #expect(error.description.contains("reading record 1234") && error.description.contains("after 2 attempts")
                        && error.description.contains("offset") && error.description.contains("SlowDown"), "\(error)")
            }
        }
    }

    @Test func prefixesGlobsAndShardSetsAreListed() async throws {
        let bucket = try servers.makeBucket(Bytes.uniqueName("listing"))
        let shard = try writeShard(count: 3, size: 10, compression: .none, seed: 5)
        defer { for f in [shard.shard, shard.sidecar] { try? FileManager.default.removeItem(atPath: f) } }
        var files: [String: String] = [:]
        for n in 0..<3 { files["d/train-0000\(n)-of-00003"] = shard.shard; files["d/train-0000\(n)-of-00003.tfindex"] = shard.sidecar }
        files["d/.hidden"] = shard.shard
        files["e/part-00000-of-00002"] = shard.shard
        try upload(files, bucket: bucket)
        try await servers.withClient(servers.configuration(endpoint: servers.s3Endpoint)) { client in
            let expected = (0..<3).map { "s3://\(bucket)/d/train-0000\($0)-of-00003" }
            for text in ["s3://\(bucket)/d/", "s3://\(bucket)/d/train-*", "s3://\(bucket)/d/train-0000[0-2]-of-*", "s3://\(bucket)/d/train"] {
                let shards = try await RemoteShards.expand([text], client: client)
                #expect(shards.objects.map(\.name) == expected, "\(text)")
                // Sidecars found in the listing: counts without a HEAD.
                let dataset = try await RemoteDataset.open(shards, cache: ObjectCache(directory: "/nonexistent-cache"))
                #expect(dataset.count == 9, "\(text)")
            }
            do {
                _ = try await RemoteShards.expand(["s3://\(bucket)/e/part"], client: client)
                Issue.record("an incomplete -of- set must be refused")
            } catch let error as TFRecordError {
                #expect(error.kind == .invalidArgument && error.description.contains("incomplete"), "\(error)")
            }
            await #expect(throws: RemoteError.self) { _ = try await RemoteShards.expand(["s3://\(bucket)/nothing-*"], client: client) }
        }
    }
}
