import TFRecord
/// Turns JSON objects (JSON Lines, or COCO annotations) into `tf.train.Example`s the way the
/// TensorFlow tutorials build them by hand:
///
/// - an integer becomes an `int64` feature, any other number a `float`, a string `bytes`
///   (UTF-8), `true`/`false` int64 1/0; `null` leaves the feature out;
/// - a list becomes a list of that kind (integers and floats mixed make a float list; nested
///   lists, such as COCO polygons, are flattened);
/// - a nested object becomes features named `parent/child` (TensorFlow's `image/height` style);
/// - the field named `fileField` holds a path relative to `root`: it is replaced by the file's
///   bytes (the tutorial's `image` feature); with a `fileFeature` the path string is kept and
///   the bytes are added under that name ("image bytes + path string"). The path, links
///   resolved, must stay inside `root` and name a regular file unless `allowsOutsideRoot`.
///
/// A feature whose kind differs from one record to another (an int64 in one, a float in
/// another) is an error naming both records: kinds are reported, never guessed.
public final class JSONConverter {
    /// The field whose value is a file path to embed as bytes, if any.
    public let fileField: String?
    /// The feature the file's bytes go to, keeping `fileField` as the path string; nil to
    /// replace `fileField` by the bytes.
    public let fileFeature: String?
    /// The folder that file paths are relative to.
    public let root: String
    /// Whether file paths may resolve outside `root` (`--allow-outside-root`).
    public var allowsOutsideRoot: Bool { importRoot.allowsOutside }
    /// What becomes of a number that fits no int64 (an integer literal) or float32 (it would
    /// overflow, or a nonzero value would become 0): an error naming the record and field (the
    /// default), or its JSON text stored as a `bytes` value (`--unfit-numbers bytes`).
    public var unfitNumbers: UnfitNumbers = .error

    /// See `unfitNumbers`.
    public enum UnfitNumbers: String, Sendable, CaseIterable {
        /// Throw `TFRecordError.corrupted` naming the record and field.
        case error
        /// Keep the number's JSON text, as a bytes value (parse it yourself, e.g. as a decimal).
        case bytes
    }
    private var importRoot: ImportRoot
    /// Feature name → (kind, number of the record where it was first seen).
    private var kinds: [String: (Feature.Kind, Int)] = [:]

    /// - Parameters:
    ///   - fileField: a field holding a file path whose file's bytes become a feature.
    ///   - fileFeature: the name of that bytes feature, keeping `fileField` as the path string;
    ///     nil (or `fileField` itself) replaces `fileField` by the bytes.
    ///   - root: the folder paths are relative to.
    ///   - allowOutsideRoot: accept file paths that resolve outside `root` (`../x`, absolute
    ///     paths, links out of it); refused by default.
    public init(fileField: String? = nil, fileFeature: String? = nil, root: String = ".", allowOutsideRoot: Bool = false) {
        self.fileField = fileField
        self.fileFeature = fileFeature == fileField ? nil : fileFeature
        self.root = root
        importRoot = ImportRoot(path: root, allowsOutside: allowOutsideRoot)
    }

    /// Reads the command line's `--file-field` value: `path` replaces the field `path` by the
    /// file's bytes; `path:image` keeps `path` and adds the bytes as `image`.
    /// - Parameters:
    ///   - fileField: `FIELD` or `FIELD:FEATURE`.
    ///   - root: the folder paths are relative to.
    ///   - allowOutsideRoot: accept file paths that resolve outside `root`.
    /// - Throws: `TFRecordError.invalidArgument` for an empty field or feature name.
    public convenience init(fileFieldArgument fileField: String, root: String = ".",
                            allowOutsideRoot: Bool = false) throws(TFRecordError) {
        let parts = fileField.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard !parts[0].isEmpty, parts.count == 1 || !parts[1].isEmpty else {
            throw TFRecordError(.invalidArgument, "--file-field \"\(fileField)\": give FIELD or FIELD:FEATURE (e.g. path:image)")
        }
        self.init(fileField: parts[0], fileFeature: parts.count == 2 ? parts[1] : nil, root: root,
                  allowOutsideRoot: allowOutsideRoot)
    }

    /// The Example for one JSON object.
    /// - Parameters:
    ///   - json: the UTF-8 text of one JSON object.
    ///   - recordNumber: the record's number, for messages.
    ///   - source: the input's name, for messages.
    /// - Throws: `TFRecordError.corrupted` naming the record (bad data: the CLI exits 1) for
    ///   invalid JSON or JSON that is not an object, a kind conflict, a string mixed with numbers
    ///   in a list, a number that does not fit (an integer outside int64, a float that
    ///   overflows float32 or underflows a nonzero value to 0), a feature name given twice (a
    ///   duplicate key, or `"x/y"` beside `"x": {"y": …}`), a file path outside the root;
    ///   `.io` for a file that cannot be read.
    public func example(fromJSON json: [UInt8], recordNumber: Int, source: String) throws(TFRecordError) -> Example {
        let value: JSONValue
        do {
            value = try JSONValue.parse(json)
        } catch {
            throw TFRecordError(.corrupted, "invalid JSON: \(error.detail) at byte \(error.byteOffset ?? 0)",
                                path: source, recordNumber: recordNumber)
        }
        return try example(from: value, recordNumber: recordNumber, source: source)
    }

