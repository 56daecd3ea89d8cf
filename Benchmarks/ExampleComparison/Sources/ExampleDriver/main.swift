// Instruction-count driver for the Example rows (issue 14 before/after): the records of
// ExampleComparison (same generators, same seed), fewer of them so that valgrind finishes fast
// on a loaded machine. Per record = (Ir with PASSES = 3 - Ir with PASSES = 1) / (2 * COUNT).
//
// Usage: ExampleDriver decode|view|encode|parse coco|small COUNT PASSES
//        ExampleDriver codable-decode|codable-encode annotation COUNT PASSES
// (parse: ExampleBatchParser in batches of 256, every feature VarLen, as ExampleComparison's
// --data-path; codable-*: the seed's Annotation with 16 KiB images, snake-case keys.)
import Foundation
import TFRecord
import TFRecordExample
import BenchmarkRecords

let arguments = CommandLine.arguments
let operation = arguments[1], set = arguments[2], count = Int(arguments[3])!, passes = Int(arguments[4])!
var rng = RandomBytes(state: 42)
let annotations = set == "annotation" ? (0..<count).map { annotation($0, &rng) } : []
var encoder = ExampleEncoder()
encoder.keyEncodingStrategy = .convertToSnakeCase
var decoder = ExampleDecoder()
decoder.keyDecodingStrategy = .convertFromSnakeCase
let examples = set == "annotation" ? try annotations.map { try encoder.encodeExample($0) }
    : (0..<count).map { set == "coco" ? cocoExample($0, &rng) : smallExample($0, &rng) }
let lookup = set == "coco" ? "image/object/class/label" : "i5"
let payloads = examples.map { $0.serialized() }
var sink = 0
var parser = try ExampleBatchParser(spec: examples[0].features.feature.mapValues { .varLen($0.kind) })
parser.parallelThreshold = .max
let batches = stride(from: 0, to: payloads.count, by: 256).map { Array(payloads[$0..<min($0 + 256, payloads.count)]) }
for payload in payloads { sink &+= try Example(serialized: payload).features.count }
for _ in 0..<passes {
    switch operation {
    case "decode": for payload in payloads { sink &+= try Example(serialized: payload).features.count }
    case "view":
        for payload in payloads {
            if let feature = try ExampleView(payload.span.bytes).feature(named: lookup) { feature.forEachInt64 { sink &+= Int($0) } }
        }
    case "encode": for example in examples { sink &+= example.serialized().count }
    case "parse": for batch in batches { sink &+= try parser.parse(batch).count }
    case "codable-decode": for payload in payloads { sink &+= Int(try decoder.decode(Annotation.self, from: payload).id) }
    case "codable-encode": for annotation in annotations { sink &+= try encoder.encode(annotation).count }
    default: fatalError("unknown operation \(operation)")
    }
}
print(sink)
