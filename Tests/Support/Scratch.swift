import Foundation

/// Unique paths for test files, all under one folder per test process
/// (`$TMPDIR/tfrecord-tests-<pid>/`), so a run's leftovers are easy to find and remove.
enum Scratch {
    /// The folder of this test process.
    static let root: String = {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("tfrecord-tests-\(ProcessInfo.processInfo.processIdentifier)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// A new, unused path `<root>/<prefix>-<uuid><suffix>`; nothing is created there.
    static func path(_ prefix: String, suffix: String = "") -> String {
        root + "/" + prefix + "-" + UUID().uuidString + suffix
    }

    /// A new, empty folder `<root>/<prefix>-<uuid>`.
    static func folder(_ prefix: String) throws -> String {
        let path = path(prefix)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
