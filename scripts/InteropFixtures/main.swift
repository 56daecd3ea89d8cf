// Writes the files that the real-TensorFlow interop scripts read back (run by them, not by
// `swift test`):
//   InteropFixtures compression DIR   the corpus' records in every GZIP/ZLIB mode we write,
//                                     plus DIR/expected.json (path -> payload SHA-256s);
//                                     scripts/tf_interop_compression.sh
//   InteropFixtures examples DIR      every corpus Example / SequenceExample decoded and
//                                     re-encoded by us; scripts/tf_interop_examples.sh
// The corpus is $TFRECORD_CONFORMANCE or ../shared/conformance. A debug build (`swift run`):
// it reads internal write knobs and the test support module through @testable imports.
import Foundation
@testable import TFRecord
import TFRecordExample
@testable import TFRecordTestSupport

let gzipModes: [(String, WriteOptions)] = {
    func gzip(_ change: (inout WriteOptions) -> Void) -> WriteOptions {
        var options = WriteOptions(compression: .gzip)
        change(&options)
        return options
    }
    return [
        ("default", gzip { _ in }),
        ("level1", gzip { $0.zlib.compressionLevel = 1 }),
        ("level9", gzip { $0.zlib.compressionLevel = 9 }),
        ("memlevel1", gzip { $0.zlib.memLevel = 1 }),
        ("filtered", gzip { $0.zlib.strategy = .filtered }),
        ("huffman", gzip { $0.zlib.strategy = .huffmanOnly }),
        ("rle", gzip { $0.zlib.strategy = .rle }),
        ("fixed", gzip { $0.zlib.strategy = .fixed }),
        ("window10", gzip { $0.zlib.windowBits = 10 + 16 }),
        ("buffers", gzip { $0.zlib.inputBufferSize = 100; $0.zlib.outputBufferSize = 64 }),
        ("syncflush", gzip { $0.zlib.flushMode = .sync }),
        ("fullflush", gzip { $0.zlib.flushMode = .full }),
        ("blocked64k", gzip { $0.blockSize = 64 << 10 }),
        ("blocked1m", gzip { $0.blockSize = WriteOptions.defaultBlockSize }),
        ("blocked1k-level9", gzip { $0.blockSize = 1 << 10; $0.level = 9 }),
        ("blocked4k-zlib", gzip { $0.blockSize = 4 << 10; $0.blockEngine = .zlib }),
        ("blocked16k-level1-1thread", gzip { $0.blockSize = 16 << 10; $0.level = 1; $0.compressionThreads = 1 }),
    ]
}()

let zlibModes: [(String, WriteOptions)] = {
    func zlib(_ change: (inout WriteOptions) -> Void) -> WriteOptions {
        var options = WriteOptions(compression: .zlib)
        change(&options)
        return options
    }
    return [
        ("default", zlib { _ in }),
        ("level0", zlib { $0.zlib.compressionLevel = 0 }),
        ("level9", zlib { $0.zlib.compressionLevel = 9 }),
        ("memlevel1", zlib { $0.zlib.memLevel = 1 }),
        ("rle", zlib { $0.zlib.strategy = .rle }),
        ("window9", zlib { $0.zlib.windowBits = 9 }),
        ("buffers", zlib { $0.zlib.inputBufferSize = 7; $0.zlib.outputBufferSize = 2 }),
        ("partialflush", zlib { $0.zlib.flushMode = .partial }),
    ]
}()


/// The corpus' intact, uncompressed record sets in every GZIP and ZLIB mode, and `expected.json`.
func writeCompressionFixtures(to root: URL) throws {
    let sources = Manifest.shared.files.filter { $0.compression.isEmpty && $0.isIntact && $0.numRecords > 0 }
    guard sources.count >= 10 else { throw FixtureError("only \(sources.count) corpus files to write from") }
    var expected: [String: [String]] = [:]
    for (folder, modes) in [("gzip", gzipModes), ("zlib", zlibModes)] {
        let dir = root.appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for source in sources {
            let records = try RecordReader(path: source.fullPath).allRecords()
            let name = source.path.replacingOccurrences(of: "/", with: "_")
            for (mode, options) in modes {
                let relative = "\(mode)__\(name)"
                let writer = try RecordWriter(path: dir.appendingPathComponent(relative).path, options: options)
                for record in records { try writer.write(record) }
                try writer.close()
                expected["\(folder)/\(relative)"] = records.map(SHA256.hex)
            }
        }
    }
    let data = try JSONSerialization.data(withJSONObject: expected, options: [.sortedKeys])
    try data.write(to: root.appendingPathComponent("expected.json"))
}

/// Every corpus Example / SequenceExample, decoded and re-encoded by us, one file per corpus file.
func writeExampleFixtures(to root: URL) throws {
    var written = 0
    for (folder, files) in [("examples", Manifest.exampleFiles), ("sequence", Manifest.sequenceFiles)] {
        let dir = root.appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for file in files {
            let payloads = try RecordReader(path: file.fullPath).allRecords()
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
            written += 1
        }
    }
    guard written > 0 else { throw FixtureError("the corpus has no Example files") }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

let arguments = CommandLine.arguments
guard arguments.count == 3, ["compression", "examples"].contains(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: InteropFixtures compression|examples DIR\n".utf8))
    exit(2)
}
do {
    let root = URL(fileURLWithPath: arguments[2])
    if arguments[1] == "compression" { try writeCompressionFixtures(to: root) } else { try writeExampleFixtures(to: root) }
} catch {
    FileHandle.standardError.write(Data("InteropFixtures: error: \(error)\n".utf8))
    exit(1)
}
