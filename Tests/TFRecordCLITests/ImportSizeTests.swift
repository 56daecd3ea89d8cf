import Foundation
import Testing
@testable import TFRecordTestSupport
@testable import TFRecord
@testable import TFRecordExample
@testable import TFRecordCLI

/// Issue 15, second round, item 5: `import` never needs memory that grows with the input file.
/// A JSON array is read one element at a time (`JSONArrayReader`); a line, an element or a COCO
/// file bigger than `--max-json-size` is refused (exit 2) before it is held whole.
@Suite struct ImportSizeTests {
    /// A 100 MB JSON array (100 000 objects of ~1 KB, their strings holding `]`, `,` and escaped
    /// quotes) imports under a 200 MB address-space limit; reading the whole document first
    /// (before: 250 MB of peak RSS) aborted there.
    @Test func aLargeJSONArrayStreams() throws {
        let dir = try Scratch.folder("bigarray")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let make = try CLIHarness.shell(#"""
            cd '\#(dir)' && awk 'BEGIN{s=sprintf("%1000s",""); gsub(/ /,"x",s); printf "[ "; for(i=0;i<100000;i++){ if(i) printf ",\n"; printf "{\"id\":%d,\"text\":\"a],\\\"b%s\"}", i, s } printf " ]\n"}' > big.json
            """#)
        #expect(make.code == 0, "\(make.stderr)")
        let r = try CLIHarness.shell("""
            cd '\(dir)' && ulimit -v 200000 && exec timeout 600 "$TFRECORD" import big.json --output out --records-per-shard 1000000 --shards 1 --quiet
            """)
        #expect(r.code == 0, "\(r.stderr.prefix(400))")
        let reader = try RecordReader(path: dir + "/out/data-00000-of-00001.tfrecord")
        var count = 0
        while let record = try reader.next() {
            if count == 0 || count == 99_999 {
                let example = try Example(serialized: record.span.bytes)
                #expect(example["id"]?.int64 == Int64(count))
                #expect(example["text"]?.bytes == Array(("a],\"b" + String(repeating: "x", count: 1000)).utf8))
            }
            count += 1
        }
        #expect(count == 100_000)
    }

    /// The reader's cuts, checked against the parser on tricky arrays.
    @Test func arrayElementsAreCutWhereTheParserWould() throws {
        let cases: [(String, [String])] = [
            ("[]", []),
            (" \n[ ]\n", []),
            (#"[{"a":1}]"#, [#"{"a":1}"#]),
            (#"[{"a":"],[{"}, {"b":[1,[2]],"c":"\\\""} ,{}]"#, [#"{"a":"],[{"}"#, #" {"b":[1,[2]],"c":"\\\""} "#, "{}"]),
        ]
        for (text, expected) in cases {
            for piece in [1, 3, 1 << 20] {   // fed in pieces of every size: cuts across pieces
                var reader = JSONArrayReader(input: "in.json", limit: 1000)
                var got: [String] = []
                let bytes = Array(text.utf8)
                var i = 0
                repeat {
                    let end = min(bytes.count, i + piece)
                    try reader.feed(bytes[i..<end], atEnd: false) { got.append(String(decoding: $0, as: UTF8.self)) }
                    i = end
                } while i < bytes.count
                try reader.feed([][...], atEnd: true) { got.append(String(decoding: $0, as: UTF8.self)) }
                #expect(got == expected, "\(text) in pieces of \(piece)")
            }
        }
    }

    /// Structure errors and the limit, through the CLI: exit codes and messages.
    @Test func oversizeAndBrokenInputs() throws {
        let dir = try Scratch.folder("jsonsize")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let long = String(repeating: "y", count: 2000)
        let files: [(name: String, text: String, format: String, code: Int32, message: String)] = [
            ("element.json", #"[{"a":1},{"a":2},{"a":3},{"b":"\#(long)"}]"#, "auto", 2, "element 3 of the array is larger than the 1000-byte limit"),
            ("line.jsonl", "{\"a\":1}\n{\"b\":\"\(long)\"}\n", "jsonl", 2, "line 2 (record 1) is larger than the 1000-byte limit"),
            ("coco.json", #"{"annotations": [{"id": 1, "x": "\#(long)"}], "images": []}"#, "coco", 2, "bytes) is larger than the 1000-byte limit"),
            ("after.json", #"[{"a":1}] x"#, "json-array", 1, "bytes after the array's closing ]"),
            ("cut.json", #"[{"a":1},{"a":2"#, "json-array", 1, "ends inside the array (after 1 elements"),
            ("object.json", #"{"a":1}"#, "json-array", 2, "not a JSON array"),
        ]
        for file in files {
            try file.text.write(toFile: dir + "/" + file.name, atomically: true, encoding: .utf8)
            let r = CLIHarness.run(["import", dir + "/" + file.name, "--output", dir + "/out-" + file.name, "--format", file.format,
                                    "--records-per-shard", "10", "--max-json-size", "1000", "--quiet"])
            #expect(r.code == file.code, "\(file.name): \(r.code) \(r.stderr)")
            #expect(r.stderr.contains(dir + "/" + file.name + ": error:") && r.stderr.contains(file.message), "\(file.name): \(r.stderr)")
        }
        // Under the default limit the same files import.
        let ok = CLIHarness.run(["import", dir + "/element.json", "--output", dir + "/out-ok", "--records-per-shard", "10", "--quiet"])
        #expect(ok.code == 0, "\(ok.stderr)")
        #expect(try Dataset(paths: [dir + "/out-ok"]).count == 4)
        #expect(CLIHarness.run(["import", dir + "/element.json", "--output", dir + "/o", "--records-per-shard", "1", "--max-json-size", "0"]).code == 2)
    }
}

/// Issue 15, second round, item 6 (sweep): `import` of a pipe with `--format auto` read the
/// pipe's first 64 KiB to detect the format, closed it and reopened it, losing those bytes.
/// Now a pipe needs `--format` (exit 2 without), and is read once.
@Suite struct ImportPipeTests {
    @Test func aPipeNeedsAFormatAndIsReadOnce() throws {
        let dir = try Scratch.folder("importpipe")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = (0..<3).map { #"{"a": \#($0)}"# }.joined(separator: "\n")
        let auto = try CLIHarness.shell("printf '%s\\n' '\(lines)' | timeout 60 \"$TFRECORD\" import /dev/stdin --output '\(dir)/auto' --records-per-shard 10 --quiet")
        #expect(auto.code == 2, "\(auto.stderr)")
        #expect(auto.stderr.contains("--format"), "\(auto.stderr)")
        let given = try CLIHarness.shell("printf '%s\\n' '\(lines)' | timeout 60 \"$TFRECORD\" import /dev/stdin --format jsonl --output '\(dir)/given' --records-per-shard 10 --quiet")
        #expect(given.code == 0, "\(given.stderr)")
        #expect(try Dataset(paths: [dir + "/given"]).count == 3)
    }
}
