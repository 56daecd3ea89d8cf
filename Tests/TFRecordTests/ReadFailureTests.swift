import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// Issue 15, second round, item 3: a read that fails is an `.io` error naming the file, never
/// folded into "no bytes" (which made a failed header read look like a file without a blocked
/// GZIP header, and a failed hint read like "an uncompressed TFRecord file").
///
/// What these tests cover, honestly: the failing read is a real `pread(2)` on a directory
/// descriptor, which the kernel answers with `EISDIR` — the same code path an `EIO` from a
/// failing disk takes (any negative return); no disk fault is injected.
@Suite struct ReadFailureTests {
    /// The error `body` throws, which must be a `TFRecordError`.
    static func error(_ body: () throws -> Void) -> TFRecordError? {
        do {
            try body()
            Issue.record("expected an error")
            return nil
        } catch let error as TFRecordError {
            return error
        } catch {
            Issue.record("not a TFRecordError: \(error)")
            return nil
        }
    }

    /// The blocked-GZIP header probe of `makeDecompressingSource`.
    @Test func failedHeaderReadIsAnIOError() throws {
        let folder = try Scratch.folder("readfail")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let error = Self.error {
            _ = try makeDecompressingSource(.gzip, fd: try FileDescriptor(opening: folder, .read), path: folder,
                                            options: ReadOptions())
        }
        #expect(error?.kind == .io)
        #expect(error?.path == folder)
        #expect(error?.errno == EISDIR)
    }

    /// The "what does this file look like" hint of a GZIP/ZLIB stream that is not one.
    @Test(arguments: [GzipZlibSource.Engine.isal, .zlib])
    func failedHintReadInGzipIsAnIOError(_ engine: GzipZlibSource.Engine) throws {
        let folder = try Scratch.folder("readfail")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = try GzipZlibSource(input: FileInput(fd: try FileDescriptor(opening: folder, .read), path: folder), format: .gzip,
                                        bufferSize: 4096, engine: engine, consumed: Array("not a gzip stream at all".utf8))
        var out = [UInt8](repeating: 0, count: 4096)
        let error = Self.error { _ = try out.withUnsafeMutableBytes { try source.read(into: $0) } }
        #expect(error?.kind == .io, "\(String(describing: error))")
        #expect(error?.path == folder)
        #expect(error?.errno == EISDIR)
    }

    /// The same hint in an LZ4 stream.
    @Test func failedHintReadInLZ4IsAnIOError() throws {
        let folder = try Scratch.folder("readfail")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = try LZ4FrameSource(input: FileInput(fd: try FileDescriptor(opening: folder, .read), path: folder), bufferSize: 4096,
                                        consumed: Array("not an lz4 frame at all".utf8))
        var out = [UInt8](repeating: 0, count: 4096)
        let error = Self.error { _ = try out.withUnsafeMutableBytes { try source.read(into: $0) } }
        #expect(error?.kind == .io, "\(String(describing: error))")
        #expect(error?.path == folder)
        #expect(error?.errno == EISDIR)
    }
}
