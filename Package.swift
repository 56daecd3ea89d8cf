// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "swift-tfrecord",
    products: [
        .library(name: "TFRecord", targets: ["TFRecord"]),
        .executable(name: "tfrecord", targets: ["TFRecordCLI"]),
        .library(name: "TFRecordRemote", targets: ["TFRecordRemote"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
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
        // Object storage (S3 API, HTTP(S), gs://): its own module so the core keeps no network dependency.
        .target(
            name: "TFRecordRemote",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(
            name: "TFRecordRemoteTests",
            dependencies: [
                "TFRecordRemote",
                "TFRecord",  // only its public CRC32C, to check frames read over the network
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ]
)
