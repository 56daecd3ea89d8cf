import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// `WriteOptions.writesInBackground`: the file is byte for byte the one-thread writer's, and a
/// failed background write is still an error of the writer.
@Suite struct BackgroundWriteTests {
    /// Records of 0-299 bytes, with one of 100 KiB (larger than the 64 KiB buffer) every 5,000.
    static func payload(_ i: Int) -> [UInt8] {
        let size = i % 5000 == 4999 ? 100 << 10 : (i &* 7919) % 300
        return (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) }
    }

    static func write(_ path: String, background: Bool, count: Int) throws {
        var options = WriteOptions(bufferSize: 64 << 10)
        options.writesInBackground = background
        let writer = try RecordWriter(path: path, options: options)
        for i in 0..<count { try writer.write(payload(i)) }
        try writer.close()
    }

    @Test func fileIsTheOneThreadWritersFile() throws {
        let dir = Scratch.path("bg")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let count = 20_000
        try Self.write(dir + "/one.tfrecord", background: false, count: count)
        try Self.write(dir + "/background.tfrecord", background: true, count: count)
        let one = try Data(contentsOf: URL(fileURLWithPath: dir + "/one.tfrecord"))
        let background = try Data(contentsOf: URL(fileURLWithPath: dir + "/background.tfrecord"))
        #expect(one.count > 1 << 20, "the test must span many buffers")
        #expect(background == one)
        var seen = 0
        try MappedFile(path: dir + "/background.tfrecord").forEachRecord(verifyingChecksums: true) { i, payload in
            if seen % 997 == 0 || i % 5000 == 4999 { #expect(payload.withUnsafeBytes { Array($0) } == Self.payload(i)) }
            seen += 1
        }
        #expect(seen == count)
    }

    @Test func failedBackgroundWriteIsAnIOError() throws {
        // /dev/full accepts open and fails every write with ENOSPC, as a full disk does.
        var options = WriteOptions(bufferSize: 4096, atomic: false)
        options.writesInBackground = true
        let writer = try RecordWriter(path: "/dev/full", options: options)
        var failure: TFRecordError?
        do {
            for i in 0..<1000 { try writer.write(Self.payload(i % 4000)) }
            try writer.close()
        } catch {
            failure = error
        }
        let error = try #require(failure, "writing 1000 records to /dev/full did not fail")
        #expect(error.kind == .io && error.errno == ENOSPC, "\(error)")
        #expect(throws: TFRecordError.self) { try writer.write([1, 2, 3]) }
    }
}
