import Testing
import TFRecord
import TFRecordExample

/// Views can be looked at: `description` and `decoded()` (issue 19, item 3).
@Suite struct ViewDescriptionTests {
    static let example: Example = ["area": 367.89, "bbox": [1.5, 2], "label": 18, "image": .bytes([1, 2, 3]), "empty": .none]

    @Test func featureViewDescriptionIsTheDecodedFeatures() throws {
        let payload = Self.example.serialized()
        var descriptions: [String] = []
        for name in ["area", "bbox", "label", "image", "empty"] {
            let view = try ExampleView(payload.span.bytes).feature(named: name)
            descriptions.append(view?.description ?? "missing")
            #expect(view?.decoded() == Self.example[name])
        }
        #expect(descriptions == ["float[367.89]", "float[1.5, 2.0]", "int64[18]", "bytes[3 bytes]", "none"])
        #expect(try ExampleView(payload.span.bytes).feature(named: "nope")?.description == nil)
    }

    @Test func exampleViewDescriptionAndCopy() throws {
        let payload = Self.example.serialized()
        let view = ExampleView(payload.span.bytes)
        #expect(view.description == Self.example.description)
        #expect(try view.decoded() == Self.example)
        // Not an Example: the description says so instead of trapping or throwing.
        let garbage: [UInt8] = [0x0a, 0x05, 0x01]
        let bad = ExampleView(garbage.span.bytes)
        #expect(bad.description.hasPrefix("ExampleView(3 bytes, malformed: "), "\(bad.description)")
        #expect(throws: ExampleError.self) { _ = try bad.decoded() }
    }
}

/// The scalar accessors read from the view agree with the decoded feature's.
@Suite struct FeatureViewValuesTests {
    @Test func scalarAccessorsMatchTheDecodedFeature() throws {
        let example: Example = ["area": 367.89, "bbox": [1.5, 2], "label": 18, "ids": [1, 2], "name": "cat",
                                "bad": .bytesList([[0x63, 0xff]]), "empty": .floatList([]), "none": .none]
        let payload = example.serialized()
        for name in ["area", "bbox", "label", "ids", "name", "bad", "empty", "none"] {
            let feature = try #require(example[name])
            guard let view = try ExampleView(payload.span.bytes).feature(named: name) else {
                Issue.record("\(name) not found by the view")
                continue
            }
            #expect(view.float == feature.float, "\(name)")
            #expect(view.int64 == feature.int64, "\(name)")
            #expect(view.string == feature.string, "\(name)")
        }
        #expect(try ExampleView(payload.span.bytes).feature(named: "area")?.float == 367.89)
        #expect(try ExampleView(payload.span.bytes).feature(named: "label")?.int64 == 18)
        #expect(try ExampleView(payload.span.bytes).feature(named: "name")?.string == "cat")
        #expect(try ExampleView(payload.span.bytes).feature(named: "ids")?.int64 == nil)
    }
}
