import Foundation
import ArgumentParser
import TFRecord
import TFRecordRemote
import TFRecordExample

extension TFRecordCommand {
    /// `tfrecord index`: build the index of each shard, as a sidecar or a text index.
    struct Index: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a random-access index of each file.",
            discussion: """
                native (default) writes the checked binary sidecar PATH.tfindex that `get`, `count` and \
                the library use; text writes the `offset framed_length` lines of the PyPI tfrecord \
                package and NVIDIA DALI (tfrecord2idx) to PATH.idx. Prints `<count>\\t<index path>` per file. \
                An object address (s3://bucket/key, a prefix, a glob) is read once, front to back, and its \
                index uploaded beside it (KEY.tfindex or KEY.idx); with --cache the index is kept in the \
                local cache instead (TFRECORD_CACHE_DIR, else ~/.cache/tfrecord), for read-only buckets and https://.
                Example: tfrecord index data/ && tfrecord index --format text --output train.idx train.tfrecord
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case native, text
        }

        @Argument(help: "TFRecord files, directories or globs, or object addresses (s3://, gs://, https://; prefixes and globs listed).")
        var paths: [String]

        @Option(help: "Index format: native or text.")
        var format: Format = .native

        @Option(help: "Where to write the index (only with a single input file; - for stdout, text only).")
        var output: String?

        @Flag(help: "Skip payload checksums (length checksums are always checked).")
        var noVerify = false

        @Flag(help: "No progress bar.")
        var quiet = false

        @Flag(help: "For object addresses: keep the index in the local cache instead of uploading it (read-only buckets, https://).")
        var cache = false

        func run() throws {
            if paths.contains(where: RemoteShards.isAddress) { return try runRemote() }
            let files = try ShardPaths.expand(paths)
            if output != nil && files.count != 1 {
                throw TFRecordError(.invalidArgument, "--output needs exactly one input file, not \(files.count)")
            }
            if output == "-" && format == .native {
                throw TFRecordError(.invalidArgument, "--output - (stdout) is only for --format text")
            }
            for file in files {
                let target = switch format {
                case .native: output ?? RecordIndex.sidecarPath(for: file)
                case .text: output ?? file + ".idx"
                }
                if target != "-" { try OutputTarget.check(target, against: files) }
            }
            let progress = Progress("index", total: Double(files.count), quiet: quiet)
            defer { progress.finish() }
            var records = 0
            for (n, file) in files.enumerated() {
                progress.update(records: records, done: Double(n))
                let index = try RecordIndex.build(path: file, verifyingChecksums: !noVerify)
                records += index.count
                switch format {
                case .native:
                    let target = output ?? RecordIndex.sidecarPath(for: file)
                    try index.write(to: target)
                    try Output.standard.write("\(index.count)\t\(target)\n")
                case .text:
                    if output == "-" {
                        try Output.standard.write(index.textRepresentation())
                    } else {
                        let target = output ?? file + ".idx"
                        try index.writeText(to: target)
                        try Output.standard.write("\(index.count)\t\(target)\n")
                    }
                }
            }
        }

        /// Indexes local files and remote objects: each object read once front to back (its
        /// compression detected, every length CRC checked, payload CRCs unless --no-verify), the
        /// index uploaded beside it, written to --output, or kept in the local cache (--cache).
        func runRemote() throws {
            let sources = try InputSource.expand(paths)
            if output != nil && sources.count != 1 {
                throw TFRecordError(.invalidArgument, "--output needs exactly one input, not \(sources.count)")
            }
            if cache && format == .text {
                throw TFRecordError(.invalidArgument, "--cache keeps native indexes only; use --format native")
            }
            let progress = Progress("index", total: Double(sources.count), quiet: quiet)
            defer { progress.finish() }
            var records = 0
            for (n, source) in sources.enumerated() {
                progress.update(records: records, done: Double(n))
                guard let object = source.object else {
                    let index = try RecordIndex.build(path: source.name, verifyingChecksums: !noVerify)
                    records += index.count
                    let target = output ?? (format == .native ? RecordIndex.sidecarPath(for: source.name) : source.name + ".idx")
                    try OutputTarget.check(target, against: [source.name])
                    if format == .native { try index.write(to: target) } else { try index.writeText(to: target) }
                    try Output.standard.write("\(index.count)\t\(target)\n")
                    continue
                }
                let index = try RecordIndex.build(object: object, verifyingChecksums: !noVerify)
                records += index.count
                if let output {
                    if output == "-" && format == .text {
                        try Output.standard.write(index.textRepresentation())
                        continue
                    }
                    if format == .native { try index.write(to: output) } else { try index.writeText(to: output) }
                    try Output.standard.write("\(index.count)\t\(output)\n")
                } else if cache {
                    let target = RemoteSidecar.cachedPath(for: object.info, cache: RemoteAccess.cache)
                    try FileManager.default.createDirectory(atPath: RemoteAccess.cache.directory, withIntermediateDirectories: true)
                    try index.write(to: target)
                    try Output.standard.write("\(index.count)\t\(target)\n")
                } else {
                    guard object.info.address.scheme == .s3 else {
                        throw TFRecordError(.invalidArgument, "cannot upload an index beside an \(object.info.address.scheme.rawValue):// object; use --cache to keep it in the local cache, or --output FILE",
                                            path: object.name)
                    }
                    let target = object.name + (format == .native ? ".tfindex" : ".idx")
                    let bytes = format == .native ? index.sidecarBytes() : Array(index.textRepresentation().utf8)
                    let address = try ObjectAddress(target)
                    let client = try RemoteAccess.client()
                    _ = try RemoteAccess.wait { try await client.s3.put(bytes, to: address) }
                    try Output.standard.write("\(index.count)\t\(target)\n")
                }
            }
        }
    }
}
