import TFRecordExample

/// Parsing specs made from a set of records, for checking the parsers on the corpus: each
/// name's first kind as var-length, its first count as fixed-length, and the same with the
/// first value as default — so records with other counts or kinds must fail the way TensorFlow
/// fails them.
enum CorpusSpecs {
    static func specs(_ examples: [Example]) -> [[String: FeatureSpec]] {
        var first: [String: Feature] = [:]
        for example in examples {
            for (name, feature) in example.features.feature where feature.kind != .none && first[name] == nil {
                first[name] = feature
            }
        }
        let varSpec = first.mapValues { FeatureSpec.varLen($0.kind) }
        let fixedSpec = first.mapValues { FeatureSpec.fixedLen([$0.count], $0.kind) }
        let defaults = first.mapValues { FeatureSpec.fixedLen([$0.count], $0.kind, defaultValue: $0) }
        return [varSpec, fixedSpec, defaults]
    }
}