    /// The Example for one parsed JSON object (plus extra features, e.g. a COCO image's).
    func example(from value: JSONValue, recordNumber: Int, source: String,
                 extra: [(String, JSONValue)] = []) throws(TFRecordError) -> Example {
        guard case .object(let members) = value else {
            throw TFRecordError(.corrupted, "not a JSON object", path: source, recordNumber: recordNumber)
        }
        try checkNames(members, extra: extra, recordNumber: recordNumber, source: source)
        var features: [String: Feature] = [:]
        for (key, member, _) in members {
            try add(key, member, into: &features, recordNumber: recordNumber, source: source)
        }
        for (key, member) in extra {
            try add(key, member, into: &features, recordNumber: recordNumber, source: source)
        }
        return Example(features)
    }

    private func add(_ name: String, _ value: JSONValue, into features: inout [String: Feature],
                     recordNumber: Int, source: String) throws(TFRecordError) {
        if let fileFeature, name == fileFeature {
            throw TFRecordError(.invalidArgument, "record \(recordNumber) has a field \"\(name)\", the feature that gets the bytes of the file named by \"\(fileField ?? "")\"; choose another name (--file-field \(fileField ?? ""):NAME)",
                                path: source, recordNumber: recordNumber)
        }
        if name == fileField, case .string(let relative) = value {
            let bytes = try importRoot.read(relative, field: name, recordNumber: recordNumber, source: source)
            try set(fileFeature ?? name, .bytesList([bytes]), into: &features, recordNumber: recordNumber, source: source)
            if fileFeature == nil { return }  // else the path string is kept as well
        }
        switch value {
        case .null:
            return
        case .object(let members):
            for (key, member, _) in members {
                try add(name + "/" + key, member, into: &features, recordNumber: recordNumber, source: source)
            }
            return
        default:
            break
        }
        var leaves: [JSONValue] = []
        flatten(value, into: &leaves)
        var ints: [Int64] = []
        var floats: [Float] = []
        var strings: [[UInt8]] = []
        var sawFloat = false
        for leaf in leaves {
            switch leaf {
            case .number(let text):
                switch ImportedNumber(text) {
                case .int64(let i):
                    ints.append(i)
                    floats.append(Float(i))
                case .float(let f):
                    sawFloat = true
                    floats.append(f)
                case .refused(let why):
                    if unfitNumbers == .bytes {
                        strings.append(Array(text.utf8))
                        continue
                    }
                    throw TFRecordError(.corrupted, "feature \"\(name)\": \(why)", path: source, recordNumber: recordNumber)
                }
            case .bool(let b):
                ints.append(b ? 1 : 0)
                floats.append(b ? 1 : 0)
            case .string(let s):
                strings.append(Array(s.utf8))
            default:
                continue  // null inside a list is skipped
            }
        }
        let numbers = ints.count + (sawFloat ? floats.count - ints.count : 0)
        if !strings.isEmpty && numbers > 0 {
            throw TFRecordError(.corrupted, "feature \"\(name)\" mixes strings and numbers",
                                path: source, recordNumber: recordNumber)
        }
        let feature: Feature
        if !strings.isEmpty {
            feature = .bytesList(strings)
        } else if sawFloat {
            feature = .floatList(floats)
        } else if !ints.isEmpty {
            feature = .int64List(ints)
        } else {
            // An empty list takes the kind the feature had before (float when unknown).
            switch kinds[name]?.0 {
            case .bytes?: feature = .bytesList([])
            case .int64?: feature = .int64List([])
            default: feature = .floatList([])
            }
            features[name] = feature
            return
        }
        try set(name, feature, into: &features, recordNumber: recordNumber, source: source)
    }

    private func set(_ name: String, _ feature: Feature, into features: inout [String: Feature],
                     recordNumber: Int, source: String) throws(TFRecordError) {
        if let (kind, first) = kinds[name], kind != feature.kind {
            throw TFRecordError(.corrupted, "feature \"\(name)\" is \(feature.kind) in record \(recordNumber) but \(kind) in record \(first); make the input consistent (e.g. write 2.0, not 2, for a float)",
                                path: source, recordNumber: recordNumber)
        }
        if kinds[name] == nil { kinds[name] = (feature.kind, recordNumber) }
        features[name] = feature
    }

    /// Refuses a record in which two members give the same feature name: a key repeated in one
    /// object, or a flattened name met twice (`{"x/y": 1, "x": {"y": 2}}`, an annotation field
    /// beside a COCO image field of the same name).
    private func checkNames(_ members: [(key: String, value: JSONValue, offset: Int)], extra: [(String, JSONValue)],
                            recordNumber: Int, source: String) throws(TFRecordError) {
        var seen: Set<String> = []
        var failure: String?
        func visit(_ name: String, _ value: JSONValue) {
            guard failure == nil else { return }
            if case .object(let inner) = value {
                var keys: Set<String> = []
                for (key, member, _) in inner {
                    guard keys.insert(key).inserted else { failure = "key \"\(key)\" appears twice in \"\(name)\""; return }
                    visit(name + "/" + key, member)
                }
            } else if !seen.insert(name).inserted {
                failure = "feature \"\(name)\" is given twice (a nested object and a \"/\" name, or a field of the image)"
            }
        }
        var keys: Set<String> = []
        for (key, member, _) in members {
            guard keys.insert(key).inserted else { failure = failure ?? "key \"\(key)\" appears twice"; break }
            visit(key, member)
        }
        for (key, member) in extra { visit(key, member) }
        if let failure {
            throw TFRecordError(.corrupted, failure, path: source, recordNumber: recordNumber)
        }
    }

    private func flatten(_ value: JSONValue, into leaves: inout [JSONValue]) {
        if case .array(let items) = value {
            for item in items { flatten(item.value, into: &leaves) }
        } else {
            leaves.append(value)
        }
    }
}
