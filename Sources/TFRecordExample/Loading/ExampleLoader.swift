import TFRecord

/// An `AsyncSequence` of parsed batches over a `Dataset`: the training loop's input.
///
/// Each epoch reads this worker's part of the dataset (`Dataset.order(seed:worker:of:)`: a
/// seeded global shuffle, parts that are disjoint and together cover every record once),
/// cuts it into batches, and parses each batch into columns with `ExampleBatchParser`. Up to
/// `options.prefetch` batches are read and parsed ahead, at once, on Swift's concurrent pool;
/// memory is bounded by `prefetch + 1` parsed batches (plus the shards' maps and indexes).
///
/// Each batch carries `resumePosition`: a loader made with `resumingFrom:` that position
/// continues with the next batch, so a job restarted mid-epoch sees every record of the epoch
/// exactly once.
///
/// ```swift
/// var options = LoaderOptions(batchSize: 256, seed: 42)
/// options.epochs = 10
/// let loader = try ExampleLoader(dataset: try Dataset(paths: ["shards/"]), spec: spec, options: options)
/// for try await batch in loader { train(batch.columns["bbox"]!.floats); checkpoint(batch.resumePosition) }
/// ```
public struct ExampleLoader: AsyncSequence, Sendable {
    /// The batches.
    public typealias Element = LoadedBatch

    /// The records.
    public let dataset: Dataset
    /// The parser (the spec).
    public let parser: ExampleBatchParser
    /// The options.
    public let options: LoaderOptions
    /// Where the first batch starts.
    public let start: LoaderPosition

    /// Creates a loader.
    /// - Parameters:
    ///   - dataset: the shards.
    ///   - spec: the `feature_description`.
    ///   - options: batching, shuffle, worker part, remainder, epochs, prefetch.
    ///   - position: where to continue (a batch's `resumePosition`), or nil to start at epoch 0.
    /// - Throws: `TFRecordError.invalidArgument` for options out of range or a position of
    ///   another seed or beyond the epoch; the spec's errors as `ExampleBatchParser(spec:)`.
    public init(dataset: Dataset, spec: [String: FeatureSpec], options: LoaderOptions,
                resumingFrom position: LoaderPosition? = nil) throws {
        guard options.batchSize >= 1, options.prefetch >= 1, options.workers >= 1,
              options.worker >= 0, options.worker < options.workers, (options.epochs ?? 1) >= 0 else {
            throw TFRecordError(.invalidArgument, "loader options out of range: batchSize and prefetch must be at least 1, worker in 0..<workers, epochs not negative")
        }
        self.dataset = dataset
        parser = try ExampleBatchParser(spec: spec)
        self.options = options
        let start = position ?? LoaderPosition(seed: options.seed, epoch: 0, nextIndex: 0)
        guard start.seed == options.seed, start.epoch >= 0, start.nextIndex >= 0,
              start.nextIndex <= RecordOrder.slice(count: dataset.count, worker: options.worker, of: options.workers).count else {
            throw TFRecordError(.invalidArgument, "the resume position \(start) does not belong to this loader (seed \(options.seed.map(String.init) ?? "none"), \(dataset.count) records, worker \(options.worker) of \(options.workers))")
        }
        self.start = start
    }

    /// The order of `epoch` for this worker.
    func order(epoch: Int) -> RecordOrder {
        dataset.order(seed: options.seed.map { Self.epochSeed($0, epoch) }, worker: options.worker, of: options.workers)
    }

    /// A different shuffle per epoch, a function of the seed and the epoch only.
    static func epochSeed(_ seed: UInt64, _ epoch: Int) -> UInt64 {
        var z = seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The records of one batch, the padding, and the position after it; nil past the end.
    func plan(_ position: LoaderPosition) -> (numbers: [Int], padding: Int, next: LoaderPosition)? {
        var position = position
        while true {
            if let epochs = options.epochs, position.epoch >= epochs { return nil }
            let order = order(epoch: position.epoch)
            let size = options.batchSize
            let usable = options.remainder == .dropLast ? order.count / size * size : order.count
            if position.nextIndex < usable {
                let upper = Swift.min(position.nextIndex + size, usable)
                var numbers = (position.nextIndex..<upper).map { order[$0] }
                var padding = 0
                if options.remainder == .pad && numbers.count < size && order.count > 0 {
                    padding = size - numbers.count
                    numbers += (0..<padding).map { order[$0 % order.count] }
                }
                var next = position
                next.nextIndex = upper
                if upper >= usable { next = LoaderPosition(seed: position.seed, epoch: position.epoch + 1, nextIndex: 0) }
                return (numbers, padding, next)
            }
            if usable == 0 && options.epochs == nil { return nil }  // nothing to deliver, ever
            position = LoaderPosition(seed: position.seed, epoch: position.epoch + 1, nextIndex: 0)
        }
    }

    /// Reads and parses one batch.
    func load(_ numbers: [Int], padding: Int, epoch: Int, next: LoaderPosition) throws -> LoadedBatch {
        var builder = parser.makeBuilder()
        builder.expectedRecords = numbers.count
        do {
            try dataset.forEachRecord(at: numbers, verifyingChecksums: options.verifyingChecksums) { number, payload in
                do throws(ExampleError) {
                    try builder.append(payload, recordNumber: number)
                } catch {
                    let (shard, local) = dataset.location(ofRecord: number)
                    var named = error
                    named.recordNumber = local
                    named.path = dataset.paths[shard]
                    throw named.tfRecordError()
                }
            }
        }
        return LoadedBatch(columns: builder.finish(), recordNumbers: numbers, epoch: epoch, padding: padding, resumePosition: next)
    }

    /// Makes the iterator; reading starts at the first `next()`.
    public func makeAsyncIterator() -> Iterator { Iterator(loader: self) }

    /// Delivers the batches in order, with up to `prefetch` batches in flight.
    public struct Iterator: AsyncIteratorProtocol {
        let loader: ExampleLoader
        var position: LoaderPosition?
        var inFlight: [Task<LoadedBatch, any Error>] = []

        init(loader: ExampleLoader) {
            self.loader = loader
            position = loader.start
        }

        /// Starts batches until `prefetch` are in flight or the plan ends.
        mutating func fill() {
            while inFlight.count < loader.options.prefetch, let current = position, let plan = loader.plan(current) {
                let loader = loader
                inFlight.append(Task { try loader.load(plan.numbers, padding: plan.padding, epoch: current.epoch, next: plan.next) })
                position = plan.next
            }
            if let current = position, loader.plan(current) == nil { position = nil }
        }

        /// The next batch, or nil after the last epoch.
        /// - Throws: `TFRecordError` naming the shard, its record and the offset (damaged
        ///   storage or a record the spec rejects); the sequence ends after an error.
        public mutating func next() async throws -> LoadedBatch? {
            fill()
            guard !inFlight.isEmpty else { return nil }
            let task = inFlight.removeFirst()
            do {
                let batch = try await task.value
                fill()
                return batch
            } catch {
                for other in inFlight { other.cancel() }
                inFlight = []
                position = nil
                throw error
            }
        }
    }
}
