import Foundation
import Testing

/// Runs `scripts/remote_test_peer.py` (botocore and boto3, the independent peer) with one JSON request.
enum PythonPeer {
    /// The repository's root, found from this file's path.
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// Whether `python3` can import botocore and boto3 on this machine.
    static let isAvailable: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import botocore, boto3"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus == 0
        } catch {
            return false
        }
    }()

    /// Why tests that need the peer do not run.
    static let missingReason: Comment = "needs python3 with botocore and boto3 (pip install boto3; scripts/test-remote.sh installs them)"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends `request` as JSON and returns the decoded JSON answer.
    static func call(_ request: [String: Any]) throws -> [String: Any] {
        let input = try JSONSerialization.data(withJSONObject: request)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot + "/scripts/remote_test_peer.py"]
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "remote_test_peer.py failed (\(process.terminationStatus)): \(String(decoding: errors, as: UTF8.self))")
        }
        guard let answer = try JSONSerialization.jsonObject(with: output) as? [String: Any] else {
            throw Failure(description: "remote_test_peer.py answered no JSON object")
        }
        return answer
    }
}
