import Foundation
import Testing
@testable import TFRecordTestSupport
import TFRecord
@testable import TFRecordExample

/// The README's library example, as written there, runs and round-trips.
@Suite struct ReadmeExampleTests {
    @Test func readmeExample() throws {
        let dir = Scratch.path("readme")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let jpegBytes: [UInt8] = [0xff, 0xd8, 0xff, 0xe0]
        let writer = try RecordWriter(path: dir + "/train.tfrecord.gz", options: WriteOptions(compression: .gzip))
        try writer.write(Example(["label": 3, "bbox": [265.67, 1.5, 30, 40], "image": .bytes(jpegBytes)]).serialized())
        try writer.close()

        let reader = try RecordReader(path: dir + "/train.tfrecord.gz")
        #expect(reader.compression == .gzip)
        var labels: [[Int64]] = []
        try reader.forEachRecord { number, payload in
            let label = try ExampleView(payload).feature(named: "label")
            labels.append(label?.int64s() ?? [])
        }
        #expect(labels == [[3]])
        let first = try #require(try RecordReader(path: dir + "/train.tfrecord.gz").next())
        let example = try Example(serialized: first.span.bytes)
        #expect(example["bbox"] == .floatList([265.67, 1.5, 30, 40]))
        #expect(example["image"] == .bytesList([jpegBytes]))
    }
}
