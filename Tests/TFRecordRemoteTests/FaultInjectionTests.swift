import Foundation
import Testing

@testable import TFRecordRemote

/// Faults injected by scripts/fault_proxy.py between our client and moto / nginx: every read still
/// delivers exactly the object's bytes, or fails with the object, offset and attempts named.
@Suite(.enabled(if: RemoteTestServers.isAvailable, RemoteTestServers.missingReason))
struct FaultInjectionTests {
    let servers = RemoteTestServers.current!

    /// A bucket with one object of `size` random bytes, uploaded directly to moto by boto3.
    func object(size: Int, seed: UInt64) throws -> (bucket: String, key: String, data: [UInt8]) {
        let bucket = try servers.makeBucket(Bytes.uniqueName("faults"))
        let key = Bytes.uniqueName("object") + ".tfrecord"
        let data = Bytes.random(count: size, seed: seed)
        _ = try servers.putWithBoto3(bucket: bucket, key: key, data: data)
        return (bucket, key, data)
    }

    static func faults(_ name: String) -> [[String: Any]] {
        switch name {
        case "slowdown": [["kind": "slowdown"], ["kind": "slowdown"]]
        case "error500": [["kind": "error500"]]
        case "reset": [["kind": "reset", "after": 100_000], ["kind": "reset", "after": 250_000]]
        case "truncate": [["kind": "truncate", "after": 300_001]]
        default: [["kind": "latency", "ms": 300]]
        }
    }

