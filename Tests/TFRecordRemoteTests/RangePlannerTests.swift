import Testing

@testable import TFRecordRemote

@Suite struct RangePlannerTests {
    @Test func neighboursCloserThanTheGapMerge() {
        let wanted: [Range<Int64>] = [100..<110, 0..<10, 15..<20, 1000..<1010]
        let spans = RangePlanner.plan(wanted, gap: 10, maximumSpan: 1 << 20)
        #expect(spans.map(\.range) == [0..<20, 100..<110, 1000..<1010])
        #expect(spans[0].pieces == [
            .init(request: 1, offsetInRequest: 0, bytesInSpan: 0..<10),
            .init(request: 2, offsetInRequest: 0, bytesInSpan: 15..<20),
        ])
        #expect(spans[1].pieces == [.init(request: 0, offsetInRequest: 0, bytesInSpan: 0..<10)])
    }

    @Test func gapIsInclusiveAndZeroMergesOnlyTouching() {
        #expect(RangePlanner.plan([0..<10, 20..<30], gap: 10, maximumSpan: 100).map(\.range) == [0..<30])
        #expect(RangePlanner.plan([0..<10, 21..<30], gap: 10, maximumSpan: 100).map(\.range) == [0..<10, 21..<30])
        #expect(RangePlanner.plan([0..<10, 10..<20], gap: 0, maximumSpan: 100).map(\.range) == [0..<20])
        #expect(RangePlanner.plan([0..<10, 11..<20], gap: 0, maximumSpan: 100).map(\.range) == [0..<10, 11..<20])
    }

    @Test func spansStayWithinTheMaximum() {
        let wanted: [Range<Int64>] = (0..<10).map { Int64($0) * 10..<(Int64($0) * 10 + 8) }
        let spans = RangePlanner.plan(wanted, gap: 5, maximumSpan: 30)
        #expect(spans.allSatisfy { $0.range.count <= 30 })
        #expect(spans.map(\.range) == [0..<28, 30..<58, 60..<88, 90..<98])
    }

    @Test func aLargeRangeIsSplitAndMappedBack() {
        let spans = RangePlanner.plan([5..<30, 0..<2], gap: 0, maximumSpan: 10)
        #expect(spans.map(\.range) == [0..<2, 5..<15, 15..<25, 25..<30])
        #expect(spans[1].pieces == [.init(request: 0, offsetInRequest: 0, bytesInSpan: 0..<10)])
        #expect(spans[2].pieces == [.init(request: 0, offsetInRequest: 10, bytesInSpan: 0..<10)])
        #expect(spans[3].pieces == [.init(request: 0, offsetInRequest: 20, bytesInSpan: 0..<5)])
    }

    @Test func overlapsDuplicatesAndEmptyRanges() {
        let wanted: [Range<Int64>] = [10..<20, 10..<20, 15..<25, 7..<7]
        let spans = RangePlanner.plan(wanted, gap: 0, maximumSpan: 100)
        #expect(spans.map(\.range) == [10..<25])
        #expect(spans[0].pieces.map(\.request) == [0, 1, 2])
        let object = Bytes.random(count: 64, seed: 1)
        let data = spans.map { Array(object[Int($0.range.lowerBound)..<Int($0.range.upperBound)]) }
        let parts = RangePlanner.assemble(spans, data: data, wanted: wanted)
        #expect(parts[3] == [])
        #expect(parts[2] == Array(object[15..<25]))
        #expect(RangePlanner.plan([], gap: 10, maximumSpan: 10).isEmpty)
    }

    /// Random batches: every wanted byte comes back exactly, spans stay within the maximum, and no hole
    /// larger than the gap is fetched inside a span.
    @Test func randomBatchesAssembleExactly() {
        let object = Bytes.random(count: 100_000, seed: 7)
        var state: UInt64 = 42
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        for round in 0..<300 {
            let count = 1 + next(40)
            let wanted: [Range<Int64>] = (0..<count).map { _ in
                let start = next(99_000)
                return Int64(start)..<Int64(start + next(1000))
            }
            let gap = Int64(next(2000))
            let maximum = Int64(1 + next(5000))
            let spans = RangePlanner.plan(wanted, gap: gap, maximumSpan: maximum)
            #expect(spans.allSatisfy { $0.range.count <= maximum }, "round \(round)")
            for span in spans {
                let covered = span.pieces.map(\.bytesInSpan).sorted { $0.lowerBound < $1.lowerBound }
                var end: Int64 = 0
                for piece in covered {
                    #expect(piece.lowerBound - end <= gap, "hole larger than the gap in round \(round)")
                    end = max(end, piece.upperBound)
                }
                #expect(end == span.range.count, "span ends at its last piece")
            }
            let data = spans.map { Array(object[Int($0.range.lowerBound)..<Int($0.range.upperBound)]) }
            let parts = RangePlanner.assemble(spans, data: data, wanted: wanted)
            for (index, range) in wanted.enumerated() {
                #expect(parts[index] == Array(object[Int(range.lowerBound)..<Int(range.upperBound)]), "round \(round)")
            }
        }
    }
}
