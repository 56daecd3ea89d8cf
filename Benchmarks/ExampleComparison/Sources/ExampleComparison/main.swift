// Example decode / view lookup / encode: this package against swift-protobuf (code generated
// from TensorFlow's example.proto / feature.proto), on the same records in the same run.
//
// Usage: ExampleComparison [--out DIR] [--seconds S] [--set coco|coco-dram|small] [--coco-records N]
//   --set NAME          only that data set.
//   --coco-records N    N records in the COCO-like sets (to find where the cache regimes change).
//   --out DIR           also writes the data sets as DIR/<set>.tfrecord (for the TensorFlow side
//                       in Benchmarks/compare/example.sh).
// Prints one Markdown table: records/s for each operation, the ratio ours / swift-protobuf, and
// the bound a single copy of each payload puts on that ratio.
import Foundation
import SwiftProtobuf
import TFRecord
import TFRecordExample
import BenchmarkRecords

// MARK: - Data

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
var cocoRecords: Int?
while !arguments.isEmpty {
    let a = arguments.removeFirst()
    if a == "--out" { outDir = arguments.removeFirst() }
    if a == "--seconds" { seconds = Double(arguments.removeFirst())! }
    if a == "--set" { onlySet = arguments.removeFirst() }
    if a == "--coco-records" { cocoRecords = Int(arguments.removeFirst())! }
}

// Issue 17's data path (see DataPath.swift): `--data-path`, `--write-shards DIR N`, `--loader DIR`.
if CommandLine.arguments.contains("--data-path") {
    try runDataPath(seconds: seconds, outDir: outDir)
    exit(0)
}
if let i = CommandLine.arguments.firstIndex(of: "--write-shards") {
    try writeShards(CommandLine.arguments[i + 1], count: Int(CommandLine.arguments[i + 2])!)
    exit(0)
}
if let i = CommandLine.arguments.firstIndex(of: "--loader") {
    let dir = CommandLine.arguments[i + 1]
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do { try await runLoader(dir) } catch { print("loader error: \(error)") }
        done.signal()
    }
    done.wait()
    exit(0)
}

/// The data sets. COCO-like records come twice: few enough to stay in this CPU's 1 MiB L2 (an
/// image just read from its file, a record just CRC-checked by the reader: the usual pipeline),
/// and many enough (100 MiB) that every record comes from DRAM. In between (the 200 records this
/// benchmark used to use, 20 MiB against a 32 MiB L3 shared with other VMs) results swing with the
/// machine between both regimes.
struct DataSet {
    let name: String
    let file: String
    let examples: [Example]
    let lookup: String

    static let all = ["coco", "coco-dram", "small"]

    /// - Parameter cocoRecords: overrides the number of COCO-like records.
    init(_ file: String, cocoRecords: Int? = nil) {
        var rng = RandomBytes(state: 42)
        self.file = file
        switch file {
        case "coco", "coco-dram":
            let count = file == "coco" ? 8 : 1000
            name = "COCO-like, " + (file == "coco" ? "in cache" : "from DRAM")
            examples = (0..<(cocoRecords ?? count)).map { cocoExample($0, &rng) }
            lookup = "image/object/class/label"
        default:
            name = "small numeric"
            examples = (0..<20000).map { smallExample($0, &rng) }
            lookup = "i5"
        }
    }
}

// `--profile OPERATION SET` (decode|view|encode|theirs-decode|theirs-encode|none, a set name):
// PASSES passes (default 3) after one warm-up, for `valgrind --tool=callgrind` or `perf`.
if let i = CommandLine.arguments.firstIndex(of: "--profile") {
    let operation = CommandLine.arguments[i + 1]
    let set = DataSet(CommandLine.arguments[i + 2], cocoRecords: cocoRecords)
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

print("| data | operation | ours (records/s) | swift-protobuf (records/s) | ratio | bound | target |")
print("|---|---|---:|---:|---:|---:|---|")
for file in DataSet.all where onlySet == nil || onlySet == file {
    let set = DataSet(file, cocoRecords: cocoRecords)
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
    print("| \(set.name) | (floor: copy each payload into a new array) | \(fmt(copyRate)) | | | | |")
    // bound: the ratio an implementation whose whole cost was that one copy would reach.
    let rows: [(String, Double, Double, Double, String)] = [
        ("decode to owned values", decodeOurs, decodeTheirs, 2, String(format: "%.1fx", copyRate / decodeTheirs)),
        ("find one feature in the view (vs their full decode)", viewOurs, decodeTheirs, 20, ""),
        ("encode", encodeOurs, encodeTheirs, 2, String(format: "%.1fx", copyRate / encodeTheirs)),
    ]
    for (operation, ours, theirs, target, bound) in rows {
        let ratio = ours / theirs
        print("| \(set.name), \(payloads.count) records, \(bytes / payloads.count) B avg | \(operation) | \(fmt(ours)) | \(fmt(theirs)) | \(String(format: "%.1fx", ratio)) | \(bound) | ≥\(Int(target))x \(ratio >= target ? "met" : "NOT met") |")
    }
}
if sink == 42 { print("") }
