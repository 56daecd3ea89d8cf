import Foundation
import Synchronization
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// The core's output hook: `RecordWriter(sink:name:options:)` gives a `ByteSink` exactly the bytes
/// a file gets, for every compression, and finishes or abandons it exactly once;
/// `ShardWriterOptions.publisher` receives each finished shard before its sidecar.
@Suite struct ByteSinkTests {
    /// Collects what it is given and how it ended.
    final class MemorySink: ByteSink {
        var bytes: [UInt8] = []
        var writes = 0
        var finished = 0
        var abandoned = 0
        /// Throw on the write with this number (1-based).
        var failAtWrite: Int?
        var failFinish = false

        func write(_ span: RawSpan) throws(TFRecordError) {
            writes += 1
            if writes == failAtWrite { throw TFRecordError(.io, "injected write failure", path: "memory") }
            span.withUnsafeBytes { bytes.append(contentsOf: $0) }
        }

        func finish() throws(TFRecordError) {
            finished += 1
            if failFinish { throw TFRecordError(.io, "injected finish failure", path: "memory") }
        }

        func abandon() { abandoned += 1 }
    }

    static func payload(_ i: Int) -> [UInt8] {
        Array("record \(i) ".utf8) + [UInt8](repeating: UInt8(i & 0xff), count: (i * 37) % 3000)
    }

    static let modes: [(String, WriteOptions)] = {
        var modes: [(String, WriteOptions)] = []
        for compression in [Compression.none, .gzip, .zlib, .lz4] {
            modes.append((compression.rawValue, WriteOptions(compression: compression, bufferSize: 4096)))
        }
        for compression in [Compression.gzip, .lz4] {
            var blocked = WriteOptions(compression: compression, bufferSize: 4096)
            blocked.blockSize = 64 << 10
            blocked.compressionThreads = 2
            modes.append(("blocked-" + compression.rawValue, blocked))
        }
        return modes
    }()

