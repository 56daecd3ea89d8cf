/// A shard file name pattern with `{placeholders}`, covering both common conventions:
/// TFDS/Beam's `{prefix}-{shard:05}-of-{total:05}.tfrecord` and the Kaggle/TPU tutorial's
/// `file_{shard:02}-{count}.tfrec`.
///
/// Placeholders: `{prefix}`, `{shard}` (0-based shard number), `{total}` (number of shards,
/// known only when writing ends), `{count}` (records in this shard); a number after a colon
/// pads with zeros to that width (`{shard:05}` → `00003`).
public struct ShardNameTemplate: Sendable, Equatable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String

    /// Parses `pattern`.
    /// - Throws: `TFRecordError.invalidArgument` for an unknown placeholder, a bad width, a
    ///   slash in the name, or a pattern without `{shard}` (names would collide).
    public init(_ pattern: String) throws(TFRecordError) {
        self.pattern = pattern
        let parts = try ShardNameTemplate.parse(pattern)
        guard parts.contains(where: { if case .field("shard", _) = $0 { return true } else { return false } }) else {
            throw TFRecordError(.invalidArgument, "shard name template \"\(pattern)\" needs {shard}")
        }
        if pattern.contains("/") {
            throw TFRecordError(.invalidArgument, "shard name template \"\(pattern)\" must be a file name, not a path")
        }
    }

    /// TFDS/Beam naming: `{prefix}-{shard:05}-of-{total:05}.tfrecord`.
    public static let tfds = try! ShardNameTemplate("{prefix}-{shard:05}-of-{total:05}.tfrecord")
    /// The Kaggle/TPU tutorial's naming: `file_{shard:02}-{count}.tfrec`.
    public static let tutorial = try! ShardNameTemplate("file_{shard:02}-{count}.tfrec")

    /// Whether names need the total shard count (so shards are renamed when writing ends).
    public var needsTotal: Bool { pattern.contains("{total") }

    /// The name of one shard.
    public func name(prefix: String, shard: Int, total: Int?, count: Int) -> String {
        let parts = (try? ShardNameTemplate.parse(pattern)) ?? []
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .field(let name, let width):
                let value: String
                switch name {
                case "prefix": value = prefix
                case "shard": value = String(shard)
                case "total": value = total.map(String.init) ?? "XXXXX"
                default: value = String(count)
                }
                out += name == "prefix" || value.count >= width ? value : String(repeating: "0", count: width - value.count) + value
            }
        }
        return out
    }

    public var description: String { pattern }

    private enum Part {
        case literal(String)
        case field(String, Int)
    }

    private static func parse(_ pattern: String) throws(TFRecordError) -> [Part] {
        var parts: [Part] = []
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{") {
            if open > rest.startIndex { parts.append(.literal(String(rest[..<open]))) }
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw TFRecordError(.invalidArgument, "unclosed { in shard name template \"\(pattern)\"")
            }
            let inside = rest[rest.index(after: open)..<close].split(separator: ":", maxSplits: 1)
            let name = inside.first.map(String.init) ?? ""
            guard ["prefix", "shard", "total", "count"].contains(name) else {
                throw TFRecordError(.invalidArgument, "unknown placeholder {\(name)} in shard name template \"\(pattern)\" (use prefix, shard, total, count)")
            }
            var width = 0
            if inside.count == 2 {
                guard let w = Int(inside[1]), w >= 0, w <= 20 else {
                    throw TFRecordError(.invalidArgument, "bad width in {\(rest[rest.index(after: open)..<close])}")
                }
                width = w
            }
            parts.append(.field(name, width))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        return parts
    }
}
