import ArgumentParser
import TFRecord
import TFRecordExample

extension TFRecordCommand {
    /// `tfrecord verify`: check every checksum and the compressed stream.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every header and payload CRC and the compressed stream.",
            discussion: """
                Exit 0 when every file is intact, 1 when anything is damaged: one stderr line per \
                damage (`PATH: error: corrupted record <n> at offset <offset>: <what>`) and a \
                summary line per file on stdout. With --skip-corrupt, reading resumes after each \
                damage and the recovered records are counted.
                Example: tfrecord verify --skip-corrupt data/
                """
        )

        @Argument(help: "TFRecord files, directories or globs, or object addresses (s3://, gs://, https://; prefixes and globs listed).")
        var paths: [String]

        @Flag(help: "Resynchronise after damage and count what can be recovered.")
        var skipCorrupt = false

        @OptionGroup var options: ReadingOptions

        func run() throws {
            var damaged = false
            var ioFailure: TFRecordError?
            for source in try InputSource.expand(paths) {
                let path = source.name
                let size = Double(source.size ?? 0)
                let progress = Progress("verify \(path)", total: size, quiet: options.quiet)
                var good = 0
                var bytes = 0.0
                var bad = 0
                var skippedBytes: UInt64 = 0
                do {
                    let reader = try source.reader(options: options.readOptions(skipCorrupt: skipCorrupt))
                    reader.onSkip = { skipped in
                        bad += 1
                        skippedBytes += UInt64(skipped.range.count)
                        Diagnostics.error(skipped.error)
                    }
                    // Sizes only: a record is checked as it streams past, never held whole.
                    try reader.forEachRecordSize { _, size in
                        good += 1
                        bytes += Double(size + 16)
                        progress.update(records: good, done: reader.compression == .none ? bytes : nil)
                    }
                } catch let error as TFRecordError {
                    progress.finish()
                    Diagnostics.error(error)
                    if error.kind == .io || error.kind == .invalidArgument {
                        ioFailure = error
                        continue
                    }
                    bad += 1
                }
                progress.finish()
                if bad > 0 { damaged = true }
                var summary = "\(path): \(good) records good, \(bad) damaged"
                if skipCorrupt && bad > 0 { summary += " (\(skippedBytes) bytes skipped, \(good) records recovered)" }
                try Output.standard.write(summary + "\n")
            }
            if damaged { throw DamageFound() }
            if let ioFailure { throw ReportedFailure(error: ioFailure) }
        }
    }
}
