import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample

/// Writes, for `scripts/tf_interop_codable.sh`, records made by `ExampleEncoder` and the values
/// they were made from (computed from the Swift values, not from our bytes), so real
/// TensorFlow's `parse_example` can be checked against them. Runs only when
/// `TFRECORD_INTEROP_OUT` names a directory.
@Suite struct CodableInteropExport {
    struct Edges: Codable {
        var floats: [Float]
        var ints: [Int64]
        var names: [String]
        var empty: [Float]
        var maybe: Int64?
        var nested: Inner
        struct Inner: Codable { var depth: Int64; var label: String }
    }

    @Test func exportEncodedRecords() throws {
        guard let out = ProcessInfo.processInfo.environment["TFRECORD_INTEROP_OUT"] else { return }
        var encoder = ExampleEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let hex = { (f: Float) in String(format: "%08x", f.bitPattern) }
        var annotations: [[String: Any]] = []
        let writer = try RecordWriter(path: out + "/annotations.tfrecord")
        for i in 0..<300 {
            let a = Annotation.sample(i)
            try writer.write(try encoder.encode(a))
            annotations.append(["image_b64": a.image.base64EncodedString(), "path": a.path, "area": hex(a.area),
                                "bbox": a.bbox.map(hex), "category_id": a.categoryID, "id": a.id, "image_id": a.imageID])
        }
        try writer.close()
        var edges: [[String: Any]] = []
        let edgeWriter = try RecordWriter(path: out + "/edges.tfrecord")
        let specials: [Float] = [.nan, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        for i in 0..<12 {
            let e = Edges(floats: Array(specials.prefix(i % 7)), ints: [.min, .max, 0, -1].suffix(i % 5),
                          names: (0..<(i % 3)).map { "n\($0)ü" }, empty: [], maybe: i % 2 == 0 ? nil : Int64(i),
                          nested: .init(depth: Int64(i), label: "l\(i)"))
            try edgeWriter.write(try encoder.encode(e))
            edges.append(["floats": e.floats.map(hex), "ints": e.ints.map(String.init), "names": e.names,
                          "maybe": e.maybe.map { [String($0)] } ?? [], "depth": e.nested.depth, "label": e.nested.label])
        }
        try edgeWriter.close()
        let json = try JSONSerialization.data(withJSONObject: ["annotations": annotations, "edges": edges], options: [.sortedKeys])
        try json.write(to: URL(fileURLWithPath: out + "/expected.json"))
    }
}
