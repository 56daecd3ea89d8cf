import Foundation
import Testing

@testable import TFRecordRemote

/// Our HTTP(S) client against nginx (ranges are nginx's own), over plain HTTP and over TLS with a
/// certificate made at test time.
@Suite(.enabled(if: RemoteTestServers.isAvailable, RemoteTestServers.missingReason))
struct HTTPObjectStoreTests {
    let servers = RemoteTestServers.current!

    func local(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: servers.corpus + "/" + path)))
    }

    @Test(arguments: ["http", "https"], ["conformance/shards/tfds/train-00000-of-00004.tfrecord", "scratch"])
    func rangesMatchTheLocalFile(_ scheme: String, _ path: String) async throws {
        let base = scheme == "http" ? servers.httpURL : servers.httpsURL
        var path = path
        let bytes: [UInt8]
        if path == "scratch" {
            let file = try servers.scratchFile(size: 3_000_017, seed: 21)
            path = "scratch/" + file.name
            bytes = file.bytes
        } else {
            bytes = try local(String(path.dropFirst("conformance/".count)))
        }
        try await servers.withClient(servers.configuration(endpoint: servers.s3Endpoint)) { client in
            let address = try ObjectAddress(base + "/" + path)
            #expect(client.store(for: address) is HTTPObjectStore)
            let info = try await client.http.info(of: address)
            #expect(info.size == Int64(bytes.count))
            #expect(info.etag != nil)
            #expect(try await client.http.read(address, range: 0..<Int64(bytes.count)) == bytes)
            for start in stride(from: 0, to: bytes.count - 100, by: max(1, bytes.count / 7)) {
                let range = Int64(start)..<Int64(start + 100)
                #expect(try await client.http.read(address, range: range) == Array(bytes[start..<(start + 100)]))
            }
            await #expect(throws: RemoteError.self) { try await client.http.read(address, range: 0..<Int64(bytes.count + 1)) }
        }
    }

    @Test func untrustedCertificateFailsWithoutRetrying() async throws {
        var configuration = servers.configuration(endpoint: servers.s3Endpoint)
        configuration.trustedCertificatesFile = nil
        try await servers.withClient(configuration) { client in
            do {
                _ = try await client.http.info(of: try ObjectAddress(servers.httpsURL + "/conformance/manifest.json"))
                Issue.record("a self-signed certificate must not be trusted without AWS_CA_BUNDLE")
            } catch let error as RemoteError {
                #expect(error.kind == .accessDenied, "\(error)")
                #expect(error.attempts == 1)
                #expect(error.message.contains("TLS"), "\(error)")
            }
        }
    }

    @Test func missingObjectsAndListing() async throws {
        try await servers.withClient(servers.configuration(endpoint: servers.s3Endpoint)) { client in
            let missing = try ObjectAddress(servers.httpURL + "/conformance/no such file.tfrecord")
            do {
                _ = try await client.http.read(missing, range: 0..<10)
                Issue.record("404 must fail")
            } catch let error as RemoteError {
                #expect(error.kind == .notFound, "\(error)")
                #expect(error.address == missing.description)
            }
            await #expect(throws: RemoteError.self) { try await client.http.list(try ObjectAddress(servers.httpURL + "/conformance/")) }
            await #expect(throws: RemoteError.self) { try await client.http.read(try ObjectAddress("s3://b/k"), range: 0..<1) }
        }
    }

    /// A server that ignores Range (the proxy drops the header; nginx answers 200 with the whole file):
    /// only the asked bytes are delivered, and a range too far in is refused rather than downloaded.
    @Test func serverIgnoringRangeDeliversOnlyTheAskedBytes() async throws {
        let (match, bytes) = try servers.scratchFile(size: 100_000, seed: 22)
        var configuration = servers.configuration(endpoint: servers.s3Endpoint)
        configuration.maximumDiscard = 4096
        try await servers.withClient(configuration) { client in
            let address = try ObjectAddress(servers.httpProxyURL + "/scratch/" + match)
            let before = try await servers.appliedFaults(servers.httpFaults, match: match)
            try await servers.queueFaults(servers.httpFaults, [["kind": "ignore-range", "match": match]])
            #expect(try await client.http.read(address, range: 1000..<1100) == Array(bytes[1000..<1100]))
            #expect(try await servers.appliedFaults(servers.httpFaults, match: match) == before + 1)

            try await servers.queueFaults(servers.httpFaults, [["kind": "ignore-range", "match": match]])
            do {
                _ = try await client.http.read(address, range: 5000..<5100)
                Issue.record("a 200 answer past maximumDiscard must be refused")
            } catch let error as RemoteError {
                #expect(error.kind == .unsupported, "\(error)")
                #expect(error.offset == 5000)
            }
            #expect(try await servers.appliedFaults(servers.httpFaults, match: match) == before + 2)
        }
    }

    /// The object is rewritten while a read is between attempts: the resumed request carries If-Match,
    /// the server answers 412, and the read fails as `changed` instead of mixing two versions.
    @Test func rewriteDuringAReadIsDetected() async throws {
        let name = Bytes.uniqueName("rewrite") + ".tfrecord"
        let path = servers.www + "/scratch/" + name
        try Data(Bytes.random(count: 200_000, seed: 1)).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = servers.configuration(endpoint: servers.s3Endpoint)
        configuration.readTimeout = 60
        try await servers.withClient(configuration) { client in
            let address = try ObjectAddress(servers.httpProxyURL + "/scratch/" + name)
            // The first answer's head arrives, then 10 s of nothing: time to rewrite the file.
            try await servers.queueFaults(servers.httpFaults, [["kind": "stall", "match": name, "ms": 10_000]])
            let read = Task { try await client.http.read(address, range: 0..<200_000) }
            var applied = 0
            for _ in 0..<400 where applied == 0 {
                try await Task.sleep(for: .milliseconds(20))
                applied = try await servers.appliedFaults(servers.httpFaults, match: name)
            }
            #expect(applied == 1)
            try Data(Bytes.random(count: 200_001, seed: 2)).write(to: URL(fileURLWithPath: path))
            do {
                _ = try await read.value
                Issue.record("bytes of two versions must never be delivered")
            } catch let error as RemoteError {
                #expect(error.kind == .changed, "\(error)")
            }
        }
    }
}
