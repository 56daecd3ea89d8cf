import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample

/// `ExampleEncoder` / `ExampleDecoder`: round trips (edge values included), the mapping checked
/// against the independent wire decoder (`Example(serialized:)`) and against `import`'s names,
/// the strategies, and errors naming the coding path and the record.
@Suite struct ExampleCodableTests {
    static var snakeEncoder: ExampleEncoder {
        var encoder = ExampleEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }

    static var snakeDecoder: ExampleDecoder {
        var decoder = ExampleDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    @Test func annotationRoundTripsAndHasTheTutorialFeatures() throws {
        for i in 0..<50 {
            let annotation = Annotation.sample(i)
            let bytes = try Self.snakeEncoder.encode(annotation)
            // The features, read by the wire decoder (not by our Codable path).
            let example = try Example(serialized: bytes)
            #expect(Set(example.features.feature.keys) == ["image", "path", "area", "bbox", "category_id", "id", "image_id"])
            #expect(example["image"] == .bytesList([[UInt8](annotation.image)]))
            #expect(example["path"] == .bytesList([Array(annotation.path.utf8)]))
            #expect(example["area"] == .floatList([annotation.area]))
            #expect(example["bbox"] == .floatList(annotation.bbox))
            #expect(example["category_id"] == .int64List([annotation.categoryID]))
            #expect(example["image_id"] == .int64List([annotation.imageID]))
            // Keys sorted, exactly what Example.serialized() writes.
            #expect(bytes == example.serialized())
            let decoded = try Self.snakeDecoder.decode(Annotation.self, from: bytes)
            #expect(decoded == annotation)
        }
    }

    @Test func everyInputFormDecodesTheSame() throws {
        let annotation = Annotation.sample(3)
        let bytes = try Self.snakeEncoder.encode(annotation)
        let decoder = Self.snakeDecoder
        #expect(try decoder.decode(Annotation.self, from: Data(bytes)) == annotation)
        #expect(try decoder.decode(Annotation.self, from: bytes.span.bytes) == annotation)
        #expect(try decoder.decode(Annotation.self, from: ExampleView(bytes.span.bytes)) == annotation)
    }

    struct Edges: Codable {
        var nan: Float
        var negativeZero: Float
        var doubles: [Double]
        var low: Int64
        var high: Int64
        var unsigned: UInt32
        var flag: Bool
        var emptyFloats: [Float]
        var emptyInts: [Int64]
        var emptyStrings: [String]
        var emptyBytes: [UInt8]
        var names: [String]
        var chunks: [[UInt8]]
        var maybe: Int64?
        var maybeList: [Float]?
        var text: String
    }

    @Test func edgeValuesRoundTrip() throws {
        let payloadNaN = Float(bitPattern: 0x7fc0_1234)
        let value = Edges(nan: payloadNaN, negativeZero: -0.0, doubles: [0.5, -0.0, .infinity, .nan],
                          low: .min, high: .max, unsigned: .max, flag: true,
                          emptyFloats: [], emptyInts: [], emptyStrings: [], emptyBytes: [],
                          names: ["a", "", "ü"], chunks: [[0, 255], []], maybe: nil, maybeList: nil, text: "naïve")
        let bytes = try ExampleEncoder().encode(value)
        let example = try Example(serialized: bytes)
        #expect(example["maybe"] == nil)
        #expect(example["maybeList"] == nil)
        #expect(example["emptyFloats"] == .floatList([]))
        #expect(example["emptyInts"] == .int64List([]))
        #expect(example["emptyStrings"] == .bytesList([]))
        #expect(example["emptyBytes"] == .bytesList([[]]))
        #expect(example["flag"] == .int64List([1]))
        #expect(example["chunks"] == .bytesList([[0, 255], []]))
        let back = try ExampleDecoder().decode(Edges.self, from: bytes)
        #expect(back.nan.bitPattern == payloadNaN.bitPattern)
        #expect(back.negativeZero.bitPattern == (-0.0 as Float).bitPattern)
        #expect(back.doubles.count == 4 && back.doubles[0] == 0.5 && back.doubles[1].sign == .minus && back.doubles[2] == .infinity && back.doubles[3].isNaN)
        #expect(back.low == .min && back.high == .max && back.unsigned == .max && back.flag)
        #expect(back.emptyFloats.isEmpty && back.emptyInts.isEmpty && back.emptyStrings.isEmpty && back.emptyBytes.isEmpty)
        #expect(back.names == ["a", "", "ü"] && back.chunks == [[0, 255], []])
        #expect(back.maybe == nil && back.maybeList == nil)
        #expect(back.text == "naïve")
        var present = value
        present.maybe = -7
        present.maybeList = []
        let again = try ExampleDecoder().decode(Edges.self, from: try ExampleEncoder().encode(present))
        #expect(again.maybe == -7 && again.maybeList == [])
    }

    enum Category: String, Codable { case cat, dog }
    enum Level: Int64, Codable { case low = 1, high = 9 }
    struct Size: Codable, Equatable { var height: Int64; var width: Int64 }
    struct Image: Codable, Equatable { var size: Size; var format: String }
    struct Record: Codable, Equatable {
        var image: Image
        var category: Category
        var levels: [Level]
        var id: Int64
    }

    @Test func nestedStructsAndEnumsUseImportsNames() throws {
        let record = Record(image: Image(size: Size(height: 480, width: 640), format: "jpeg"), category: .dog,
                            levels: [.high, .low], id: 7)
        let example = try ExampleEncoder().encodeExample(record)
        // The same names and kinds `tfrecord import` gives the same JSON.
        let json = #"{"image": {"size": {"height": 480, "width": 640}, "format": "jpeg"}, "category": "dog", "levels": [9, 1], "id": 7}"#
        let imported = try JSONConverter().example(fromJSON: Array(json.utf8), recordNumber: 0, source: "inline")
        #expect(example == imported)
        #expect(example["image/size/height"] == .int64List([480]))
        let back = try ExampleDecoder().decode(Record.self, from: example.serialized())
        #expect(back == record)
        // Optional nested structs: absent when nil, present when set.
        struct Holder: Codable, Equatable { var size: Size?; var id: Int64 }
        for holder in [Holder(size: nil, id: 1), Holder(size: Size(height: 1, width: 2), id: 2)] {
            let bytes = try ExampleEncoder().encode(holder)
            #expect(try Example(serialized: bytes).features.count == (holder.size == nil ? 1 : 3))
            #expect(try ExampleDecoder().decode(Holder.self, from: bytes) == holder)
        }
    }

    @Test func keyStrategies() throws {
        struct Keys: Codable, Equatable { var imageID: Int64; var myURLValue: String; var plain: Float }
        let value = Keys(imageID: 3, myURLValue: "u", plain: 1)
        let snake = try Self.snakeEncoder.encodeExample(value)
        #expect(Set(snake.features.feature.keys) == ["image_id", "my_url_value", "plain"])
        #expect(try Self.snakeDecoder.decode(Keys.self, from: snake.serialized()) == value)
        var upper = ExampleEncoder()
        upper.keyEncodingStrategy = .custom { path in NameKey("x_" + path.last!.stringValue) }
        let custom = try upper.encodeExample(value)
        #expect(Set(custom.features.feature.keys) == ["x_imageID", "x_myURLValue", "x_plain"])
        var lower = ExampleDecoder()
        lower.keyDecodingStrategy = .custom { path in NameKey(String(path.last!.stringValue.dropFirst(2))) }
        #expect(try lower.decode(Keys.self, from: custom.serialized()) == value)
        // The default decoder does not find snake-case names.
        #expect(throws: DecodingError.self) { try ExampleDecoder().decode(Keys.self, from: snake.serialized()) }
    }

    @Test func encodingErrorsNameTheCodingPath() throws {
        struct Inexact: Codable { var ratio: Double }
        do {
            _ = try ExampleEncoder().encode(Inexact(ratio: 0.1))
            Issue.record("0.1 as a Double does not fit a Float exactly")
        } catch let EncodingError.invalidValue(_, context) {
            #expect(context.codingPath.map(\.stringValue) == ["ratio"])
            #expect(context.debugDescription.contains("round-trip"))
        }
        var rounding = ExampleEncoder()
        rounding.doubleEncodingStrategy = .roundToFloat
        #expect(try Example(serialized: rounding.encode(Inexact(ratio: 0.1)))["ratio"] == .floatList([Float(0.1)]))
        #expect(try Example(serialized: ExampleEncoder().encode(Inexact(ratio: 0.5)))["ratio"] == .floatList([0.5]))

        struct TooBig: Codable { var n: UInt64 }
        #expect(throws: EncodingError.self) { try ExampleEncoder().encode(TooBig(n: .max)) }
        struct Nested: Codable { var rows: [[Int64]] }
        #expect(throws: EncodingError.self) { try ExampleEncoder().encode(Nested(rows: [[1], [2]])) }
        struct Structs: Codable { var sizes: [Size] }
        #expect(throws: EncodingError.self) { try ExampleEncoder().encode(Structs(sizes: [Size(height: 1, width: 1)])) }
        #expect(throws: EncodingError.self) { try ExampleEncoder().encode([1, 2, 3] as [Int64]) }
        #expect(throws: EncodingError.self) { try ExampleEncoder().encode(Int64(3)) }
    }

    @Test func decodingErrorsNameTheCodingPathAndTheRecord() throws {
        let bytes = try Self.snakeEncoder.encode(Annotation.sample(1))
        struct Wants: Codable { var area: Float; var missing: Int64 }
        do {
            _ = try Self.snakeDecoder.decode(Wants.self, from: bytes, recordNumber: 41)
            Issue.record("a missing feature must throw")
        } catch let DecodingError.keyNotFound(key, context) {
            #expect(key.stringValue == "missing")
            #expect(context.debugDescription.hasPrefix("record 41: "))
        }
        struct WrongKind: Codable { var area: Int64 }
        do {
            _ = try ExampleDecoder().decode(WrongKind.self, from: bytes, recordNumber: 2)
            Issue.record("a float list is not an Int64")
        } catch let DecodingError.typeMismatch(_, context) {
            #expect(context.codingPath.map(\.stringValue) == ["area"])
            #expect(context.debugDescription.contains("record 2"))
        }
        struct WrongCount: Codable { var bbox: Float }
        do {
            _ = try ExampleDecoder().decode(WrongCount.self, from: bytes)
            Issue.record("a list of 4 is not one Float")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.codingPath.map(\.stringValue) == ["bbox"])
            #expect(context.debugDescription.contains("4 values"))
        }
        struct Small: Codable { var id: Int8 }
        #expect(throws: DecodingError.self) { try ExampleDecoder().decode(Small.self, from: bytes) }
        struct NotText: Codable { var image: String }
        let binary = try ExampleEncoder().encode(["image": [UInt8]([0xff, 0xfe])])
        #expect(throws: DecodingError.self) { try ExampleDecoder().decode(NotText.self, from: binary) }
    }

