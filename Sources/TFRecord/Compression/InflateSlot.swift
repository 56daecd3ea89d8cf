import CSupport
import Dispatch
/// One member being decompressed: its compressed bytes, its output, its decompressor. Each slot
/// is touched by one worker at a time (the batch hands slot `i` to iteration `i`).
final class InflateSlot: @unchecked Sendable {
    var input = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    var inputCount = 0
    var output = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    var outputCount = 0
    var memberOffset: UInt64 = 0
    var ok = false
    let inflater: IsalInflater

    init() throws(TFRecordError) {
        inflater = try IsalInflater(zlib: false)
    }

    deinit {
        if input.baseAddress != nil { input.deallocate() }
        if output.baseAddress != nil { output.deallocate() }
    }

    static func ensure(_ buffer: inout UnsafeMutableRawBufferPointer, _ count: Int) {
        if buffer.count < count {
            if buffer.baseAddress != nil { buffer.deallocate() }
            buffer = .allocate(byteCount: max(count, 64), alignment: 16)
        }
    }

    /// Inflates the whole member with igzip, checking its CRC-32 and size.
    func decompress() {
        inflater.reset()
        let r = inflater.inflate(UnsafeRawBufferPointer(rebasing: input[..<inputCount]),
                                 into: UnsafeMutableRawBufferPointer(rebasing: output[..<outputCount]))
        ok = r.status == 0 && r.finished && r.consumed == inputCount && r.produced == outputCount
    }
}
