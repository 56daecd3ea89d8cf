// swift-tools-version: 6.1
import PackageDescription

// The layers, bottom-up (see docs/ARCHITECTURE.md); dependencies point one way:
//   tfrecord (CLI) -> TFRecordRemote / TFRecordExample -> TFRecord -> CSupport
// TFRecordRemote (S3 API, HTTP(S), gs://) reads objects through the core's `StoredObject` hook;
// the core keeps no network dependency.
let package = Package(
    name: "swift-tfrecord",
    products: [
        .library(name: "TFRecord", targets: ["TFRecord"]),
        .library(name: "TFRecordExample", targets: ["TFRecordExample"]),
        .executable(name: "tfrecord", targets: ["TFRecordCLI"]),
        .library(name: "TFRecordRemote", targets: ["TFRecordRemote"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation --target TFRecord` (and TFRecordExample).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
        // TFRecordRemote: HTTP with connection pooling and TLS, SigV4's HMAC-SHA256.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
    ],
    targets: [
        // C: hardware CRC32C, zero-copy record and varint scanning, zlib/lz4/ISA-L shims.
        .target(
            name: "CSupport",
            path: "CSupport",
            exclude: ["tests"],
            cSettings: [.define("_GNU_SOURCE")],
            linkerSettings: [.linkedLibrary("z"), .linkedLibrary("lz4"), .linkedLibrary("deflate"), .linkedLibrary("isal")]
        ),
        // Storage: framing, compression, reading, writing, random access, shards. Knows no protobuf.
        .target(
            name: "TFRecord",
            dependencies: ["CSupport"],
            swiftSettings: [.enableExperimentalFeature("Lifetimes")]
        ),
        // tf.train.Example: model, wire codec, zero-copy view, parser, schema, JSON, import.
        .target(
            name: "TFRecordExample",
            dependencies: ["TFRecord", "CSupport"],
            swiftSettings: [.enableExperimentalFeature("Lifetimes")]
        ),
        .executableTarget(
            name: "TFRecordCLI",
            dependencies: [
                "TFRecord",
                "TFRecordExample",
                "TFRecordRemote",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer harnesses of the Swift entry points (scripts/test-fuzz-swift.sh); built
        // normally, a replay tool for their inputs.
        .executableTarget(
            name: "TFRecordFuzz",
            dependencies: ["TFRecord"],
            path: "Fuzz/TFRecordFuzz"
        ),
        .testTarget(
            name: "TFRecordTests",
            dependencies: ["TFRecord", "CSupport", "TFRecordTestSupport"]
        ),
        .testTarget(
            name: "TFRecordExampleTests",
            dependencies: ["TFRecord", "TFRecordExample", "CSupport", "TFRecordTestSupport"]
        ),
        .testTarget(
            name: "TFRecordCLITests",
            dependencies: ["TFRecord", "TFRecordExample", "TFRecordCLI", "TFRecordTestSupport"]
        ),
        // Writes the files the real-TensorFlow interop scripts (scripts/tf_interop_*.sh) read.
        .executableTarget(
            name: "InteropFixtures",
            dependencies: ["TFRecord", "TFRecordExample", "TFRecordTestSupport"],
            path: "scripts/InteropFixtures"
        ),
        // Shared by the test targets: temporary folders, the corpus manifest, generators.
        .target(
            name: "TFRecordTestSupport",
            dependencies: ["TFRecord", "TFRecordExample"],
            path: "Tests/Support"
        ),
        // Object storage (S3 API, HTTP(S), gs://): its own module so the core keeps no network dependency.
        .target(
            name: "TFRecordRemote",
            dependencies: [
                "TFRecord",
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
                "TFRecord",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ]
)
