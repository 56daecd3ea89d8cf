import Foundation
@testable import TFRecord
@testable import TFRecordExample

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

    /// `example` with every NaN float replaced by the canonical NaN (JSON has one NaN).
    static func canonicalNaN(_ example: Example) -> Example {
        var copy = example
        for (name, feature) in example.features.feature {
            if case .floatList(let values) = feature {
                copy[name] = .floatList(values.map { $0.isNaN ? Float.nan : $0 })
            }
        }
        return copy
    }
}
