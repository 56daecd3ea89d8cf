#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ExampleDecoder {
    /// Decodes a `T` from a serialized example held in `Data` (see `decode(_:from:recordNumber:)`).
    public func decode<T: Decodable>(_ type: T.Type, from data: Data, recordNumber: Int? = nil) throws -> T {
        try data.withUnsafeBytes { try decode(type, unsafeBytes: $0, recordNumber: recordNumber) }
    }
}
