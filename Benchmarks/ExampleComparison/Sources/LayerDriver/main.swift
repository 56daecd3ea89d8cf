// A small driver for instruction counts (valgrind --tool=callgrind) of the storage rows of
// Benchmarks/README.md, written for the before/after comparison of issue 14: per-pass cost =
// (Ir with PASSES = 3 - Ir with PASSES = 1) / 2, so opening and setup cancel out.
//
// Usage: LayerDriver MODE FILE PASSES
//   seqread-crc | seqread-nocrc   RecordReader.forEachRecord over FILE (uncompressed, mapped)
//   read                          RecordReader over FILE, compression detected
//   build                         RecordIndex.build(path:) without payload CRCs
//   lookup | lookup-batched       100 000 random withRecord(at:) / one forEachRecord(at:) of them
//   write                         100 000 100-byte records, uncompressed, to /dev/shm
//   write-gzip                    FILE's records rewritten as GZIP (default level) to /dev/shm
import Foundation
import TFRecord

let arguments = CommandLine.arguments
let mode = arguments[1], path = arguments[2], passes = Int(arguments[3])!
var sink = 0
var state: UInt64 = 1
@MainActor func pick(_ count: Int) -> Int {
    state = state &* 6364136223846793005 &+ 1442695040888963407
    return Int(state >> 33) % count
}
let out = "/dev/shm/layer-driver-\(getpid())"
switch mode {
case "seqread-crc", "seqread-nocrc":
    for _ in 0..<passes {
        let reader = try RecordReader(path: path, options: ReadOptions(verifyingChecksums: mode == "seqread-crc"))
        try reader.forEachRecord { _, payload in sink &+= payload.byteCount }
    }
case "read":
    for _ in 0..<passes { try RecordReader(path: path).forEachRecord { _, payload in sink &+= payload.byteCount } }
case "build":
    for _ in 0..<passes { sink &+= try RecordIndex.build(path: path, verifyingChecksums: false).count }
case "lookup":
    let file = try RecordFile(path: path)
    for _ in 0..<passes {
        for _ in 0..<100_000 { sink &+= try file.withRecord(at: pick(file.count)) { $0.byteCount } }
    }
case "lookup-batched":
    let file = try RecordFile(path: path)
    let picks = (0..<100_000).map { _ in pick(file.count) }
    for _ in 0..<passes { try file.forEachRecord(at: picks) { _, payload in sink &+= payload.byteCount } }
case "write":
    let payload = [UInt8](repeating: 7, count: 100)
    for _ in 0..<passes {
        let writer = try RecordWriter(path: out)
        for _ in 0..<100_000 { try writer.write(payload) }
        try writer.close()
    }
case "write-gzip":
    let records = try RecordReader(path: path).allRecords()
    for _ in 0..<passes {
        let writer = try RecordWriter(path: out, options: WriteOptions(compression: .gzip))
        for record in records { try writer.write(record) }
        try writer.close()
    }
default:
    fatalError("unknown mode \(mode)")
}
unlink(out)
print(sink)
