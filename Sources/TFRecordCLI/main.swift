import TFRecord
import TFRecordExample

/// Entry point: maps errors to the contract's exit codes in one place.
CommandRunner.exit(CommandRunner.run(Array(CommandLine.arguments.dropFirst())))
