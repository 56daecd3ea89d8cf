import ArgumentParser
import TFRecord
import TFRecordExample

/// The `tfrecord` command: read, check, index and convert TFRecord files.
struct TFRecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tfrecord",
        abstract: "Read, verify, index and convert TFRecord files.",
        version: "0.1.0",
        subcommands: [Count.self, Cat.self, Get.self, Verify.self, Index.self, Convert.self, Import.self, Schema.self, Bench.self, Generate.self]
    )
}
