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
    /// - Returns: the number of records written.
    /// - Throws: `TFRecordError.corrupted` naming the input and record for bad input or a kind
    ///   conflict (the CLI exits 1),
    ///   `.io` for files that cannot be read, or what the writer throws.
    @discardableResult
    public static func run(input: String, format: Format, converter: JSONConverter,
                           writer: ShardWriter, progress: Progress = { _, _ in }) throws(TFRecordError) -> Int {
        switch format {
        case .jsonLines: return try jsonLines(input, converter: converter, writer: writer, progress: progress)
        case .coco: return try coco(input, converter: converter, writer: writer, progress: progress)
        case .jsonArray: return try jsonArray(input, converter: converter, writer: writer, progress: progress)
        }
    }

    /// The first byte of `bytes` that is not JSON white space.
    static func firstNonSpace(_ bytes: [UInt8]) -> UInt8? {
        bytes.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0a && $0 != 0x0d }
    }

    /// The whole input parsed as one JSON document.
    private static func document(_ input: String) throws(TFRecordError) -> JSONValue {
        do {
            return try JSONValue.parse(try readAll(input, limit: Int.max))
        } catch let error as ExampleError {
            throw TFRecordError(.corrupted, "invalid JSON: \(error.detail) at byte \(error.byteOffset ?? 0)", path: input)
        } catch let error as TFRecordError {
            throw error
        } catch {
            throw TFRecordError(.corrupted, "\(error)", path: input)
        }
    }

    private static func jsonArray(_ input: String, converter: JSONConverter, writer: ShardWriter,
                                  progress: Progress) throws(TFRecordError) -> Int {
        guard case .array(let elements) = try document(input) else {
            throw TFRecordError(.invalidArgument, "not a JSON array: expected [ {...}, {...} ] (JSON Lines and COCO are read with --format jsonl / coco)",
                                path: input)
        }
        var records = 0
        for element in elements {
            let example = try converter.example(from: element.value, recordNumber: records, source: input)
            try writer.write(example)
            records += 1
            if records & 255 == 0 { progress(records, Double(records) / Double(max(1, elements.count))) }
        }
        progress(records, 1)
        return records
    }

    private static func jsonLines(_ input: String, converter: JSONConverter, writer: ShardWriter,
                                  progress: Progress) throws(TFRecordError) -> Int {
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
        }
        progress(records, 1)
        return records
    }

    private static func coco(_ input: String, converter: JSONConverter, writer: ShardWriter,
                             progress: Progress) throws(TFRecordError) -> Int {
        let document = try document(input)
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

    /// The whole file (or its first `limit` bytes).
    static func readAll(_ path: String, limit: Int) throws(TFRecordError) -> [UInt8] {
        let descriptor = try FileDescriptor(opening: path, .read)
        let fd = descriptor.raw
        let size = min(limit, try SystemCalls.size(fd, path: path))
        var bytes = [UInt8](repeating: 0, count: size)
        let read = try bytes.withMutableBytes { (buffer) throws(TFRecordError) in
            try SystemCalls.readFully(fd, buffer, path: path)
        }
        return Array(bytes[..<read])
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
