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
