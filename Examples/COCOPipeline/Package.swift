// swift-tools-version: 6.1
import PackageDescription
import struct Foundation.URL

// SwiftPM names a path dependency after its folder, which differs between clones: compute it.
let libraryFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().lastPathComponent

// The seed workflow, runnable: COCO annotations + images -> Annotation structs ->
// ExampleEncoder -> ShardWriter (GZIP) -> ExampleLoader -> bbox and area columns.
// Run: scripts/make_coco_sample.py /tmp/coco && swift run --package-path Examples/COCOPipeline coco-pipeline /tmp/coco /tmp/coco-shards
let package = Package(
    name: "COCOPipeline",
    dependencies: [.package(path: "../..")],
    targets: [
        .executableTarget(
            name: "coco-pipeline",
            dependencies: [
                .product(name: "TFRecord", package: libraryFolder),
                .product(name: "TFRecordExample", package: libraryFolder),
            ],
            path: "Sources/COCOPipeline"
        ),
    ]
)
