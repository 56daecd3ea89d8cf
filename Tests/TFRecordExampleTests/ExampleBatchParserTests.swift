import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample

/// `ExampleBatchParser` (`tf.io.parse_example`): on every conformance Example file it agrees
/// with the single-record `ExampleParser`, record by record and feature by feature (values and
/// errors); the column layout (dense, ragged, bytes + offsets, defaults); parallel equals
/// sequential, errors included.
@Suite struct ExampleBatchParserTests {
    @Test(arguments: Manifest.exampleFiles)
    func agreesWithTheSingleRecordParserOnTheCorpus(_ file: Manifest.File) throws {
        let payloads = try file.payloads()
        let examples = try payloads.map { try Example(serialized: $0) }
        for spec in CorpusSpecs.specs(examples) {
            // The single-record parser, one feature at a time: the expected value or error.
            var firstError: (record: Int, errors: [ExampleError])?
            for (i, payload) in payloads.enumerated() where firstError == nil {
                var errors: [ExampleError] = []
                for (name, featureSpec) in spec {
                    do { _ = try ExampleParser.parse(payload, spec: [name: featureSpec], recordNumber: i) } catch { errors.append(error) }
                }
                if !errors.isEmpty { firstError = (i, errors) }
            }
            let parser = try ExampleBatchParser(spec: spec)
            let batch: ParsedBatch
            do {
                batch = try parser.parse(payloads)
            } catch {
                let expected = try #require(firstError, "\(file.path): batch failed (\(error)) where every record parses")
                #expect(error.recordNumber == expected.record, "\(file.path)")
                #expect(expected.errors.contains { $0.kind == error.kind && $0.feature == error.feature && $0.detail == error.detail },
                        "\(file.path): \(error) is not among \(expected.errors)")
                continue
            }
            #expect(firstError == nil, "\(file.path): batch parsed where record \(firstError?.record ?? -1) fails")
            #expect(batch.count == payloads.count)
            for (i, payload) in payloads.enumerated() {
                let single = try ExampleParser.parse(payload, spec: spec, recordNumber: i)
                for (name, parsed) in single {
                    let column = try #require(batch[name])
                    #expect(column.feature(ofRecord: i) == parsed.values, "\(file.path)#\(i) \(name)")
                }
            }
        }
    }

    static let spec: [String: FeatureSpec] = [
        "area": .fixedLen([], .float),
        "bbox": .fixedLen([2, 2], .float),
        "label": .fixedLen([], .int64, defaultValue: .int64(-1)),
        "name": .fixedLen([], .bytes, defaultValue: .bytes("none")),
        "tags": .varLen(.bytes),
        "points": .varLen(.int64),
    ]

    static func record(_ i: Int) -> [UInt8] {
        var example: Example = ["area": .float(Float(i) + 0.5), "bbox": .float([1, 2, 3, Float(i)])]
        if i % 3 != 0 { example["label"] = .int64(Int64(i)) }
        if i % 4 != 0 { example["name"] = .bytes("n\(i)") }
        example["tags"] = .bytes((0..<(i % 3)).map { "t\($0)" })
        if i % 5 != 1 { example["points"] = .int64((0..<Int64(i % 4)).map { $0 * 10 }) }
        return example.serialized()
    }

    @Test func columnLayout() throws {
        let records = (0..<6).map(Self.record)
        let batch = try ExampleBatchParser(spec: Self.spec).parse(records)
        let bbox = try #require(batch["bbox"])
        #expect(bbox.shape == [6, 2, 2] && bbox.rowOffsets == nil)
        #expect(bbox.floats == (0..<6).flatMap { [1, 2, 3, Float($0)] })
        #expect(bbox.floatValues.count == 24)
        #expect(batch["area"]!.shape == [6] && batch["area"]!.floats == (0..<6).map { Float($0) + 0.5 })
        #expect(batch["label"]!.int64s == [-1, 1, 2, -1, 4, 5])
        let name = try #require(batch["name"])
        #expect(name.byteOffsets == [0, 4, 6, 8, 10, 14, 16])
        #expect(String(decoding: name.bytes, as: UTF8.self) == "nonen1n2n3nonen5")
        #expect(name.byteString(at: 1).count == 2)
        let tags = try #require(batch["tags"])
        #expect(tags.rowOffsets == [0, 0, 1, 3, 3, 4, 6])
        #expect(tags.shape == [6] && tags.valueCount == 6)
        #expect(tags.feature(ofRecord: 2) == .bytes(["t0", "t1"]))
        let points = try #require(batch["points"])
        #expect(points.rowOffsets == [0, 0, 0, 2, 5, 5, 6])
        #expect(points.int64s == [0, 10, 0, 10, 20, 0])
    }

    @Test func buildingFromBorrowedRecordsEqualsParsing() throws {
        let records = (0..<40).map(Self.record)
        let parser = try ExampleBatchParser(spec: Self.spec)
        var builder = parser.makeBuilder()
        for record in records { try builder.append(record.span.bytes) }
        try Self.expectSame(builder.finish(), try parser.parse(records))
    }

    /// The parser predicts each record's key order from the previous record's: records whose
    /// features come in other orders, repeat a key (the last entry wins), carry features the
    /// spec does not name, or repeat a key with another kind must
    /// parse as the single-record parser parses each of them.
    @Test func recordsWhoseLayoutChangesAgreeWithTheSingleRecordParser() throws {
        let spec: [String: FeatureSpec] = ["a": .varLen(.float), "b": .varLen(.int64), "c": .varLen(.bytes)]
        func entry(_ key: String, _ feature: Feature) -> [UInt8] {
            let map = Example([key: feature]).serialized()  // field 1: one map entry
            return map
        }
        var records: [[UInt8]] = []
        for i in 0..<30 {
            var parts: [[UInt8]] = [entry("a", .float([Float(i), 0.5])), entry("b", .int64([Int64(i), -1, Int64.min])),
                                    entry("c", .bytes(["x\(i)"])), entry("other\(i % 3)", .int64([7]))]
            if i % 4 == 1 { parts.reverse() }
            if i % 5 == 2 { parts.append(entry("a", .float([-0.0, .infinity]))) }       // repeated: the last wins
            if i % 7 == 3 { parts.removeAll { $0 == entry("b", .int64([Int64(i), -1, Int64.min])) } }  // absent
            if i % 6 == 4 { parts.append(entry("c", .int64([1])) + entry("c", .bytes(["late"]))) }  // kinds merged
            records.append(parts.flatMap { $0 })
        }
        let batch = try ExampleBatchParser(spec: spec).parse(records)
        for (i, record) in records.enumerated() {
            let single = try ExampleParser.parse(record, spec: spec, recordNumber: i)
            for (name, parsed) in single {
                #expect(batch[name]!.feature(ofRecord: i) == parsed.values, "record \(i) \(name)")
            }
        }
        // A kind that ends other than the spec's is TensorFlow's wrong-kind error.
        var bad = records
        bad[9] = records[9] + entry("a", .float([1])) + entry("a", .int64([1]))
        #expect(throws: ExampleError.self) { try ExampleBatchParser(spec: spec).parse(bad) }
    }

    @Test func parallelEqualsSequential() throws {
        let records = (0..<5000).map(Self.record)
        var sequential = try ExampleBatchParser(spec: Self.spec)
        sequential.parallelThreshold = .max
        var parallel = sequential
        parallel.parallelThreshold = 1
        parallel.maxThreads = 4
        try Self.expectSame(try parallel.parse(records), try sequential.parse(records))
        // Errors: the lowest-numbered bad record, whichever thread found it.
        var damaged = records
        damaged[3100] = (["area": .int64(1)] as Example).serialized()
        damaged[4900] = Array(records[4900].prefix(5))
        for parser in [sequential, parallel] {
            do {
                _ = try parser.parse(damaged, firstRecordNumber: 100)
                Issue.record("damaged batch parsed")
            } catch {
                #expect(error.recordNumber == 3200 && error.feature == "area")
            }
        }
    }

    @Test func tensorFlowsErrors() throws {
        let parser = try ExampleBatchParser(spec: ["bbox": .fixedLen([4], .float), "id": .fixedLen([], .int64)])
        let good: Example = ["bbox": [1, 2, 3, 4.5], "id": 1]
        let cases: [(Example, ExampleError.Kind, String)] = [
            (["bbox": [1, 2, 3.5], "id": 1], .wrongCount, "bbox"),
            (["bbox": [1, 2, 3, 4.5]], .missingFeature, "id"),
            (["bbox": [1, 2, 3, 4.5], "id": .none], .missingFeature, "id"),
            (["bbox": [1, 2, 3, 4.5], "id": 1.5], .wrongKind, "id"),
        ]
        for (bad, kind, feature) in cases {
            do {
                _ = try parser.parse([good.serialized(), good.serialized(), bad.serialized()], firstRecordNumber: 10)
                Issue.record("\(bad) parsed")
            } catch {
                #expect(error.kind == kind && error.feature == feature && error.recordNumber == 12, "\(error)")
            }
        }
        #expect(throws: ExampleError.self) { try ExampleBatchParser(spec: ["x": .fixedLen([2], .float, defaultValue: .float(1))]) }
        #expect(throws: ExampleError.self) { try ExampleBatchParser(spec: ["x": .varLen(.none)]) }
        // Damage names the record and the byte offset.
        do {
            _ = try parser.parse([good.serialized(), [0x0a, 0x05, 0x0a]])
            Issue.record("malformed record parsed")
        } catch {
            #expect(error.kind == .malformed && error.recordNumber == 1 && error.byteOffset != nil)
        }
    }

    static func expectSame(_ a: ParsedBatch, _ b: ParsedBatch) throws {
        #expect(a.count == b.count)
        #expect(Set(a.columns.keys) == Set(b.columns.keys))
        for (name, x) in a.columns {
            let y = try #require(b[name])
            #expect(x.shape == y.shape && x.rowOffsets == y.rowOffsets && x.int64s == y.int64s, "\(name)")
            #expect(x.floats.map(\.bitPattern) == y.floats.map(\.bitPattern) && x.bytes == y.bytes && x.byteOffsets == y.byteOffsets, "\(name)")
        }
    }
}

