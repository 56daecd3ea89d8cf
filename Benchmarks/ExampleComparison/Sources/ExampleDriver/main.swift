// Instruction-count driver for the Example rows (issue 14 before/after): the records of
// ExampleComparison (same generators, same seed), fewer of them so that valgrind finishes fast
// on a loaded machine. Per record = (Ir with PASSES = 3 - Ir with PASSES = 1) / (2 * COUNT).
//
// Usage: ExampleDriver decode|view|encode coco|small COUNT PASSES
import Foundation
import TFRecord
import TFRecordExample
import BenchmarkRecords

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
