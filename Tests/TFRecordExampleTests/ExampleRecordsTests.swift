import Foundation
import Testing
@testable import TFRecordTestSupport
import TFRecord
@testable import TFRecordExample

/// `ExampleRecords.forEachExample` / `forEachSequenceExample` on the TensorFlow-made corpus (every
/// compression): every record delivered once, in order, equal to the manifest's values; a record
/// of the other message kind or damaged bytes is an error naming the file and record.
@Suite struct ExampleRecordsTests {
    static let exampleFiles = Manifest.exampleFiles.filter { !$0.path.contains("wire_variants") }
    static let sequenceFiles = Manifest.sequenceFiles

    @Test func corpusHasFiles() {
        #expect(Self.exampleFiles.count >= 8)
        #expect(Self.sequenceFiles.count >= 3)
        #expect(Set(Self.sequenceFiles.map(\.compression)) == ["", "GZIP", "ZLIB"])
    }

    @Test(arguments: exampleFiles)
    func forEachExampleDeliversTheManifestsValues(_ file: Manifest.File) throws {
        let expected = file.features!
        var numbers: [Int] = []
        try ExampleRecords.forEachExample(path: file.fullPath) { number, example in
            numbers.append(number)
            #expect(example == ManifestFeatures.example(expected[number]), "\(file.path) record \(number)")
        }
        #expect(numbers == Array(0..<expected.count))
        #expect(numbers.count == file.numRecords)
    }

    @Test(arguments: sequenceFiles)
    func forEachSequenceExampleDeliversTheManifestsValues(_ file: Manifest.File) throws {
        let expected = file.sequenceExamples!
        var numbers: [Int] = []
        try ExampleRecords.forEachSequenceExample(path: file.fullPath) { number, example in
            numbers.append(number)
            #expect(example == ManifestFeatures.sequenceExample(expected[number]), "\(file.path) record \(number)")
        }
        #expect(numbers == Array(0..<expected.count))
        #expect(numbers.count == file.numRecords)
    }

    @Test func malformedRecordNamesFileAndRecord() throws {
        let path = Scratch.path("not-examples", suffix: ".tfrecord")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try RecordWriter(path: path)
        try writer.write(Example(["a": 1]).serialized())
        try writer.write([0x0a, 0x05, 0x01])   // a field claiming 5 bytes, 1 present
        try writer.close()
        var delivered = 0
        do {
            try ExampleRecords.forEachExample(path: path) { _, _ in delivered += 1 }
            Issue.record("a malformed record was accepted")
        } catch let error as ExampleError {
            #expect(String(describing: error).contains(path), "\(error)")
            #expect(String(describing: error).contains("record 1"), "\(error)")
        }
        #expect(delivered == 1)
        var sequences = 0
        do {
            try ExampleRecords.forEachSequenceExample(path: path) { _, _ in sequences += 1 }
            Issue.record("a malformed record was accepted as a SequenceExample")
        } catch let error as ExampleError {
            #expect(String(describing: error).contains("record 1"), "\(error)")
        }
    }

    @Test func bodyErrorsPropagate() throws {
        struct Stop: Error {}
        let file = Self.sequenceFiles.first { $0.compression == "GZIP" }!
        var seen = 0
        #expect(throws: Stop.self) {
            try ExampleRecords.forEachSequenceExample(path: file.fullPath) { _, _ in
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }
        #expect(seen == 2)
    }
}
