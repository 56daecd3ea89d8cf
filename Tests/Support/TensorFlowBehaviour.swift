import Foundation
import Testing
@testable import TFRecord

/// What TensorFlow did with a damaged file (from the manifest) and the check that we behave the
/// same in strict mode, or better where TensorFlow is silent, loses data or crashes.
struct TensorFlowBehaviour {
    let yieldedSHA256: [String]?
    let errorType: String?
    let errorMessage: String?
    let crashed: Bool

    init?(_ file: Manifest.File) {
        guard let tf = file.tfBehaviour() else { return nil }
        yieldedSHA256 = tf["yielded_sha256"] as? [String]
        errorType = tf["error_type"] as? String
        errorMessage = tf["error_message"] as? String
        crashed = tf["crashed"] as? Bool ?? false
    }

    /// Checks our strict-mode result against TensorFlow's.
    /// - Parameters:
    ///   - yielded: sha256 of the records we delivered before stopping.
    ///   - error: what we threw (nil when we read to the end without complaint).
    ///   - damaged: whether the file really holds damage (every `corrupt/` file does).
    func check(yielded: [String], error: TFRecordError?, file: Manifest.File, damaged: Bool = true,
               sourceLocation: SourceLocation = #_sourceLocation) {
        if crashed {
            // TensorFlow died (SIGSEGV); we must report the damage after the intact prefix.
            #expect(error != nil, "\(file): TF crashed; we must report an error", sourceLocation: sourceLocation)
            return
        }
        #expect(yielded == yieldedSHA256, "\(file): yielded records differ from TensorFlow's", sourceLocation: sourceLocation)
        guard let errorType else {
            // TensorFlow was silent. Where the file is damaged we do better and say so.
            if damaged {
                #expect(error != nil, "\(file): TF is silent here but the file is damaged; we must report it", sourceLocation: sourceLocation)
            }
            return
        }
        guard let error else {
            Issue.record("\(file): TF raised \(errorType): \(errorMessage ?? ""), we raised nothing", sourceLocation: sourceLocation)
            return
        }
        let message = errorMessage ?? ""
        if errorType == "DataLossError" {
            if message.hasPrefix("corrupted record at") {
                #expect(error.kind == .corrupted, "\(file): \(error)", sourceLocation: sourceLocation)
                #expect(error.tensorFlowMessage == message, "\(file): \(error)", sourceLocation: sourceLocation)
            } else if message.hasPrefix("truncated record at") {
                #expect(error.kind == .truncated, "\(file): \(error)", sourceLocation: sourceLocation)
                #expect(message.hasPrefix(error.tensorFlowMessage ?? "-"), "\(file): \(error) vs TF \(message)", sourceLocation: sourceLocation)
            } else if message.hasPrefix("record size too large") {
                #expect(error.kind == .corrupted, "\(file): \(error)", sourceLocation: sourceLocation)
                #expect(error.detail.hasPrefix("record size too large"), "\(file): \(error)", sourceLocation: sourceLocation)
            } else if message.contains("inflate()") {
                #expect(error.kind == .compression, "\(file): \(error)", sourceLocation: sourceLocation)
            } else {
                Issue.record("\(file): unrecognised TF message \(message); we said \(error)", sourceLocation: sourceLocation)
            }
        }
        // Other TF errors (InvalidArgumentError on a forged 2^63-1 length): any typed error is
        // an improvement; the kind is ours to choose (documented in docs/RELIABILITY.md).
    }
}

/// The records of a damaged file that are still intact, per the manifest: those that lie wholly
/// inside the (uncompressed) stream and are not the damaged record.
func intactSourceRecords(_ file: Manifest.File) -> [String] {
    guard let source = file.sourceRecords, let corruption = file.corruption else { return [] }
    let offsets = (source["record_offsets"] as! [NSNumberLike]).map { $0.uint64 }
    let lengths = (source["record_lengths"] as! [NSNumberLike]).map { $0.uint64 }
    let hashes = source["record_sha256"] as! [String]
    let size = (corruption["uncompressed_size"] as? NSNumberLike)?.uint64 ?? UInt64.max
    let damaged = (corruption["record_index"] as? NSNumberLike).map { Int($0.uint64) }
    return hashes.indices.filter { i in
        offsets[i] + 16 + lengths[i] <= size && i != damaged
    }.map { hashes[$0] }
}
