import Dispatch
import Synchronization
/// Records gathered for one hand-off to a shard's thread: payloads back to back.
struct RecordBatch: Sendable {
    var bytes: [UInt8] = []
    var lengths: [Int] = []

    mutating func append(_ payload: [UInt8]) {
        bytes.append(contentsOf: payload)
        lengths.append(payload.count)
    }
}
