import Foundation
import Testing

@testable import TFRecordRemote

/// The credential chain, against a temporary HOME with real files.
@Suite struct S3ConfigurationTests {
    /// A temporary HOME with optional `.aws/credentials` and `.aws/config`, removed afterwards.
    func withHome(
        credentials: String? = nil, config: String? = nil, _ body: (String) throws -> Void
    ) throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("tfr-home-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home + "/.aws", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        if let credentials { try credentials.write(toFile: home + "/.aws/credentials", atomically: true, encoding: .utf8) }
        if let config { try config.write(toFile: home + "/.aws/config", atomically: true, encoding: .utf8) }
        try body(home)
    }

    static let credentialsFile = """
        # comment
        [default]
        aws_access_key_id = AKIDDEFAULT
        aws_secret_access_key = secretdefault ; trailing comment

        [dev]
        aws_access_key_id=AKIDDEV
        aws_secret_access_key=secret=with=equals
        aws_session_token = tokendev
        s3 =
          max_concurrent_requests = 20

        [broken]
        aws_access_key_id = AKIDBROKEN
        """

    @Test func nothingConfiguredMeansAnonymousUSEast1() throws {
        try withHome { (home: String) throws in
            let configuration = try S3Configuration.resolve(environment: ["HOME": home])
            #expect(configuration.credentials == nil)
            #expect(configuration.region == "us-east-1")
            #expect(configuration.endpoint == nil)
        }
    }

    @Test func environmentWinsOverFiles() throws {
        try withHome(credentials: Self.credentialsFile) { (home: String) throws in
            let configuration = try S3Configuration.resolve(environment: [
                "HOME": home, "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "secretenv", "AWS_SESSION_TOKEN": "tok",
            ])
            #expect(configuration.credentials?.accessKeyID == "AKIDENV")
            #expect(configuration.credentials?.secretAccessKey == "secretenv")
            #expect(configuration.credentials?.sessionToken == "tok")
            #expect(configuration.credentials?.source == "environment")
            #expect(!"\(configuration.credentials!)".contains("secretenv"), "the secret is never printed")
        }
    }

