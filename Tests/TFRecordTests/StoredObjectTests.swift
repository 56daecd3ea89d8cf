import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// The core's hook for bytes that are not a local file (`StoredObject`): every conformance file
/// read as an object gives exactly what the same file gives read locally — the same records,
/// then the same error (kind, record number, offset) — and random access through an index built
/// from the object gives the manifest's records.
@Suite struct StoredObjectTests {
    /// What a sequential read delivered: the records' hashes and the error that ended it.
    struct Reading: Equatable, CustomStringConvertible {
        var hashes: [String] = []
        var error: String?
        var description: String { "\(hashes.count) records, error: \(error ?? "none")" }
    }

    static func read(_ make: () throws -> RecordReader) -> Reading {
        var reading = Reading()
        do {
            let reader = try make()
            try reader.forEachRecord { _, payload in reading.hashes.append(SHA256.hex(payload.withUnsafeBytes { [UInt8]($0) })) }
        } catch let error as TFRecordError {
            // The same words, kind, record and offsets; the path is the object's name (the file's path here).
            reading.error = "\(error.kind) \(error.recordNumber.map(String.init) ?? "-") \(error.offset.map(String.init) ?? "-") \(error.description)"
        } catch {
            reading.error = "unexpected \(error)"
        }
        return reading
    }

    @Test(arguments: Manifest.shared.files)
    func sequentialReadOfAnObjectIsTheFilesRead(_ file: Manifest.File) throws {
        let local = Self.read { try RecordReader(path: file.fullPath, options: ReadOptions(useMemoryMap: false)) }
        let stored = Self.read { try RecordReader(object: try MemoryObject(path: file.fullPath, chunkSize: 97)) }
        #expect(stored == local, "\(file.path)")
        if file.isIntact, file.records != nil {
            #expect(stored.hashes == (file.allMembersRecordSHA256 ?? file.allStreamsRecordSHA256 ?? file.recordSHA256), "\(file.path)")
            #expect(stored.error == nil, "\(file.path)")
        } else if !file.isIntact {
            #expect(stored.error != nil, "\(file.path): damage must be reported")
        }
    }

