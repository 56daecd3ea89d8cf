// Example decode / view lookup / encode: this package against swift-protobuf (code generated
// from TensorFlow's example.proto / feature.proto), on the same records in the same run.
//
// Usage: ExampleComparison [--out DIR] [--seconds S] [--set coco|small]
//   --set NAME only that data set.
//   --out DIR  also writes the data sets as DIR/coco.tfrecord and DIR/small.tfrecord (for the
//              TensorFlow side in Benchmarks/compare/example.sh).
// Prints one Markdown table: records/s for each operation and the ratio ours / swift-protobuf.
import Foundation
import SwiftProtobuf
import TFRecord

// MARK: - Data

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

// MARK: - Timing

var sink = 0

/// Runs `body` (one pass over `count` records) repeatedly for about `seconds`; returns the best
/// pass in records per second.
func rate(_ count: Int, seconds: Double, _ body: () throws -> Void) throws -> Double {
    try ratePair(count, seconds: seconds, body, nil).0
}

/// Alternates blocks of passes of `ours` and `theirs` (a pass is one run over `count` records; a
/// block runs passes for 0.25 s) for about `seconds`, so both sides see the same machine (this
/// VM's memory bandwidth drifts by up to 2x over minutes) and each block after its first pass
/// runs with that side's own data in cache; returns each side's best pass in records per second.
func ratePair(_ count: Int, seconds: Double, _ ours: () throws -> Void,
              _ theirs: (() throws -> Void)?) throws -> (Double, Double) {
    let clock = ContinuousClock()
    var best = (Duration.seconds(1_000_000), Duration.seconds(1_000_000))
    func block(_ body: () throws -> Void, _ best: inout Duration) throws {
        let end = clock.now + .milliseconds(250)
        var passes = 0
        repeat {
            let start = clock.now
            try body()
            best = min(best, clock.now - start)
            passes += 1
        } while clock.now < end || passes < 2
    }
    let end = clock.now + .milliseconds(Int(seconds * 1000))
    repeat {
        try block(ours, &best.0)
        if let theirs { try block(theirs, &best.1) }
    } while clock.now < end
    func perSecond(_ d: Duration) -> Double {
        Double(count) / (Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }
    return (perSecond(best.0), perSecond(best.1))
}

// MARK: - Main

var arguments = Array(CommandLine.arguments.dropFirst())
var outDir: String?
var seconds = 3.0
var onlySet: String?
var cocoRecords = 200
while !arguments.isEmpty {
    let a = arguments.removeFirst()
    if a == "--out" { outDir = arguments.removeFirst() }
    if a == "--seconds" { seconds = Double(arguments.removeFirst())! }
    if a == "--set" { onlySet = arguments.removeFirst() }
    if a == "--coco-records" { cocoRecords = Int(arguments.removeFirst())! }
}

var rng = RandomBytes(state: 42)
let sets: [(name: String, file: String, examples: [Example], lookup: String)] = [
    ("COCO-like (100 KiB image + 11 features)", "coco", (0..<cocoRecords).map { cocoExample($0, &rng) }, "image/object/class/label"),
    ("small numeric (11 features)", "small", (0..<20000).map { smallExample($0, &rng) }, "i5"),
]

// `--profile OPERATION SET` (decode|view|encode|theirs-decode, coco|small): one pass only,
// for `valgrind --tool=callgrind`.
if let i = CommandLine.arguments.firstIndex(of: "--profile") {
    let operation = CommandLine.arguments[i + 1]
    let set = sets.first { $0.file == CommandLine.arguments[i + 2] }!
    let payloads = set.examples.map { $0.serialized() }
    let datas = payloads.map { Data($0) }
    let messages = try datas.map { try Tensorflow_Example(serializedBytes: $0) }
    for payload in payloads { sink &+= try Example(serialized: payload).features.count }
    for data in datas { sink &+= try Tensorflow_Example(serializedBytes: data).features.feature.count }
    for _ in 0..<(Int(ProcessInfo.processInfo.environment["PASSES"] ?? "3") ?? 3) {
        switch operation {
        case "decode": for payload in payloads { sink &+= try Example(serialized: payload).features.count }
        case "theirs-decode": for data in datas { sink &+= try Tensorflow_Example(serializedBytes: data).features.feature.count }
        case "none": break
        case "theirs-encode": for message in messages { sink &+= try (message.serializedBytes() as [UInt8]).count }
        case "view":
            for payload in payloads {
                if let feature = try ExampleView(payload.span.bytes).feature(named: set.lookup) { feature.forEachInt64 { sink &+= Int($0) } }
            }
        case "encode": for example in set.examples { sink &+= example.serialized().count }
        default: fatalError("unknown operation \(operation)")
        }
    }
    exit(0)
}

func fmt(_ value: Double) -> String {
    if value >= 1e6 { return String(format: "%.2fM", value / 1e6) }
    if value >= 1e3 { return String(format: "%.1fk", value / 1e3) }
    return String(format: "%.0f", value)
}

print("| data | operation | ours (records/s) | swift-protobuf (records/s) | ratio | target |")
print("|---|---|---:|---:|---:|---|")
for set in sets where onlySet == nil || onlySet == set.file {
    let payloads = set.examples.map { $0.serialized() }
    if let outDir {
        let writer = try RecordWriter(path: "\(outDir)/\(set.file).tfrecord")
        for payload in payloads { try writer.write(payload) }
        try writer.close()
    }
    let bytes = payloads.reduce(0) { $0 + $1.count }
    let datas = payloads.map { Data($0) }
    let messages = try datas.map { try Tensorflow_Example(serializedBytes: $0) }
    // Both sides decode the same bytes to the same values.
    for (ours, theirs) in zip(set.examples, messages) {
        precondition(ours.features.count == theirs.features.feature.count)
    }

    let (decodeOurs, decodeTheirs) = try ratePair(payloads.count, seconds: seconds, {
        for payload in payloads { sink &+= try Example(serialized: payload).features.count }
    }, {
        for data in datas { sink &+= try Tensorflow_Example(serializedBytes: data).features.feature.count }
    })
    let viewOurs = try rate(payloads.count, seconds: seconds) {
        for payload in payloads {
            let view = ExampleView(payload.span.bytes)
            if let feature = try view.feature(named: set.lookup) {
                feature.forEachInt64 { sink &+= Int($0) }
            }
        }
    }
    let (encodeOurs, encodeTheirs) = try ratePair(payloads.count, seconds: seconds, {
        for example in set.examples { sink &+= example.serialized().count }
    }, {
        for message in messages { sink &+= try (message.serializedBytes() as [UInt8]).count }
    })
    // The floor: one allocation and copy of each payload (what decoding the bytes feature costs).
    let copyRate = try rate(payloads.count, seconds: seconds) {
        for payload in payloads { sink &+= payload.withUnsafeBytes { [UInt8]($0) }.count }
    }
    print("| \(set.name) | (floor: copy each payload into a new array) | \(fmt(copyRate)) | | | |")
    let rows: [(String, Double, Double, Double)] = [
        ("decode to owned values", decodeOurs, decodeTheirs, 2),
        ("find one feature in the view (vs their full decode)", viewOurs, decodeTheirs, 20),
        ("encode", encodeOurs, encodeTheirs, 2),
    ]
    for (operation, ours, theirs, target) in rows {
        let ratio = ours / theirs
        print("| \(set.name), \(payloads.count) records, \(bytes / payloads.count) B avg | \(operation) | \(fmt(ours)) | \(fmt(theirs)) | \(String(format: "%.1fx", ratio)) | ≥\(Int(target))x \(ratio >= target ? "met" : "NOT met") |")
    }
}
if sink == 42 { print("") }
