import Foundation

/// The seed's record (one COCO object annotation with its image), as the issue defines it;
/// shared by the Codable tests and the TensorFlow interop export.
struct Annotation: Codable, Equatable, Sendable {
    var image: Data
    var path: String
    var area: Float
    var bbox: [Float]
    var categoryID: Int64
    var id: Int64
    var imageID: Int64

    /// A deterministic sample: record `i` of a made-up COCO set.
    static func sample(_ i: Int) -> Annotation {
        var rng = SplitMix(seed: UInt64(i) &+ 17)
        let imageBytes = (0..<(64 + i % 200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let x = Float(rng.next() % 600) + 0.25, y = Float(rng.next() % 400) + 0.5
        let w = Float(rng.next() % 100) + 1.75, h = Float(rng.next() % 100) + 2.125
        return Annotation(image: Data(imageBytes), path: "train2017/\(String(format: "%012d", i)).jpg",
                          area: w * h, bbox: [x, y, w, h], categoryID: Int64(1 + i % 90), id: Int64(1000 + i),
                          imageID: Int64(i / 3))
    }
}
