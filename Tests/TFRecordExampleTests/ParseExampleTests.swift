import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample

/// `parse_single_example`-style parsing: every corpus record parses with a spec made from its
/// own features (from the decoded value and straight from the bytes), and the errors TensorFlow
/// raises are raised, naming the feature and the record.
@Suite struct ParseExampleTests {
    @Test(arguments: Manifest.exampleFiles.filter { $0.compression.isEmpty })
    func corpusParsesWithItsOwnSpec(_ file: Manifest.File) throws {
        let payloads = try MappedFile(path: file.fullPath).allRecords()
        #expect(payloads.count == file.numRecords)
        #expect(payloads.count == file.features!.count)
        for (i, payload) in payloads.enumerated() {
            let want = ManifestFeatures.example(file.features![i])
            var varSpec: [String: FeatureSpec] = [:]
            var fixedSpec: [String: FeatureSpec] = [:]
            for (name, feature) in want.features.feature where feature.kind != .none {
                varSpec[name] = .varLen(feature.kind)
                fixedSpec[name] = .fixedLen([feature.count], feature.kind)
            }
            for spec in [varSpec, fixedSpec] {
                let fromBytes = try ExampleParser.parse(payload, spec: spec, recordNumber: i)
                let fromValue = try ExampleParser.parse(try Example(serialized: payload), spec: spec)
                #expect(fromBytes == fromValue)
                #expect(fromBytes.count == spec.count, "\(file.path)#\(i): parsed \(fromBytes.keys.sorted()), asked for \(spec.keys.sorted())")
                // Loop over what was asked for (from the manifest), not over the parser's output.
                for (name, feature) in want.features.feature where feature.kind != .none {
                    let parsed = try #require(fromBytes[name], "\(file.path)#\(i): \(name) missing from the parse")
                    #expect(parsed.values == feature, "\(file.path)#\(i) \(name)")
                    #expect(parsed.shape == [feature.count])
                }
            }
        }
    }

    static let example: Example = [
        "area": 367.89, "bbox": [265.67, 99.2, 10.5, 8.0], "label": 18, "name": "cat", "unset": .none,
    ]

    @Test func fixedLengthShapesAndDefaults() throws {
        let parsed = try Self.example.parse(spec: [
            "area": .fixedLen([], .float),
            "bbox": .fixedLen([2, 2], .float),
            "missing": .fixedLen([2], .int64, defaultValue: .int64([1, 2])),
            "unset": .fixedLen([], .bytes, defaultValue: .bytes("x")),
            "label": .varLen(.int64),
            "none": .varLen(.bytes),
        ])
        #expect(parsed["area"] == ParsedFeature(shape: [], values: .float(367.89)))
        #expect(parsed["bbox"]!.shape == [2, 2])
        #expect(parsed["missing"]!.values == .int64([1, 2]))
        #expect(parsed["unset"]!.values == .bytes("x"))
        #expect(parsed["label"] == ParsedFeature(shape: [1], values: .int64(18)))
        #expect(parsed["none"] == ParsedFeature(shape: [0], values: .bytesList([])))
    }

    @Test func errorsNameFeatureAndRecord() {
        let payload = Self.example.serialized()
        let cases: [(String, FeatureSpec, ExampleError.Kind, String)] = [
            ("missing", .fixedLen([1], .int64), .missingFeature, "Feature: missing (data type: int64) is required but could not be found."),
            ("unset", .fixedLen([1], .float), .missingFeature, "is required"),
            ("label", .varLen(.bytes), .wrongKind, "Data types don't match. Expected type: string, Actual type: int64"),
            ("bbox", .fixedLen([3], .float), .wrongCount, "Values size: 4"),
            ("area", .fixedLen([2], .float, defaultValue: .float(1)), .wrongCount, "Values size: 1"),
        ]
        for (name, spec, kind, text) in cases {
            do {
                _ = try ExampleParser.parse(payload, spec: [name: spec], recordNumber: 7)
                Issue.record("\(name) parsed")
            } catch {
                #expect(error.kind == kind, "\(name)")
                #expect(error.feature == name)
                #expect(error.recordNumber == 7)
                #expect(error.description.contains(text), "\(error)")
                #expect(error.description.contains("record 7"))
            }
        }
    }

    /// Records where TF's C++ parser disagrees with protobuf: our parser follows protobuf (the
    /// manifest's `features`), also where TF raises an error.
    @Test func wireVariantsParseAsProtobuf() throws {
        let file = Manifest.exampleFiles.first { $0.path.hasSuffix("wire_variants.tfrecord") }!
        let payloads = try MappedFile(path: file.fullPath).allRecords()
        var tfErrorsWeAccept = 0
        for entry in file.raw["tf_parse_single_example_disagreements"] as! [[String: Any]] {
            let index = entry["record_index"] as! Int
            let want = ManifestFeatures.example(file.features![index])
            let spec = want.features.feature.filter { $0.value.kind != .none }.mapValues { FeatureSpec.varLen($0.kind) }
            let parsed = try ExampleParser.parse(payloads[index], spec: spec, recordNumber: index)
            for (name, value) in parsed { #expect(value.values == want[name]) }
            if entry["tf_error_type"] != nil { tfErrorsWeAccept += 1 }
        }
        #expect(tfErrorsWeAccept >= 3)
    }
}