/// TensorFlow treats a fixed-length feature whose shape holds no values (`[0]`) as required
/// even with a default (its C++ parser: required = the default has no elements), found by
/// `scripts/tf_interop_parse_batch.sh` on the corpus's `types` and `wire_variants` files.
@Suite struct ZeroElementDefaultTests {
    @Test func zeroElementFixedLengthIsRequiredEvenWithADefault() throws {
        let spec: [String: FeatureSpec] = ["empty": .fixedLen([0], .bytes, defaultValue: .bytesList([])), "id": .fixedLen([], .int64)]
        let present: Example = ["empty": .bytesList([]), "id": 1]
        let missing: Example = ["id": 2]
        // Present with no values: fine for both parsers.
        #expect(try ExampleParser.parse(present.serialized(), spec: spec)["empty"]?.values == .bytesList([]))
        #expect(try ExampleBatchParser(spec: spec).parse([present.serialized()])["empty"]?.valueCount == 0)
        // Missing: required, as TensorFlow says.
        do {
            _ = try ExampleParser.parse(missing.serialized(), spec: spec, recordNumber: 4)
            Issue.record("single: a missing zero-element feature must be required")
        } catch {
            #expect(error.kind == .missingFeature && error.feature == "empty" && error.recordNumber == 4)
        }
        do {
            _ = try ExampleBatchParser(spec: spec).parse([present.serialized(), missing.serialized()])
            Issue.record("batch: a missing zero-element feature must be required")
        } catch {
            #expect(error.kind == .missingFeature && error.feature == "empty" && error.recordNumber == 1)
        }
    }
}
