import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample

/// Every Example and SequenceExample record of the TensorFlow-made corpus decodes to exactly the
/// manifest's values (floats by bit pattern), re-encodes to bytes that decode equal, and the
/// zero-copy view finds every feature equal to the decoder's.
@Suite struct ExampleConformanceTests {
    static let exampleFiles = Manifest.exampleFiles
    static let sequenceFiles = Manifest.sequenceFiles

    @Test func corpusHasExampleFiles() {
        #expect(Self.exampleFiles.count >= 10)
        #expect(Self.sequenceFiles.count >= 1)
        #expect(Self.exampleFiles.contains { $0.path.hasSuffix("wire_variants.tfrecord") })
    }

    @Test(arguments: exampleFiles)
    func examplesDecodeToManifest(_ file: Manifest.File) throws {
        let payloads = try file.payloads()
        let expected = file.features!
        #expect(payloads.count == expected.count)
        for (i, payload) in payloads.enumerated() {
            let want = ManifestFeatures.example(expected[i])
            let got = try Example(serialized: payload)
            #expect(got == want, "\(file.path) record \(i)")
            // RawSpan entry point gives the same.
            let viaSpan = try Example(serialized: payload.span.bytes)
            #expect(viaSpan == want)
        }
    }

    @Test(arguments: exampleFiles)
    func encoderOutputDecodesEqual(_ file: Manifest.File) throws {
        let payloads = try file.payloads()
        for payload in payloads {
            let example = try Example(serialized: payload)
            let encoded = example.serialized()
            #expect(try Example(serialized: encoded) == example)
            // Deterministic: encoding the re-decoded value gives the same bytes.
            #expect(try Example(serialized: encoded).serialized() == encoded)
        }
    }

    @Test(arguments: exampleFiles)
    func viewFindsEveryFeature(_ file: Manifest.File) throws {
        let payloads = try file.payloads()
        for (i, payload) in payloads.enumerated() {
            let example = try Example(serialized: payload)
            for (name, feature) in example.features.feature {
                let (kind, count, decoded) = try Self.lookup(payload, name)!
                #expect(kind == feature.kind, "\(file.path) record \(i) feature \(name)")
                #expect(count == feature.count)
                #expect(decoded == feature, "\(file.path) record \(i) feature \(name)")
            }
            #expect(try Self.lookup(payload, "no such feature \u{1F600}") == nil)
        }
    }

    /// Looks `name` up in a view of `payload`; returns plain values (spans cannot leave).
    static func lookup(_ payload: [UInt8], _ name: String) throws -> (Feature.Kind, Int, Feature)? {
        let view = ExampleView(payload.span.bytes)
        guard let feature = try view.feature(named: name) else { return nil }
        var spanCopies: [[UInt8]] = []
        feature.forEachBytes { span in spanCopies.append(span.withUnsafeBytes { [UInt8]($0) }) }
        if feature.kind == .bytes {
            #expect(spanCopies == feature.byteStrings())
            for i in 0..<feature.count {
                let span = feature.bytes(at: i)
                #expect(span.withUnsafeBytes { [UInt8]($0) } == spanCopies[i])
            }
        }
        return (feature.kind, feature.count, feature.decoded())
    }

    @Test(arguments: sequenceFiles)
    func sequenceExamplesDecodeToManifest(_ file: Manifest.File) throws {
        let payloads = try file.payloads()
        let expected = file.sequenceExamples!
        #expect(payloads.count == expected.count)
        for (i, payload) in payloads.enumerated() {
            let want = ManifestFeatures.sequenceExample(expected[i])
            let got = try SequenceExample(serialized: payload)
            #expect(got == want, "\(file.path) record \(i)")
            let encoded = got.serialized()
            #expect(try SequenceExample(serialized: encoded) == got)
            // TensorFlow's bytes are protobuf's deterministic serialization (keys sorted): ours
            // must be the same bytes, feature lists and context alike.
            #expect(encoded == payload, "\(file.path) record \(i): our bytes differ from TensorFlow's")
        }
    }

    /// The records where TensorFlow's own parser disagrees with protobuf: our decoder (and view)
    /// give protobuf's answer, the manifest's `features`, not TF's `tf_features` / error.
    @Test func wireVariantsFollowProtobufNotTFParser() throws {
        let file = Self.exampleFiles.first { $0.path.hasSuffix("wire_variants.tfrecord") }!
        let disagreements = file.raw["tf_parse_single_example_disagreements"] as! [[String: Any]]
        #expect(disagreements.count >= 5)
        let payloads = try MappedFile(path: file.fullPath).allRecords()
        for entry in disagreements {
            let index = entry["record_index"] as! Int
            let want = ManifestFeatures.example(file.features![index])
            let got = try Example(serialized: payloads[index])
            #expect(got == want, "record \(index)")
            if let tfFeatures = entry["tf_features"] as? [String: Any] {
                #expect(got != ManifestFeatures.example(tfFeatures), "record \(index) should differ from TF's parser")
            }
            for (name, feature) in want.features.feature {
                #expect(try Self.lookup(payloads[index], name)?.2 == feature)
            }
        }
    }

    /// Our encoder writes the same bytes as TensorFlow for the TF-written corpus files whose
    /// records have their keys in sorted order (TF's Python writes map entries in insertion order).
    @Test func encoderMatchesTensorFlowBytesForSortedRecords() throws {
        var compared = 0
        for file in Self.exampleFiles where file.compression.isEmpty && !file.path.contains("wire_variants") {
            for payload in try MappedFile(path: file.fullPath).allRecords() {
                let example = try Example(serialized: payload)
                let encoded = example.serialized()
                // An empty Example is written both as `` and `0a 00` in the corpus; we write `0a 00`.
                if !example.features.isEmpty && Self.keysInOrder(payload, example) {
                    #expect(encoded == payload, "\(file.path)")
                    compared += 1
                }
            }
        }
        #expect(compared > 0)
    }

    /// Whether the map entries of `payload` come in sorted key order (so bytes can be compared).
    static func keysInOrder(_ payload: [UInt8], _ example: Example) -> Bool {
        var positions: [Int] = []
        for name in example.features.sortedNames {
            guard name.utf8.count < 128,
                  let at = firstIndex(of: [0x0a, UInt8(name.utf8.count)] + Array(name.utf8), in: payload) else { return false }
            positions.append(at)
        }
        return positions == positions.sorted()
    }

    static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i..<i + needle.count].elementsEqual(needle) {
            return i
        }
        return nil
    }
}
