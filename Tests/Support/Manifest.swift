import Foundation
import TFRecord

/// The conformance corpus made by TensorFlow: `../shared/conformance/manifest.json` and its files.
///
/// Tests walk `Manifest.shared.files` (never a hand-picked list) and compare what we read with
/// what TensorFlow wrote. Set `TFRECORD_CONFORMANCE` to use another corpus folder.
struct Manifest: @unchecked Sendable {
    /// One file of the corpus, with typed access to the fields tests use.
    struct File: @unchecked Sendable, CustomStringConvertible {
        let raw: [String: Any]
        let root: URL

        var path: String { raw["path"] as! String }
        var url: URL { root.appendingPathComponent(path) }
        var fullPath: String { url.path }
        /// "" (none), "GZIP" or "ZLIB".
        var compression: String { raw["compression"] as? String ?? "" }
        var category: String { raw["category"] as? String ?? "" }
        var group: String? { raw["group"] as? String }
        var numRecords: Int { raw["num_records"] as? Int ?? 0 }
        var recordOffsets: [UInt64] { (raw["record_offsets"] as? [NSNumber] ?? []).map { $0.uint64Value } }
        var recordLengths: [Int] { (raw["record_lengths"] as? [NSNumber] ?? []).map { $0.intValue } }
        var recordSHA256: [String] { raw["record_sha256"] as? [String] ?? [] }
        var uncompressedSHA256: String? { raw["uncompressed_sha256"] as? String }
        var uncompressedSize: Int? { (raw["uncompressed_size"] as? NSNumber)?.intValue }
        var fileSHA256: String? { raw["file_sha256"] as? String }
        var writerOptions: [String: Any]? { raw["writer_options"] as? [String: Any] }
        var pythonZlibSameBytes: Bool? { raw["python_zlib_same_bytes"] as? Bool }
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
        guard let data = FileManager.default.contents(atPath: manifest.path),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let entries = json["files"] as? [[String: Any]] else {
            fatalError("the TensorFlow-made conformance corpus is missing or unreadable at \(manifest.path): put it there (../shared/conformance beside the package) or set TFRECORD_CONFORMANCE to its folder")
        }
        let files = entries.map { File(raw: $0, root: root) }
        return Manifest(root: root, json: json, files: files)
    }()
}

extension Manifest.File {
    /// The file's payloads, or `nil` when this build cannot read its compression yet.
    func payloadsIfReadable() throws -> [[UInt8]]? {
        let reader: RecordReader
        do {
            reader = try RecordReader(path: fullPath)
        } catch {
            if error.kind == .invalidArgument && !compression.isEmpty { return nil }
            throw error
        }
        return try reader.allRecords()
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
