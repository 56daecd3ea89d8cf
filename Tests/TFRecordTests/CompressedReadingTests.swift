import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// Every GZIP and ZLIB file of the TensorFlow-made corpus: intact ones read with the manifest's
/// hashes (all members / all streams, where TensorFlow stops early), with and without being told
/// the compression; damaged ones yield what TensorFlow yields, then fail with the matching kind.
@Suite struct CompressedReadingTests {
    static let compressed = Manifest.shared.files.filter { !$0.compression.isEmpty }
    static let intact = compressed.filter { $0.category != "corrupt" }
    static let corrupt = compressed.filter { $0.category == "corrupt" }

    static func compression(_ file: Manifest.File) -> Compression {
        file.compression == "GZIP" ? .gzip : .zlib
    }

    /// The records we must read: every member's / stream's, where TensorFlow stops early.
    static func expectedHashes(_ file: Manifest.File) -> [String] {
        file.allMembersRecordSHA256
            ?? file.allStreamsRecordSHA256
            ?? file.recordSHA256
    }

    /// Reads every record until the end or the first error.
    static func readUntilError(_ path: String, _ options: ReadOptions) -> (hashes: [String], error: Error?) {
        var hashes: [String] = []
        do {
            let reader = try RecordReader(path: path, options: options)
            while let record = try reader.next() { hashes.append(SHA256.hex(record)) }
            return (hashes, nil)
        } catch {
            return (hashes, error)
        }
    }

    @Test func corpusHasCompressedFiles() {
        #expect(Self.intact.count >= 30)
        #expect(Self.corrupt.count >= 20)
        #expect(Self.intact.contains { $0.allMembersRecordSHA256 != nil })
        #expect(Self.intact.contains { $0.allStreamsRecordSHA256 != nil })
    }

    @Test(arguments: intact)
    func readsDetectingCompression(_ file: Manifest.File) throws {
        let reader = try RecordReader(path: file.fullPath)
        if (file.fileSize) > 0 {
            #expect(reader.compression == Self.compression(file))
        }
        #expect(try reader.allRecords().map(SHA256.hex) == Self.expectedHashes(file))
    }

    @Test(arguments: intact, [GzipZlibSource.Engine.isal, .zlib])
    func readsToldCompressionWithTinyBuffers(_ file: Manifest.File, _ engine: GzipZlibSource.Engine) throws {
        for size in [1, 7, 1000] {
            var options = ReadOptions(compression: Self.compression(file), bufferSize: size)
            options.inflateEngine = engine
            let reader = try RecordReader(path: file.fullPath, options: options)
            #expect(try reader.allRecords().map(SHA256.hex) == Self.expectedHashes(file), "buffer \(size)")
        }
    }

    @Test(arguments: corrupt, [GzipZlibSource.Engine.isal, .zlib])
    func damagedFilesFailAsTensorFlowDoes(_ file: Manifest.File, _ engine: GzipZlibSource.Engine) throws {
        let tf = try #require(file.tfBehaviour())
        var options = ReadOptions(compression: Self.compression(file))
        options.inflateEngine = engine
        let (hashes, error) = Self.readUntilError(file.fullPath, options)
        let tfYielded = tf["yielded_sha256"] as? [String] ?? []
        let failure = try #require(error as? TFRecordError, "we must report the damage; TF: \(tf["error_message"] ?? "silent")")
        #expect(failure.path == file.fullPath)
        #expect(failure.recordNumber == hashes.count)
        if let message = tf["error_message"] as? String {
            #expect(hashes == tfYielded)
            if message.hasPrefix("inflate() failed") {
                #expect(failure.kind == .compression)
                #expect(failure.detail.hasPrefix(message), "\(failure)")
                #expect(failure.compressedOffset != nil)
            } else if message.hasPrefix("truncated record at") && failure.detail.hasPrefix("record size too large") {
                // A forged length above ReadOptions.maxRecordSize: TensorFlow inflates to the end
                // of the stream before it says "truncated"; we refuse the claim at once, before
                // buffering anything (issue 15 item 5), with TensorFlow's words for a length it
                // will not read. Same record, same exit code (damage).
                #expect(failure.kind == .corrupted)
                #expect(failure.offset.map { message.hasPrefix("truncated record at \($0)") } == true, "\(failure) vs TF \(message)")
                #expect(failure.compressedOffset != nil)
            } else if message.hasPrefix("truncated record at") {
                #expect(failure.kind == .truncated)
                #expect(message.hasPrefix(failure.tensorFlowMessage ?? "-"), "\(failure)")
                #expect(failure.compressedOffset != nil)
            } else if message.hasPrefix("corrupted record at") {
                #expect(failure.kind == .corrupted)
                #expect(failure.tensorFlowMessage == message, "\(failure)")
            } else {
                #expect(failure.kind == .corrupted, "\(message) vs \(failure)")
            }
        } else {
            // TensorFlow is silent here (missing trailer, bytes after a zlib stream): we deliver
            // every record it delivers, then report the damage.
            #expect(hashes == tfYielded)
            #expect(failure.kind == .truncated || failure.kind == .compression, "\(failure)")
            #expect(failure.compressedOffset != nil)
        }
    }

    @Test(arguments: Array((Manifest.shared.json["misread_probes"] as? [[String: Any]] ?? []).indices))
    func wrongCompressionNamesTheLikelyFormat(_ index: Int) throws {
        let probe = (Manifest.shared.json["misread_probes"] as! [[String: Any]])[index]
        let path = Manifest.shared.root.appendingPathComponent(probe["path"] as! String).path
        let readAs: Compression = switch probe["read_as"] as! String {
        case "GZIP": .gzip
        case "ZLIB": .zlib
        default: .none
        }
        let tf = probe["tf_behaviour"] as! [String: Any]
        var options = ReadOptions(compression: readAs)
        options.inflateEngine = index % 2 == 0 ? .isal : .zlib
        let (hashes, error) = Self.readUntilError(path, options)
        #expect(hashes.count == tf["records_yielded"] as? Int)
        let failure = try #require(error as? TFRecordError)
        if readAs == .none {
            #expect(failure.kind == .corrupted)
        } else {
            #expect(failure.kind == .compression)
            #expect(failure.detail.hasPrefix(tf["error_message"] as! String), "\(failure)")
            let actual = Compression.detect(prefix: Array(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(16)))
            #expect(failure.detail.contains("compression \(actual)"), "\(failure)")
        }
    }
}
