import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord

/// Randomised damage (bit flips, truncation, insertion, overwrite) of valid files: the reader
/// never crashes, hangs or reads out of bounds; strict mode returns an intact prefix and then
/// either ends or throws a typed error; recovery mode returns only intact records, in order.
@Suite(.timeLimit(.minutes(2))) struct MutationTests {
    enum Mutation: CaseIterable { case flipBit, truncate, insert, overwrite, duplicateRange }

    static func originalRecords(_ rng: inout SplitMix) -> [[UInt8]] {
        (0..<40).map { i in
            let length = [0, 1, 7, 12, 16, 100, 1000, 5000][Int(rng.next() % 8)]
            return (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) } + (length > 0 ? [UInt8(i)] : [])
        }
    }

    static func framed(_ records: [[UInt8]]) throws -> [UInt8] {
        let path = Scratch.path("m")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try RecordWriter(path: path)
        for r in records { try writer.write(r) }
        try writer.close()
        return try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func mutate(_ bytes: [UInt8], _ mutation: Mutation, _ rng: inout SplitMix) -> [UInt8] {
        var out = bytes
        let at = Int(rng.next() % UInt64(max(1, bytes.count)))
        switch mutation {
        case .flipBit:
            out[at] ^= UInt8(1 << (rng.next() % 8))
        case .truncate:
            out.removeSubrange(at...)
        case .insert:
            let n = Int(rng.next() % 40) + 1
            out.insert(contentsOf: (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
        case .overwrite:
            let n = min(Int(rng.next() % 64) + 1, out.count - at)
            for i in 0..<n { out[at + i] = UInt8(truncatingIfNeeded: rng.next()) }
        case .duplicateRange:
            let n = min(Int(rng.next() % 200) + 1, out.count - at)
            out.insert(contentsOf: out[at..<(at + n)], at: at)
        }
        return out
    }

    /// Whether `sub` appears in `whole` in order (a subsequence).
    static func isSubsequence(_ sub: [[UInt8]], of whole: [[UInt8]]) -> Bool {
        var i = whole.startIndex
        for item in sub {
            guard let found = whole[i...].firstIndex(of: item) else { return false }
            i = found + 1
        }
        return true
    }

    static func readStrict(_ path: String, useMap: Bool) -> ([[UInt8]], TFRecordError?) {
        var records: [[UInt8]] = []
        do {
            let reader = try RecordReader(path: path, options: ReadOptions(compression: Compression.none, useMemoryMap: useMap, bufferSize: 256))
            while let record = try reader.next() { records.append(record) }
            return (records, nil)
        } catch let error as TFRecordError {
            return (records, error)
        } catch {
            Issue.record("not a TFRecordError: \(error)")
            return (records, nil)
        }
    }

    @Test(arguments: Mutation.allCases)
    func readersSurviveMutations(_ mutation: Mutation) throws {
        var rng = SplitMix(state: 0x5EED ^ UInt64(Mutation.allCases.firstIndex(of: mutation)!))
        let originals = Self.originalRecords(&rng)
        let valid = try Self.framed(originals)
        let path = Scratch.path("mut")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for round in 0..<150 {
            let damaged = Self.mutate(valid, mutation, &rng)
            try Data(damaged).write(to: URL(fileURLWithPath: path))
            for useMap in [true, false] {
                // Strict: an intact prefix, then the end or a typed error.
                let (strict, failure) = Self.readStrict(path, useMap: useMap)
                if let error = failure {
                    #expect(error.kind == .corrupted || error.kind == .truncated, "round \(round): \(error)")
                    #expect(error.offset != nil && error.path == path, "round \(round): \(error)")
                }
                let strictOK = Self.isSubsequence(strict, of: originals)
                #expect(strictOK, "round \(round) \(mutation): strict mode returned a record that was never written")
                // Recovery: only intact records, in order; never an error for framing damage.
                let reader = try RecordReader(path: path, options: ReadOptions(compression: Compression.none, useMemoryMap: useMap, bufferSize: 256, skipCorrupt: true))
                let recovered = try reader.allRecords()
                // A duplicated range may legitimately hold whole records twice.
                let recoveredOK = mutation == .duplicateRange
                    ? recovered.allSatisfy { originals.contains($0) }
                    : Self.isSubsequence(recovered, of: originals)
                #expect(recoveredOK, "round \(round) \(mutation): recovery returned a record that was never written")
                #expect(recovered.count >= strict.count, "round \(round) \(mutation): recovery lost records strict mode had")
                if damaged == valid { #expect(recovered.count == originals.count) }
            }
        }
    }

    @Test func singleBitFlipLosesAtMostOneRecord() throws {
        var rng = SplitMix(state: 42)
        let originals = Self.originalRecords(&rng)
        let valid = try Self.framed(originals)
        let path = Scratch.path("flip")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for _ in 0..<200 {
            let damaged = Self.mutate(valid, .flipBit, &rng)
            try Data(damaged).write(to: URL(fileURLWithPath: path))
            let reader = try RecordReader(path: path, options: ReadOptions(skipCorrupt: true))
            let recovered = try reader.allRecords()
            #expect(recovered.count >= originals.count - 1)
            #expect(reader.skippedRanges.count == 1)
        }
    }
}
