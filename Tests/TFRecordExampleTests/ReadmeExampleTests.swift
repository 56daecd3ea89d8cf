import Foundation
import Testing
@testable import TFRecordTestSupport
import TFRecord
import TFRecordExample

/// The README's library section and the DocC article COCOWorkflow.md are the code below:
/// `readmeWorkflow` runs it, and `documentShowsTheTestedCode` checks that every Swift block of
/// both (but the `Package.swift` one) is made of the regions marked `// README>` … `// <README`
/// here, verbatim. The one line that differs: `let folder = "shards"` is a scratch folder here.
@Suite struct ReadmeExampleTests {
    @Test func readmeWorkflow() throws {
        // README>
        struct Annotation { var id: Int; var imageID: Int; var categoryID: Int; var area: Double; var bbox: [Double]; var fileName: String }
        let annotations = (0..<10_000).map { i in
            Annotation(id: i, imageID: i / 3, categoryID: 1 + i % 80, area: 367.89, bbox: [265.67, 99.2, 10.5, 8.0], fileName: "\(i / 3).jpg")
        }
        let jpeg: [UInt8] = [0xff, 0xd8, 0xff, 0xd9]   // stand-in for each image's bytes: Array(try Data(contentsOf: url))
        // <README
        let folder = try Scratch.folder("readme")
        defer { try? FileManager.default.removeItem(atPath: folder) }

        // README>
        func example(_ a: Annotation, image: [UInt8]) -> Example {
            [
                "image": .bytes(image),
                "path": .bytes(a.fileName),
                "area": .float(a.area),
                "bbox": .float(a.bbox),
                "category_id": .int64(a.categoryID),
                "id": .int64(a.id),
                "image_id": .int64(a.imageID),
            ]
        }
        // <README

        // README>
        let writer = try ShardWriter(options: ShardWriterOptions(
            directory: folder, nameTemplate: .tutorial, recordsPerShard: 4096, write: WriteOptions(compression: .gzip)))
        for a in annotations {
            try writer.write(example(a, image: jpeg))
        }
        let shards = try writer.finish()   // file_00-4096.tfrec, file_01-4096.tfrec, file_02-1808.tfrec
        // <README
        #expect(shards.map { ($0.path as NSString).lastPathComponent } == ["file_00-4096.tfrec", "file_01-4096.tfrec", "file_02-1808.tfrec"])
        for shard in shards {
            let head = try #require(FileHandle(forReadingAtPath: shard.path)).readData(ofLength: 2)
            #expect([UInt8](head) == [0x1f, 0x8b], "\(shard.path) is GZIP")
        }

        // README>
        var totalArea: Float = 0
        for shard in shards {
            let reader = try RecordReader(path: shard.path)
            try reader.forEachRecord { number, payload in
                let example = try Example(serialized: payload)
                totalArea += example["area"]?.float ?? 0
            }
        }
        // <README
        var expectedArea: Float = 0
        for a in annotations { expectedArea += Float(a.area) }
        #expect(totalArea == expectedArea)

        // README>
        let featureDescription: [String: FeatureSpec] = [
            "image": .fixedLen([], .bytes),
            "path": .fixedLen([], .bytes),
            "area": .fixedLen([], .float),
            "bbox": .fixedLen([4], .float),
            "category_id": .fixedLen([], .int64),
            "id": .fixedLen([], .int64),
        ]
        let first = try RecordReader(path: shards[0].path).next()!
        let parsed = try ExampleParser.parse(first, spec: featureDescription)
        let label = parsed["category_id"]?.int64    // Optional(1)
        let path = parsed["path"]?.string           // Optional("0.jpg")
        // <README
        #expect(label == 1)
        #expect(path == "0.jpg")
        #expect(parsed["image"]?.bytes == jpeg)
        #expect(parsed["bbox"]?.shape == [4])

        // README>
        let dataset = try Dataset(paths: [folder])   // every shard in the folder, in name order
        let record = try Example(serialized: dataset.record(at: 5_000))
        let bbox = record["bbox"]?.floats            // Optional([265.67, 99.2, 10.5, 8.0])
        // <README
        #expect(dataset.count == annotations.count)
        #expect(record["id"]?.int64 == 5_000)
        #expect(bbox == annotations[5_000].bbox.map { Float($0) })

        // README>
        var seen: [[Int]] = [[], []]
        for worker in 0..<2 {   // on two machines each runs only its own worker number
            let order = dataset.order(seed: 42, worker: worker, of: 2)
            try dataset.forEachRecord(at: order) { number, payload in
                let parsed = try ExampleParser.parse(payload, spec: featureDescription)
                if parsed["id"]?.int64 == Int64(number) { seen[worker].append(number) }
            }
        }
        // <README
        // Two disjoint halves that cover every record, each shuffled, the same for the same seed.
        #expect(abs(seen[0].count - seen[1].count) <= 1)
        #expect(Set(seen[0]).isDisjoint(with: seen[1]))
        #expect((seen[0] + seen[1]).sorted() == Array(0..<annotations.count))
        #expect(seen[0] != seen[0].sorted())
        #expect(Array(dataset.order(seed: 42, worker: 0, of: 2)) == seen[0])

        // README>
        let owned = try dataset.withRecord(at: 7) { payload in
            let area = try ExampleView(payload).feature(named: "area")
            print(area?.description ?? "no area")   // float[367.89]
            return area?.decoded()                  // a copy (Feature?) that outlives the record
        }
        // <README
        #expect(owned?.description == "float[367.89]")
        #expect(owned?.float == Float(annotations[7].area))
    }

    /// The marked regions of this file, without their 8-space indentation.
    static func regions() throws -> [String] {
        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        var regions: [String] = []
        var current: [Substring]?
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == "// README>" { current = []; continue }
            if trimmed == "// <README", let lines = current {
                regions.append(lines.map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : String($0) }.joined(separator: "\n"))
                current = nil
                continue
            }
            current?.append(line)
        }
        return regions
    }

    /// The Swift blocks of the README's library section, or of the whole DocC article.
    static func swiftBlocks(_ document: String, section: String? = nil) throws -> [String] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(document).path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var rest = text[...]
        if let section {
            let start = try #require(text.range(of: section))
            let end = text.range(of: "\n## ", range: start.upperBound..<text.endIndex)?.lowerBound ?? text.endIndex
            rest = text[start.upperBound..<end]
        }
        var blocks: [String] = []
        while let open = rest.range(of: "```swift\n") {
            let close = try #require(rest.range(of: "```\n", range: open.upperBound..<rest.endIndex))
            blocks.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return blocks
    }

    @Test(arguments: [("README.md", "## The library\n"),
                      ("Sources/TFRecordExample/TFRecordExample.docc/COCOWorkflow.md", nil)] as [(String, String?)])
    func documentShowsTheTestedCode(_ document: String, _ section: String?) throws {
        let regions = try Self.regions()
        let blocks = try Self.swiftBlocks(document, section: section)
        #expect(regions.count >= 8)
        #expect(blocks.count >= 8)
        var used = Set<Int>()
        for block in blocks where !block.contains("dependencies: [") {
            var remainder = block
            for (i, region) in regions.enumerated() {
                if let range = remainder.range(of: region + "\n") {
                    remainder.removeSubrange(range)
                    used.insert(i)
                }
            }
            let left = remainder.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("import TFRecord") && $0 != "let folder = \"shards\"" }
            #expect(left.isEmpty, "\(document): lines not run by readmeWorkflow: \(left)")
        }
        #expect(used.count == regions.count, "\(document): regions not shown: \(Set(regions.indices).subtracting(used).map { regions[$0] })")
    }
}