    @Test(arguments: ["slowdown", "error500", "reset", "truncate", "latency"])
    func readsSurviveFaults(_ name: String) async throws {
        let faults = Self.faults(name)
        let (bucket, key, data) = try object(size: 1_000_000, seed: 11)
        try await servers.withClient(servers.configuration(endpoint: servers.s3ProxyEndpoint)) { client in
            let address = try ObjectAddress("s3://\(bucket)/\(key)")
            try await servers.queueFaults(servers.s3Faults, faults.map { $0.merging(["match": key]) { a, _ in a } })
            let started = ContinuousClock.now
            let bytes = try await client.s3.read(address, range: 0..<Int64(data.count))
            #expect(bytes.count == data.count, "\(name)")
            #expect(bytes == data, "\(name): exactly the object's bytes")
            #expect(try await servers.appliedFaults(servers.s3Faults, match: key) == faults.count, "\(name): every fault was hit")
            if name == "latency" { #expect(ContinuousClock.now - started >= .milliseconds(300)) }
        }
    }

    @Test func resumedReadOfAMiddleRange() async throws {
        let (bucket, key, data) = try object(size: 2_000_000, seed: 12)
        try await servers.withClient(servers.configuration(endpoint: servers.s3ProxyEndpoint)) { client in
            let address = try ObjectAddress("s3://\(bucket)/\(key)")
            try await servers.queueFaults(servers.s3Faults, [["kind": "reset", "after": 77_777, "match": key], ["kind": "truncate", "after": 1, "match": key]])
            #expect(try await client.s3.read(address, range: 123_456..<1_500_000) == Array(data[123_456..<1_500_000]))
            #expect(try await servers.appliedFaults(servers.s3Faults, match: key) == 2)
        }
    }

    @Test func stalledBodyTimesOutAndResumes() async throws {
        let (bucket, key, data) = try object(size: 300_000, seed: 13)
        var configuration = servers.configuration(endpoint: servers.s3ProxyEndpoint)
        configuration.readTimeout = 0.5
        try await servers.withClient(configuration) { client in
            let address = try ObjectAddress("s3://\(bucket)/\(key)")
            try await servers.queueFaults(servers.s3Faults, [["kind": "stall", "ms": 90_000, "match": key]])
            let started = ContinuousClock.now
            #expect(try await client.s3.read(address, range: 0..<300_000) == data)
            // Generous for a loaded machine; without the read timeout the read would wait out the 90 s stall.
            #expect(ContinuousClock.now - started < .seconds(60), "the read timeout cut the 90 s stall short")
            #expect(try await servers.appliedFaults(servers.s3Faults, match: key) == 1)
        }
    }

    @Test func attemptsRunOutWithAClearError() async throws {
        let (bucket, key, _) = try object(size: 10_000, seed: 14)
        try await servers.withClient(servers.configuration(endpoint: servers.s3ProxyEndpoint, attempts: 3)) { client in
            let address = try ObjectAddress("s3://\(bucket)/\(key)")
            try await servers.queueFaults(servers.s3Faults, Array(repeating: ["kind": "slowdown", "match": key], count: 3))
            do {
                _ = try await client.s3.read(address, range: 4096..<8192)
                Issue.record("three SlowDowns with three attempts must fail")
            } catch let error as RemoteError {
                #expect(error.kind == .io)
                #expect(error.attempts == 3)
                #expect(error.offset == 4096)
                #expect(error.status == 503)
                #expect(error.serverCode == "SlowDown")
                #expect(error.description == "s3://\(bucket)/\(key): I/O error at offset 4096 after 3 attempts: HTTP 503 SlowDown: Please reduce your request rate.")
            }
            #expect(try await servers.appliedFaults(servers.s3Faults, match: key) == 3)

            try await servers.queueFaults(servers.s3Faults, Array(repeating: ["kind": "error500", "match": key], count: 3))
            do {
                _ = try await client.s3.info(of: address)
                Issue.record("three 500s with three attempts must fail")
            } catch let error as RemoteError {
                #expect(error.kind == .io)
                #expect(error.attempts == 3)
                #expect(error.status == 500, "a HEAD answer has no body, so no S3 code")
            }
        }
    }

    /// A server whose Content-Range does not start at the byte asked for: the read fails, no byte is delivered.
    @Test func lyingContentRangeIsRefused() async throws {
        let (bucket, key, _) = try object(size: 50_000, seed: 16)
        try await servers.withClient(servers.configuration(endpoint: servers.s3ProxyEndpoint)) { client in
            try await servers.queueFaults(servers.s3Faults, [["kind": "shift-range", "match": key]])
            do {
                _ = try await client.s3.read(try ObjectAddress("s3://\(bucket)/\(key)"), range: 100..<200)
                Issue.record("a wrong Content-Range must never deliver bytes")
            } catch let error as RemoteError {
                #expect(error.kind == .protocolViolation, "\(error)")
                #expect(error.message.contains("Content-Range"), "\(error)")
                #expect(error.attempts == 1, "not retried")
            }
            #expect(try await servers.appliedFaults(servers.s3Faults, match: key) == 1)
        }
    }

    @Test func cancellingAReadStopsItPromptly() async throws {
        let (bucket, key, _) = try object(size: 50_000, seed: 17)
        try await servers.withClient(servers.configuration(endpoint: servers.s3ProxyEndpoint)) { client in
            try await servers.queueFaults(servers.s3Faults, [["kind": "stall", "ms": 90_000, "match": key]])
            let address = try ObjectAddress("s3://\(bucket)/\(key)")
            let read = Task { try await client.s3.read(address, range: 0..<50_000) }
            var applied = 0
            for _ in 0..<200 where applied == 0 {
                try await Task.sleep(for: .milliseconds(20))
                applied = try await servers.appliedFaults(servers.s3Faults, match: key)
            }
            let cancelled = ContinuousClock.now
            read.cancel()
            do {
                _ = try await read.value
                Issue.record("a cancelled read must throw")
            } catch let error as RemoteError {
                #expect(error.kind == .cancelled, "\(error)")
            }
            #expect(ContinuousClock.now - cancelled < .seconds(45), "not waiting out the 90 s stall (bound generous for a loaded machine)")
        }
    }

    @Test func multipartUploadSurvivesFaultsOnParts() async throws {
        let bucket = try servers.makeBucket(Bytes.uniqueName("upfaults"))
        let key = Bytes.uniqueName("upload") + ".tfrecord"
        let data = Bytes.random(count: 11 * 1024 * 1024, seed: 15)
        try await servers.withClient(servers.configuration(endpoint: servers.s3ProxyEndpoint)) { client in
            try await servers.queueFaults(servers.s3Faults, [
                ["kind": "slowdown", "match": "partNumber=2"], ["kind": "error500", "match": "?uploads"],
                ["kind": "slowdown", "match": "PUT /\(bucket)/\(key)?partNumber=3"],
            ])
            try await client.s3.upload(to: try ObjectAddress("s3://\(bucket)/\(key)")) { try await $0.write(data) }
            let theirs = try PythonPeer.call(["command": "get", "endpoint": servers.s3Endpoint, "bucket": bucket, "key": key])
            #expect(theirs["sha256"] as? String == Bytes.sha256(data))
            #expect(try await servers.appliedFaults(servers.s3Faults, match: "PUT /\(bucket)/\(key)?partNumber=3") == 1)
        }
    }

    @Test func httpReadsSurviveResetsAndTruncation() async throws {
        let (match, bytes) = try servers.scratchFile(size: 1_000_003, seed: 23)
        try await servers.withClient(servers.configuration(endpoint: servers.s3Endpoint)) { client in
            let address = try ObjectAddress(servers.httpProxyURL + "/scratch/" + match)
            let before = try await servers.appliedFaults(servers.httpFaults, match: match)
            try await servers.queueFaults(servers.httpFaults, [
                ["kind": "reset", "after": 1000, "match": match], ["kind": "truncate", "after": 2000, "match": match],
                ["kind": "slowdown", "match": match],
            ])
            #expect(try await client.http.read(address, range: 0..<Int64(bytes.count)) == bytes)
            #expect(try await servers.appliedFaults(servers.httpFaults, match: match) == before + 3)
        }
    }
}
