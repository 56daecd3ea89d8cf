import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// Every public way to read records × every compression × sidecar present / absent / stale
/// gives the records written, byte for byte, or (for a reader that cannot random-access a
/// compression) one clear, asserted error — never a wrong record.
///
/// A reader added later joins the matrix with one line in `ReadMatrix.readers`; a compression
/// with one line in `ReadMatrix.encodings`.
@Suite struct ReadMatrixTests {
    @Test(arguments: ReadMatrix.encodings, ReadMatrix.SidecarState.allCases)
    func everyReaderGivesTheRecordsWritten(_ encoding: ReadMatrix.Encoding, _ sidecar: ReadMatrix.SidecarState) throws {
        let fixture = try ReadMatrix.Fixture(encoding, sidecar)
        defer { fixture.remove() }
        // The fixture is what it says: a sidecar that matches, none, or one that is stale.
        let sidecarPath = RecordIndex.sidecarPath(for: fixture.path)
        switch sidecar {
        case .present: #expect(try RecordIndex.load(from: sidecarPath).staleness(againstShardAt: fixture.path) == nil)
        case .absent: #expect(!FileManager.default.fileExists(atPath: sidecarPath))
        case .stale: #expect(try RecordIndex.load(from: sidecarPath).staleness(againstShardAt: fixture.path) != nil)
        }
        for reader in ReadMatrix.readers {
            let expected = reader.expectation(encoding)
            let outcome = ReadMatrix.Outcome { try reader.read(fixture) }
            switch expected {
            case .records:
                let want = reader.wanted(fixture)
                guard case .records(let got) = outcome else {
                    Issue.record("\(reader.name) on \(encoding.name), sidecar \(sidecar): \(outcome)")
                    continue
                }
                #expect(got.count == want.count, "\(reader.name) on \(encoding.name), sidecar \(sidecar)")
                for (g, w) in zip(got, want) where g != w {
                    Issue.record("\(reader.name) on \(encoding.name), sidecar \(sidecar): record \(w.number) differs (got \(g.number), \(g.bytes.count) bytes; want \(w.bytes.count) bytes)")
                    break
                }
            case .refused(let kind, let saying):
                guard case .failed(let error) = outcome else {
                    Issue.record("\(reader.name) on \(encoding.name), sidecar \(sidecar) should refuse with \(kind), got \(outcome)")
                    continue
                }
                #expect(error.kind == kind, "\(reader.name) on \(encoding.name): \(error)")
                #expect(error.description.contains(saying), "\(reader.name) on \(encoding.name): \(error)")
                #expect(error.path == fixture.path, "\(reader.name) on \(encoding.name): \(error)")
            }
        }
    }
}

/// The library readers of the matrix.
extension ReadMatrix {
    /// What a reader did.
    enum Outcome: CustomStringConvertible {
        case records([Delivered])
        case failed(TFRecordError)
        case other(String)

        init(_ body: () throws -> [Delivered]) {
            do { self = .records(try body()) } catch let error as TFRecordError { self = .failed(error) } catch { self = .other("\(error)") }
        }

        var description: String {
            switch self {
            case .records(let r): "\(r.count) records"
            case .failed(let e): "error: \(e)"
            case .other(let s): "unexpected error: \(s)"
            }
        }
    }

    /// What a reader must do with an encoding.
    enum Expectation {
        /// Deliver the records asked for, byte for byte.
        case records
        /// Refuse at once with this kind of error, saying this.
        case refused(TFRecordError.Kind, saying: String)
    }

    /// One public way to read records.
    struct Reader: Sendable {
        let name: String
        /// Needs random access (an index with inflate checkpoints for a compressed file).
        let randomAccess: Bool
        /// Which records, in which order, it delivers.
        let order: @Sendable (Fixture) -> [Int]
        let read: @Sendable (Fixture) throws -> [Delivered]

        init(_ name: String, randomAccess: Bool, order: @escaping @Sendable (Fixture) -> [Int] = { Array(0..<$0.payloads.count) },
             _ read: @escaping @Sendable (Fixture) throws -> [Delivered]) {
            self.name = name
            self.randomAccess = randomAccess
            self.order = order
            self.read = read
        }

        func expectation(_ encoding: Encoding) -> Expectation {
            randomAccess && !encoding.randomAccess
                ? .refused(.invalidArgument, saying: "needs an index with inflate checkpoints")
                : .records
        }

        func wanted(_ fixture: Fixture) -> [Delivered] {
            order(fixture).map { Delivered(number: $0, bytes: fixture.payloads[$0]) }
        }
    }

    static func copy(_ span: RawSpan) -> [UInt8] { span.withUnsafeBytes { [UInt8]($0) } }

    static func sequential(_ fixture: Fixture, map: Bool, _ body: (RecordReader, inout [Delivered]) throws -> Void) throws -> [Delivered] {
        let reader = try RecordReader(path: fixture.path, options: ReadOptions(useMemoryMap: map))
        var out: [Delivered] = []
        try body(reader, &out)
        return out
    }

    static func dataset(_ fixture: Fixture) throws -> Dataset { try Dataset(paths: [fixture.path]) }

    /// The fixture as a stored object (`StoredObject`, chunks of 333 bytes) and its index built
    /// from the object.
    static func object(_ fixture: Fixture) throws -> RecordFile {
        let object = try MemoryObject(path: fixture.path, chunkSize: 333)
        return try RecordFile(object: object, index: RecordIndex.build(object: object, verifyingChecksums: true))
    }

