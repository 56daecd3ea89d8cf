import Foundation
@testable import TFRecordTestSupport
@testable import TFRecordCLI

/// Runs `tfrecord` in-process (stdout and stderr captured) or as the built binary.
enum CLIHarness {
    struct Result {
        let code: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs the command line in this process.
    static func run(_ arguments: [String]) -> Result {
        let out = Output()
        let err = Output()
        let code = Output.$standard.withValue(out) {
            Output.$diagnostics.withValue(err) { CommandRunner.run(arguments) }
        }
        return Result(code: code.rawValue, stdout: out.captured, stderr: err.captured)
    }

    /// The `tfrecord` binary built beside the test bundle (`swift build --build-tests` builds it).
    static var binary: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = bundle.deletingLastPathComponent()
        while !dir.path.hasSuffix(".xctest") && dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("tfrecord").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("tfrecord")
    }

    /// Runs a shell command line in which `$TFRECORD` names the binary.
    static func shell(_ script: String) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        var env = ProcessInfo.processInfo.environment
        env["TFRECORD"] = binary.path
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(code: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}
