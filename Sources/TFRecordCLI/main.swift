import TFRecord
import TFRecordExample

/// Entry point: maps errors to the contract's exit codes in one place.
// A mapped input truncated by another process while it is read is an I/O error (exit 3), not a
// crash: the maps stay (a third faster than read(2) with `tfrecord bench --pread`).
SystemCalls.exitOnBusError("tfrecord: error: an input file was truncated by another process while it was read (SIGBUS on its memory map); the output so far is incomplete\n",
                           status: CommandRunner.ExitCode.io.rawValue)
CommandRunner.exit(CommandRunner.run(Array(CommandLine.arguments.dropFirst())))
