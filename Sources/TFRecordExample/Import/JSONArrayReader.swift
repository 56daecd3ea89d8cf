import TFRecord

/// Cuts a JSON array, fed in pieces, into its elements' bytes without parsing them: a scan that
/// tracks strings (and their escapes) and bracket depth, so a 10 GB array is imported one
/// element at a time in memory bounded by the largest element (`limit`). Each element is parsed
/// by the caller; structure errors outside the elements (no `[`, bytes after `]`, a file that
/// ends inside the array) are `.corrupted` errors naming the input and byte offset.
struct JSONArrayReader {
    private let input: String
    private let limit: Int
    /// Bytes of the current element so far.
    private var element: [UInt8] = []
    private var state = State.beforeArray
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// Bytes of the input scanned so far.
    private(set) var consumed = 0
    /// Elements delivered so far.
    private var elements = 0

    private enum State { case beforeArray, inArray, afterArray }

    init(input: String, limit: Int) {
        self.input = input
        self.limit = limit
    }

    /// Scans `bytes` (the next piece of the input), calling `body` with each element completed.
    /// - Parameter atEnd: no more input follows.
    /// - Throws: `.corrupted` for a structure error, `.invalidArgument` for an element over
    ///   `limit`, or what `body` throws.
    mutating func feed(_ bytes: ArraySlice<UInt8>, atEnd: Bool,
                       _ body: ([UInt8]) throws(TFRecordError) -> Void) throws(TFRecordError) {
        var segmentStart = bytes.startIndex   // start of the element bytes not yet copied
        for index in bytes.indices {
            let byte = bytes[index]
            defer { consumed += 1 }
            switch state {
            case .beforeArray:
                if Self.isSpace(byte) { continue }
                guard byte == UInt8(ascii: "[") else {
                    throw TFRecordError(.invalidArgument, "not a JSON array: expected [ {...}, {...} ] (JSON Lines and COCO are read with --format jsonl / coco)",
                                        path: input)
                }
                state = .inArray
                segmentStart = index + 1
            case .afterArray:
                guard Self.isSpace(byte) else {
                    throw TFRecordError(.corrupted, "invalid JSON: bytes after the array's closing ] at byte \(consumed)", path: input)
                }
            case .inArray:
                if inString {
                    if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"): depth -= 1
                case UInt8(ascii: "]") where depth > 0: depth -= 1
                case UInt8(ascii: ","), UInt8(ascii: "]"):
                    guard depth == 0 else { continue }
                    element += bytes[segmentStart..<index]
                    segmentStart = index + 1
                    let isLast = byte == UInt8(ascii: "]")
                    if isLast { state = .afterArray }
                    if isLast && elements == 0 && element.allSatisfy(Self.isSpace) { continue }   // []
                    guard element.count <= limit else { throw tooLarge() }
                    let done = element
                    element.removeAll(keepingCapacity: true)
                    try body(done)
                    elements += 1
                default: break
                }
            }
        }
        if state == .inArray {
            element += bytes[segmentStart..<bytes.endIndex]
            guard element.count <= limit else { throw tooLarge() }
        }
        if atEnd && state != .afterArray {
            throw state == .beforeArray
                ? TFRecordError(.invalidArgument, "not a JSON array: the input is empty", path: input)
                : TFRecordError(.corrupted, "invalid JSON: the input ends inside the array (after \(elements) elements, at byte \(consumed))",
                                path: input, recordNumber: elements)
        }
    }

    private func tooLarge() -> TFRecordError {
        ExampleImport.tooLarge("element \(elements) of the array", limit: limit, input: input, recordNumber: elements)
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d }
}
