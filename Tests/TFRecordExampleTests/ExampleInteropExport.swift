import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample

/// Writes, for `scripts/tf_interop_examples.sh`, every conformance Example / SequenceExample
/// record decoded and re-encoded by us, one file per corpus file, so real TensorFlow can read
/// them back. Runs only when `TFRECORD_INTEROP_OUT` names a directory.
@Suite struct ExampleInteropExport {
    @Test func exportReencodedRecords() throws {
        guard let out = ProcessInfo.processInfo.environment["TFRECORD_INTEROP_OUT"] else { return }
        for (folder, files) in [("examples", Manifest.exampleFiles),
                                ("sequence", Manifest.sequenceFiles)] {
            let dir = URL(fileURLWithPath: out).appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for file in files {
                guard let payloads = try file.payloadsIfReadable() else { continue }
                let name = file.path.replacingOccurrences(of: "/", with: "__")
                let writer = try RecordWriter(path: dir.appendingPathComponent(name).path)
                for payload in payloads {
                    if folder == "examples" {
                        try writer.write(try Example(serialized: payload).serialized())
                    } else {
                        try writer.write(try SequenceExample(serialized: payload).serialized())
                    }
                }
                try writer.close()
            }
        }
    }
}
