// Instruction-count driver for the Example rows (issue 14 before/after): the records of
// ExampleComparison (same generators, same seed), fewer of them so that valgrind finishes fast
// on a loaded machine. Per record = (Ir with PASSES = 3 - Ir with PASSES = 1) / (2 * COUNT).
//
// Usage: ExampleDriver decode|view|encode coco|small COUNT PASSES
import Foundation
import TFRecord
import TFRecordExample

struct RandomBytes: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// A COCO-like record: a ~100 KiB encoded image plus 11 small numeric / text features.
func cocoExample(_ i: Int, _ rng: inout RandomBytes) -> Example {
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
func smallExample(_ i: Int, _ rng: inout RandomBytes) -> Example {
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

let arguments = CommandLine.arguments
let operation = arguments[1], set = arguments[2], count = Int(arguments[3])!, passes = Int(arguments[4])!
var rng = RandomBytes(state: 42)
let examples = (0..<count).map { set == "coco" ? cocoExample($0, &rng) : smallExample($0, &rng) }
let lookup = set == "coco" ? "image/object/class/label" : "i5"
let payloads = examples.map { $0.serialized() }
var sink = 0
for payload in payloads { sink &+= try Example(serialized: payload).features.count }
for _ in 0..<passes {
    switch operation {
    case "decode": for payload in payloads { sink &+= try Example(serialized: payload).features.count }
    case "view":
        for payload in payloads {
            if let feature = try ExampleView(payload.span.bytes).feature(named: lookup) { feature.forEachInt64 { sink &+= Int($0) } }
        }
    case "encode": for example in examples { sink &+= example.serialized().count }
    default: fatalError("unknown operation \(operation)")
    }
}
print(sink)
