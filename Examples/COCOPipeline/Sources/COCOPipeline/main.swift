import Foundation
import TFRecord
import TFRecordExample

/// The seed's record: one COCO object annotation with its image.
struct Annotation: Codable {
    var image: Data
    var path: String
    var area: Float
    var bbox: [Float]
    var categoryID: Int64
    var id: Int64
    var imageID: Int64
}

/// The parts of COCO's instances_*.json this example reads.
struct COCO: Decodable {
    struct Image: Decodable { var id: Int64; var file_name: String }
    struct Object: Decodable { var id: Int64; var image_id: Int64; var category_id: Int64; var bbox: [Float]; var area: Float }
    var images: [Image]
    var annotations: [Object]
}

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: coco-pipeline COCO_DIR OUT_DIR   (COCO_DIR from scripts/make_coco_sample.py)\n".utf8))
    exit(2)
}
let cocoDir = arguments[1], outDir = arguments[2]

do {
    // 1. COCO annotations + images -> Annotation structs.
    let coco = try JSONDecoder().decode(COCO.self, from: Data(contentsOf: URL(fileURLWithPath: cocoDir + "/annotations.json")))
    let files = Dictionary(uniqueKeysWithValues: coco.images.map { ($0.id, $0.file_name) })
    var annotations: [Annotation] = []
    for object in coco.annotations {
        let path = "images/" + files[object.image_id]!
        let image = try Data(contentsOf: URL(fileURLWithPath: cocoDir + "/" + path))
        annotations.append(Annotation(image: image, path: path, area: object.area, bbox: object.bbox,
                                      categoryID: object.category_id, id: object.id, imageID: object.image_id))
    }

    // 2. ExampleEncoder -> ShardWriter (GZIP shards, with index sidecars).
    var encoder = ExampleEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase          // categoryID -> category_id, as COCO names it
    try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
    let writer = try ShardWriter(options: ShardWriterOptions(directory: outDir, prefix: "coco", recordsPerShard: 32,
                                                             write: WriteOptions(compression: .gzip)))
    for annotation in annotations { try writer.write(try encoder.encode(annotation)) }
    let shards = try writer.finish()
    print("wrote \(annotations.count) annotations to \(shards.count) GZIP shards in \(outDir)")

    // 3. The loader: a shuffled epoch in batches of 16, parsed into columns.
    let spec: [String: FeatureSpec] = [
        "bbox": .fixedLen([4], .float), "area": .fixedLen([], .float),
        "category_id": .fixedLen([], .int64), "image": .fixedLen([], .bytes),
    ]
    var options = LoaderOptions(batchSize: 16, seed: 2026)
    options.remainder = .partial
    let loader = try ExampleLoader(dataset: try Dataset(paths: shards.map(\.path)), spec: spec, options: options)
    for try await batch in loader {
        let bbox = batch.columns["bbox"]!, area = batch.columns["area"]!
        print("batch of \(batch.columns.count) (epoch \(batch.epoch)), bbox \(bbox.shape), area \(area.shape), images \(batch.columns["image"]!.bytes.count) bytes")
        for row in 0..<min(3, batch.columns.count) {
            let box = bbox.floats[row * 4..<row * 4 + 4].map { String(format: "%.2f", $0) }.joined(separator: ", ")
            print("  record \(batch.recordNumbers[row]): bbox [\(box)] area \(String(format: "%.2f", area.floats[row]))")
        }
    }

    // 4. The same records back as structs, through the Codable decoder.
    var decoder = ExampleDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    let first = try decoder.decode(Annotation.self, from: try RecordReader(path: shards[0].path).allRecords()[0])
    print("first record as an Annotation: id \(first.id), image \(first.path) (\(first.image.count) bytes), bbox \(first.bbox)")
} catch {
    FileHandle.standardError.write(Data("coco-pipeline: error: \(error)\n".utf8))
    exit(1)
}
