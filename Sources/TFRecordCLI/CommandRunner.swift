import ArgumentParser
import TFRecord
import TFRecordRemote
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
        if arguments.first == "help", arguments.count > 1,
           !TFRecordCommand.configuration.subcommands.contains(where: { $0._commandName == arguments[1] }) {
            // The parser would print the root help and exit 0: a typo must not look like success.
            Diagnostics.line("error: no subcommand '\(arguments[1])'; see 'tfrecord --help'")
            return .usage
        }
        defer { RemoteAccess.shutdown() }
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
        } catch let remote as RemoteError {
            // Object storage: a bad address or configuration is a usage error (2), a request
            // that failed after its retries an I/O error (3).
            try? Output.standard.flush()
            let error = remote.tfRecordError
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
            Diagnostics.verbatim("error: \(TFRecordCommand.message(for: error))")
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
