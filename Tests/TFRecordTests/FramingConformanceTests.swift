import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// Every uncompressed, intact file of the TensorFlow-made corpus reads with the manifest's
/// record count, offsets and payload hashes, and our writer reproduces TensorFlow's bytes.
@Suite struct FramingConformanceTests {
    static let plainFiles = Manifest.shared.files.filter { $0.compression.isEmpty && $0.isIntact }

    @Test func corpusHasPlainFiles() {
        #expect(Self.plainFiles.count >= 20)
    }

    @Test(arguments: plainFiles)
    func readsOffsetsAndHashes(_ file: Manifest.File) throws {
        let recordFile = try MappedFile(path: file.fullPath)
        #expect(try recordFile.recordOffsets(verifyingChecksums: true) == file.recordOffsets)
        #expect(try recordFile.countRecords() == file.numRecords)
        var hashes: [String] = []
        var lengths: [Int] = []
        try recordFile.forEachRecord { _, payload in
            let bytes = payload.withUnsafeBytes { [UInt8]($0) }
            hashes.append(SHA256.hex(bytes))
            lengths.append(bytes.count)
        }
        #expect(hashes == file.recordSHA256)
        #expect(lengths == file.recordLengths)
    }

    @Test(arguments: plainFiles)
    func readerWithoutMapMatches(_ file: Manifest.File) throws {
        let reader = try RecordReader(path: file.fullPath, options: ReadOptions(useMemoryMap: false, bufferSize: 64))
        #expect(reader.compression == .none)
        let hashes = try reader.allRecords().map { SHA256.hex($0) }
        #expect(hashes == file.recordSHA256)
    }

    @Test(arguments: plainFiles)
    func randomAccessByManifestOffset(_ file: Manifest.File) throws {
        let recordFile = try MappedFile(path: file.fullPath, access: .random)
        for (i, offset) in file.recordOffsets.enumerated().reversed() {
            let payload = try recordFile.record(atOffset: offset, recordNumber: i)
            #expect(SHA256.hex(payload) == file.recordSHA256[i])
        }
    }

    @Test(arguments: plainFiles)
    func writerReproducesTensorFlowBytes(_ file: Manifest.File) throws {
        let payloads = try MappedFile(path: file.fullPath).allRecords()
        let out = Scratch.path("w", suffix: ".tfrecord")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let writer = try RecordWriter(path: out, options: WriteOptions(bufferSize: 1000))
        for payload in payloads { try writer.write(payload) }
        try writer.close()
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: out)))
        #expect(SHA256.hex(written) == file.uncompressedSHA256)
    }

    @Test func framingExampleBytes() throws {
        let example = Manifest.shared.json["framing_example"] as! [String: Any]
        let records = example["records"] as! [[String: Any]]
        let out = Scratch.path("f")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let writer = try RecordWriter(path: out)
        for record in records { try writer.write(Hex.decode(record["payload_hex"] as! String)!) }
        try writer.close()
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: out)))
        #expect(Hex.encode(written) == example["file_hex"] as! String)
    }

    @Test func crcVectors() throws {
        let example = Manifest.shared.json["framing_example"] as! [String: Any]
        for vector in example["crc_test_vectors"] as! [[String: Any]] {
            let input = Hex.decode(vector["input_hex"] as! String)!
            let crc = CRC32C.checksum(input)
            #expect(String(format: "%08x", crc) == vector["crc32c"] as! String)
            #expect(String(format: "%08x", CRC32C.mask(crc)) == vector["masked"] as! String)
            #expect(CRC32C.unmask(CRC32C.mask(crc)) == crc)
        }
    }
}