    /// Every public way to read records, one line each.
    static let readers: [Reader] = [
        Reader("RecordReader.forEachRecord (map)", randomAccess: false) { f in
            try sequential(f, map: true) { r, out in try r.forEachRecord { n, p in out.append(Delivered(number: n, bytes: copy(p))) } }
        },
        Reader("RecordReader.forEachRecord (read)", randomAccess: false) { f in
            try sequential(f, map: false) { r, out in try r.forEachRecord { n, p in out.append(Delivered(number: n, bytes: copy(p))) } }
        },
        Reader("RecordReader.next() (map)", randomAccess: false) { f in
            try sequential(f, map: true) { r, out in while let p = try r.next() { out.append(Delivered(number: out.count, bytes: p)) } }
        },
        Reader("RecordReader.next() (read)", randomAccess: false) { f in
            try sequential(f, map: false) { r, out in while let p = try r.next() { out.append(Delivered(number: out.count, bytes: p)) } }
        },
        Reader("RecordReader.next(body) (map)", randomAccess: false) { f in
            try sequential(f, map: true) { r, out in while let p = try r.next({ copy($0) }) { out.append(Delivered(number: out.count, bytes: p)) } }
        },
        Reader("RecordReader.allRecords (map)", randomAccess: false) { f in
            try sequential(f, map: true) { r, out in out = try r.allRecords().enumerated().map { Delivered(number: $0, bytes: $1) } }
        },
        Reader("RecordReader.allRecords (read)", randomAccess: false) { f in
            try sequential(f, map: false) { r, out in out = try r.allRecords().enumerated().map { Delivered(number: $0, bytes: $1) } }
        },
        Reader("RecordFile.record(at:)", randomAccess: true, order: { $0.shuffled }) { f in
            let file = try RecordFile(path: f.path)
            return try f.shuffled.map { Delivered(number: $0, bytes: try file.record(at: $0)) }
        },
        Reader("RecordFile.withRecord(at:)", randomAccess: true, order: { $0.shuffled }) { f in
            let file = try RecordFile(path: f.path)
            return try f.shuffled.map { i in Delivered(number: i, bytes: try file.withRecord(at: i) { copy($0) }) }
        },
        Reader("RecordFile.forEachRecord(at:)", randomAccess: true, order: { $0.shuffled }) { f in
            let file = try RecordFile(path: f.path)
            var out: [Delivered] = []
            try file.forEachRecord(at: f.shuffled) { n, p in out.append(Delivered(number: n, bytes: copy(p))) }
            return out
        },
        Reader("RecordReader(object:).forEachRecord", randomAccess: false) { f in
            let reader = try RecordReader(object: try MemoryObject(path: f.path, chunkSize: 333))
            var out: [Delivered] = []
            try reader.forEachRecord { n, p in out.append(Delivered(number: n, bytes: copy(p))) }
            return out
        },
        Reader("RecordFile(object:).record(at:)", randomAccess: true, order: { $0.shuffled }) { f in
            let file = try object(f)
            return try f.shuffled.map { Delivered(number: $0, bytes: try file.record(at: $0)) }
        },
        Reader("RecordFile(object:).forEachRecord(at:)", randomAccess: true, order: { $0.shuffled }) { f in
            let file = try object(f)
            var out: [Delivered] = []
            try file.forEachRecord(at: f.shuffled) { n, p in out.append(Delivered(number: n, bytes: copy(p))) }
            return out
        },
        Reader("Dataset(names:opening:).forEachRecord(at: order(seed:))", randomAccess: true,
               order: { f in Array(RecordOrder(count: f.payloads.count, seed: 11, worker: 0, of: 1)) }) { f in
            let file = try object(f)
            let d = Dataset(names: [file.path], recordCounts: [file.count], opening: { _ in file })
            var out: [Delivered] = []
            try d.forEachRecord(at: d.order(seed: 11)) { n, p in out.append(Delivered(number: n, bytes: copy(p))) }
            return out
        },
        Reader("Dataset.record(at:)", randomAccess: true, order: { $0.shuffled }) { f in
            let d = try dataset(f)
            return try f.shuffled.map { Delivered(number: $0, bytes: try d.record(at: $0)) }
        },
        Reader("Dataset.withRecord(at:)", randomAccess: true, order: { $0.shuffled }) { f in
            let d = try dataset(f)
            return try f.shuffled.map { i in Delivered(number: i, bytes: try d.withRecord(at: i) { copy($0) }) }
        },
        Reader("Dataset.forEachRecord(at: order(seed:))", randomAccess: true,
               order: { f in Array(RecordOrder(count: f.payloads.count, seed: 11, worker: 0, of: 1)) }) { f in
            let d = try dataset(f)
            var out: [Delivered] = []
            try d.forEachRecord(at: d.order(seed: 11)) { n, p in out.append(Delivered(number: n, bytes: copy(p))) }
            return out
        },
        Reader("Dataset.forEachRecord(at: order(seed:worker:of:))", randomAccess: true,
               order: { f in Array(RecordOrder(count: f.payloads.count, seed: 11, worker: 1, of: 3)) }) { f in
            let d = try dataset(f)
            var out: [Delivered] = []
            try d.forEachRecord(at: d.order(seed: 11, worker: 1, of: 3)) { n, p in out.append(Delivered(number: n, bytes: copy(p))) }
            return out
        },
    ]
}
