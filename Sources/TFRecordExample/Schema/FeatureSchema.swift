import TFRecord

/// What one feature looks like over many records: its kind, and the least and most values it
/// held — the `feature_description` a user would otherwise write by hand.
public struct FeatureSchema: Sendable, Hashable {
    /// The feature name.
    public var name: String
    /// The kinds of list seen (`.none` when the feature was present with no kind set).
    public var kinds: Set<Feature.Kind>
    /// The fewest values in a record that has the feature.
    public var minCount: Int
    /// The most values in a record that has the feature.
    public var maxCount: Int
    /// The number of records that have the feature.
    public var presentCount: Int

    /// The one kind of list seen (ignoring `.none`), or `nil` when none or several were seen.
    public var kind: Feature.Kind? {
        let listKinds = kinds.subtracting([.none])
        return listKinds.count == 1 ? listKinds.first : nil
    }

    /// The spec that parses every record seen: fixed-length (a scalar for one value) when every
    /// record has the feature with the same count, variable-length otherwise; `nil` when the
    /// kinds conflict or no values were seen.
    /// - Parameter recordCount: the number of records looked at.
    /// - Returns: the spec, or `nil`.
    public func suggestedSpec(recordCount: Int) -> FeatureSpec? {
        guard let kind else { return nil }
        if presentCount == recordCount && minCount == maxCount && !kinds.contains(.none) {
            return .fixedLen(maxCount == 1 ? [] : [maxCount], kind)
        }
        return .varLen(kind)
    }

    mutating func add(_ feature: Feature) {
        kinds.insert(feature.kind)
        minCount = Swift.min(minCount, feature.count)
        maxCount = Swift.max(maxCount, feature.count)
        presentCount += 1
    }
}
