// swift-tools-version: 6.1
// The Swift side of Benchmarks/compare, built once in release:
// - ExampleComparison: Example decode / view / encode against swift-protobuf, in one run
//   (`swift run -c release ExampleComparison [--out DIR]`; Benchmarks/compare/example.sh adds
//   TensorFlow's parse_single_example rate on the same files);
// - IndexBench: index build, random lookups and opening many indexed shards, against the PyPI
//   `tfrecord` package (Benchmarks/compare/index.sh).
import PackageDescription
import struct Foundation.URL

// The library package is two folders up; SwiftPM names a path dependency after its folder,
// which differs between clones, so compute it.
let libraryFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "ExampleComparison",
    dependencies: [
        .package(path: "../.."),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .executableTarget(
            name: "IndexBench",
            dependencies: [.product(name: "TFRecord", package: libraryFolder), .product(name: "TFRecordExample", package: libraryFolder)],
            swiftSettings: [.swiftLanguageMode(.v5)]
        ),
        // Instruction-count driver for the storage rows (issue 14 before/after).
        .executableTarget(
            name: "LayerDriver",
            dependencies: [.product(name: "TFRecord", package: libraryFolder)]
        ),
        // The generated records ExampleComparison and ExampleDriver share.
        .target(
            name: "BenchmarkRecords",
            dependencies: [.product(name: "TFRecordExample", package: libraryFolder)]
        ),
        .executableTarget(
            name: "ExampleDriver",
            dependencies: [.product(name: "TFRecord", package: libraryFolder), .product(name: "TFRecordExample", package: libraryFolder), "BenchmarkRecords"]
        ),
        .executableTarget(
            name: "ExampleComparison",
            dependencies: [
                .product(name: "TFRecord", package: libraryFolder),
                .product(name: "TFRecordExample", package: libraryFolder),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                "BenchmarkRecords",
            ]
        ),
    ]
)
