// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "swift-tfrecord",
    products: [
        .library(name: "TFRecord", targets: ["TFRecord"]),
        .executable(name: "tfrecord", targets: ["TFRecordCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C core: hardware CRC32C, zero-copy record and varint scanning, zlib/lz4 shims.
        .target(
            name: "CSupport",
            path: "CSupport",
            exclude: ["tests"],
            cSettings: [.define("_GNU_SOURCE")],
            linkerSettings: [.linkedLibrary("z"), .linkedLibrary("lz4"), .linkedLibrary("deflate"), .linkedLibrary("isal")]
        ),
        .target(
            name: "TFRecord",
            dependencies: ["CSupport"],
            swiftSettings: [.enableExperimentalFeature("Lifetimes")]
        ),
        .executableTarget(
            name: "TFRecordCLI",
            dependencies: [
                "TFRecord",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "TFRecordTests",
            dependencies: ["TFRecord", "CSupport", "TFRecordCLI"]
        ),
    ]
)