    @Test func partialEnvironmentIsAnError() throws {
        try withHome(credentials: Self.credentialsFile) { (home: String) throws in
            #expect(throws: RemoteError.self) {
                try S3Configuration.resolve(environment: ["HOME": home, "AWS_ACCESS_KEY_ID": "AKIDENV"])
            }
        }
    }

    @Test func sharedCredentialsFileDefaultAndNamedProfiles() throws {
        try withHome(credentials: Self.credentialsFile) { (home: String) throws in
            let standard = try S3Configuration.resolve(environment: ["HOME": home])
            #expect(standard.credentials == AWSCredentials(
                accessKeyID: "AKIDDEFAULT", secretAccessKey: "secretdefault", source: home + "/.aws/credentials (profile default)"))
            let dev = try S3Configuration.resolve(environment: ["HOME": home, "AWS_PROFILE": "dev"])
            #expect(dev.credentials?.accessKeyID == "AKIDDEV")
            #expect(dev.credentials?.secretAccessKey == "secret=with=equals")
            #expect(dev.credentials?.sessionToken == "tokendev")
            #expect(throws: RemoteError.self) { try S3Configuration.resolve(environment: ["HOME": home, "AWS_PROFILE": "missing"]) }
            #expect(throws: RemoteError.self) { try S3Configuration.resolve(environment: ["HOME": home, "AWS_PROFILE": "broken"]) }
        }
    }

    @Test func credentialsFileVariableAndConfigFile() throws {
        try withHome(config: "[default]\nregion = eu-central-1\n[profile work]\nregion=ap-south-1\naws_access_key_id=AKIDCONF\naws_secret_access_key=s\n") { (home: String) throws in
            let elsewhere = home + "/elsewhere"
            try "[default]\naws_access_key_id=AKIDELSEWHERE\naws_secret_access_key=x\n".write(toFile: elsewhere, atomically: true, encoding: .utf8)
            let moved = try S3Configuration.resolve(environment: ["HOME": home, "AWS_SHARED_CREDENTIALS_FILE": elsewhere])
            #expect(moved.credentials?.accessKeyID == "AKIDELSEWHERE")
            #expect(moved.region == "eu-central-1", "region from the config file's default section")
            let work = try S3Configuration.resolve(environment: ["HOME": home, "AWS_PROFILE": "work"])
            #expect(work.credentials?.accessKeyID == "AKIDCONF", "keys in the config file's profile section")
            #expect(work.region == "ap-south-1")
        }
    }

    @Test func regionPrecedence() throws {
        try withHome(config: "[default]\nregion = eu-central-1\n") { (home: String) throws in
            #expect(try S3Configuration.resolve(environment: ["HOME": home, "AWS_DEFAULT_REGION": "us-west-1"]).region == "us-west-1")
            #expect(
                try S3Configuration.resolve(environment: ["HOME": home, "AWS_DEFAULT_REGION": "us-west-1", "AWS_REGION": "us-west-2"]).region
                    == "us-west-2")
            #expect(throws: RemoteError.self) { try S3Configuration.resolve(environment: ["HOME": home, "AWS_REGION": "bad region/"]) }
        }
    }

    @Test func endpointVariablesMeanPathStyle() throws {
        try withHome { (home: String) throws in
            let generic = try S3Configuration.resolve(environment: ["HOME": home, "AWS_ENDPOINT_URL": "http://127.0.0.1:9000/"])
            #expect(generic.endpoint == "http://127.0.0.1:9000")
            let specific = try S3Configuration.resolve(environment: [
                "HOME": home, "AWS_ENDPOINT_URL": "http://127.0.0.1:9000", "AWS_ENDPOINT_URL_S3": "https://minio.local:9443",
            ])
            #expect(specific.endpoint == "https://minio.local:9443")
            let builder = S3RequestBuilder(configuration: specific)
            #expect(builder.location(bucket: "bucket", key: "a b").host == "minio.local:9443")
            #expect(builder.location(bucket: "bucket", key: "a b").path == "/bucket/a%20b")
            for bad in ["ftp://x", "http://h/path", "not a url", "http://user@h"] {
                #expect(throws: RemoteError.self, "\(bad)") {
                    try S3Configuration.resolve(environment: ["HOME": home, "AWS_ENDPOINT_URL": bad])
                }
            }
        }
    }

    @Test func oversizedFileIsRefused() throws {
        try withHome(credentials: String(repeating: "# padding\n", count: 110_000)) { (home: String) throws in
            #expect(throws: RemoteError.self) { try S3Configuration.resolve(environment: ["HOME": home]) }
        }
    }

    @Test func remoteConfigurationReadsAttemptsAndCABundle() throws {
        try withHome { (home: String) throws in
            let configuration = try RemoteConfiguration.resolve(environment: [
                "HOME": home, "AWS_MAX_ATTEMPTS": "7", "AWS_CA_BUNDLE": "/tmp/ca.pem",
            ])
            #expect(configuration.retry.maximumAttempts == 7)
            #expect(configuration.trustedCertificatesFile == "/tmp/ca.pem")
            #expect(throws: RemoteError.self) { try RemoteConfiguration.resolve(environment: ["HOME": home, "AWS_MAX_ATTEMPTS": "0"]) }
        }
    }

    @Test func remoteConfigurationReadsTheUploadShape() throws {
        try withHome { (home: String) throws in
            let defaults = try RemoteConfiguration.resolve(environment: ["HOME": home])
            #expect(defaults.partSize == 8 << 20 && defaults.partsInFlight == 4)
            let configuration = try RemoteConfiguration.resolve(environment: [
                "HOME": home, "TFRECORD_S3_PART_SIZE": "16M", "TFRECORD_S3_PARTS_IN_FLIGHT": "10",
            ])
            #expect(configuration.partSize == 16 << 20)
            #expect(configuration.partsInFlight == 10)
            #expect(try RemoteConfiguration.resolve(environment: ["HOME": home, "TFRECORD_S3_PART_SIZE": "5242880"]).partSize == 5 << 20)
            for bad in [["TFRECORD_S3_PART_SIZE": "4M"], ["TFRECORD_S3_PART_SIZE": "6G"], ["TFRECORD_S3_PART_SIZE": "lots"],
                        ["TFRECORD_S3_PARTS_IN_FLIGHT": "0"], ["TFRECORD_S3_PARTS_IN_FLIGHT": "65"]] {
                #expect(throws: RemoteError.self, "\(bad)") { try RemoteConfiguration.resolve(environment: bad.merging(["HOME": home]) { a, _ in a }) }
            }
        }
    }
}