    @Test func damagedBytesAreDataCorruptedWithTheOffset() throws {
        let bytes = try Self.snakeEncoder.encode(Annotation.sample(2))
        // Every truncation either decodes the same value (never: the last feature is cut) or
        // throws dataCorrupted / keyNotFound; none traps or returns a wrong value silently.
        for cut in 0..<bytes.count {
            let truncated = Array(bytes[..<cut])
            do {
                let value = try Self.snakeDecoder.decode(Annotation.self, from: truncated, recordNumber: 5)
                Issue.record("truncated at \(cut) decoded as \(value)")
            } catch let DecodingError.dataCorrupted(context) {
                let underlying = try #require(context.underlyingError as? ExampleError)
                #expect(underlying.kind == .malformed && underlying.byteOffset != nil)
                #expect(context.debugDescription.contains("record 5"))
            } catch DecodingError.keyNotFound {
                // a cut between map entries: the remaining features are intact, one is missing
            }
        }
    }
}

/// The ASCII fast path of the snake-case conversion gives what the general (Character) rule
/// gives, on JSONEncoder's examples and on generated keys.
@Suite struct SnakeCaseTests {
    @Test func asciiPathEqualsTheGeneralRule() {
        let keys = ["imageID", "myURLValue", "area", "categoryID", "a", "A", "URL", "xmlHTTPRequest", "already_snake",
                    "with_Upper", "v2Value", "_private", "trailing_", "ABCd", "aB", "HTTP2Server"]
        var rng = SplitMix(seed: 9)
        let alphabet = Array("aZ_b9YcX")
        let generated = (0..<300).map { _ in String((0..<(1 + Int(rng.next() % 8))).map { _ in alphabet[Int(rng.next() % 8)] }) }
        for key in keys + generated {
            // The general rule, applied to the Characters (the path non-ASCII keys take).
            let characters = Array(key)
            var words: [Range<Int>] = []
            var start = 0
            for i in characters.indices.dropFirst() where characters[i].isUppercase {
                let nextIsLower = i + 1 < characters.count && characters[i + 1].isLowercase
                if (!characters[i - 1].isUppercase || nextIsLower) && characters[i - 1] != "_" { words.append(start..<i); start = i }
            }
            words.append(start..<characters.count)
            let general = words.map { String(characters[$0]).lowercased() }.filter { !$0.isEmpty }.joined(separator: "_")
            #expect(SnakeCase.convert(key) == general, "\(key)")
        }
        #expect(SnakeCase.convert("imageID") == "image_id" && SnakeCase.convert("myURLValue") == "my_url_value")
        #expect(SnakeCase.convert("naïveÜber") == "naïve_über")
    }

