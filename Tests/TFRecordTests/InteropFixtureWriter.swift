import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// Writes, when `TFRECORD_INTEROP_DIR` is set, the corpus' records in every compressed mode we
/// write (GZIP and ZLIB with default and non-default options, blocked GZIP), plus
/// `expected.json` (path → payload hashes), for `scripts/tf_interop_compression.sh` to read
/// with real TensorFlow. Skipped otherwise.
@Suite struct InteropFixtureWriter {
    static let directory = ProcessInfo.processInfo.environment["TFRECORD_INTEROP_DIR"]

    static let gzipModes: [(String, WriteOptions)] = {
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

    static let zlibModes: [(String, WriteOptions)] = {
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

    @Test(.enabled(if: directory != nil, "set TFRECORD_INTEROP_DIR to write the fixtures"))
    func writeFixtures() throws {
        let root = URL(fileURLWithPath: Self.directory!)
        let sources = Manifest.shared.files.filter { $0.compression.isEmpty && $0.isIntact && $0.numRecords > 0 }
        #expect(sources.count >= 10)
        var expected: [String: [String]] = [:]
        for (folder, modes) in [("gzip", Self.gzipModes), ("zlib", Self.zlibModes)] {
            let dir = root.appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for source in sources {
                let records = try MappedFile(path: source.fullPath).allRecords()
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
}
