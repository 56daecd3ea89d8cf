import CSupport
/// What an index remembers about the shard it was built from, to tell a stale index from a
/// valid one: the shard's size, its modification time and a fingerprint of its bytes.
///
/// The fingerprint is the CRC32C of the first 64 KiB and the last 64 KiB of the shard (the
/// whole shard when it is smaller than 128 KiB) followed by its size as 8 little-endian bytes.
/// Together with the size and the modification time it catches a shard that was truncated,
/// appended to, replaced, or rewritten with the same size. It cannot see a change confined to
/// the middle of a shard larger than 128 KiB made while keeping both the size and the
/// nanosecond modification time (for example `touch -r` after an in-place edit); such a change
/// is still caught at read time whenever it moves a record boundary, because every read checks
/// the record's header CRC and its framed length against the next offset.
public struct ShardIdentity: Sendable, Equatable, CustomStringConvertible {
    /// Size of the shard file in bytes.
    public var size: UInt64
    /// Modification time of the shard, in nanoseconds since the Unix epoch.
    public var modificationTime: Int64
    /// CRC32C of the first and last 64 KiB of the shard and its size.
    public var fingerprint: UInt32

    /// Bytes read at each end of the shard for the fingerprint.
    public static let fingerprintSpan = 64 << 10

    /// Creates an identity from its parts.
    public init(size: UInt64, modificationTime: Int64, fingerprint: UInt32) {
        self.size = size
        self.modificationTime = modificationTime
        self.fingerprint = fingerprint
    }

    /// `size=… mtime=… fingerprint=…`.
    public var description: String {
        "size=\(size) mtime=\(modificationTime) fingerprint=\(String(fingerprint, radix: 16))"
    }

    /// The identity of the shard at `path` as it is now.
    /// - Parameter path: the shard file.
    /// - Returns: its size, modification time and fingerprint.
    /// - Throws: `TFRecordError.io` when the file cannot be opened or read.
    /// - Complexity: O(1): at most 128 KiB are read.
    public static func of(path: String) throws(TFRecordError) -> ShardIdentity {
        let descriptor = try FileDescriptor(opening: path, .read)
        let fd = descriptor.raw
        return try of(fd: fd, path: path)
    }

    /// The identity of a stored object as it is now: its size and fingerprint (the same bytes
    /// as a local file's), and modification time 0 (an object's time is not a file's; indexes of
    /// objects are compared by size and fingerprint only).
    /// - Parameter object: the shard.
    /// - Returns: its identity.
    /// - Throws: `TFRecordError.io` when the object cannot be read.
    /// - Complexity: one read of the first 64 KiB and, for objects larger than that, one of the last.
    public static func of(object: any StoredObject) throws(TFRecordError) -> ShardIdentity {
        let size = object.byteCount
        let span = UInt64(fingerprintSpan)
        let head = min(span, size)
        func extend(_ crc: UInt32, _ bytes: [UInt8]) -> UInt32 {
            bytes.withUnsafeBytes { csupport_crc32c_extend(crc, $0.baseAddress, $0.count) }
        }
        var crc = extend(0, try object.bytes(in: 0..<head))
        let tail = min(span, size - head)
        if tail > 0 { crc = extend(crc, try object.bytes(in: size - tail ..< size)) }
        var sizeLE = size.littleEndian
        let fingerprint = withUnsafeBytes(of: &sizeLE) { csupport_crc32c_extend(crc, $0.baseAddress, 8) }
        return ShardIdentity(size: size, modificationTime: 0, fingerprint: fingerprint)
    }

    /// The identity of the open file `fd`.
    static func of(fd: Int32, path: String) throws(TFRecordError) -> ShardIdentity {
        let (size, mtime) = try fileStatus(fd: fd, path: path)
        return ShardIdentity(size: size, modificationTime: mtime,
                             fingerprint: try fingerprint(fd: fd, size: size, path: path))
    }

    /// Size and modification time (ns) of the open file `fd`.
    static func fileStatus(fd: Int32, path: String) throws(TFRecordError) -> (size: UInt64, mtime: Int64) {
        let status = try SystemCalls.status(fd, path: path)
        if status.isDirectory {
            throw TFRecordError(.io, "is a directory", path: path, errno: SystemCalls.Code.isDirectory)
        }
        return (status.size, status.modificationTime)
    }

    /// Size and modification time (ns) of the file at `path`, without opening it.
    static func fileStatus(path: String) throws(TFRecordError) -> (size: UInt64, mtime: Int64) {
        let status = try SystemCalls.status(path: path)
        return (status.size, status.modificationTime)
    }

    /// The fingerprint of the first `size` bytes of `fd`.
    static func fingerprint(fd: Int32, size: UInt64, path: String) throws(TFRecordError) -> UInt32 {
        let span = fingerprintSpan
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: span, alignment: 16)
        defer { buffer.deallocate() }
        var crc: UInt32 = 0
        let head = Int(min(UInt64(span), size))
        crc = try extend(crc, fd: fd, at: 0, count: head, buffer: buffer, path: path)
        let tail = Int(min(UInt64(span), size - UInt64(head)))
        crc = try extend(crc, fd: fd, at: Int(size) - tail, count: tail, buffer: buffer, path: path)
        var sizeLE = size.littleEndian
        return withUnsafeBytes(of: &sizeLE) { csupport_crc32c_extend(crc, $0.baseAddress, 8) }
    }

    private static func extend(_ crc: UInt32, fd: Int32, at offset: Int, count: Int,
                               buffer: UnsafeMutableRawBufferPointer, path: String) throws(TFRecordError) -> UInt32 {
        guard count > 0 else { return crc }
        var done = 0
        while done < count {
            let n = try SystemCalls.pread(fd, UnsafeMutableRawBufferPointer(rebasing: buffer[done..<count]),
                                          at: offset + done, path: path)
            if n == 0 {
                throw TFRecordError(.io, "file shrank while being fingerprinted", path: path, errno: SystemCalls.Code.io)
            }
            done += n
        }
        return csupport_crc32c_extend(crc, buffer.baseAddress, count)
    }

    /// Why `self` (the identity an index recorded) does not describe `current`, or nil when it does.
    func mismatch(with current: ShardIdentity) -> String? {
        if size != current.size {
            return current.size < size
                ? "the shard shrank from \(size) to \(current.size) bytes (truncated?)"
                : "the shard grew from \(size) to \(current.size) bytes (appended to?)"
        }
        if modificationTime != current.modificationTime {
            return "the shard was modified after the index was built (same size, new modification time)"
        }
        if fingerprint != current.fingerprint {
            return "the shard's content changed (same size and time, different fingerprint)"
        }
        return nil
    }
}
