#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `Data` is one value of a `bytes_list`, as `[UInt8]` is.
extension Data: FeatureScalar, FeatureValueConvertible {
    static var featureKind: Feature.Kind { .bytes }

    func scalarValue(_ options: ExampleEncoder, _ codingPath: [any CodingKey]) throws -> ScalarValue { .bytes([UInt8](self)) }

    static func decodeScalar(_ source: ScalarSource, _ codingPath: [any CodingKey]) throws -> Data {
        guard case .bytes(let raw) = source else { throw CodableErrors.kindMismatch(Data.self, source.kind, codingPath) }
        return Data(raw)
    }
}
