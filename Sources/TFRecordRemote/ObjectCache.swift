import Crypto
import Foundation

/// A local folder of downloaded objects keyed by address, size and ETag: sidecars (`.tfindex`, `.idx`)
/// are fetched once and reused until the object changes, when its new ETag or size names a new file.
///
/// Files are written to a temporary name in the folder and renamed into place when complete and of
/// the expected size, so a crash leaves no partial file under a final name; concurrent fetches of the
/// same object race harmlessly (the same bytes renamed twice).
public struct ObjectCache: Sendable {
    /// The folder holding the cached files.
    public let directory: String

    /// Makes a cache over a folder (created when first used).
    ///
    /// - Parameter directory: The folder.
    /// - Complexity: O(1).
    public init(directory: String) {
        self.directory = directory
    }

    /// The cache the environment names: `TFRECORD_CACHE_DIR`, else `$XDG_CACHE_HOME/tfrecord`, else
    /// `$HOME/.cache/tfrecord`.
    ///
    /// - Parameter environment: The variables to read; the process's by default.
    /// - Complexity: O(1).
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> ObjectCache {
        if let explicit = environment["TFRECORD_CACHE_DIR"], !explicit.isEmpty { return ObjectCache(directory: explicit) }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return ObjectCache(directory: xdg + "/tfrecord") }
        return ObjectCache(directory: (environment["HOME"] ?? NSHomeDirectory()) + "/.cache/tfrecord")
    }

    /// Where the cached copy of this version of the object lives (whether or not it exists yet):
    /// `DIRECTORY/<32 hex digits of SHA-256(address, size, ETag)>-<the key's last component>`.
    ///
    /// - Complexity: O(n) in the address's length.
    public func path(for info: ObjectInfo) -> String {
        let identity = "\(info.address.description)\n\(info.size)\n\(info.etag ?? "")"
        let digest = SigV4Signer.hex(SHA256.hash(data: Array(identity.utf8))).prefix(32)
        let last = info.address.key.split(separator: "?").first?.split(separator: "/").last.map(String.init) ?? "object"
        let readable = String(last.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || scalar.properties.numericType != nil || "._-".unicodeScalars.contains(scalar))
                ? Character(scalar) : "_"
        }.prefix(80))
        return "\(directory)/\(digest)-\(readable)"
    }

    /// The local path of this version of the object, downloading it first when it is not cached.
    ///
    /// - Parameters:
    ///   - info: The object's address, size and ETag, from ``ObjectStore/info(of:)``; the download
    ///     requires the same ETag (`If-Match`), so a rewritten object fails as `changed` instead of
    ///     caching other bytes under this version's name.
    ///   - store: The store holding it.
    ///   - maximumSize: The largest object cached (default 1 GiB); larger is `tooLarge`.
    /// - Returns: The path of the complete local copy.
    /// - Throws: ``RemoteError``: `tooLarge`, `io` for local file errors, and the read errors.
    /// - Complexity: nothing when cached; else one GET per 8 MiB and a file of `info.size` bytes.
    public func fetch(_ info: ObjectInfo, from store: any ObjectStore, maximumSize: Int64 = 1 << 30) async throws -> String {
        let destination = path(for: info)
        if let attributes = try? FileManager.default.attributesOfItem(atPath: destination),
            (attributes[.size] as? NSNumber)?.int64Value == info.size
        {
            return destination
        }
        guard info.size <= maximumSize else {
            throw RemoteError(
                .tooLarge, address: info.address.description,
                message: "\(info.size) bytes is more than the cache's \(maximumSize)-byte bound")
        }
        let temporary = "\(directory)/.partial-\(UUID().uuidString)"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
                throw RemoteError(.io, address: info.address.description, message: "cannot create \(temporary)")
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            var written: Int64 = 0
            do {
                for try await chunk in ObjectChunks(store: store, info: info) {
                    try handle.write(contentsOf: chunk.bytes)
                    written += Int64(chunk.bytes.count)
                }
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            guard written == info.size else {
                throw RemoteError(
                    .io, address: info.address.description, message: "downloaded \(written) of \(info.size) bytes")
            }
            if rename(temporary, destination) != 0 {
                throw RemoteError(
                    .io, address: info.address.description,
                    message: "cannot rename into \(destination): \(String(cString: strerror(errno)))")
            }
            return destination
        } catch let error as RemoteError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw RemoteError(.io, address: info.address.description, message: "caching into \(directory): \(error)")
        }
    }
}
