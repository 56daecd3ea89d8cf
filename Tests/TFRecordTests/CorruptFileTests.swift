import Foundation
import Testing
@testable import TFRecordTestSupport
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
            try reader.forEachRecord { _, payload in hashes.append(SHA256.hex(payload.withUnsafeBytes { [UInt8]($0) })) }
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
            try reader.forEachRecord { _, payload in hashes.append(SHA256.hex(payload.withUnsafeBytes { [UInt8]($0) })) }
            #expect(hashes == expected, "\(file) mmap=\(options.useMemoryMap)")
            #expect(!reader.skippedRanges.isEmpty, "\(file): damage must be reported")
            for skipped in reader.skippedRanges {
                #expect(!skipped.range.isEmpty)
                #expect(skipped.error.path == file.fullPath)
            }
        }
    }

    static let allCorrupt = Manifest.shared.files.filter { $0.category == "corrupt" }

    /// Recovery over every damaged file, compressed ones included: damage to the TFRecord framing
    /// inside a GZIP/ZLIB stream is skipped exactly as in a plain file; damage to the compressed
    /// container itself ends what can be read (nothing in a damaged deflate stream can be found
    /// again) — then we deliver at least what TensorFlow delivers, in order, and say why we stop.
    @Test(arguments: allCorrupt)
    func recoveryOverEveryDamagedFile(_ file: Manifest.File) throws {
        let source = (file.sourceRecords?["record_sha256"] as? [String]) ?? []
        let layer = file.corruption?["layer"] as? String ?? ""
        let reader = try RecordReader(path: file.fullPath, options: ReadOptions(skipCorrupt: true))
        var hashes: [String] = []
        var stopped: TFRecordError?
        do {
            try reader.forEachRecord { _, payload in hashes.append(SHA256.hex(payload.withUnsafeBytes { [UInt8]($0) })) }
        } catch let error as TFRecordError {
            stopped = error
        }
        if layer == "tfrecord framing" {
            #expect(hashes == intactSourceRecords(file), "\(file)")
            #expect(stopped == nil, "\(file): framing damage must be skipped, not thrown: \(stopped.map { "\($0)" } ?? "")")
            #expect(!reader.skippedRanges.isEmpty, "\(file): damage must be reported")
        } else {
            #expect(MutationTests.isSubsequence(hashes.map { Array($0.utf8) }, of: source.map { Array($0.utf8) }), "\(file)")
            let tfYielded = (file.tfBehaviour()?["yielded_sha256"] as? [String]) ?? []
            #expect(hashes.count >= tfYielded.count, "\(file): recovery delivered less than TensorFlow")
            #expect(stopped != nil || !reader.skippedRanges.isEmpty, "\(file): container damage must be reported")
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
