import CSupport
import Dispatch
/// One block in flight: its uncompressed records, its compressed member, its compressor.
/// Each slot is touched by one worker at a time (the batch hands slot `i` to iteration `i`).
final class BlockSlot: @unchecked Sendable {
    var input: UnsafeMutableRawBufferPointer
    var count = 0
    var output = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    var outputCount = 0
    var failure: TFRecordError?
    let compressor: BlockCompressor

    init(capacity: Int, compressor: BlockCompressor) {
        input = .allocate(byteCount: max(capacity, 64), alignment: 16)
        self.compressor = compressor
    }

    deinit {
        input.deallocate()
        if output.baseAddress != nil { output.deallocate() }
    }

    /// Appends `bytes`, growing the buffer when a record is larger than the block.
    func append(_ bytes: UnsafeRawBufferPointer) {
        if count + bytes.count > input.count {
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: max(input.count * 2, count + bytes.count), alignment: 16)
            bigger.baseAddress!.copyMemory(from: input.baseAddress!, byteCount: count)
            input.deallocate()
            input = bigger
        }
        if !bytes.isEmpty { (input.baseAddress! + count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
        count += bytes.count
    }

    /// Compresses the block into `output`.
    func compress() {
        let bound = compressor.bound(count)
        if output.count < bound {
            if output.baseAddress != nil { output.deallocate() }
            output = .allocate(byteCount: bound, alignment: 16)
        }
        do {
            outputCount = try compressor.compress(UnsafeRawBufferPointer(rebasing: input[..<count]), into: output)
        } catch {
            failure = error
        }
    }
}
