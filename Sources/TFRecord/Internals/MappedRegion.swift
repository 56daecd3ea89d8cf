import CSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The one owner of a read-only memory map: it maps a file at init and unmaps it at deinit.
///
/// Unsafe boundary: `bytes` points into the map and is valid only while this value lives. Only
/// the library's record file and index types hold a region, and they hand out spans or copies
/// whose lifetime is tied to themselves.
@safe
struct MappedRegion: ~Copyable, @unchecked Sendable {
    /// The mapped bytes; empty (and not mapped) for an empty file.
    let bytes: UnsafeRawBufferPointer

    /// How the map will be read, passed to `madvise`.
    enum Advice {
        case sequential, random, normal
    }

    /// Maps the first `count` bytes of `fd` read-only.
    /// - Throws: `TFRecordError.io` when `mmap` fails.
    init(fd: Int32, count: Int, path: String) throws(TFRecordError) {
        guard count > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let address = mmap(nil, count, PROT_READ, MAP_SHARED, fd, 0)
        guard let address, address != MAP_FAILED else {
            throw TFRecordError(.io, "cannot map file", path: path, errno: Glibc.errno)
        }
        bytes = UnsafeRawBufferPointer(start: address, count: count)
    }

    /// Tells the kernel how the map will be read (read-ahead and page cache policy).
    func advise(_ advice: Advice) {
        guard let base = bytes.baseAddress else { return }
        let flag: Int32
        switch advice {
        case .sequential: flag = MADV_SEQUENTIAL
        case .random: flag = MADV_RANDOM
        case .normal: flag = MADV_NORMAL
        }
        _ = madvise(UnsafeMutableRawPointer(mutating: base), bytes.count, flag)
    }

    /// Asks the kernel to map `[offset, offset+count)` now (`MADV_POPULATE_READ`, Linux 5.14+;
    /// `MADV_WILLNEED` before that), so a scan does not pay one page fault per 4 KiB.
    func prefetch(offset: Int, count: Int) {
        guard let base = bytes.baseAddress, count > 0 else { return }
        let page = 4096
        let start = offset & ~(page - 1)
        let end = min(bytes.count, offset + count)
        guard end > start else { return }
        let address = UnsafeMutableRawPointer(mutating: base + start)
        if madvise(address, end - start, MappedRegion.populateRead) != 0 {
            _ = madvise(address, end - start, MADV_WILLNEED)
        }
    }

    /// `MADV_POPULATE_READ` (not in older headers).
    static let populateRead: Int32 = 22

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }
}
