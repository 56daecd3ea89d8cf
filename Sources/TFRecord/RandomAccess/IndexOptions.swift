/// What to do about a shard's sidecar index (`<shard>.tfindex`) when opening it for random access.
public struct IndexOptions: Sendable {
    /// What to do when a shard has no sidecar index.
    public enum Missing: Sendable {
        /// Build the index in memory and use it (nothing is written).
        case build
        /// Build the index and save it as the sidecar for next time.
        case buildAndSave
        /// Throw `TFRecordError.invalidArgument`.
        case refuse
    }

    /// What to do when the sidecar index no longer describes its shard (the shard was truncated,
    /// appended to or rewritten since), or is itself damaged.
    public enum Stale: Sendable {
        /// Rebuild the index in memory and use it.
        case rebuild
        /// Rebuild the index and replace the sidecar.
        case rebuildAndSave
        /// Throw `TFRecordError.invalidArgument` naming what changed.
        case refuse
    }

    /// Policy for a missing sidecar.
    public var missing: Missing
    /// Policy for a stale or damaged sidecar. A stale index is never used silently.
    public var stale: Stale
    /// Check every payload CRC when an index has to be built.
    public var verifyingChecksums: Bool

    /// Creates options; the defaults build (or rebuild) indexes in memory and write nothing.
    public init(missing: Missing = .build, stale: Stale = .rebuild, verifyingChecksums: Bool = false) {
        self.missing = missing
        self.stale = stale
        self.verifyingChecksums = verifyingChecksums
    }
}
