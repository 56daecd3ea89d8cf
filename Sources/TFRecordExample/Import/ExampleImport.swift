import TFRecord
/// Imports the formats users have — JSON Lines and COCO annotation JSON — into TFRecord shards
/// of `tf.train.Example`s (see `JSONConverter` for how values become features).
public enum ExampleImport {
    /// The input formats.
    public enum Format: String, Sendable, CaseIterable {
        /// One JSON object per line; one record per line (blank lines are skipped).
        case jsonLines
        /// A COCO annotation file: one record per entry of `annotations`, with its image's
        /// fields as `image/<name>` and, with a file field, the image's bytes.
        case coco
        /// One JSON array of objects (a common export, `json.dump(list_of_dicts)`): one record
        /// per element.
        case jsonArray

        /// Guesses from the first bytes: a document starting with `[` is a JSON array; one with
        /// an `annotations` array is COCO; anything else JSON Lines.
        public static func detect(path: String) throws(TFRecordError) -> Format {
            let head = try readAll(path, limit: 1 << 16)
            if firstNonSpace(head) == UInt8(ascii: "[") { return .jsonArray }
            let text = String(decoding: head, as: UTF8.self)
            return text.contains("\"annotations\"") && text.contains("[") && !text.hasPrefix("{\"annotations\":null") ? .coco : .jsonLines
        }
    }

    /// Progress callback: records written so far, and the fraction done when known.
    public typealias Progress = (_ records: Int, _ fraction: Double?) -> Void

    /// Converts `input` into Examples written to `writer`; does not finish the writer.
    /// - Parameters:
    ///   - input: the JSON Lines or COCO file.
    ///   - format: its format.
    ///   - converter: the conversion rules (file field, root folder).
    ///   - writer: where the records go.
    ///   - progress: called now and then.
    ///   - maxJSONSize: the most bytes of JSON held in memory at once
    ///     (`defaultMaxJSONSize`): a line of JSON Lines, an element of a JSON array (both read
    ///     one at a time, so the file itself may be any size), or a whole COCO file (parsed as
    ///     one document, which takes several times its size in memory).
    /// - Returns: the number of records written.
    /// - Throws: `TFRecordError.corrupted` naming the input and record for bad input or a kind
    ///   conflict (the CLI exits 1); `.invalidArgument` when a line, element or COCO file is
    ///   larger than `maxJSONSize` (refused before it is read whole; the CLI exits 2);
    ///   `.io` for files that cannot be read, or what the writer throws.
    /// - Complexity: O(input) time; memory O(`maxJSONSize`) for JSON Lines and arrays, several
    ///   times the file for COCO.
    @discardableResult
    public static func run(input: String, format: Format, converter: JSONConverter,
                           writer: ShardWriter, maxJSONSize: Int = defaultMaxJSONSize,
                           progress: Progress = { _, _ in }) throws(TFRecordError) -> Int {
        let limit = max(1, maxJSONSize)
        switch format {
        case .jsonLines: return try jsonLines(input, converter: converter, writer: writer, limit: limit, progress: progress)
        case .coco: return try coco(input, converter: converter, writer: writer, limit: limit, progress: progress)
        case .jsonArray: return try jsonArray(input, converter: converter, writer: writer, limit: limit, progress: progress)
        }
    }

    /// 1 GiB: the default `maxJSONSize` (a COCO file of that size takes several GB to parse;
    /// convert a bigger one to JSON Lines, e.g. with `jq -c '.annotations[]'`).
    public static let defaultMaxJSONSize = 1 << 30

    /// The error for JSON bigger than the limit.
    static func tooLarge(_ what: String, limit: Int, input: String, recordNumber: Int? = nil) -> TFRecordError {
        TFRecordError(.invalidArgument, "\(what) is larger than the \(limit)-byte limit on JSON held in memory (--max-json-size); raise the limit, or split the input into JSON Lines",
                      path: input, recordNumber: recordNumber)
    }

