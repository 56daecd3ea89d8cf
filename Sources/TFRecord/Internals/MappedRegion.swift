import CSupport
/// The one owner of a read-only memory map: it maps a file at init and unmaps it at deinit.
///
/// Unsafe boundary: `bytes` points into the map and is valid only while this value lives. Only
/// the library's record file and index types hold a region, and they hand out spans or copies
/// whose lifetime is tied to themselves.
@safe
struct MappedRegion: ~Copyable, @unchecked Sendable {
    /// The mapped bytes; empty (and not mapped) for an empty file.
    let bytes: UnsafeRawBufferPointer

    /// Maps the first `count` bytes of `fd` read-only.
    /// - Throws: `TFRecordError.io` when `mmap` fails.
    init(fd: Int32, count: Int, path: String) throws(TFRecordError) {
        guard count > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        bytes = UnsafeRawBufferPointer(start: try SystemCalls.mapReadOnly(fd, count: count, path: path), count: count)
    }

    /// Tells the kernel how the map will be read (read-ahead and page cache policy).
    func advise(_ advice: SystemCalls.Advice) {
        guard let base = bytes.baseAddress else { return }
        SystemCalls.advise(base, bytes.count, advice)
    }

    /// Asks the kernel to map `[offset, offset+count)` now (`MADV_POPULATE_READ`, Linux 5.14+;
    /// `MADV_WILLNEED` before that), so a scan does not pay one page fault per 4 KiB.
    func prefetch(offset: Int, count: Int) {
        guard let base = bytes.baseAddress, count > 0 else { return }
        let page = 4096
        let start = offset & ~(page - 1)
        let end = min(bytes.count, offset + count)
        guard end > start else { return }
        SystemCalls.advise(base + start, end - start, .populate)
    }

    deinit {
        if let base = bytes.baseAddress {
            SystemCalls.unmap(base, bytes.count)
        }
    }
}
