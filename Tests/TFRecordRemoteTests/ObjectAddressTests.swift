import Testing

@testable import TFRecordRemote

@Suite struct ObjectAddressTests {
    @Test func s3AddressesKeepKeysLiterally() throws {
        let cases: [(String, String, String)] = [
            ("s3://bucket/key", "bucket", "key"),
            ("s3://bucket/dir/sub dir/a b+c=d~e%41.tfrecord", "bucket", "dir/sub dir/a b+c=d~e%41.tfrecord"),
            ("s3://my.bucket-1/ünïcødé/日本語", "my.bucket-1", "ünïcødé/日本語"),
            ("S3://bucket/UPPER", "bucket", "UPPER"),
            ("s3://bucket", "bucket", ""),
            ("s3://bucket/", "bucket", ""),
            ("s3://bucket//double", "bucket", "/double"),
        ]
        for (text, bucket, key) in cases {
            let address = try ObjectAddress(text)
            #expect(address.scheme == .s3, "\(text)")
            #expect(address.bucket == bucket, "\(text)")
            #expect(address.key == key, "\(text)")
            #expect(address.httpURL == nil)
            #expect(try ObjectAddress(address.description) == address, "description round-trips for \(text)")
        }
        #expect(try ObjectAddress("s3://bucket/dir/").isPrefix)
        #expect(try ObjectAddress("s3://bucket").isPrefix)
        #expect(try !ObjectAddress("s3://bucket/file").isPrefix)
    }

    @Test func gsAddressesGoToThePublicEndpoint() throws {
        let address = try ObjectAddress("gs://tfds-data/datasets/mnist/3.0.1/mnist-train.tfrecord-00000-of-00001")
        #expect(address.scheme == .gs)
        #expect(address.bucket == "tfds-data")
        #expect(
            address.httpURL
                == "https://storage.googleapis.com/tfds-data/datasets/mnist/3.0.1/mnist-train.tfrecord-00000-of-00001")
        let odd = try ObjectAddress("gs://b/a b/ü+%")
        #expect(odd.httpURL == "https://storage.googleapis.com/b/a%20b/%C3%BC%2B%25")
    }

    @Test func httpAddressesAreURLs() throws {
        let plain = try ObjectAddress("https://example.com/data/train.tfrecord")
        #expect(plain.scheme == .https)
        #expect(plain.authority == "example.com")
        #expect(plain.key == "/data/train.tfrecord")
        #expect(plain.httpURL == "https://example.com/data/train.tfrecord")

        let withPort = try ObjectAddress("http://127.0.0.1:8080/a%20b/c d/ü?x=1")
        #expect(withPort.authority == "127.0.0.1:8080")
        #expect(withPort.key == "/a%20b/c%20d/%C3%BC?x=1", "existing escapes kept, the rest encoded")
        #expect(withPort.httpURL == "http://127.0.0.1:8080/a%20b/c%20d/%C3%BC?x=1")

        #expect(try ObjectAddress("http://host").key == "/")
        #expect(try ObjectAddress("http://host?q").key == "/?q")
        #expect(try ObjectAddress("http://[::1]:9000/x").authority == "[::1]:9000")
        #expect(try ObjectAddress("http://h/100%").key == "/100%25", "a lone % is encoded")
    }

    @Test(arguments: [
        "bucket/key", "ftp://host/x", "s3://", "s3:///key", "s3://bad bucket/key", "s3://bucket~/k",
        "http://user:pw@host/x", "http://host/x#frag", "http://host:0/x", "http://host:70000/x", "http://host:/x",
        "http://:80/x", "http://[::1/x", "http://ho st/x", "gs://", "http://host:12a/x",
    ])
    func malformedAddressesAreRefused(_ text: String) {
        #expect(throws: RemoteError.self) { try ObjectAddress(text) }
        do {
            _ = try ObjectAddress(text)
        } catch {
            #expect(error.kind == .invalidAddress)
            #expect(error.description.hasPrefix(text + ": invalid address error: "), "\(error)")
        }
    }

    @Test func keyLengthAndNULAreBounded() throws {
        let longest = String(repeating: "k", count: ObjectAddress.maximumKeyLength)
        #expect(try ObjectAddress("s3://b/" + longest).key.utf8.count == 1024)
        #expect(throws: RemoteError.self) { try ObjectAddress("s3://b/" + longest + "k") }
        #expect(throws: RemoteError.self) { try ObjectAddress("s3://b/a\u{0}b") }
        #expect(throws: RemoteError.self) { try ObjectAddress(scheme: .http, bucket: "b", key: "k") }
        let multibyte = String(repeating: "ü", count: 513)  // 1026 bytes
        #expect(throws: RemoteError.self) { try ObjectAddress("s3://b/" + multibyte) }
    }

    @Test func replacingKeyMakesSiblings() throws {
        let shard = try ObjectAddress("s3://b/dir/train.tfrecord")
        #expect(try shard.replacingKey(with: "dir/train.tfrecord.tfindex").description == "s3://b/dir/train.tfrecord.tfindex")
        let web = try ObjectAddress("http://h:1/dir/x")
        #expect(try web.replacingKey(with: "dir/x.idx").httpURL == "http://h:1/dir/x.idx")
    }
}
