import Foundation
import TFRecord
import Testing

@testable import TFRecordRemote

/// Every file of the TensorFlow-made conformance corpus (../shared/conformance, manifest.json), uploaded
/// to moto by boto3 and served by nginx, read back through our client: whole files byte for byte, and
/// every record frame of the intact uncompressed files by planned batch reads (the random-access path),
/// each frame checked with TFRecord's own CRC32C.
@Suite(.enabled(if: RemoteTestServers.isAvailable, RemoteTestServers.missingReason))
struct ConformanceCorpusTests {
    let servers = RemoteTestServers.current!

    struct Entry: Sendable {
        var path: String
        var size: Int64
        var sha256: String
        var compression: String
        var category: String
        var recordOffsets: [Int64]
        var recordLengths: [Int64]
        var recordSHA256: [String]
        var damageOffset: Int64?
    }

    func manifest() throws -> [Entry] {
        let data = try Data(contentsOf: URL(fileURLWithPath: servers.corpus + "/manifest.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let files = try #require(json["files"] as? [[String: Any]])
        return files.map { file in
            Entry(
                path: file["path"] as! String, size: Int64(file["file_size"] as! Int), sha256: file["file_sha256"] as! String,
                compression: file["compression"] as? String ?? "", category: file["category"] as? String ?? "",
                recordOffsets: (file["record_offsets"] as? [Int] ?? []).map(Int64.init),
                recordLengths: (file["record_lengths"] as? [Int] ?? []).map(Int64.init),
                recordSHA256: file["record_sha256"] as? [String] ?? [],
                damageOffset: ((file["corruption"] as? [String: Any])?["byte_offset"] as? Int).map(Int64.init))
        }
    }

    /// Checks one file through `store` at `address`; returns the number of records checked.
    static func check(_ entry: Entry, at address: ObjectAddress, store: any ObjectStore, corpus: String) async throws -> Int {
        let info = try await store.info(of: address)
        #expect(info.size == entry.size, "\(entry.path)")
        guard entry.size > 0 else { return 0 }
        let whole = try await store.read(address, range: 0..<entry.size)
        #expect(Bytes.sha256(whole) == entry.sha256, "\(entry.path) byte for byte")
        if let damage = entry.damageOffset, damage < entry.size {
            let local = Array(try Data(contentsOf: URL(fileURLWithPath: corpus + "/" + entry.path)))
            #expect(try await store.read(address, range: damage..<(damage + 1)) == [local[Int(damage)]], "\(entry.path) damage byte")
        }
        guard entry.compression.isEmpty, !entry.category.hasPrefix("corrupt"), !entry.recordOffsets.isEmpty,
            entry.recordOffsets.count == entry.recordSHA256.count
        else { return 0 }
        // Random access: each record's frame (header, payload, footer) is one range; the batch API plans
        // them into few GETs. Every frame must pass TFRecord's own checks: length, both masked CRC32Cs.
        let frames = zip(entry.recordOffsets, entry.recordLengths).map { $0..<($0 + 12 + $1 + 4) }
        let payloads = try await store.read(address, ranges: frames, gap: 64, maximumSpan: 4096, maximumInFlight: 4)
        for (index, frame) in payloads.enumerated() {
            let length = Int(entry.recordLengths[index])
            let header = Array(frame[0..<12])
            let payload = Array(frame[12..<(12 + length)])
            let footer = Array(frame[(12 + length)...])
            #expect(Self.littleEndian(header[0..<8]) == UInt64(length), "\(entry.path) record \(index) length")
            #expect(CRC32C.mask(CRC32C.checksum(Array(header[0..<8]))) == UInt32(Self.littleEndian(header[8..<12])), "\(entry.path) record \(index) length CRC")
            #expect(CRC32C.mask(CRC32C.checksum(payload)) == UInt32(Self.littleEndian(footer[...])), "\(entry.path) record \(index) payload CRC")
            #expect(Bytes.sha256(payload) == entry.recordSHA256[index], "\(entry.path) record \(index)")
        }
        return payloads.count
    }

    static func littleEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    @Test func everyCorpusFileReadsBackThroughS3AndHTTP() async throws {
        let entries = try manifest()
        #expect(entries.count > 100)
        let bucket = try servers.makeBucket(Bytes.uniqueName("conformance"))
        var files: [String: String] = [:]
        for entry in entries { files[entry.path] = servers.corpus + "/" + entry.path }
        let uploaded = try PythonPeer.call(["command": "put_files", "endpoint": servers.s3Endpoint, "bucket": bucket, "files": files])
        #expect(uploaded["count"] as? Int == entries.count)

        let corpus = servers.corpus
        try await servers.withClient(servers.configuration(endpoint: servers.s3Endpoint)) { client in
            let listed = try await client.s3.list(try ObjectAddress("s3://\(bucket)/"))
            #expect(listed.count == entries.count)
            let sizes = Dictionary(uniqueKeysWithValues: listed.map { ($0.address.key, $0.size) })
            for entry in entries { #expect(sizes[entry.path] == entry.size, "listing size of \(entry.path)") }

            var records = 0
            for base in ["s3", servers.httpURL, servers.httpsURL] {
                records += try await withThrowingTaskGroup(of: Int.self) { group in
                    var pending = entries[...]
                    var total = 0
                    func launch() throws {
                        guard let entry = pending.popFirst() else { return }
                        let address = base == "s3"
                            ? try ObjectAddress(scheme: .s3, bucket: bucket, key: entry.path)
                            : try ObjectAddress(base + "/conformance/" + entry.path)
                        let store = client.store(for: address)
                        group.addTask { try await Self.check(entry, at: address, store: store, corpus: corpus) }
                    }
                    for _ in 0..<8 { try launch() }
                    while let checked = try await group.next() {
                        total += checked
                        try launch()
                    }
                    return total
                }
            }
            #expect(records > 300, "record payloads checked by range reads: \(records)")
        }
    }
}
