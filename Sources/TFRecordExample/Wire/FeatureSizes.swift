import TFRecord
/// The sizes of one `Feature`, computed once before writing.
struct FeatureSizes {
    /// Bytes of the values inside the list message (packed data, or the BytesList fields).
    let payloadSize: Int
    /// Bytes of the list message (BytesList / FloatList / Int64List).
    let listSize: Int
    /// Bytes of the `Feature` message.
    let bodySize: Int

    /// Takes `feature` borrowed: an initializer's parameters are owned by default, which costs a
    /// retain (an atomic write to the list's cache line) per feature.
    init(_ feature: borrowing Feature) {
        switch feature {
        case .none:
            payloadSize = 0; listSize = 0; bodySize = 0
            return
        case .bytesList(let values):
            var size = 0
            for value in values { size += ExampleWireEncoder.fieldSize(value.count) }
            payloadSize = size
            listSize = size
        case .floatList(let values):
            payloadSize = values.count * 4
            listSize = values.isEmpty ? 0 : ExampleWireEncoder.fieldSize(payloadSize)
        case .int64List(let values):
            var size = 0
            for value in values { size += ExampleWireEncoder.varintSize(UInt64(bitPattern: value)) }
            payloadSize = size
            listSize = values.isEmpty ? 0 : ExampleWireEncoder.fieldSize(payloadSize)
        }
        bodySize = ExampleWireEncoder.fieldSize(listSize)
    }

    /// Writes the `Feature` message body.
    func write(_ feature: Feature, _ writer: inout WireWriter) {
        switch feature {
        case .none:
            return
        case .bytesList(let values):
            writer.tagLength(1, listSize)
            for value in values { writer.bytes(1, value) }
        case .floatList(let values):
            writer.tagLength(2, listSize)
            if !values.isEmpty {
                writer.tagLength(1, payloadSize)
                writer.floats(values)
            }
        case .int64List(let values):
            writer.tagLength(3, listSize)
            if !values.isEmpty {
                writer.tagLength(1, payloadSize)
                for value in values { writer.varint(UInt64(bitPattern: value)) }
            }
        }
    }
}
