import Foundation
@testable import TFRecord

/// The manifest's JSON form of features (`{"int64": [...]}`, `{"float": [...], "float_bits":
/// [...]}`, `{"bytes_b64": [...]}`, `{}`) as our types.
enum ManifestFeatures {
    static func feature(_ json: [String: Any]) -> Feature {
        if let values = json["int64"] as? [NSNumber] {
            return .int64List(values.map { $0.int64Value })
        }
        if let bits = json["float_bits"] as? [String] {
            return .floatList(bits.map { Float(bitPattern: UInt32($0, radix: 16)!) })
        }
        if let values = json["bytes_b64"] as? [String] {
            return .bytesList(values.map { Base64.decode($0)! })
        }
        precondition(json.isEmpty, "unknown manifest feature \(json)")
        return .none
    }

    static func features(_ json: [String: Any]) -> Features {
        Features(json.mapValues { feature($0 as! [String: Any]) })
    }

    static func example(_ json: [String: Any]) -> Example {
        Example(features: features(json))
    }

    static func sequenceExample(_ json: [String: Any]) -> SequenceExample {
        let context = features(json["context"] as? [String: Any] ?? [:])
        let lists = (json["feature_lists"] as? [String: Any] ?? [:]).mapValues { list in
            (list as! [[String: Any]]).map { feature($0) }
        }
        return SequenceExample(context: context, featureLists: lists)
    }
}

extension Manifest.File {
    /// The file's payloads, or `nil` when this build cannot read its compression yet.
    func payloadsIfReadable() throws -> [[UInt8]]? {
        let reader: RecordReader
        do {
            reader = try RecordReader(path: fullPath)
        } catch {
            if error.kind == .invalidArgument && !compression.isEmpty { return nil }
            throw error
        }
        return try reader.readAll()
    }
}