    @Test(arguments: 0..<6) func sinkGetsTheFileBytes(mode: Int) throws {
        let (label, options) = Self.modes[mode]
        let path = Scratch.path("sink-\(label)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try RecordWriter(path: path, options: options)
        let sink = MemorySink()
        let streamed = try RecordWriter(sink: sink, name: "memory://\(label)", options: options)
        // A record larger than the buffer too (it goes to the sink in pieces).
        let records = (0..<700).map(Self.payload) + [[UInt8](repeating: 7, count: 20_000)]
        for record in records {
            try file.write(record)
            try streamed.write(record)
        }
        try file.close()
        #expect(sink.finished == 0)
        try streamed.close()
        let expected = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(sink.bytes.count == expected.count, "\(label)")
        #expect(sink.bytes == expected, "\(label)")
        #expect(sink.finished == 1 && sink.abandoned == 0)
        #expect(streamed.path == "memory://\(label)")
        try streamed.close()  // again: nothing more
        #expect(sink.finished == 1)
        // And it reads back as the records.
        var read: [[UInt8]] = []
        try RecordReader(path: path).forEachRecord { _, payload in read.append(payload.withUnsafeBytes { [UInt8]($0) }) }
        #expect(read == records)
    }

    @Test func failedWriteAbandonsTheSinkOnce() throws {
        let sink = MemorySink()
        sink.failAtWrite = 2
        let writer = try RecordWriter(sink: sink, name: "memory://fail", options: WriteOptions(bufferSize: 256))
        var thrown: TFRecordError?
        do {
            for i in 0..<100 { try writer.write(Self.payload(i)) }
        } catch {
            thrown = error
        }
        #expect(thrown?.kind == .io)
        #expect(throws: TFRecordError.self) { try writer.close() }
        #expect(sink.finished == 0)
        #expect(sink.abandoned == 1)
        writer.abandon()
        #expect(sink.abandoned == 1)
    }

    @Test func abandonAndFailedFinish() throws {
        let sink = MemorySink()
        let writer = try RecordWriter(sink: sink, name: "memory://abandon", options: WriteOptions(compression: .gzip))
        try writer.write(Self.payload(1))
        writer.abandon()
        #expect(sink.abandoned == 1 && sink.finished == 0)
        #expect(throws: TFRecordError.self) { try writer.write(Self.payload(2)) }

        let failing = MemorySink()
        failing.failFinish = true
        let second = try RecordWriter(sink: failing, name: "memory://finish", options: WriteOptions())
        try second.write(Self.payload(1))
        #expect(throws: TFRecordError.self) { try second.close() }
        // A failed finish is the sink's to clean up: it is not abandoned as well.
        #expect(failing.finished == 1 && failing.abandoned == 0)
    }

    @Test func refusedOptionsAbandonTheSink() throws {
        let sink = MemorySink()
        var options = WriteOptions(compression: .zlib)
        options.blockSize = 1 << 20
        #expect(throws: TFRecordError.self) { _ = try RecordWriter(sink: sink, name: "memory://zlib-blocked", options: options) }
        #expect(sink.abandoned == 1)
    }

    /// Records what it was given, in order, copying the files it publishes into a folder.
    final class FolderPublisher: ShardPublisher {
        let folder: String
        let events = Mutex<[String]>([])
        let failName: String?

        init(folder: String, failName: String? = nil) {
            self.folder = folder
            self.failName = failName
        }

        func location(of name: String) -> String { "copy://" + folder + "/" + name }

        func publish(shard: String, sidecar: String?, as name: String, sidecarName: String) throws(TFRecordError) {
            if name == failName { throw TFRecordError(.io, "injected publish failure", path: location(of: name)) }
            do {
                try FileManager.default.copyItem(atPath: shard, toPath: folder + "/" + name)
                events.withLock { $0.append("shard " + name) }
                if let sidecar {
                    try FileManager.default.copyItem(atPath: sidecar, toPath: folder + "/" + sidecarName)
                    events.withLock { $0.append("sidecar " + sidecarName) }
                }
            } catch {
                throw TFRecordError(.io, "\(error)", path: location(of: name))
            }
        }
    }

    @Test(arguments: [ShardNameTemplate.tfds, .tutorial]) func publisherGetsEachShardThenItsSidecar(template: ShardNameTemplate) throws {
        let staging = try Scratch.folder("staging")
        let published = try Scratch.folder("published")
        let local = Scratch.path("local")
        defer { for path in [staging, published, local] { try? FileManager.default.removeItem(atPath: path) } }
        let publisher = FolderPublisher(folder: published)
        var options = ShardWriterOptions(directory: staging, prefix: "train", nameTemplate: template, recordsPerShard: 50,
                                         write: WriteOptions(compression: .gzip))
        options.publisher = publisher
        let writer = try ShardWriter(options: options)
        var localOptions = options
        localOptions.publisher = nil
        localOptions.directory = local
        let reference = try ShardWriter(options: localOptions)
        for i in 0..<170 {
            try writer.write(Self.payload(i))
            try reference.write(Self.payload(i))
        }
        let shards = try writer.finish()
        let localShards = try reference.finish()
        #expect(shards.count == 4)
        #expect(shards.map(\.path) == localShards.map { "copy://" + published + "/" + URL(fileURLWithPath: $0.path).lastPathComponent })
        #expect(shards.map(\.recordCount) == localShards.map(\.recordCount))
        var first = 0
        for (shard, localShard) in zip(shards, localShards) {
            let name = URL(fileURLWithPath: localShard.path).lastPathComponent
            #expect(try Data(contentsOf: URL(fileURLWithPath: published + "/" + name)) == Data(contentsOf: URL(fileURLWithPath: localShard.path)))
            #expect(shard.recordOffsets == localShard.recordOffsets)
            // The sidecar describes the published bytes (same offsets and checkpoints).
            let file = try RecordFile(path: published + "/" + name)
            #expect(file.count == shard.recordCount)
            #expect(try file.record(at: file.count - 1) == Self.payload(first + shard.recordCount - 1))
            first += shard.recordCount
        }
        let events = publisher.events.withLock { $0 }
        for shard in localShards {
            let name = URL(fileURLWithPath: shard.path).lastPathComponent
            let shardEvent = try #require(events.firstIndex(of: "shard " + name))
            let sidecarEvent = try #require(events.firstIndex(of: "sidecar " + name + ".tfindex"))
            #expect(shardEvent < sidecarEvent)
        }
        // Nothing is left in the staging folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: staging).isEmpty)
    }

    @Test func failedPublishFailsTheWriterAndCleansStaging() throws {
        let staging = try Scratch.folder("staging")
        let published = try Scratch.folder("published")
        defer { for path in [staging, published] { try? FileManager.default.removeItem(atPath: path) } }
        var options = ShardWriterOptions(directory: staging, prefix: "train", nameTemplate: .tfds, recordsPerShard: 50)
        options.publisher = FolderPublisher(folder: published, failName: "train-00001-of-00003.tfrecord")
        let writer = try ShardWriter(options: options)
        for i in 0..<120 { try writer.write(Self.payload(i)) }
        #expect {
            try writer.finish()
        } throws: { error in
            (error as? TFRecordError)?.kind == .io && (error as? TFRecordError)?.path?.hasSuffix("train-00001-of-00003.tfrecord") == true
        }
        #expect(!FileManager.default.fileExists(atPath: published + "/train-00001-of-00003.tfrecord"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: staging).isEmpty)
    }
}
