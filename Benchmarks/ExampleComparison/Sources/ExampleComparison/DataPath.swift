// The data path (issue 17), against its peers in the same run:
// - Codable decode / encode of the seed's Annotation struct vs swift-protobuf's decode / encode
//   of its generated Example (the same records);
// - batched parsing (ExampleBatchParser, batches of 256, one thread) — TensorFlow's
//   tf.io.parse_example on the same files and spec is measured by Benchmarks/compare/data_path_tf.py;
// - `--loader DIR`: a shuffled epoch through ExampleLoader over blocked-GZIP shards (written by
//   `--write-shards DIR`), records/s and peak memory, for data_path_tf.py's tf.data peer.
import Foundation
import SwiftProtobuf
import TFRecord
import TFRecordExample
import BenchmarkRecords

/// The spec data_path_tf.py uses too: every feature of the first record as VarLenFeature.
func varLenSpec(_ example: Example) -> [String: FeatureSpec] {
    example.features.feature.mapValues { .varLen($0.kind) }
}

func peakMemoryMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kb / 1024
}

@MainActor
func runDataPath(seconds: Double, outDir: String?) throws {
    // Codable vs swift-protobuf, on Annotation records with 16 KiB images.
    var rng = RandomBytes(state: 7)
    let annotations = (0..<1000).map { annotation($0, &rng) }
    var encoder = ExampleEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    var decoder = ExampleDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    let payloads = try annotations.map { try encoder.encode($0) }
    let datas = payloads.map { Data($0) }
    let messages = try datas.map { try Tensorflow_Example(serializedBytes: $0) }
    let check = try decoder.decode(Annotation.self, from: payloads[5])
    precondition(check.bbox == annotations[5].bbox && check.image == annotations[5].image)
    let (decodeOurs, decodeTheirs) = try ratePair(payloads.count, seconds: seconds, {
        for payload in payloads { sink &+= Int(try decoder.decode(Annotation.self, from: payload).id) }
    }, {
        for data in datas { sink &+= try Tensorflow_Example(serializedBytes: data).features.feature.count }
    })
    let (encodeOurs, encodeTheirs) = try ratePair(payloads.count, seconds: seconds, {
        for annotation in annotations { sink &+= try encoder.encode(annotation).count }
    }, {
        for message in messages { sink &+= try (message.serializedBytes() as [UInt8]).count }
    })
    print("| operation | ours (records/s) | peer (records/s) | ratio | target |")
    print("|---|---:|---:|---:|---|")
    for (operation, ours, theirs) in [("Codable decode into Annotation (16 KiB image) vs swift-protobuf decode into Example", decodeOurs, decodeTheirs),
                                      ("Codable encode of Annotation vs swift-protobuf encode of Example", encodeOurs, encodeTheirs)] {
        let ratio = ours / theirs
        print("| \(operation) | \(fmt(ours)) | \(fmt(theirs)) | \(String(format: "%.2fx", ratio)) | ≥2x \(ratio >= 2 ? "met" : "NOT met") |")
    }

    // Batched parsing, one thread, batches of 256 (TensorFlow's rate: data_path_tf.py).
    for file in ["small", "coco-dram"] {
        let set = DataSet(file)
        let records = set.examples.map { $0.serialized() }
        var parser = try ExampleBatchParser(spec: varLenSpec(set.examples[0]))
        parser.parallelThreshold = .max
        let batches = stride(from: 0, to: records.count, by: 256).map { Array(records[$0..<min($0 + 256, records.count)]) }
        let ours = try rate(records.count, seconds: seconds) {
            for batch in batches { sink &+= try parser.parse(batch).count }
        }
        print("| batched parse, \(set.name), \(records.count) records, batches of 256, 1 thread | \(fmt(ours)) | (TF: data_path_tf.py) | | |")
        print("OURS_PARSE \(file) \(ours)")
        if let outDir {
            let writer = try RecordWriter(path: "\(outDir)/\(file).tfrecord")
            for record in records { try writer.write(record) }
            try writer.close()
        }
    }
}

/// Writes `count` small numeric records into blocked-GZIP shards in `dir` (ordinary GZIP to TF).
func writeShards(_ dir: String, count: Int) throws {
    var rng = RandomBytes(state: 11)
    var write = WriteOptions(compression: .gzip)
    write.blockSize = WriteOptions.defaultBlockSize
    let writer = try ShardWriter(options: ShardWriterOptions(directory: dir, prefix: "loader", recordsPerShard: count / 8, write: write))
    for i in 0..<count { try writer.write(smallExample(i, &rng).serialized()) }
    _ = try writer.finish()
}

/// One shuffled epoch through the loader: records/s until the last batch, and peak RSS.
func runLoader(_ dir: String) async throws {
    let dataset = try Dataset(paths: [dir])
    var rng = RandomBytes(state: 11)
    let spec = varLenSpec(smallExample(0, &rng))
    var options = LoaderOptions(batchSize: 256, seed: 1)
    options.prefetch = 4
    let clock = ContinuousClock()
    let start = clock.now
    var records = 0
    for try await batch in try ExampleLoader(dataset: dataset, spec: spec, options: options) { records += batch.columns.count }
    let elapsed = clock.now - start
    let secondsTaken = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    precondition(records == dataset.count)
    print("OURS_LOADER \(Double(records) / secondsTaken) \(peakMemoryMiB()) \(records)")
}
