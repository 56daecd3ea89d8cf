// swift-tools-version: 6.1
import PackageDescription
import class Foundation.ProcessInfo
import struct Foundation.URL

// The library package is the folder above; SwiftPM names a path dependency after its folder,
// which differs between clones, so compute it.
let libraryFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "TFRecordBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../"),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.29.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "TFRecordBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "TFRecord", package: libraryFolder),
                .product(name: "TFRecordExample", package: libraryFolder),
            ],
            path: "Benchmarks/TFRecordBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
)
