/// The code and message of an S3 error document (`<Error><Code>SlowDown</Code><Message>…`).
struct S3ErrorBody: Sendable, Equatable {
    /// The root element's name (`Error` for error documents).
    var root: String
    /// The S3 error code.
    var code: String?
    /// The human-readable message.
    var message: String?

    /// Parses a (bounded) body; `nil` when it is not XML.
    ///
    /// - Complexity: O(n).
    init?(_ body: [UInt8]) {
        guard !body.isEmpty, let element = try? S3XMLParser.parse(body) else { return nil }
        root = element.name
        code = element.text(of: "Code")
        message = element.text(of: "Message")
    }
}
