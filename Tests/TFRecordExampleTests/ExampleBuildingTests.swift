import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample

/// Building Examples the way TensorFlow's tutorials do, value semantics, bit-pattern equality.
@Suite struct ExampleBuildingTests {
    @Test func literalsAndHelpers() throws {
        let jpeg: [UInt8] = [0xff, 0xd8, 0xff, 0xe0]
        let example: Example = [
            "image": .bytes(jpeg),
            "area": 367.89,
            "bbox": [265.67, 99.2, 10, 8.0],
            "category_id": 18,
            "ids": [1, 2, 3],
            "label": "cat",
            "names": ["a", "b"],
            "scores": .float([0.5, 0.25]),
            "big": .int64(Int64.min),
            "empty": .none,
        ]
        #expect(example["image"] == .bytesList([jpeg]))
        #expect(example["area"] == .floatList([367.89]))
        #expect(example["bbox"] == .floatList([265.67, 99.2, 10, 8]))
        #expect(example["category_id"] == .int64List([18]))
        #expect(example["ids"] == .int64List([1, 2, 3]))
        #expect(example["label"] == .bytesList([Array("cat".utf8)]))
        #expect(example["names"] == .bytes(["a", "b"]))
        #expect(example["big"]!.int64Values == [Int64.min])
        #expect(example["empty"]!.kind == .none)
        let back = try Example(serialized: example.serialized())
        #expect(back == example)
        #expect(back.serialized() == example.serialized())
    }

    @Test func valueSemantics() {
        let a: Example = ["x": 1]
        var b = a
        b["x"] = 2
        b["y"] = [1.5]
        #expect(a["x"] == .int64(1))
        #expect(a["y"] == nil)
        #expect(b.features.count == 2)
    }

    @Test func floatsCompareByBitPattern() throws {
        let nan1 = Float(bitPattern: 0x7fc0_0001), nan2 = Float(bitPattern: 0xffc0_0000)
        #expect(Feature.float([nan1]) == .float([nan1]))
        #expect(Feature.float([nan1]) != .float([nan2]))
        #expect(Feature.float(-0.0) != .float(0.0))
        let example: Example = ["f": .float([nan1, nan2, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude])]
        let back = try Example(serialized: example.serialized())
        #expect(back == example)
        #expect(back["f"]!.floatValues!.map(\.bitPattern) == [0x7fc0_0001, 0xffc0_0000, 0x8000_0000, 0x7f80_0000, 0xff80_0000, 1])
        #expect(Set([Feature.float([nan1]), .float([nan1])]).count == 1)
    }

    @Test func sequenceExampleRoundTrip() throws {
        let example = SequenceExample(
            context: ["id": 7, "lang": "en"],
            featureLists: ["tokens": [.int64([1, 2]), .int64([3])], "empty": [], "frames": [.bytes([0, 1]), .none]])
        let back = try SequenceExample(serialized: example.serialized())
        #expect(back == example)
        #expect(try SequenceExample(json: example.jsonString()) == example)
    }

    @Test func encodingIsDeterministicAndSorted() {
        var a = Example()
        var b = Example()
        for i in 0..<50 { a["k\(i)"] = .int64(Int64(i)) }
        for i in (0..<50).reversed() { b["k\(i)"] = .int64(Int64(i)) }
        #expect(a.serialized() == b.serialized())
        // Entries appear in byte-wise key order.
        let bytes = a.serialized()
        let k10 = ExampleConformanceTests.firstIndex(of: Array("k10".utf8), in: bytes)!
        let k2 = ExampleConformanceTests.firstIndex(of: Array("k2".utf8) + [0x12], in: bytes)!
        #expect(k10 < k2)
    }

    /// The encoder's key sort (8-byte big-endian words, insertion sort up to 32 keys, the standard
    /// sort above) against `lexicographicallyPrecedes` on the UTF-8 bytes, for keys that share
    /// long prefixes, contain NUL and non-ASCII bytes, are empty, or are prefixes of each other.
    @Test(arguments: [0, 1, 2, 7, 12, 31, 32, 33, 90])
    func mapEntriesAreInByteWiseKeyOrder(count: Int) throws {
        var rng = SplitMix(seed: UInt64(count) &+ 7)
        let stems = ["", "image/object/bbox/", "image/object/class/", "a\u{0}", "é", "z", "image/"]
        let tails = ["", "\u{0}", "x", "xmin", "xmax", "\u{0}\u{0}b", "ÿ", "label", "12345678"]
        var example = Example()
        while example.features.count < count {
            let key = stems[Int(rng.next() % UInt64(stems.count))] + tails[Int(rng.next() % UInt64(tails.count))]
                + (rng.next() % 3 == 0 ? String(rng.next() % 100) : "")
            example[key] = .int64(Int64(example.features.count))
        }
        let bytes = example.serialized()
        #expect(try Example(serialized: bytes) == example)
        let written = Self.mapKeys(bytes)
        let expected = example.features.feature.keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        #expect(written == expected)
    }

    /// The keys of an encoded Example's map entries, in the order they were written.
    static func mapKeys(_ bytes: [UInt8]) -> [[UInt8]] {
        var position = 0
        func varint() -> Int {
            var value = 0, shift = 0
            while true {
                let byte = bytes[position]
                position += 1
                value |= Int(byte & 0x7f) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
        position += 1  // Example.features tag
        let end = varint() + position
        var keys: [[UInt8]] = []
        while position < end {
            position += 1  // map entry tag
            let entryEnd = varint() + position
            position += 1  // key tag
            let keyCount = varint()
            keys.append(Array(bytes[position..<position + keyCount]))
            position = entryEnd
        }
        return keys
    }

    @Test func emptyExampleEncodesAsTensorFlowDoes() throws {
        #expect(Example().serialized() == [0x0a, 0x00])
        #expect(SequenceExample().serialized() == [])
        #expect(try Example(serialized: []) == Example())
        #expect(Example(["f": .floatList([])]).serialized() == [0x0a, 0x09, 0x0a, 0x07, 0x0a, 0x01, 0x66, 0x12, 0x02, 0x12, 0x00])
    }
}
