import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecordCLI

/// The exit code contract for damage inside a compressed stream (a `.compression` error, not a
/// record CRC): TensorFlow's GZIP/ZLIB files with a flipped bit in the deflate data or the
/// trailer make `verify`, `count --scan` and `cat` exit 1 (data damaged), saying so on stderr.
@Suite struct CompressionExitCodeTests {
    static let files = Manifest.shared.files.filter {
        $0.category == "corrupt" && !$0.compression.isEmpty && $0.path.contains("bitflip")
            && ($0.path.hasPrefix("corrupt/gzip_") || $0.path.hasPrefix("corrupt/zlib_"))
    }

    @Test func corpusHasStreamDamage() {
        #expect(Self.files.count >= 8)
        #expect(Set(Self.files.map(\.compression)) == ["GZIP", "ZLIB"])
    }

    @Test(arguments: files)
    func damagedStreamExitsOne(_ file: Manifest.File) {
        for command in [["verify"], ["cat", "--format", "hex"]] {
            let result = CLIHarness.run(command + [file.fullPath])
            #expect(result.code == 1, "\(command) \(file.path): exit \(result.code)")
            #expect(result.stderr.contains("\(file.fullPath): error: compressed stream error"), "\(command) \(file.path): \(result.stderr)")
        }
    }
}
