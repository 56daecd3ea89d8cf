// libFuzzer harnesses for the Swift-level entry points that take untrusted bytes beyond the C
// scanners (issue 15): the sidecar index loader with its inflate checkpoints, and random access
// into (blocked) GZIP. Built by scripts/test-fuzz-swift.sh with `-sanitize=fuzzer,address` and
// `-D FUZZING` (its `main` runs libFuzzer's driver); built normally it is a replay tool:
// `tfrecord-fuzz FILE...` runs each file through the same entry point.
//
// The first input byte picks the harness; the rest is the file it reads:
//   even: a sidecar index (`RecordIndex.load`, checkpoint validation, then every record of a
//         fixed GZIP shard read through it) — must never trap, hang or allocate from a claim;
//   odd:  a GZIP file (its index built, every record read by number) — whatever random access
//         returns must equal what the sequential reader returns: never another record.
import TFRecord
#if canImport(Glibc)
import Glibc
#endif

/// Scratch files in one folder per process (RAM-backed when possible).
enum FuzzFiles {
    static let folder: String = {
        let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        let dir = "\(base)/tfrecord-fuzz-\(getpid())"
        mkdir(dir, 0o700)
        return dir
    }()
    static let shard = folder + "/shard.tfrecord.gz"
    static let input = folder + "/input.tfrecord.gz"

    /// A small blocked-GZIP shard with 40 records (made once).
    static let payloads: [[UInt8]] = {
        let records = (0..<40).map { i in [UInt8](repeating: UInt8(i), count: 20 + i * 7) }
        var options = WriteOptions(compression: .gzip)
        options.blockSize = 300
        let writer = try! RecordWriter(path: shard, options: options)
        for r in records { try! writer.write(r) }
        try! writer.close()
        return records
    }()

    static func write(_ bytes: UnsafeRawBufferPointer, to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(fd >= 0)
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            precondition(n > 0)
            done += n
        }
        close(fd)
    }
}

/// A forged sidecar: load it (every check), pair it with the fixed shard, read every record.
func fuzzSidecar(_ bytes: UnsafeRawBufferPointer) {
    let payloads = FuzzFiles.payloads
    let sidecar = RecordIndex.sidecarPath(for: FuzzFiles.shard)
    FuzzFiles.write(bytes, to: sidecar)
    guard let index = try? RecordIndex.load(from: sidecar),
          let file = try? RecordFile(path: FuzzFiles.shard, index: index) else { return }
    for i in 0..<min(file.count, 64) {
        guard let record = try? file.record(at: i) else { continue }
        // An index that names records differently may return an intact record under another
        // number (documented); it must still be one of the shard's records, whole.
        precondition(payloads.contains(record), "sidecar lookup \(i) returned bytes that are no record of the shard")
    }
}

/// A GZIP file: random access after building its index agrees with the sequential read.
func fuzzCompressed(_ bytes: UnsafeRawBufferPointer) {
    FuzzFiles.write(bytes, to: FuzzFiles.input)
    var options = ReadOptions(compression: .gzip)
    options.maxRecordSize = 1 << 20
    guard let reader = try? RecordReader(path: FuzzFiles.input, options: options),
          let sequential = try? reader.allRecords() else { return }
    guard let file = try? RecordFile(path: FuzzFiles.input, options: IndexOptions(missing: .build)) else { return }
    precondition(file.count == sequential.count, "index has \(file.count) records, the sequential read \(sequential.count)")
    for i in 0..<file.count {
        if let record = try? file.record(at: i) {
            precondition(record == sequential[i], "random access to record \(i) disagrees with the sequential read")
        }
    }
}

func fuzzOne(_ data: UnsafeRawBufferPointer) {
    guard let selector = data.first else { return }
    let rest = UnsafeRawBufferPointer(rebasing: data.dropFirst())
    if selector % 2 == 0 { fuzzSidecar(rest) } else { fuzzCompressed(rest) }
}

#if FUZZING
/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    fuzzOne(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// libFuzzer's driver (SwiftPM gives every executable its own `main`, so libFuzzer's is not used).
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<Int32>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@main struct Fuzz {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv, { data, size in fuzzerTestOneInput(data, size) }))
    }
}
#else
/// The replay tool: runs each file given through the harnesses.
@main struct Replay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { print("\(path): cannot open"); continue }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
                if n <= 0 { break }
                bytes += chunk[..<n]
            }
            close(fd)
            bytes.withUnsafeBytes { fuzzOne($0) }
            print("\(path): ok")
        }
    }
}
#endif
