import ArgumentParser
import TFRecord
import TFRecordExample
/// Runs a `tfrecord` command line and turns its outcome into the contract's exit codes:
/// 0 success, 1 data damaged, 2 usage error, 3 I/O error.
enum CommandRunner {
    /// The exit codes of the CLI contract.
    enum ExitCode: Int32 {
        case success = 0
        case damaged = 1
        case usage = 2
        case io = 3
    }

    /// Parses and runs `arguments`; prints diagnostics to stderr as `PATH: error: message`.
    static func run(_ arguments: [String]) -> ExitCode {
        SystemCalls.ignoreWriteSignals()  // a closed pipe or a file-size limit becomes an error
        do {
            var command = try TFRecordCommand.parseAsRoot(arguments)
            try command.run()
            try Output.standard.flush()
            return .success
        } catch let error as TFRecordError {
            try? Output.standard.flush()
            if error.kind == .io && error.errno == SystemCalls.Code.brokenPipe { return .success }
            Diagnostics.error(error)
            return exitCode(for: error)
        } catch is DamageFound {
            try? Output.standard.flush()
            return .damaged
        } catch let failure as ReportedFailure {
            try? Output.standard.flush()
            return exitCode(for: failure.error)
        } catch {
            try? Output.standard.flush()
            let code = TFRecordCommand.exitCode(for: error)
            if code == .success {
                // --help and --version
                try? Output.standard.write(TFRecordCommand.fullMessage(for: error) + "\n")
                try? Output.standard.flush()
                return .success
            }
            Diagnostics.line("error: \(TFRecordCommand.message(for: error))")
            return .usage
        }
    }

    /// The exit code for a library error.
    static func exitCode(for error: TFRecordError) -> ExitCode {
        switch error.kind {
        case .corrupted, .truncated, .compression: return .damaged
        case .io: return .io
        case .invalidArgument: return .usage
        }
    }

    /// Ends the process with `code`.
    static func exit(_ code: ExitCode) -> Never {
        SystemCalls.exit(code.rawValue)
    }
}

/// Thrown by a command that already reported damage on stderr and must exit 1.
struct DamageFound: Error {}

/// Thrown by a command that already printed `error` on stderr; sets the exit code.
struct ReportedFailure: Error {
    let error: TFRecordError
}