    /// An independent reference: Foundation's own `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase`
    /// on the keys Swift code has (a lowercase first letter, no `_`), JSONEncoder's documented
    /// example, and 300 generated keys; they must give the same names. Left out, where the two
    /// differ on purpose (Foundation's results are quirks the encoder does not copy): keys that
    /// begin with an uppercase run (`URL` → `u_rl` here), `_` beside an uppercase letter
    /// (`with_Upper` → `with__upper`), and digits after an uppercase letter (`kY99a` →
    /// `k_y9_9a`; the encoder gives `k_y99a`).
    @Test func equalsJSONEncodersSnakeCase() throws {
        struct Key: CodingKey {
            var stringValue: String
            init(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }
        struct OneKey: Encodable {
            let key: String
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(0, forKey: Key(stringValue: key))
            }
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        func foundation(_ key: String) throws -> String {
            let object = try JSONSerialization.jsonObject(with: try encoder.encode(OneKey(key: key))) as? [String: Any]
            return try #require(object?.keys.first)
        }
        var rng = SplitMix(seed: 21)
        let alphabet = Array("aZbWYcXd")
        let generated = (0..<300).map { _ in "k" + String((0..<Int(rng.next() % 9)).map { _ in alphabet[Int(rng.next() % 8)] }) }
        let keys = ["oneTwoThree", "imageID", "myURLValue", "area", "categoryID", "xmlHTTPRequest", "v2Value", "aB",
                    "isCrowd", "bboxXYWH", "fileName2x", "v2", "naïveÜber"] + generated
        #expect(generated.count == 300)
        for key in keys {
            #expect(try SnakeCase.convert(key) == foundation(key), "\(key)")
        }
        #expect(try foundation("oneTwoThree") == "one_two_three", "JSONEncoder's documented example")
    }
}
