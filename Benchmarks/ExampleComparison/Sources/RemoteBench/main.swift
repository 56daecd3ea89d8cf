// The Swift side of Benchmarks/compare/remote.sh: reads remote datasets through the library
// (TFRecordRemote over the core's readers, every CRC checked) and prints tab-separated lines for
// the script to set against its peers (boto3's transfer manager, curl) measured in the same run.
//
//   RemoteBench sequential ADDRESS...                   every record of each object, front to back
//   RemoteBench lookups --in-flight N --count K [--seed S] [--repeat R] ADDRESS...
//                                                       K random global records in one batch
//   RemoteBench first ADDRESS...                        time to the first record of a random batch
//   RemoteBench count ADDRESS...                        record counts from the sidecars only
//
// Configuration from the environment as the CLI's (AWS_*, AWS_ENDPOINT_URL_S3, AWS_CA_BUNDLE).
//
// NOT YET A TARGET: written against the remote reader of branch `remote-read` (RemoteShards,
// RemoteDataset, RecordReader(object:)), which had not landed when this was written. To wire it:
// add `.executableTarget(name: "RemoteBench", dependencies: [TFRecord, TFRecordRemote products])`
// to Benchmarks/ExampleComparison/Package.swift and `RemoteBench` to run.sh's product loop;
// remote.sh then runs its read sections (it skips them while RemoteBench cannot read s3://).
// Runs on the main thread (outside the cooperative pool), so it calls the synchronous core directly.
import Dispatch
import Foundation
import Synchronization
import TFRecord
import TFRecordRemote

/// Runs async work from the main thread and waits for it.
func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let done = DispatchSemaphore(value: 0)
    let outcome = Mutex<Result<T, any Error>?>(nil)
    Task.detached {
        let result: Result<T, any Error>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        outcome.withLock { $0 = result }
        done.signal()
    }
    done.wait()
    return try outcome.withLock { $0! }.get()
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data(("RemoteBench: " + message + "\n").utf8))
    exit(2)
}

var arguments = Array(CommandLine.arguments.dropFirst())
guard let mode = arguments.first else { fail("give a mode: sequential, lookups, first, count") }
arguments.removeFirst()
var options: [String: String] = [:]
var addresses: [String] = []
while let argument = arguments.first {
    arguments.removeFirst()
    if argument.hasPrefix("--"), let value = arguments.first {
        options[String(argument.dropFirst(2))] = value
        arguments.removeFirst()
    } else {
        addresses.append(argument)
    }
}
guard !addresses.isEmpty else { fail("give addresses") }

do {
    let client = try RemoteClient(configuration: RemoteConfiguration.resolve())
    var readOptions = RemoteReadOptions()
    if let inFlight = options["in-flight"].flatMap(Int.init) { readOptions.maximumInFlight = inFlight }
    // A fresh cache per run, so sidecars are fetched as a first user would (then reused).
    let cacheFolder = NSTemporaryDirectory() + "/remote-bench-cache-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: cacheFolder) }
    let cache = ObjectCache(folder: cacheFolder)
    let readOptionsCopy = readOptions
    let addressesCopy = addresses
    switch mode {
    case "sequential":
        let start = now()
        let shards = try blocking { try await RemoteShards.expand(addressesCopy, client: client, options: readOptionsCopy) }
        var bytes: UInt64 = 0
        var records = 0
        for object in shards.objects where !object.name.hasSuffix(".tfindex") {
            let reader = try RecordReader(object: object)
            try reader.forEachRecord { _, payload in records += 1 }
            bytes += object.byteCount
        }
        let seconds = now() - start
        print("sequential\t\(bytes)\t\(seconds)\t\(records)")
    case "lookups", "first":
        let count = options["count"].flatMap(Int.init) ?? 1000
        let seed = options["seed"].flatMap(UInt64.init) ?? 1
        let repeats = options["repeat"].flatMap(Int.init) ?? 1
        let openStart = now()
        let dataset = try blocking { try await RemoteDataset.open(addressesCopy, client: client, cache: cache, options: readOptionsCopy) }
        var generator = seed | 1
        func nextNumber() -> Int {
            generator ^= generator << 13; generator ^= generator >> 7; generator ^= generator << 17
            return Int(generator % UInt64(dataset.count))
        }
        if mode == "first" {
            // A first user: open (sidecars), then one record.
            let number = nextNumber()
            let record = try dataset.dataset.record(at: number)
            print("first\t\(now() - openStart)\t\(record.count)")
            break
        }
        // Warm: shards opened (sidecars cached) before the clock.
        _ = try dataset.dataset.record(at: 0)
        try dataset.dataset.forEachRecord(at: (0..<64).map { _ in nextNumber() }) { _, _ in }
        var best = Double.infinity
        var bytes = 0
        for _ in 0..<repeats {
            let numbers = (0..<count).map { _ in nextNumber() }
            let start = now()
            var seen = 0
            try dataset.dataset.forEachRecord(at: numbers) { _, payload in
                seen += 1
                bytes += payload.byteCount
            }
            guard seen == count else { fail("read \(seen) of \(count) records") }
            best = min(best, now() - start)
        }
        print("lookups\t\(readOptions.maximumInFlight)\t\(Double(count) / best)\t\(best)\t\(count)")
    case "count":
        let start = now()
        let shards = try blocking { try await RemoteShards.expand(addressesCopy, client: client, options: readOptionsCopy) }
        let counts = try blocking { try await RemoteDataset.recordCounts(shards, cache: cache) }
        let total = counts.reduce(0) { $0 + ($1?.1 ?? 0) }
        print("count\t\(counts.count)\t\(total)\t\(now() - start)\t\(counts.filter { $0 == nil }.count) without sidecar")
    default:
        fail("unknown mode \(mode)")
    }
    try client.syncShutdown()
} catch {
    fail("\(error)")
}
