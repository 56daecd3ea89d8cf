import CSupport

/// A sink that receives each record as its three pieces (header, payload, footer), so a
/// compressor can feed them exactly as TensorFlow's writer does (or cut blocks at records).
protocol RecordPiecesSink: RecordSink {
    /// Consumes one framed record.
    func writeRecord(header: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer, footer: UnsafeRawBufferPointer) throws(TFRecordError)
}
