import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordCLI

/// The CLI's part of the read matrix (`ReadMatrixTests` has the library's): `cat` and `get`
/// × every compression × sidecar present / absent / stale print the records written, byte
/// for byte, or (random access into a compression without checkpoints) fail with one clear
/// error and the contract's exit code. A command added later joins with one line in `commands`.
@Suite struct ReadMatrixCLITests {
    /// One command line that prints records as hex lines.
    struct Command: Sendable {
        let name: String
        let randomAccess: Bool
        /// The records it prints, in order.
        let order: @Sendable (ReadMatrix.Fixture) -> [Int]
        let arguments: @Sendable (ReadMatrix.Fixture) -> [String]
    }

    static let commands: [Command] = [
        Command(name: "cat", randomAccess: false, order: { Array(0..<$0.payloads.count) }) { f in
            ["cat", "--format", "hex", f.path]
        },
        Command(name: "get", randomAccess: true, order: { $0.shuffled }) { f in
            ["get", "--format", "hex", f.path] + f.shuffled.map(String.init)
        },
    ]

    @Test(arguments: ReadMatrix.encodings, ReadMatrix.SidecarState.allCases)
    func everyCommandPrintsTheRecordsWritten(_ encoding: ReadMatrix.Encoding, _ sidecar: ReadMatrix.SidecarState) throws {
        let fixture = try ReadMatrix.Fixture(encoding, sidecar)
        defer { fixture.remove() }
        for command in Self.commands {
            let r = CLIHarness.run(command.arguments(fixture))
            if command.randomAccess && !encoding.randomAccess {
                #expect(r.code == 2, "\(command.name) on \(encoding.name), sidecar \(sidecar): \(r.stderr)")
                #expect(r.stdout.isEmpty)
                #expect(r.stderr.contains(fixture.path) && r.stderr.contains("needs an index with inflate checkpoints"),
                        "\(command.name) on \(encoding.name): \(r.stderr)")
                continue
            }
            #expect(r.code == 0, "\(command.name) on \(encoding.name), sidecar \(sidecar): \(r.stderr)")
            let expected = command.order(fixture).map { Hex.encode(fixture.payloads[$0]) + "\n" }.joined()
            #expect(r.stdout == expected, "\(command.name) on \(encoding.name), sidecar \(sidecar)")
        }
    }
}
