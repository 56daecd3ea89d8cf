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
///   the bytes are added under that name ("image bytes + path string").
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
    /// Feature name → (kind, number of the record where it was first seen).
    private var kinds: [String: (Feature.Kind, Int)] = [:]

    /// - Parameters:
    ///   - fileField: a field holding a file path whose file's bytes become a feature.
    ///   - fileFeature: the name of that bytes feature, keeping `fileField` as the path string;
    ///     nil (or `fileField` itself) replaces `fileField` by the bytes.
    ///   - root: the folder paths are relative to.
    public init(fileField: String? = nil, fileFeature: String? = nil, root: String = ".") {
        self.fileField = fileField
        self.fileFeature = fileFeature == fileField ? nil : fileFeature
        self.root = root
    }

    /// Reads the command line's `--file-field` value: `path` replaces the field `path` by the
    /// file's bytes; `path:image` keeps `path` and adds the bytes as `image`.
    /// - Parameters:
    ///   - fileField: `FIELD` or `FIELD:FEATURE`.
    ///   - root: the folder paths are relative to.
    /// - Throws: `TFRecordError.invalidArgument` for an empty field or feature name.
    public convenience init(fileFieldArgument fileField: String, root: String = ".") throws(TFRecordError) {
        let parts = fileField.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard !parts[0].isEmpty, parts.count == 1 || !parts[1].isEmpty else {
            throw TFRecordError(.invalidArgument, "--file-field \"\(fileField)\": give FIELD or FIELD:FEATURE (e.g. path:image)")
        }
        self.init(fileField: parts[0], fileFeature: parts.count == 2 ? parts[1] : nil, root: root)
    }

    /// The Example for one JSON object.
    /// - Parameters:
    ///   - json: the UTF-8 text of one JSON object.
    ///   - recordNumber: the record's number, for messages.
    ///   - source: the input's name, for messages.
    /// - Throws: `TFRecordError.invalidArgument` for JSON that is not an object, a kind conflict,
    ///   a string mixed with numbers in a list; `.io` for a file that cannot be read.
    public func example(fromJSON json: [UInt8], recordNumber: Int, source: String) throws(TFRecordError) -> Example {
        let value: JSONValue
        do {
            value = try JSONValue.parse(json)
        } catch {
            throw TFRecordError(.invalidArgument, "record \(recordNumber): invalid JSON: \(error.detail) at byte \(error.byteOffset ?? 0)",
                                path: source, recordNumber: recordNumber)
        }
        return try example(from: value, recordNumber: recordNumber, source: source)
    }

    /// The Example for one parsed JSON object (plus extra features, e.g. a COCO image's).
    func example(from value: JSONValue, recordNumber: Int, source: String,
                 extra: [(String, JSONValue)] = []) throws(TFRecordError) -> Example {
        guard case .object(let members) = value else {
            throw TFRecordError(.invalidArgument, "record \(recordNumber) is not a JSON object", path: source, recordNumber: recordNumber)
        }
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
            let path = relative.hasPrefix("/") ? relative : root + "/" + relative
            try set(fileFeature ?? name, .bytesList([try readFile(path, recordNumber: recordNumber)]), into: &features, recordNumber: recordNumber, source: source)
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
                if let i = Int64(text) {
                    ints.append(i)
                    floats.append(Float(i))
                } else if let f = Float(text) {
                    sawFloat = true
                    floats.append(f)
                } else {
                    throw TFRecordError(.invalidArgument, "feature \"\(name)\" in record \(recordNumber): number \(text) does not fit an int64 or a float",
                                        path: source, recordNumber: recordNumber)
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
            throw TFRecordError(.invalidArgument, "feature \"\(name)\" in record \(recordNumber) mixes strings and numbers",
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
            throw TFRecordError(.invalidArgument, "feature \"\(name)\" is \(feature.kind) in record \(recordNumber) but \(kind) in record \(first); make the input consistent (e.g. write 2.0, not 2, for a float)",
                                path: source, recordNumber: recordNumber)
        }
        if kinds[name] == nil { kinds[name] = (feature.kind, recordNumber) }
        features[name] = feature
    }

    private func flatten(_ value: JSONValue, into leaves: inout [JSONValue]) {
        if case .array(let items) = value {
            for item in items { flatten(item.value, into: &leaves) }
        } else {
            leaves.append(value)
        }
    }

    private func readFile(_ path: String, recordNumber: Int) throws(TFRecordError) -> [UInt8] {
        do throws(TFRecordError) {
            return try ExampleImport.readAll(path, limit: Int.max)
        } catch {
            var named = error
            named.recordNumber = recordNumber
            throw named
        }
    }
}