    @Test(arguments: Manifest.shared.files.filter { $0.isIntact && $0.compression != "LZ4" && ($0.records ?? 0) > 0 })
    func randomAccessThroughAnIndexBuiltFromTheObject(_ file: Manifest.File) throws {
        let object = try MemoryObject(path: file.fullPath, chunkSize: 4096)
        let index = try RecordIndex.build(object: object, verifyingChecksums: true)
        // The same index a local build makes (offsets, stream size, compression).
        let localIndex = try RecordIndex.build(path: file.fullPath, verifyingChecksums: true)
        #expect(index.offsets == localIndex.offsets)
        #expect(index.streamSize == localIndex.streamSize && index.compression == localIndex.compression)
        #expect(index.shard.size == localIndex.shard.size && index.shard.fingerprint == localIndex.shard.fingerprint)
        let shard = try RecordFile(object: object, index: index)
        // This library reads every gzip member / zlib stream of a concatenation (TensorFlow the first).
        let expected = file.allMembersRecordSHA256 ?? file.allStreamsRecordSHA256 ?? file.recordSHA256
        try #require(shard.count == expected.count, "\(file.path)")
        let order = Array((0..<shard.count).reversed())
        for i in order {
            #expect(SHA256.hex(try shard.record(at: i)) == expected[i], "\(file.path) record \(i)")
        }
        var seen: [Int] = []
        try shard.forEachRecord(at: order) { n, payload in
            #expect(SHA256.hex(payload.withUnsafeBytes { [UInt8]($0) }) == expected[n])
            seen.append(n)
        }
        #expect(seen == order)
        // The sidecar's bytes load back to the same index, and fit the object.
        let sidecar = Scratch.path("object-sidecar") + ".tfindex"
        defer { try? FileManager.default.removeItem(atPath: sidecar) }
        try Data(index.sidecarBytes()).write(to: URL(fileURLWithPath: sidecar))
        let loaded = try RecordIndex.load(from: sidecar)
        #expect(loaded.offsets == index.offsets)
        #expect(try RecordIndex.recordCount(sidecarHeader: Array(index.sidecarBytes().prefix(RecordIndex.sidecarHeaderSize)),
                                            shardSize: object.byteCount, name: sidecar) == index.count)
        _ = try RecordFile(object: object, index: loaded)
    }

    @Test func aBatchOfAnUncompressedObjectIsOneBatchRequest() throws {
        let file = try #require(Manifest.shared.files.first { $0.isIntact && $0.compression.isEmpty && ($0.records ?? 0) >= 5 })
        let object = try MemoryObject(path: file.fullPath)
        let shard = try RecordFile(object: object, index: RecordIndex.build(object: object))
        let before = object.calls.withLock { $0 }
        var count = 0
        try shard.forEachRecord(at: Array(0..<shard.count).shuffled()) { _, _ in count += 1 }
        let after = object.calls.withLock { $0 }
        #expect(count == shard.count)
        #expect(after.batches - before.batches == 1, "one batch for \(shard.count) records")
        #expect(after.single == before.single, "no single reads during a batch")
    }

    @Test func anIndexOfAnotherObjectIsRefusedAsStale() throws {
        let files = Manifest.shared.files.filter { $0.isIntact && $0.compression.isEmpty && ($0.records ?? 0) > 0 }
        let a = try MemoryObject(path: files[0].fullPath)
        var bytes = a.data
        bytes[bytes.count - 1] ^= 1   // same size, other content: the fingerprint differs
        let changed = MemoryObject(name: "changed", data: bytes)
        let index = try RecordIndex.build(object: a)
        #expect {
            _ = try RecordFile(object: changed, index: index)
        } throws: { error in
            guard let error = error as? TFRecordError else { return false }
            return error.kind == .invalidArgument && error.description.contains("stale index") && error.path == "changed"
        }
    }

    @Test func damageFoundByALookupNamesTheObjectTheRecordAndTheOffset() throws {
        let file = try #require(Manifest.shared.files.first { $0.isIntact && $0.compression.isEmpty && ($0.records ?? 0) >= 3 })
        let intact = try MemoryObject(path: file.fullPath)
        let index = try RecordIndex.build(object: intact)
        var bytes = intact.data
        let offset = Int(index.offset(ofRecord: 1)) + 12   // the first payload byte of record 1 (or its CRC)
        bytes[offset] ^= 0x40
        // Same size; make the fingerprint agree by testing a shard larger than 128 KiB is not
        // possible here, so the damaged copy keeps its index by building the identity anew.
        let damaged = MemoryObject(name: "s3://bucket/damaged", data: bytes)
        let shard = try RecordFile(object: damaged, index: RecordIndex.importText(index.textRepresentation(), forObject: damaged))
        #expect(try shard.record(at: 0) == Array(intact.data[12..<12 + Int(index.offset(ofRecord: 1)) - 16]))
        #expect {
            _ = try shard.record(at: 1)
        } throws: { error in
            guard let error = error as? TFRecordError else { return false }
            return error.kind == .corrupted && error.path == "s3://bucket/damaged" && error.recordNumber == 1
                && error.offset == index.offset(ofRecord: 1) + (error.description.contains("payload") ? 12 : 0)
        }
    }

    @Test func aTextIndexThatDoesNotCoverTheObjectIsRefused() throws {
        let file = try #require(Manifest.shared.files.first { $0.isIntact && $0.compression.isEmpty && ($0.records ?? 0) >= 3 })
        let object = try MemoryObject(path: file.fullPath)
        let lines = try RecordIndex.build(object: object).textRepresentation().split(separator: "\n")
        #expect(throws: TFRecordError.self) {
            _ = try RecordIndex.importText(lines.dropLast().joined(separator: "\n"), forObject: object)
        }
    }
}
