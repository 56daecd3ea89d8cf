/// How a ``RemoteObject`` is read: the chunks of a front-to-back read and the plan of a batch.
public struct RemoteReadOptions: Sendable, Hashable {
    /// Bytes per GET of a front-to-back read (default 8 MiB, the AWS CLI's part size).
    public var chunkSize: Int64 = 8 << 20
    /// GETs running ahead of the reader (default 4): memory ≤ `ahead × chunkSize`.
    public var ahead: Int = 4
    /// A batch's largest hole fetched to save a request (default 64 KiB).
    public var gap: Int64 = 64 << 10
    /// A batch's largest single GET (default 8 MiB).
    public var maximumSpan: Int64 = 8 << 20
    /// A batch's most GETs at once (default 16).
    public var maximumInFlight: Int = 16

    /// The defaults.
    ///
    /// - Complexity: O(1).
    public init() {}
}
