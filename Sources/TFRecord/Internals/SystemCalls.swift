import CSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Thin wrappers over the POSIX calls the library makes: each retries `EINTR` in one place and
/// turns failures into `TFRecordError.io` naming the path.
///
/// The only file of the package that names the C library (as swift-system's `Syscalls.swift`):
/// a port to another system (macOS: `getauxval` in the C target becomes `sysctlbyname`,
/// `MADV_POPULATE_READ` has no equivalent and falls back to `MADV_WILLNEED`, `glob` and `stat`
/// field names differ) changes this file and `CSupport`, nothing else.
package enum SystemCalls {
    /// `open(2)` flags the library uses.
    package enum OpenMode {
        /// Read only.
        case read
        /// Read only, never blocking in `open` (a FIFO planted where a side file such as a
        /// sidecar index is expected would otherwise block until a writer comes); the caller
        /// checks that it opened a regular file.
        case readSideFile
        /// Write, creating or truncating (non-blocking, so a FIFO with no reader fails at once
        /// instead of hanging; callers check the result is a regular file).
        case createOrTruncate
        /// Write a new file; fail if anything exists at the path (a link included).
        case createNew

        var flags: Int32 {
            switch self {
            case .read: O_RDONLY
            case .readSideFile: O_RDONLY | O_NONBLOCK
            case .createOrTruncate: O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK
            case .createNew: O_WRONLY | O_CREAT | O_EXCL | O_TRUNC | O_NOFOLLOW
            }
        }
    }

    /// The errno values the library reports itself.
    package enum Code {
        /// The file changed under an open map.
        package static let stale = ESTALE
        /// A directory where a file was expected.
        package static let isDirectory = EISDIR
        /// A generic I/O failure (a short read of a file that shrank).
        package static let io = EIO
        /// Nothing at the path.
        package static let noEntry = ENOENT
        /// The reader of a pipe went away.
        package static let brokenPipe = EPIPE
        /// Something already exists at the path (`O_EXCL`).
        package static let exists = EEXIST
        /// A path left the directory it was confined to (`openat2`'s `RESOLVE_BENEATH`).
        package static let escapes = EXDEV
        /// Too many links, or a link where none may be (`O_NOFOLLOW`).
        package static let linkLoop = ELOOP
    }

    // MARK: Process

    /// Makes a closed pipe and an exceeded file-size limit into write errors (`EPIPE`, `EFBIG`)
    /// instead of signals that end the process: what a command-line tool wants.
    package static func ignoreWriteSignals() {
        signal(SIGPIPE, SIG_IGN)
        signal(SIGXFSZ, SIG_IGN)
    }

    /// Makes SIGBUS — a mapped file truncated by another process while it is read — end the
    /// process with `status` and `message` on standard error instead of a crash report: what a
    /// command-line tool, whose contract is an exit code, wants. (The library's own readers keep
    /// the documented limitation; `ReadOptions.useMemoryMap = false` avoids it.)
    package static func exitOnBusError(_ message: String, status: Int32) {
        _ = csupport_exit_on_bus_error(message, status)
    }

    /// Ends the process with `status`.
    package static func exit(_ status: Int32) -> Never {
        Glibc.exit(status)
    }

    /// Whether `fd` is a terminal.
    package static func isTerminal(_ fd: Int32) -> Bool {
        isatty(fd) == 1
    }

    /// Seconds on a monotonic clock.
    package static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// The C library's message for `code` (`strerror`).
    package static func message(for code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// What `stat` says of a file.
    package struct Status {
        /// Size in bytes.
        package var size: UInt64
        /// Modification time in nanoseconds since 1970.
        package var modificationTime: Int64
        /// A directory.
        package var isDirectory: Bool { kind == .directory }
        /// A regular file.
        package var isRegular: Bool { kind == .regular }
        /// The device the file is on (`st_dev`).
        package var device: UInt64
        /// The file's number on its device (`st_ino`): with `device`, which file it is.
        package var inode: UInt64
        /// What sort of file it is.
        package var kind: FileKind

        init(_ st: stat) {
            size = UInt64(st.st_size)
            modificationTime = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
            device = UInt64(st.st_dev)
            inode = UInt64(st.st_ino)
            switch st.st_mode & S_IFMT {
            case S_IFREG: kind = .regular
            case S_IFDIR: kind = .directory
            case S_IFLNK: kind = .symbolicLink
            case S_IFCHR: kind = .characterDevice
            case S_IFBLK: kind = .blockDevice
            case S_IFIFO: kind = .fifo
            case S_IFSOCK: kind = .socket
            default: kind = .unknown
            }
        }

        /// Whether `other` is the same file (same device and inode).
        package func isSameFile(as other: Status) -> Bool {
            device == other.device && inode == other.inode
        }
    }

    /// The sorts of file `stat` tells apart.
    package enum FileKind: String, Sendable {
        case regular = "regular file"
        case directory
        case symbolicLink = "symbolic link"
        case characterDevice = "character device"
        case blockDevice = "block device"
        case fifo = "FIFO"
        case socket
        case unknown = "special file"
    }

    /// `fstat` of an open file.
    package static func status(_ fd: Int32, path: String) throws(TFRecordError) -> Status {
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw TFRecordError(.io, "cannot stat file", path: path, errno: Glibc.errno)
        }
        return Status(st)
    }

    /// `stat` of `path` (following links).
    package static func status(path: String) throws(TFRecordError) -> Status {
        var st = stat()
        while fstatat(AT_FDCWD, path, &st, 0) != 0 {
            if Glibc.errno == EINTR { continue }
            throw TFRecordError(.io, "cannot stat file", path: path, errno: Glibc.errno)
        }
        return Status(st)
    }

    /// `stat` of `path`, or nil when nothing is there (`ENOENT`, or a dangling link).
    /// - Throws: `.io` for any other failure.
    package static func statusIfExists(path: String) throws(TFRecordError) -> Status? {
        do throws(TFRecordError) {
            return try status(path: path)
        } catch {
            if error.errno == ENOENT { return nil }
            throw error
        }
    }

    /// `lstat` of `path`: a symbolic link is described, not followed.
    package static func linkStatus(path: String) throws(TFRecordError) -> Status {
        var st = stat()
        while fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) != 0 {
            if Glibc.errno == EINTR { continue }
            throw TFRecordError(.io, "cannot stat file", path: path, errno: Glibc.errno)
        }
        return Status(st)
    }

    /// Refuses to write over anything at `path` but a regular file (or a link to one): a
    /// character device such as `/dev/null`, a FIFO, a socket or a directory is never replaced
    /// or written into. Nothing at `path` is fine.
    /// - Throws: `.invalidArgument` naming `path` and what is there.
    package static func checkReplaceable(_ path: String) throws(TFRecordError) {
        let existing: Status?
        do throws(TFRecordError) {
            existing = try statusIfExists(path: path)
        } catch {
            return  // not stat-able (ENOTDIR, EACCES...): the open or rename reports it
        }
        if let existing, !existing.isRegular {
            throw TFRecordError(.invalidArgument, "is a \(existing.kind.rawValue), not a regular file: refusing to write over it",
                                path: path)
        }
    }

    /// The absolute path of `path` with every symbolic link, `.` and `..` resolved
    /// (`realpath(3)`).
    /// - Throws: `.io` naming `path` (nothing there, a loop, a component that is not a folder).
    package static func resolvedPath(_ path: String) throws(TFRecordError) -> String {
        guard let resolved = realpath(path, nil) else {
            throw TFRecordError(.io, "cannot resolve path", path: path, errno: Glibc.errno)
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether anything exists at `path`.
    package static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Whether `path` is a regular file (following links); false for nothing, a directory, a
    /// FIFO, a device or a socket. Stats only: never blocks on a FIFO.
    package static func isRegularFile(_ path: String) -> Bool {
        (try? status(path: path))?.isRegular == true
    }

    /// Renames `from` to `to` atomically (`rename(2)`).
    /// - Throws: `.io` naming `to`.
    package static func rename(_ from: String, to: String) throws(TFRecordError) {
        if Glibc.rename(from, to) != 0 {
            throw TFRecordError(.io, "cannot rename \(from) into place", path: to, errno: Glibc.errno)
        }
    }

    /// Removes the file at `path`, if any (failures are ignored: used to clean up).
    package static func remove(_ path: String) {
        _ = unlink(path)
    }

    /// Creates the folder `path` unless it exists.
    /// - Throws: `.io` when it cannot be created.
    package static func makeDirectory(_ path: String) throws(TFRecordError) {
        if mkdir(path, 0o755) != 0 && Glibc.errno != EEXIST {
            throw TFRecordError(.io, "cannot create folder", path: path, errno: Glibc.errno)
        }
    }

    /// This process's id.
    package static var processID: Int32 { getpid() }

    /// Moves the file offset of `fd` to `offset`.
    package static func seek(_ fd: Int32, to offset: UInt64) {
        _ = lseek(fd, off_t(offset), SEEK_SET)
    }

    /// Tells the kernel `fd` will be read front to back.
    package static func adviseSequential(_ fd: Int32) {
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
    }

    /// The names in `directory` (without `.` and `..`), unsorted. A name that is not valid
    /// UTF-8 cannot be a `String` path: it comes back repaired (U+FFFD), with `isValidUTF8`
    /// false, for the caller to refuse rather than skip.
    /// - Throws: `.io` when it cannot be read.
    package static func directoryEntries(_ directory: String) throws(TFRecordError) -> [(name: String, isValidUTF8: Bool)] {
        guard let dir = opendir(directory) else {
            throw TFRecordError(.io, "cannot open directory", path: directory, errno: Glibc.errno)
        }
        defer { closedir(dir) }
        var names: [(name: String, isValidUTF8: Bool)] = []
        while let entry = readdir(dir) {
            let (name, valid) = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let bytes = raw.prefix(while: { $0 != 0 })
                return (String(decoding: bytes, as: UTF8.self), String(validating: bytes, as: UTF8.self) != nil)
            }
            if name == "." || name == ".." { continue }
            names.append((name, valid))
        }
        return names
    }

    /// The paths matching the shell pattern `pattern` (`glob(3)`), or none; `isValidUTF8` as
    /// for `directoryEntries`.
    package static func glob(_ pattern: String) -> [(path: String, isValidUTF8: Bool)] {
        var g = glob_t()
        defer { globfree(&g) }
        guard Glibc.glob(pattern, 0, nil, &g) == 0 else { return [] }
        var paths: [(path: String, isValidUTF8: Bool)] = []
        for i in 0..<Int(g.gl_pathc) {
            if let p = g.gl_pathv[i] {
                let bytes = UnsafeRawBufferPointer(start: p, count: strlen(p))
                paths.append((String(decoding: bytes, as: UTF8.self), String(validating: bytes, as: UTF8.self) != nil))
            }
        }
        return paths
    }

    /// The error for a file name that is not valid UTF-8 (it cannot be opened through a
    /// `String` path): `.io` with `EILSEQ`, the name shown with U+FFFD for the bad bytes.
    package static func undecodableName(_ shown: String) -> TFRecordError {
        TFRecordError(.io, "the file name is not valid UTF-8, so it cannot be read (rename it)", path: shown, errno: EILSEQ)
    }

    /// Sleeps for `microseconds`.
    package static func sleep(microseconds: UInt32) {
        _ = usleep(microseconds)
    }

    // MARK: Memory maps

    /// Maps the first `count` bytes of `fd` read-only and shared.
    /// - Throws: `.io` when `mmap` fails.
    package static func mapReadOnly(_ fd: Int32, count: Int, path: String) throws(TFRecordError) -> UnsafeRawPointer {
        let address = mmap(nil, count, PROT_READ, MAP_SHARED, fd, 0)
        guard let address, address != MAP_FAILED else {
            throw TFRecordError(.io, "cannot map file", path: path, errno: Glibc.errno)
        }
        return UnsafeRawPointer(address)
    }

    /// Reserves `count` bytes of private, zeroed, lazily backed memory.
    /// - Throws: `.io` (ENOMEM) when the address space cannot be reserved.
    package static func mapAnonymous(_ count: Int, path: String, what: String) throws(TFRecordError) -> UnsafeMutableRawPointer {
        let raw = mmap(nil, count, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        guard let raw, raw != MAP_FAILED else {
            throw TFRecordError(.io, "cannot reserve room for \(what)", path: path, errno: Glibc.errno)
        }
        return raw
    }

    /// Unmaps `[address, address + count)`.
    package static func unmap(_ address: UnsafeRawPointer, _ count: Int) {
        _ = munmap(UnsafeMutableRawPointer(mutating: address), count)
    }

    /// How mapped memory will be used (`madvise`).
    package enum Advice {
        /// Read front to back: read ahead aggressively.
        case sequential
        /// Read in any order: no read-ahead.
        case random
        /// The kernel's default.
        case normal
        /// Map the pages now (`MADV_POPULATE_READ`, Linux 5.14+; `MADV_WILLNEED` before).
        case populate
        /// Back with huge pages where possible.
        case hugePages
    }

    /// Gives the kernel `advice` for `[address, address + count)`.
    package static func advise(_ address: UnsafeRawPointer, _ count: Int, _ advice: Advice) {
        let address = UnsafeMutableRawPointer(mutating: address)
        switch advice {
        case .sequential: _ = madvise(address, count, MADV_SEQUENTIAL)
        case .random: _ = madvise(address, count, MADV_RANDOM)
        case .normal: _ = madvise(address, count, MADV_NORMAL)
        case .hugePages: _ = madvise(address, count, 14 /* MADV_HUGEPAGE */)
        case .populate:
            if madvise(address, count, 22 /* MADV_POPULATE_READ: not in older headers */) != 0 {
                _ = madvise(address, count, MADV_WILLNEED)
            }
        }
    }

    /// The size of a memory page.
    package static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Opens `path` with `flags`; throws `.io` with the errno.
    package static func open(_ path: String, _ mode: OpenMode) throws(TFRecordError) -> Int32 {
        while true {
            let fd = Glibc.open(path, mode.flags | O_CLOEXEC, 0o644)
            if fd >= 0 { return fd }
            if Glibc.errno == EINTR { continue }
            throw TFRecordError(.io, "cannot open file", path: path, errno: Glibc.errno)
        }
    }

    // MARK: Opening relative to a directory (RootDirectory)

    /// How `open(at:_:_:path:)` opens a name relative to a directory descriptor.
    package enum AtMode {
        /// `O_PATH|O_DIRECTORY`: a directory to resolve names against, following a link.
        case directory
        /// `O_PATH|O_DIRECTORY|O_NOFOLLOW`: a directory, never a link.
        case directoryNoFollow
        /// `O_RDONLY|O_NONBLOCK|O_NOFOLLOW`: a file to read, never a link; a FIFO does not
        /// block the open.
        case readNoFollow

        /// `O_PATH` (Linux, the same on x86_64 and arm64): Swift's Glibc module is imported
        /// without `_GNU_SOURCE`, which hides it.
        private static let pathOnly: Int32 = 0o10000000

        var flags: Int32 {
            switch self {
            case .directory: AtMode.pathOnly | O_DIRECTORY
            case .directoryNoFollow: AtMode.pathOnly | O_DIRECTORY | O_NOFOLLOW
            case .readNoFollow: O_RDONLY | O_NONBLOCK | O_NOFOLLOW
            }
        }
    }

    /// `openat(directory, name, mode)` (close-on-exec); `directory` nil is the working folder.
    /// - Throws: `.io` naming `path` (what the user sees) with the errno.
    package static func open(at directory: Int32?, _ name: String, _ mode: AtMode, path: String) throws(TFRecordError) -> Int32 {
        while true {
            let fd = openat(directory ?? AT_FDCWD, name, mode.flags | O_CLOEXEC)
            if fd >= 0 { return fd }
            if Glibc.errno == EINTR { continue }
            throw TFRecordError(.io, "cannot open file", path: path, errno: Glibc.errno)
        }
    }

    /// `openat2(directory, name, O_RDONLY|O_NONBLOCK, RESOLVE_BENEATH|RESOLVE_NO_MAGICLINKS)`:
    /// opens `name` for reading only if its resolution, links included, stays beneath
    /// `directory`; a FIFO does not block the open.
    /// - Returns: the descriptor, or nil when the kernel has no `openat2` (`ENOSYS`, before
    ///   Linux 5.6) or a filter refuses it (`EPERM`): the caller falls back.
    /// - Throws: `.io` naming `path` with the errno: `Code.escapes` (`EXDEV`) when the path leaves
    ///   `directory` (absolute, `..` above it, a link out of it), `ELOOP` for a magic link.
    package static func openBeneath(_ directory: Int32, _ name: String, path: String) throws(TFRecordError) -> Int32? {
        while true {
            let fd = csupport_openat2_beneath(directory, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
            if fd >= 0 { return fd }
            switch Glibc.errno {
            case EINTR, EAGAIN: continue   // EAGAIN: a concurrent rename; the kernel asks to retry
            case ENOSYS, EPERM: return nil
            default: throw TFRecordError(.io, "cannot open file", path: path, errno: Glibc.errno)
            }
        }
    }

    /// `fstatat(directory, name, AT_SYMLINK_NOFOLLOW)`: a link is described, not followed.
    package static func linkStatus(at directory: Int32, _ name: String, path: String) throws(TFRecordError) -> Status {
        var st = stat()
        while fstatat(directory, name, &st, AT_SYMLINK_NOFOLLOW) != 0 {
            if Glibc.errno == EINTR { continue }
            throw TFRecordError(.io, "cannot stat file", path: path, errno: Glibc.errno)
        }
        return Status(st)
    }

    /// The target of the link `name` in `directory` (`readlinkat(2)`), as bytes decoded as UTF-8.
    package static func linkTarget(at directory: Int32, _ name: String, path: String) throws(TFRecordError) -> String {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = buffer.withUnsafeMutableBytes { readlinkat(directory, name, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count) }
        if n < 0 { throw TFRecordError(.io, "cannot read link", path: path, errno: Glibc.errno) }
        return String(decoding: buffer[..<n], as: UTF8.self)
    }

    /// Size of the open file `fd`.
    package static func size(_ fd: Int32, path: String) throws(TFRecordError) -> Int {
        let status = try status(fd, path: path)
        if status.isDirectory {
            throw TFRecordError(.io, "is a directory", path: path, errno: EISDIR)
        }
        return Int(status.size)
    }

    /// Writes all of `bytes` to `fd`, retrying short writes and `EINTR`.
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(TFRecordError) {
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n > 0 { done += n; continue }
            if n < 0 && Glibc.errno == EINTR { continue }
            throw TFRecordError(.io, "cannot write file", path: path, errno: n < 0 ? Glibc.errno : EIO)
        }
    }

    /// Writes all of `bytes` to `fd` (standard output, say), naming `what` in an error.
    package static func writeAll(_ fd: Int32, _ bytes: [UInt8], what: String) throws(TFRecordError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n > 0 { done += n; continue }
            if n < 0 && Glibc.errno == EINTR { continue }
            throw TFRecordError(.io, "cannot write \(what)", errno: n < 0 ? Glibc.errno : EIO)
        }
    }

    /// Reads up to `buffer.count` bytes at `offset`; returns the count read (0 at end of file).
    package static func pread(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String) throws(TFRecordError) -> Int {
        while true {
            let n = Glibc.pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
            if n >= 0 { return n }
            if Glibc.errno == EINTR { continue }
            throw TFRecordError(.io, "cannot read file", path: path, errno: Glibc.errno)
        }
    }

    /// Reads until `buffer` is full or the file ends; returns the count read.
    package static func readFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, path: String) throws(TFRecordError) -> Int {
        var done = 0
        while done < buffer.count {
            let n = Glibc.read(fd, buffer.baseAddress! + done, buffer.count - done)
            if n > 0 { done += n; continue }
            if n == 0 { break }
            if Glibc.errno == EINTR { continue }
            throw TFRecordError(.io, "cannot read file", path: path, errno: Glibc.errno)
        }
        return done
    }

    /// Flushes `fd` to stable storage.
    package static func fsync(_ fd: Int32, path: String) throws(TFRecordError) {
        while Glibc.fsync(fd) != 0 {
            if Glibc.errno == EINTR { continue }
            throw TFRecordError(.io, "cannot sync file", path: path, errno: Glibc.errno)
        }
    }

    /// Closes `fd`, reporting a failed close (it can report a failed delayed write).
    package static func close(_ fd: Int32, path: String) throws(TFRecordError) {
        if Glibc.close(fd) != 0 && Glibc.errno != EINTR {
            throw TFRecordError(.io, "cannot close file", path: path, errno: Glibc.errno)
        }
    }

    /// A duplicate of `fd` (`dup(2)`, close-on-exec).
    package static func duplicate(_ fd: Int32, path: String) throws(TFRecordError) -> Int32 {
        let copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { throw TFRecordError(.io, "cannot duplicate the descriptor", path: path, errno: Glibc.errno) }
        return copy
    }

    /// Closes `fd` when nothing can be done about a failure (an error path, a reader).
    package static func closeIgnoringErrors(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Replaces the file at `path` atomically: `write` fills a new hidden file in the same folder
    /// (given its descriptor and path), which is `fsync`ed when `sync`, closed and renamed over
    /// `path`. On any failure the hidden file is removed and `path` is left as it was.
    package static func replaceAtomically(_ path: String, sync: Bool,
                                  _ write: (_ fd: Int32, _ temporary: String) throws(TFRecordError) -> Void) throws(TFRecordError) {
        try checkReplaceable(path)
        let file = try TemporaryFile(beside: path)
        let temporary = file.path
        let descriptor = file.descriptor
        do {
            try write(descriptor.raw, temporary)
            if sync { try fsync(descriptor.raw, path: temporary) }
            try descriptor.close(path: temporary)
        } catch {
            remove(temporary)
            throw error
        }
        do {
            try rename(temporary, to: path)
        } catch {
            remove(temporary)
            throw error
        }
    }
}

/// The number of online processors (at least 1).
package func onlineProcessors() -> Int {
    max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}

/// The most worker threads the library starts for one job: 4 per core. Each worker owns
/// buffers (a blocked writer's two blocks, a shard's write buffer), so a request for 100000
/// would take gigabytes and gain nothing.
package func threadLimit() -> Int {
    4 * onlineProcessors()
}
