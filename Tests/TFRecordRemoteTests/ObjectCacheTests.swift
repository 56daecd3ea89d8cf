import Foundation
import Testing

@testable import TFRecordRemote

@Suite struct ObjectCacheTests {
    @Test func pathsDependOnAddressSizeAndETag() throws {
        let cache = ObjectCache(directory: "/c")
        let address = try ObjectAddress("s3://b/dir/train ü.tfrecord.tfindex")
        let one = cache.path(for: ObjectInfo(address: address, size: 10, etag: "\"a\""))
        #expect(one.hasPrefix("/c/"))
        #expect(one.hasSuffix("-train__.tfrecord.tfindex"), "\(one)")
        #expect(one == cache.path(for: ObjectInfo(address: address, size: 10, etag: "\"a\"")))
        #expect(one != cache.path(for: ObjectInfo(address: address, size: 11, etag: "\"a\"")))
        #expect(one != cache.path(for: ObjectInfo(address: address, size: 10, etag: "\"b\"")))
        let other = try ObjectAddress("s3://b/other/train ü.tfrecord.tfindex")
        #expect(one != cache.path(for: ObjectInfo(address: other, size: 10, etag: "\"a\"")))
        let web = try ObjectAddress("http://h/x/../a.idx?sig=1")
        #expect(cache.path(for: ObjectInfo(address: web, size: 1, etag: nil)).hasSuffix("-a.idx"))
    }

    @Test func standardDirectory() {
        #expect(ObjectCache.standard(environment: ["TFRECORD_CACHE_DIR": "/x", "HOME": "/h"]).directory == "/x")
        #expect(ObjectCache.standard(environment: ["XDG_CACHE_HOME": "/xdg", "HOME": "/h"]).directory == "/xdg/tfrecord")
        #expect(ObjectCache.standard(environment: ["HOME": "/h"]).directory == "/h/.cache/tfrecord")
    }
}

/// The cache against moto through the fault proxy: fetched once, reused without a request, refetched
/// under a new name when the object changes.
@Suite(.enabled(if: RemoteTestServers.isAvailable, RemoteTestServers.missingReason))
struct ObjectCacheServerTests {
    let servers = RemoteTestServers.current!

    @Test func sidecarIsFetchedOnceAndRefetchedWhenRewritten() async throws {
        let bucket = try servers.makeBucket(Bytes.uniqueName("cache"))
        let key = "dir/" + Bytes.uniqueName("train") + ".tfrecord.tfindex"
        let first = Bytes.random(count: 100_000, seed: 41)
        _ = try servers.putWithBoto3(bucket: bucket, key: key, data: first)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(Bytes.uniqueName("cache")).path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cache = ObjectCache(directory: directory)
        try await servers.withClient(servers.configuration(endpoint: servers.s3ProxyEndpoint)) { client in
            let address = try ObjectAddress("s3://\(bucket)/\(key)")
            let info = try await client.s3.info(of: address)
            let path = try await cache.fetch(info, from: client.s3)
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == first)

            try await servers.queueFaults(servers.s3Faults, [["kind": "slowdown", "match": key]])
            #expect(try await cache.fetch(info, from: client.s3) == path)
            #expect(try await servers.appliedFaults(servers.s3Faults, match: key) == 0, "a cached copy costs no request")

            let second = Bytes.random(count: 100_001, seed: 42)
            _ = try servers.putWithBoto3(bucket: bucket, key: key, data: second)
            let newInfo = try await client.s3.info(of: address)  // meets the queued SlowDown, retried
            #expect(try await servers.appliedFaults(servers.s3Faults, match: key) == 1)
            #expect(newInfo.etag != info.etag)
            let newPath = try await cache.fetch(newInfo, from: client.s3)
            #expect(newPath != path)
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: newPath))) == second)

            let elsewhere = ObjectCache(directory: directory + "/stale")
            do {
                _ = try await elsewhere.fetch(info, from: client.s3)
                Issue.record("the old version must not be cached from the new bytes")
            } catch let error as RemoteError {
                #expect(error.kind == .changed, "\(error)")
            }
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory + "/stale")
            #expect(leftovers.isEmpty, "no partial file left: \(leftovers)")
        }
    }
}
