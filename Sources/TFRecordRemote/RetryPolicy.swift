/// How failed requests are retried: how many attempts, and how long to wait between them
/// (exponential backoff with full jitter, as the AWS SDKs do).
///
/// Retried: HTTP 429, 500, 502, 503 (S3 `SlowDown`), 504, S3's `RequestTimeout`/`InternalError`
/// codes, connection failures and resets, read timeouts and bodies that end early (a read resumes at
/// the first byte not yet received). Never retried: other 4xx answers and protocol violations.
public struct RetryPolicy: Sendable, Equatable {
    /// The most requests made for one operation, first try included (the AWS CLI's default is 5).
    /// For reads, it bounds the attempts in a row that brought no new byte.
    public var maximumAttempts: Int
    /// The backoff before the second attempt, before jitter, in seconds.
    public var baseDelay: Double
    /// The longest backoff, before jitter, in seconds.
    public var maximumDelay: Double

    /// Makes a policy.
    ///
    /// - Parameters:
    ///   - maximumAttempts: Requests per operation, at least 1.
    ///   - baseDelay: The first backoff in seconds.
    ///   - maximumDelay: The cap on the backoff in seconds.
    /// - Complexity: O(1).
    public init(maximumAttempts: Int = 5, baseDelay: Double = 0.1, maximumDelay: Double = 20) {
        precondition(maximumAttempts >= 1, "maximumAttempts must be at least 1")
        self.maximumAttempts = maximumAttempts
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
    }

    /// The wait before attempt `attempt + 1`, after `attempt` failed ones: a uniformly random value in
    /// `0 ... min(maximumDelay, baseDelay * 2^(attempt-1))` ("full jitter").
    ///
    /// - Parameters:
    ///   - attempt: How many attempts failed so far (1 after the first).
    ///   - unitRandom: A number in `0...1` (the jitter), from the caller's generator.
    /// - Returns: Seconds to wait.
    /// - Complexity: O(1).
    public func delay(afterAttempt attempt: Int, unitRandom: Double) -> Double {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(maximumDelay, baseDelay * Double(1 << exponent))
        return ceiling * min(max(unitRandom, 0), 1)
    }

    /// Whether an HTTP status (with the S3 error code of its body, if any) is worth another attempt.
    ///
    /// - Complexity: O(1).
    public static func isRetryable(status: Int, serverCode: String?) -> Bool {
        switch status {
        case 429, 500, 502, 503, 504: return true
        default:
            switch serverCode {
            case "SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable", "Throttling",
                "ThrottlingException", "RequestTimeTooSkewed":
                return true
            default: return false
            }
        }
    }
}
