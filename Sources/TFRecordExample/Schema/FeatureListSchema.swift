import TFRecord

/// What one feature list of `SequenceExample` records looks like: its kind, steps and values
/// per step.
public struct FeatureListSchema: Sendable, Hashable {
    /// The per-step feature schema (counts are values per step, `presentCount` counts records).
    public var feature: FeatureSchema
    /// The fewest steps in a record that has the list.
    public var minSteps: Int
    /// The most steps in a record that has the list.
    public var maxSteps: Int
}
