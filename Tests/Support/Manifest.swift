import Foundation
import TFRecord

/// The conformance corpus made by TensorFlow: `../shared/conformance/manifest.json` and its files.
///
/// Tests walk `Manifest.shared.files` (never a hand-picked list) and compare what we read with
/// what TensorFlow wrote. Set `TFRECORD_CONFORMANCE` to use another corpus folder.
struct Manifest: @unchecked Sendable {
    /// One file of the corpus. The fields every test relies on are decoded with their types (a
    /// manifest that lacks one or has another type fails to load, in one clear line); the
    /// free-form parts (features, TensorFlow's behaviour, corruption details) are JSON objects.
    struct File: Decodable, @unchecked Sendable, CustomStringConvertible {
        let path: String
        /// "" (none), "GZIP" or "ZLIB".
        let compression: String
        /// "framing", "corrupt", "examples", ...
        let category: String
        let fileSize: Int
        let fileSHA256: String
        let group: String?
        /// The record count of an intact file (corrupt files list `sourceRecords` instead).
        let records: Int?
        let recordOffsets: [UInt64]
        let recordLengths: [Int]
        let recordSHA256: [String]
        let uncompressedSHA256: String?
        let uncompressedSize: Int?
        let pythonZlibSameBytes: Bool?
        let flushAfterEachRecord: Bool
        /// Every record of every member (files whose members TensorFlow stops reading early).
        let allMembersRecordSHA256: [String]?
        /// Every record of every stream (files of concatenated zlib streams).
        let allStreamsRecordSHA256: [String]?
        /// The corpus folder, set after decoding.
        var root = URL(fileURLWithPath: "/")
        /// The entry as JSON, for the free-form parts.
        var raw: [String: Any] = [:]

        enum CodingKeys: String, CodingKey {
            case path, compression, category, group
            case fileSize = "file_size", fileSHA256 = "file_sha256", records = "num_records"
            case recordOffsets = "record_offsets", recordLengths = "record_lengths", recordSHA256 = "record_sha256"
            case uncompressedSHA256 = "uncompressed_sha256", uncompressedSize = "uncompressed_size"
            case pythonZlibSameBytes = "python_zlib_same_bytes", flushAfterEachRecord = "flush_after_each_record"
            case allMembersRecordSHA256 = "all_members_record_sha256", allStreamsRecordSHA256 = "all_streams_record_sha256"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            path = try c.decode(String.self, forKey: .path)
            compression = try c.decode(String.self, forKey: .compression)
            category = try c.decode(String.self, forKey: .category)
            fileSize = try c.decode(Int.self, forKey: .fileSize)
            fileSHA256 = try c.decode(String.self, forKey: .fileSHA256)
            group = try c.decodeIfPresent(String.self, forKey: .group)
            records = try c.decodeIfPresent(Int.self, forKey: .records)
            recordOffsets = try c.decodeIfPresent([UInt64].self, forKey: .recordOffsets) ?? []
            recordLengths = try c.decodeIfPresent([Int].self, forKey: .recordLengths) ?? []
            recordSHA256 = try c.decodeIfPresent([String].self, forKey: .recordSHA256) ?? []
            uncompressedSHA256 = try c.decodeIfPresent(String.self, forKey: .uncompressedSHA256)
            uncompressedSize = try c.decodeIfPresent(Int.self, forKey: .uncompressedSize)
            pythonZlibSameBytes = try c.decodeIfPresent(Bool.self, forKey: .pythonZlibSameBytes)
            flushAfterEachRecord = try c.decodeIfPresent(Bool.self, forKey: .flushAfterEachRecord) ?? false
            allMembersRecordSHA256 = try c.decodeIfPresent([String].self, forKey: .allMembersRecordSHA256)
            allStreamsRecordSHA256 = try c.decodeIfPresent([String].self, forKey: .allStreamsRecordSHA256)
            if let records, records != recordSHA256.count || records != recordOffsets.count {
                throw DecodingError.dataCorruptedError(forKey: .records, in: c,
                    debugDescription: "\(path): num_records \(records) but \(recordSHA256.count) hashes and \(recordOffsets.count) offsets")
            }
        }

        var url: URL { root.appendingPathComponent(path) }
        var fullPath: String { url.path }
        /// The record count (0 for a corrupt file, which lists `sourceRecords` instead).
        var numRecords: Int { records ?? 0 }
        var writerOptions: [String: Any]? { raw["writer_options"] as? [String: Any] }
        var features: [[String: Any]]? { raw["features"] as? [[String: Any]] }
        var sequenceExamples: [[String: Any]]? { raw["sequence_examples"] as? [[String: Any]] }
        var corruption: [String: Any]? { raw["corruption"] as? [String: Any] }
        var sourceRecords: [String: Any]? { raw["source_records"] as? [String: Any] }
        /// TensorFlow's behaviour for a reader ("tf.data.TFRecordDataset", ...).
        func tfBehaviour(_ reader: String = "tf.data.TFRecordDataset") -> [String: Any]? {
            (raw["tf_behaviour"] as? [String: Any])?[reader] as? [String: Any]
        }
        /// Files whose framing is intact (everything but `corrupt`).
        var isIntact: Bool { category != "corrupt" }
        var description: String { path }
    }

    let root: URL
    let json: [String: Any]
    let files: [File]

    /// The corpus beside the package (`../shared/conformance`), loaded once.
    static let shared: Manifest = {
        let env = ProcessInfo.processInfo.environment["TFRECORD_CONFORMANCE"]
        // Tests/Support/Manifest.swift -> the package folder -> its parent, where shared/ lives.
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let root = env.map { URL(fileURLWithPath: $0) }
            ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance")
        let manifest = root.appendingPathComponent("manifest.json")
        struct Entries: Decodable { let files: [File] }
        guard let data = FileManager.default.contents(atPath: manifest.path),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let entries = json["files"] as? [[String: Any]] else {
            fatalError("the TensorFlow-made conformance corpus is missing or unreadable at \(manifest.path): put it there (../shared/conformance beside the package) or set TFRECORD_CONFORMANCE to its folder")
        }
        let decoded: [File]
        do {
            decoded = try JSONDecoder().decode(Entries.self, from: data).files
        } catch {
            fatalError("\(manifest.path) does not have the fields the tests need: \(error)")
        }
        let files = zip(decoded, entries).map { file, raw in
            var file = file
            file.root = root
            file.raw = raw
            return file
        }
        return Manifest(root: root, json: json, files: files)
    }()
}

extension Manifest.File {
    /// The file's payloads.
    func payloads() throws -> [[UInt8]] {
        try RecordReader(path: fullPath).allRecords()
    }
}

extension Manifest {
    /// Files whose records are `tf.train.Example`s (the manifest lists their features).
    static let exampleFiles = Manifest.shared.files.filter { $0.features != nil }
    /// Files whose records are `tf.train.SequenceExample`s.
    static let sequenceFiles = Manifest.shared.files.filter { $0.sequenceExamples != nil }

    /// The corpus files in `folder` (a shard set), sorted by name.
    static func shards(_ folder: String) -> [Manifest.File] {
        Manifest.shared.files.filter { $0.path.hasPrefix(folder + "/") }.sorted { $0.path < $1.path }
    }

    /// The text index `tfrecord2idx` writes for `file`, computed from the manifest's offsets and lengths.
    static func expectedTextIndex(_ file: Manifest.File) -> String {
        zip(file.recordOffsets, file.recordLengths).map { "\($0) \($1 + 16)\n" }.joined()
    }
}
