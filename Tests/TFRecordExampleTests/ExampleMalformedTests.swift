import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample

/// Damaged Example bytes give typed errors with an offset inside the record, never a crash:
/// truncation at every byte and every single-bit flip of corpus records, plus hand-made cases.
@Suite struct ExampleMalformedTests {
    /// A few records of every Example file (the first and last of each).
    static func sampleRecords() throws -> [(String, [UInt8])] {
        var samples: [(String, [UInt8])] = []
        for file in Manifest.exampleFiles where file.compression.isEmpty {
            let payloads = try MappedFile(path: file.fullPath).allRecords()
            let picks = file.path.contains("wire_variants") ? Array(payloads.indices) : [0, payloads.count - 1]
            for i in Set(picks) where payloads[i].count < 4096 {
                samples.append(("\(file.path)#\(i)", payloads[i]))
            }
        }
        return samples
    }

    /// Decodes with the decoder and with every lookup of the view; returns the decoder's error.
    static func exercise(_ bytes: [UInt8], names: [String]) -> ExampleError? {
        for name in names {
            do {
                let view = ExampleView(bytes.span.bytes)
                if let feature = try view.feature(named: name) {
                    _ = feature.decoded()
                }
            } catch {
                #expect(error.kind == .malformed)
                #expect(error.byteOffset.map { $0 >= 0 && $0 <= bytes.count } ?? false)
            }
        }
        do {
            _ = try Example(serialized: bytes)
            _ = try SequenceExample(serialized: bytes)
            return nil
        } catch {
            #expect(error.kind == .malformed)
            #expect(error.byteOffset.map { $0 >= 0 && $0 <= bytes.count } ?? false, "\(error)")
            return error
        }
    }

    @Test func truncationAtEveryByte() throws {
        var errors = 0
        for (label, payload) in try Self.sampleRecords() {
            let names = try Array(Example(serialized: payload).features.feature.keys)
            for cut in 0..<payload.count {
                let prefix = Array(payload[0..<cut])
                if Self.exercise(prefix, names: names) != nil { errors += 1 }
                _ = label
            }
        }
        // Most prefixes end inside a length-delimited field.
        #expect(errors > 100)
    }

    @Test func everyBitFlip() throws {
        var errors = 0
        for (_, payload) in try Self.sampleRecords().prefix(40) where payload.count <= 400 {
            let names = try Array(Example(serialized: payload).features.feature.keys)
            for byte in payload.indices {
                for bit in 0..<8 {
                    var damaged = payload
                    damaged[byte] ^= UInt8(1 << bit)
                    if Self.exercise(damaged, names: names) != nil { errors += 1 }
                }
            }
        }
        #expect(errors > 100)
    }

    /// (bytes, expected offset of the damage) for each kind of damage.
    static let cases: [(String, [UInt8], Int)] = [
        ("truncated tag varint", [0x8a], 0),
        ("length past end (offset of the length)", [0x0a, 0x05, 0x0a], 1),
        ("nested length past end", [0x0a, 0x03, 0x0a, 0x05, 0x0a], 3),
        ("varint over 10 bytes", [0x08] + Array(repeating: 0xff, count: 10) + [0x01], 1),
        ("wire type 7", [0x0f], 0),
        ("wire type 6", [0x0e], 0),
        ("end group without start", [0x0c], 0),
        ("group never ends", [0x0b, 0x08, 0x01], 0),
        ("group ends with another number", [0x0b, 0x14], 1),
        ("field number 0", [0x02, 0x00], 0),
        ("truncated fixed32", [0x0d, 0x00, 0x00], 1),
        ("truncated fixed64", [0x09, 0x00], 1),
        // features { feature { key "f" value { float_list { value: packed 3 bytes } } } }
        ("packed floats not a multiple of 4", [0x0a, 0x0c, 0x0a, 0x0a, 0x0a, 0x01, 0x66, 0x12, 0x05, 0x12, 0x03, 0x0a, 0x01, 0x00], 12),
        // features { feature { key 0xff } }: key not UTF-8
        ("key not UTF-8", [0x0a, 0x05, 0x0a, 0x03, 0x0a, 0x01, 0xff], 6),
        // int64 packed run whose last varint runs past its run
        ("packed varint past its run", [0x0a, 0x0c, 0x0a, 0x0a, 0x0a, 0x01, 0x69, 0x12, 0x05, 0x1a, 0x03, 0x0a, 0x01, 0x80], 13),
    ]

    @Test func handMadeDamage() {
        for (label, bytes, offset) in Self.cases {
            do {
                _ = try Example(serialized: bytes)
                Issue.record("\(label): decoded")
            } catch {
                #expect(error.kind == .malformed, "\(label)")
                #expect(error.byteOffset == offset, "\(label): \(error)")
            }
        }
    }

    @Test func acceptedLikeProtobuf() throws {
        // A known field with another wire type is an unknown field to protobuf: skipped.
        #expect(try Example(serialized: [0x08, 0x01]) == Example())
        // Groups are skipped whole, nested ones too.
        #expect(try Example(serialized: [0x0b, 0x13, 0x08, 0x01, 0x14, 0x0c]) == Example())
        // Over-long varints are accepted.
        #expect(try Example(serialized: [0x0a, 0x80, 0x00]) == Example())
        // Concatenated messages merge: the union of the maps, a repeated key takes the later entry.
        let a: Example = ["x": 1, "shared": [1.5]], b: Example = ["y": "b", "shared": [7, 8]]
        let merged = try Example(serialized: a.serialized() + b.serialized())
        #expect(merged == ["x": 1, "y": "b", "shared": [7, 8]])
        let view = ExampleView((a.serialized() + b.serialized()).span.bytes)
        #expect(try view.feature(named: "shared")?.int64s() == [7, 8])
        #expect(try view.feature(named: "x")?.int64s() == [1])
    }

    @Test func fileLevelErrorNamesRecordAndOffset() {
        let error = ExampleError(.malformed, "length past end", byteOffset: 5).at(recordNumber: 3, path: "a.tfrecord")
        let tf = error.tfRecordError(recordOffset: 100)
        #expect(tf.kind == .corrupted)
        #expect(tf.offset == 117)
        #expect(tf.recordNumber == 3)
        #expect(tf.path == "a.tfrecord")
        #expect(error.description.contains("record 3"))
        #expect(error.description.contains("byte 5"))
    }
}
