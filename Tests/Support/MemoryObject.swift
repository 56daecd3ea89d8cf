import Foundation
import Synchronization
import TFRecord

/// A `StoredObject` over bytes in memory (a local file's, read once): the core's object path
/// exercised without a network, with small chunks so records straddle them. It counts the calls
/// made, so tests can check that batches are fetched as batches.
final class MemoryObject: StoredObject {
    let name: String
    let data: [UInt8]
    let chunkSize: Int
    /// `bytes(in: range)` calls, `bytes(in: ranges)` calls, chunks handed out.
    let calls = Mutex<(single: Int, batches: Int, chunks: Int)>((0, 0, 0))

    var byteCount: UInt64 { UInt64(data.count) }

    init(name: String, data: [UInt8], chunkSize: Int = 1000) {
        self.name = name
        self.data = data
        self.chunkSize = chunkSize
    }

    /// The file at `path`, named by its path.
    convenience init(path: String, chunkSize: Int = 1000) throws {
        self.init(name: path, data: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), chunkSize: chunkSize)
    }

    func bytes(in range: Range<UInt64>) throws(TFRecordError) -> [UInt8] {
        calls.withLock { $0.single += 1 }
        precondition(range.upperBound <= byteCount, "a read past the end of \(name): \(range)")
        return Array(data[Int(range.lowerBound)..<Int(range.upperBound)])
    }

    func bytes(in ranges: [Range<UInt64>]) throws(TFRecordError) -> [[UInt8]] {
        calls.withLock { $0.batches += 1 }
        return ranges.map { Array(data[Int($0.lowerBound)..<Int($0.upperBound)]) }
    }

    func chunks(from offset: UInt64) throws(TFRecordError) -> any StoredObjectChunks {
        Chunks(object: self, offset: Int(offset))
    }

    final class Chunks: StoredObjectChunks {
        let object: MemoryObject
        var offset: Int
        init(object: MemoryObject, offset: Int) {
            self.object = object
            self.offset = offset
        }
        func next() throws(TFRecordError) -> [UInt8]? {
            guard offset < object.data.count else { return nil }
            let end = min(object.data.count, offset + object.chunkSize)
            defer { offset = end }
            object.calls.withLock { $0.chunks += 1 }
            return Array(object.data[offset..<end])
        }
    }
}
