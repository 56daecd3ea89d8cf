import Foundation
import Testing
@testable import TFRecord

/// Every damaged file in the corpus: strict mode behaves as TensorFlow does (same records, then
/// the same kind of error at the same offset) or better where TensorFlow is silent or crashes;
/// recovery mode returns exactly the intact records and reports the skipped bytes.
@Suite struct CorruptFileTests {
    static let plainCorrupt = Manifest.shared.files.filter { $0.category == "corrupt" && $0.compression.isEmpty }

    @Test func corpusHasDamagedFiles() {
        #expect(Self.plainCorrupt.count >= 19)
    }

    /// Reads `path` strictly; returns the sha256 of what was delivered and the error.
    static func readStrict(_ path: String, options: ReadOptions) -> ([String], TFRecordError?) {
        var hashes: [String] = []
        do {
            let reader = try RecordReader(path: path, options: options)
            try reader.forEach { _, payload in hashes.append(SHA256.hex(payload.withUnsafeBytes { [UInt8]($0) })) }
            return (hashes, nil)
        } catch let error as TFRecordError {
            return (hashes, error)
        } catch {
            Issue.record("unexpected error type \(error)")
            return (hashes, nil)
        }
    }

    @Test(arguments: plainCorrupt)
    func strictModeMatchesTensorFlow(_ file: Manifest.File) throws {
        let tf = try #require(TensorFlowBehaviour(file))
        for options in [ReadOptions(), ReadOptions(useMemoryMap: false, bufferSize: 64)] {
            let (yielded, error) = Self.readStrict(file.fullPath, options: options)
            tf.check(yielded: yielded, error: error, file: file)
            if let error {
                #expect(error.path == file.fullPath)
                #expect(error.recordNumber == yielded.count)
            }
        }
    }

    @Test(arguments: plainCorrupt)
    func recoveryReturnsEveryIntactRecord(_ file: Manifest.File) throws {
        let expected = intactSourceRecords(file)
        for options in [ReadOptions(skipCorrupt: true), ReadOptions(useMemoryMap: false, bufferSize: 64, skipCorrupt: true)] {
            let reader = try RecordReader(path: file.fullPath, options: options)
            var hashes: [String] = []
            try reader.forEach { _, payload in hashes.append(SHA256.hex(payload.withUnsafeBytes { [UInt8]($0) })) }
            #expect(hashes == expected, "\(file) mmap=\(options.useMemoryMap)")
            #expect(!reader.skippedRanges.isEmpty, "\(file): damage must be reported")
            for skipped in reader.skippedRanges {
                #expect(!skipped.range.isEmpty)
                #expect(skipped.error.path == file.fullPath)
            }
        }
    }

    @Test(arguments: plainCorrupt)
    func recoveryWithNextMatchesForEach(_ file: Manifest.File) throws {
        let reader = try RecordReader(path: file.fullPath, options: ReadOptions(skipCorrupt: true))
        var hashes: [String] = []
        while let record = try reader.next() { hashes.append(SHA256.hex(record)) }
        #expect(hashes == intactSourceRecords(file))
    }
}
