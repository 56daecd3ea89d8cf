import Foundation

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
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let root = env.map { URL(fileURLWithPath: $0) }
            ?? packageRoot.deletingLastPathComponent().appendingPathComponent("shared/conformance")
        let data = try! Data(contentsOf: root.appendingPathComponent("manifest.json"))
        let json = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        let files = (json["files"] as! [[String: Any]]).map { File(raw: $0, root: root) }
        return Manifest(root: root, json: json, files: files)
    }()
}