    /// The first byte of `bytes` that is not JSON white space.
    static func firstNonSpace(_ bytes: [UInt8]) -> UInt8? {
        bytes.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0a && $0 != 0x0d }
    }

    /// The whole input parsed as one JSON document.
    private static func document(_ input: String, limit: Int) throws(TFRecordError) -> JSONValue {
        // A regular file is measured first, so a 10 GB file is refused before any of it is read.
        if let status = try SystemCalls.statusIfExists(path: input), status.isRegular, status.size > UInt64(limit) {
            throw tooLarge("the COCO file (\(status.size) bytes)", limit: limit, input: input)
        }
        let bytes = try readAll(input, limit: limit + 1)
        if bytes.count > limit { throw tooLarge("the COCO file", limit: limit, input: input) }
        do throws(ExampleError) {
            return try JSONValue.parse(bytes)
        } catch {
            throw TFRecordError(.corrupted, "invalid JSON: \(error.detail) at byte \(error.byteOffset ?? 0)", path: input)
        }
    }

    /// A JSON array read one element at a time (`JSONArrayReader`): memory is the largest
    /// element, not the file.
    private static func jsonArray(_ input: String, converter: JSONConverter, writer: ShardWriter,
                                  limit: Int, progress: Progress) throws(TFRecordError) -> Int {
        let descriptor = try FileDescriptor(opening: input, .read)
        let fd = descriptor.raw
        let total = Double(try SystemCalls.size(fd, path: input))
        var reader = JSONArrayReader(input: input, limit: limit)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var records = 0
        var read = 0
        while true {
            let n = try chunk.withMutableBytes { (buffer) throws(TFRecordError) in
                try SystemCalls.readFully(fd, buffer, path: input)
            }
            read += n
            try reader.feed(chunk[..<n], atEnd: n == 0) { (element) throws(TFRecordError) in
                let example = try converter.example(fromJSON: element, recordNumber: records, source: input)
                try writer.write(example.serialized())
                records += 1
                if records & 255 == 0 { progress(records, total > 0 ? Double(read) / total : nil) }
            }
            if n == 0 { break }
        }
        progress(records, 1)
        return records
    }

    private static func jsonLines(_ input: String, converter: JSONConverter, writer: ShardWriter,
                                  limit: Int, progress: Progress) throws(TFRecordError) -> Int {
        let descriptor = try FileDescriptor(opening: input, .read)
        let fd = descriptor.raw
        let total = Double(try SystemCalls.size(fd, path: input))
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var consumed = 0
        var records = 0
        var atEnd = false
        while !atEnd {
            let n = try chunk.withMutableBytes { (buffer) throws(TFRecordError) in
                try SystemCalls.readFully(fd, buffer, path: input)
            }
            if n == 0 { atEnd = true }
            pending += chunk[..<n]
            var start = 0
            while let newline = pending[start...].firstIndex(of: 0x0a) ?? (atEnd && start < pending.count ? pending.count : nil) {
                if newline - start > limit {
                    throw tooLarge("line \(records + 1) (record \(records))", limit: limit, input: input, recordNumber: records)
                }
                let line = Array(pending[start..<newline])
                start = min(newline + 1, pending.count)
                consumed += line.count + 1
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0d }) { continue }
                if records == 0 && firstNonSpace(line) == UInt8(ascii: "[") {
                    throw TFRecordError(.invalidArgument, "this is a JSON array; expected JSON Lines (one object per line): read it with --format json-array (or auto)",
                                        path: input, recordNumber: 0)
                }
                let example = try converter.example(fromJSON: line, recordNumber: records, source: input)
                try writer.write(example.serialized())
                records += 1
                if records & 255 == 0 { progress(records, total > 0 ? Double(consumed) / total : nil) }
                if start >= pending.count { break }
            }
            pending.removeFirst(start)
            if pending.count > limit {
                throw tooLarge("line \(records + 1) (record \(records))", limit: limit, input: input, recordNumber: records)
            }
        }
        progress(records, 1)
        return records
    }

    private static func coco(_ input: String, converter: JSONConverter, writer: ShardWriter,
                             limit: Int, progress: Progress) throws(TFRecordError) -> Int {
        let document = try document(input, limit: limit)
        guard case .object(let top) = document,
              case .array(let annotations)? = top.first(where: { $0.key == "annotations" })?.value else {
            throw TFRecordError(.corrupted, "not a COCO annotation file: no \"annotations\" array", path: input)
        }
        var images: [String: [(key: String, value: JSONValue, offset: Int)]] = [:]
        if case .array(let list)? = top.first(where: { $0.key == "images" })?.value {
            for item in list {
                if case .object(let fields) = item.value, let id = fields.first(where: { $0.key == "id" })?.value {
                    images[id.identity] = fields
                }
            }
        }
        var records = 0
        for annotation in annotations {
            var extra: [(String, JSONValue)] = []
            if case .object(let fields) = annotation.value,
               let imageID = fields.first(where: { $0.key == "image_id" })?.value {
                guard let image = images[imageID.identity] else {
                    throw TFRecordError(.corrupted, "annotation \(records) names image_id \(imageID.identity), which is not in \"images\"",
                                        path: input, recordNumber: records)
                }
                for field in image where field.key != "id" {
                    extra.append(("image/" + field.key, field.value))
                }
                if let fileField = converter.fileField,
                   let name = image.first(where: { $0.key == "file_name" })?.value {
                    extra.append((fileField, name))
                }
            }
            let example = try converter.example(from: annotation.value, recordNumber: records, source: input, extra: extra)
            try writer.write(example.serialized())
            records += 1
            if records & 63 == 0 { progress(records, Double(records) / Double(max(1, annotations.count))) }
        }
        progress(records, 1)
        return records
    }

    /// The whole file, or its first `limit` bytes: read in pieces until the end, so a pipe
    /// (whose size says 0) is read too, and memory never exceeds `limit`.
    static func readAll(_ path: String, limit: Int) throws(TFRecordError) -> [UInt8] {
        let descriptor = try FileDescriptor(opening: path, .read)
        let fd = descriptor.raw
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: min(limit, 1 << 20))
        while bytes.count < limit {
            let want = min(chunk.count, limit - bytes.count)
            let n = try chunk.withMutableBytes { (buffer) throws(TFRecordError) in
                try SystemCalls.readFully(fd, UnsafeMutableRawBufferPointer(rebasing: buffer[..<want]), path: path)
            }
            if n == 0 { break }
            bytes += chunk[..<n]
        }
        return bytes
    }
}

extension JSONValue {
    /// A key for matching ids (numbers by their text, strings by their value).
    var identity: String {
        switch self {
        case .number(let text): return text
        case .string(let text): return "\"" + text + "\""
        case .bool(let b): return b ? "true" : "false"
        default: return "?"
        }
    }
}
