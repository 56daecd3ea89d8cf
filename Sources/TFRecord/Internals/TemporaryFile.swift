/// A new hidden file beside a final path, for writers that publish by `rename(2)`: the atomic
/// `RecordWriter`, `ShardWriter`'s staging shards and every sidecar written through
/// `SystemCalls.replaceAtomically`.
///
/// The name is `.<name>.<tag>-<pid>-<random>` in the target's folder, with 64 random bits from
/// the system's generator, so no other user can guess it in advance; the file is created with
/// `O_CREAT|O_EXCL|O_NOFOLLOW` (`SystemCalls.OpenMode.createNew`), so anything already there — a
/// planted symbolic link included — is never opened, followed or truncated: the name is drawn
/// again instead (a few times, then `.io` with `EEXIST`).
package struct TemporaryFile: ~Copyable {
    /// The open, new, empty file.
    package let descriptor: FileDescriptor
    /// Where it is.
    package let path: String

    /// How many names are tried before giving up.
    static let attempts = 8

    /// Creates the file.
    /// - Parameters:
    ///   - target: the final path the file will be renamed to (its folder is used).
    ///   - tag: a word in the name saying what the file is (`tmp`, `staging`).
    ///   - random: the source of the name's random part (tests give a predictable one).
    /// - Throws: `TFRecordError.io` naming the last path tried when no new file can be created.
    package init(beside target: String, tag: String = "tmp",
                 random: () -> UInt64 = { UInt64.random(in: .min ... .max) }) throws(TFRecordError) {
        var lastError: TFRecordError?
        for _ in 0..<Self.attempts {
            let candidate = Self.name(beside: target, tag: tag, random: random())
            do throws(TFRecordError) {
                let opened = try FileDescriptor(opening: candidate, .createNew)
                descriptor = opened
                path = candidate
                return
            } catch {
                guard error.errno == SystemCalls.Code.exists else { throw error }
                lastError = error
            }
        }
        throw lastError!
    }

    /// `<folder>/.<name>.<tag>-<pid>-<random, base 36>`.
    static func name(beside target: String, tag: String, random: UInt64) -> String {
        let slash = target.lastIndex(of: "/")
        let folder = slash.map { String(target[...$0]) } ?? ""
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        return "\(folder).\(name).\(tag)-\(SystemCalls.processID)-\(String(random, radix: 36))"
    }
}
