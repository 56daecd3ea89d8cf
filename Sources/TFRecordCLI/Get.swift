import ArgumentParser
import TFRecord
import TFRecordRemote
import TFRecordExample

extension TFRecordCommand {
    /// `tfrecord get`: records by global number, in O(1) each with an index.
    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print records by number.",
            discussion: """
                Arguments are files, directories or globs, then record numbers (0-based). Numbers are \
                global across the files in the order given (a directory's or glob's files sorted by \
                name). Uses each file's sidecar index (PATH.tfindex) when it is valid, otherwise builds \
                one in memory. Prints one line per record for base64 and hex.
                Example: tfrecord get data/train-*.tfrecord 0 1000 999999
                """
        )


        @Argument(help: "TFRecord files, directories or globs, then record numbers.")
        var arguments: [String]

        @Option(help: "Output format: base64, hex, raw or json (Example/SequenceExample).")
        var format: RecordFormat = .base64

        @Flag(help: "Skip payload checksums (length checksums are always checked).")
        var noVerify = false

        func validate() throws {
            let split = Get.split(arguments)
            if split.paths.isEmpty { throw ValidationError("give at least one file before the record numbers") }
            if split.numbers.isEmpty { throw ValidationError("give at least one record number after the files") }
        }

        /// Local files and remote objects as one dataset: local shards opened now (their
        /// sidecars used or indexes built, as `Dataset` does), remote ones through their sidecars
        /// (counts now, each shard opened on first use).
        static func mixedDataset(_ paths: [String]) throws -> Dataset {
            /// Where one shard comes from.
            enum Shard: Sendable {
                case local(RecordFile)
                case remote(RemoteDataset, Int)
            }
            var names: [String] = []
            var counts: [Int] = []
            var shards: [Shard] = []
            for path in paths {
                if RemoteShards.isAddress(path) {
                    let client = try RemoteAccess.client()
                    let cache = RemoteAccess.cache
                    let remote = try RemoteAccess.wait { try await RemoteDataset.open([path], client: client, cache: cache) }
                    for s in 0..<remote.dataset.shardCount {
                        names.append(remote.dataset.paths[s])
                        counts.append(remote.dataset.recordCounts[s])
                        shards.append(.remote(remote, s))
                    }
                } else {
                    for file in try ShardPaths.expand([path]) {
                        let opened = try RecordFile(path: file)
                        names.append(file)
                        counts.append(opened.count)
                        shards.append(.local(opened))
                    }
                }
            }
            let all = shards
            return Dataset(names: names, recordCounts: counts) { (s) throws(TFRecordError) -> RecordFile in
                switch all[s] {
                case .local(let file): return file
                case .remote(let remote, let k): return try remote.dataset.shard(k)
                }
            }
        }

        /// The trailing run of decimal arguments is the record numbers; the rest are paths.
        static func split(_ arguments: [String]) -> (paths: [String], numbers: [String]) {
            var cut = arguments.count
            while cut > 1 && !arguments[cut - 1].isEmpty && arguments[cut - 1].allSatisfy({ $0.isASCII && $0.isNumber }) {
                cut -= 1
            }
            return (Array(arguments[..<cut]), Array(arguments[cut...]))
        }

        func run() throws {
            let (paths, numbers) = Get.split(arguments)
            let dataset = try paths.contains(where: RemoteShards.isAddress) ? Get.mixedDataset(paths) : Dataset(paths: paths)
            for text in numbers {
                guard let i = Int(text), i < dataset.count else {
                    throw TFRecordError(.invalidArgument, "record number \(text) is out of range: there are \(dataset.count) record(s)")
                }
                let (shard, local) = dataset.location(ofRecord: i)
                try dataset.withRecord(at: i, verifyingChecksums: !noVerify) { payload in
                    try format.print(payload, recordNumber: local, path: dataset.paths[shard])
                }
            }
        }
    }
}
