import CSupport
import Dispatch
/// A batch of members read and inflated together, on a worker, while the reader delivers the
/// previous batch. Handed between the reader and one worker through a semaphore: never touched
/// by both at once.
final class InflateBatch: @unchecked Sendable {
    let slots: [InflateSlot]
    /// Members read into the slots.
    var count = 0
    /// Leading members inflated intact.
    var good = 0
    /// The compressed offset after the last member read.
    var endOffset: UInt64 = 0
    /// Reading stopped before the end of the file (a member without the size subfield, too
    /// large, cut short) or a member did not inflate: the streaming reader takes over there.
    var stopped = false
    var failure: TFRecordError?

    init(slots: [InflateSlot]) { self.slots = slots }

    /// Where the streaming reader must take over after the good members.
    var stopOffset: UInt64 { good < count ? slots[good].memberOffset : endOffset }

    /// Reads up to `slots.count` members of `file` from `offset` (positioned reads) and inflates
    /// them in parallel.
    func decode(_ file: any ByteInput, fileSize: UInt64, from offset: UInt64) {
        count = 0
        good = 0
        stopped = false
        failure = nil
        var next = offset
        var header = [UInt8](repeating: 0, count: BlockedGzipFormat.headerSize)
        do throws(TFRecordError) {
            while count < slots.count && next < fileSize {
                var n = 0
                var readFailure: TFRecordError?
                header.withUnsafeMutableBytes { h in
                    do throws(TFRecordError) { n = try file.read(into: h, at: next) } catch { readFailure = error }
                }
                if let readFailure { throw readFailure }
                guard n == header.count,
                      let size = header.withUnsafeBytes({ BlockedGzipFormat.memberSize(header: $0) }),
                      size <= fileSize - next, size <= UInt64(BlockedGzipSource.maximumMember) else {
                    stopped = true
                    break
                }
                let slot = slots[count]
                InflateSlot.ensure(&slot.input, Int(size))
                let got = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: slot.input[..<Int(size)]), at: next)
                let isize = Int(UInt32(littleEndian: UnsafeRawPointer(slot.input.baseAddress! + Int(size) - 4).loadUnaligned(as: UInt32.self)))
                guard got == Int(size), isize <= BlockedGzipSource.maximumMember else {
                    stopped = true
                    break
                }
                InflateSlot.ensure(&slot.output, isize)
                slot.inputCount = Int(size)
                slot.outputCount = isize
                slot.memberOffset = next
                next += size
                count += 1
            }
        } catch {
            failure = error
        }
        endOffset = next
        let slots = self.slots
        if count == 1 {
            slots[0].decompress()
        } else if count > 1 {
            DispatchQueue.concurrentPerform(iterations: count) { i in slots[i].decompress() }
        }
        while good < count && slots[good].ok { good += 1 }
        if good < count { stopped = true }
    }
}
