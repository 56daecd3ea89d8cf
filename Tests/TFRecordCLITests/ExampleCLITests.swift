import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample

/// `tfrecord cat --format json` and `tfrecord schema`, run as the built binary: the one beside the
/// test bundle (`CLIHarness.binary`, whatever the scratch path: the coverage and mutant builds
/// included). A missing binary fails the test; it is never a skip.
@Suite struct ExampleCLITests {
    static let binary = CLIHarness.binary.path

    static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try #require(FileManager.default.isExecutableFile(atPath: binary), "no tfrecord binary at \(binary): swift build --build-tests builds it")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    @Test(arguments: Manifest.exampleFiles.filter { $0.compression.isEmpty }
          + Manifest.sequenceFiles.filter { $0.compression.isEmpty })
    func catJSONLinesDecodeToTheRecords(_ file: Manifest.File) throws {
        let result = try Self.run(["cat", "--format", "json", file.fullPath])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == file.numRecords)
        for (i, line) in lines.enumerated() {
            if let features = file.features {
                #expect(try Example(json: String(line)) == ManifestFeatures.canonicalNaN(ManifestFeatures.example(features[i])))
            } else if line != #"{"features":{}}"# {
                #expect(try SequenceExample(json: String(line)) == ManifestFeatures.sequenceExample(file.sequenceExamples![i]))
            }
        }
    }

    @Test func catJSONRejectsOtherRecordsNamingThem() throws {
        let file = Manifest.shared.files.first { $0.path == "raw/mixed.tfrecord" }!
        let result = try Self.run(["cat", "--format", "json", file.fullPath])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("\(file.fullPath): error: corrupted record "))
        #expect(result.stderr.contains("not a tf.train.Example or SequenceExample"))
    }

    @Test func schemaTableAndJSON() throws {
        let files = Manifest.shared.files.filter { $0.path.hasPrefix("shards/tfds/") && $0.compression.isEmpty }
        let table = try Self.run(["schema"] + files.map(\.fullPath))
        #expect(table.status == 0)
        let json = try Self.run(["schema", "--json"] + files.map(\.fullPath))
        #expect(json.status == 0)
        // The same commands in process print the same (and are measured by coverage).
        let inProcessJSON = CLIHarness.run(["schema", "--json"] + files.map(\.fullPath))
        let inProcessTable = CLIHarness.run(["schema"] + files.map(\.fullPath))
        #expect(inProcessJSON.code == 0 && inProcessTable.code == 0)
        #expect(inProcessJSON.stdout == json.stdout)
        #expect(inProcessTable.stdout == table.stdout)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect(object["records"] as? Int == files.reduce(0) { $0 + $1.numRecords })
        // Compare with the schema computed from the manifest's JSON values (not by ExampleSchema,
        // the code under test): per name the kinds seen and the least and most values.
        #expect(files.count == 4)
        var expected: [String: (kinds: Set<String>, min: Int, max: Int)] = [:]
        for file in files {
            for record in file.features! {
                for (name, value) in record {
                    let lists = value as! [String: Any]
                    let kind = ["int64": "int64", "float_bits": "float", "bytes_b64": "bytes"].first { lists[$0.key] != nil }?.value ?? "none"
                    let count = kind == "none" ? 0 : (lists[kind == "float" ? "float_bits" : kind == "bytes" ? "bytes_b64" : "int64"] as! [Any]).count
                    var entry = expected[name] ?? ([], .max, 0)
                    entry.kinds.insert(kind)
                    entry.min = min(entry.min, count)
                    entry.max = max(entry.max, count)
                    expected[name] = entry
                }
            }
        }
        #expect(expected.count >= 2)
        let names = expected.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let features = object["features"] as! [[String: Any]]
        #expect(features.map { $0["name"] as! String } == names)
        for (got, name) in zip(features, names) {
            let want = expected[name]!
            let listKinds = want.kinds.subtracting(["none"])
            #expect(got["min_count"] as? Int == want.min, "\(name)")
            #expect(got["max_count"] as? Int == want.max, "\(name)")
            #expect(got["kind"] as? String == (listKinds.count == 1 ? listKinds.first : nil), "\(name)")
            #expect(table.stdout.contains(name))
        }
    }
}

/// Schema inference over the corpus.
@Suite struct SchemaInferenceTests {
    @Test(arguments: Manifest.exampleFiles.filter { $0.compression.isEmpty })
    func schemaMatchesManifest(_ file: Manifest.File) throws {
        let schema = try ExampleSchema.infer(paths: [file.fullPath])
        #expect(schema.recordCount == file.numRecords)
        var names: [String: (Set<Feature.Kind>, Int, Int, Int)] = [:]
        for record in file.features! {
            for (name, value) in ManifestFeatures.example(record).features.feature {
                var entry = names[name] ?? ([], .max, 0, 0)
                entry.0.insert(value.kind)
                entry.1 = min(entry.1, value.count)
                entry.2 = max(entry.2, value.count)
                entry.3 += 1
                names[name] = entry
            }
        }
        #expect(schema.features.count == names.count)
        for feature in schema.features {
            let want = names[feature.name]!
            #expect(feature.kinds == want.0)
            #expect(feature.minCount == want.1)
            #expect(feature.maxCount == want.2)
            #expect(feature.presentCount == want.3)
            // The suggested spec parses every record.
            if let spec = feature.suggestedSpec(recordCount: schema.recordCount) {
                for payload in try MappedFile(path: file.fullPath).allRecords() {
                    _ = try ExampleParser.parse(payload, spec: [feature.name: spec])
                }
            }
        }
    }

    @Test func sequenceExampleSchema() throws {
        let file = Manifest.sequenceFiles.first { $0.compression.isEmpty }!
        let schema = try ExampleSchema.infer(paths: [file.fullPath])
        #expect(schema.recordCount == file.numRecords)
        #expect(schema.sequenceExampleCount == file.sequenceExamples!.filter { !($0["feature_lists"] as? [String: Any] ?? [:]).isEmpty }.count)
        #expect(Set(schema.featureLists.map(\.feature.name)) == Set(file.sequenceExamples!.flatMap { ($0["feature_lists"] as? [String: Any] ?? [:]).keys }))
    }
}
