// The records both ExampleComparison and ExampleDriver measure: the same generators and seeds,
// so instruction counts and rates describe the same data.
import Foundation
import TFRecordExample

/// SplitMix64: a fast, seedable generator.
public struct RandomBytes: RandomNumberGenerator {
    public var state: UInt64

    /// A generator starting at `state`.
    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// A COCO-like record: a ~100 KiB encoded image plus 11 small numeric / text features.
public func cocoExample(_ i: Int, _ rng: inout RandomBytes) -> Example {
    let image = (0..<(100 * 1024)).map { _ in UInt8.random(in: 0...255, using: &rng) }
    let objects = Int.random(in: 1...6, using: &rng)
    func coords() -> Feature { .float((0..<objects).map { _ in Float.random(in: 0...1, using: &rng) }) }
    return [
        "image/encoded": .bytes(image),
        "image/format": "jpeg",
        "image/filename": .bytes("COCO_train2014_\(String(format: "%012d", i)).jpg"),
        "image/height": .int64(Int64.random(in: 240...640, using: &rng)),
        "image/width": .int64(Int64.random(in: 240...640, using: &rng)),
        "image/id": .int64(Int64(i)),
        "image/object/bbox/xmin": coords(),
        "image/object/bbox/xmax": coords(),
        "image/object/bbox/ymin": coords(),
        "image/object/bbox/ymax": coords(),
        "image/object/class/label": .int64((0..<objects).map { _ in Int64.random(in: 1...90, using: &rng) }),
        "image/object/area": .float((0..<objects).map { _ in Float.random(in: 10...50000, using: &rng) }),
    ]
}

/// A small numeric record: 10 features of 1-8 floats or int64s.
public func smallExample(_ i: Int, _ rng: inout RandomBytes) -> Example {
    var example = Example()
    for f in 0..<10 {
        let n = f % 4 == 0 ? 8 : 1 + f % 3
        if f % 2 == 0 {
            example["f\(f)"] = .float((0..<n).map { _ in Float.random(in: -1...1, using: &rng) })
        } else {
            example["i\(f)"] = .int64((0..<n).map { _ in Int64.random(in: -100_000...100_000, using: &rng) })
        }
    }
    example["id"] = .int64(Int64(i))
    return example
}

/// The seed workflow's record type (Examples/COCOPipeline), for the Codable rows.
public struct Annotation: Codable {
    public var image: Data
    public var path: String
    public var area: Float
    public var bbox: [Float]
    public var categoryID: Int64
    public var id: Int64
    public var imageID: Int64
}

/// Annotation number `i` with a random 16 KiB image.
public func annotation(_ i: Int, _ rng: inout RandomBytes) -> Annotation {
    Annotation(image: Data((0..<16384).map { _ in UInt8.random(in: 0...255, using: &rng) }),
               path: "train2017/\(String(format: "%012d", i)).jpg", area: Float.random(in: 10...50000, using: &rng),
               bbox: (0..<4).map { _ in Float.random(in: 0...640, using: &rng) }, categoryID: Int64.random(in: 1...90, using: &rng),
               id: Int64(i), imageID: Int64(i / 3))
}
