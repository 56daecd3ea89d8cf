import Foundation

/// How to reach an S3 API: the region, the endpoint, the credentials and the addressing style.
///
/// ``resolve(environment:)`` finds them the way the AWS CLI and botocore do: credentials from
/// `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, then the shared credentials file
/// (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`) and the config file (`AWS_CONFIG_FILE`,
/// default `~/.aws/config`) for the profile `AWS_PROFILE` (default `default`); the region from
/// `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`, else `us-east-1`; the endpoint from
/// `AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`, else AWS. With no credentials anywhere, requests are
/// sent unsigned (anonymous access to public buckets).
public struct S3Configuration: Sendable, Equatable {
    /// Whether the bucket goes into the host name or the path.
    public enum AddressingStyle: String, Sendable, Equatable {
        /// Path-style for custom endpoints and bucket names that are not DNS labels, virtual-host otherwise.
        case automatic
        /// `https://endpoint/bucket/key` (MinIO, Ceph, moto, R2).
        case path
        /// `https://bucket.endpoint/key` (AWS's default).
        case virtualHost
    }

    /// The region requests are signed for (`us-east-1`).
    public var region: String
    /// A custom endpoint (`http://127.0.0.1:9000`), or `nil` for AWS (`https://s3.REGION.amazonaws.com`).
    public var endpoint: String?
    /// The credentials, or `nil` to send unsigned (anonymous) requests.
    public var credentials: AWSCredentials?
    /// Whether the bucket goes into the host name or the path.
    public var addressingStyle: AddressingStyle

    /// Makes a configuration.
    ///
    /// - Parameters:
    ///   - region: The signing region.
    ///   - endpoint: A custom endpoint URL (`scheme://host[:port]`), or `nil` for AWS.
    ///   - credentials: The credentials, or `nil` for anonymous access.
    ///   - addressingStyle: Path or virtual-host addressing; `.automatic` picks path-style for custom endpoints.
    /// - Complexity: O(1).
    public init(
        region: String = "us-east-1", endpoint: String? = nil, credentials: AWSCredentials? = nil,
        addressingStyle: AddressingStyle = .automatic
    ) {
        self.region = region
        self.endpoint = endpoint
        self.credentials = credentials
        self.addressingStyle = addressingStyle
    }

    /// Finds the configuration in the environment and the AWS shared files, as the AWS CLI does.
    ///
    /// - Parameter environment: The variables to read (`HOME` too); the process's by default.
    /// - Returns: The configuration; `credentials` is `nil` when none are configured.
    /// - Throws: ``RemoteError`` of kind `invalidConfiguration` when only one of the two key variables
    ///   is set, when `AWS_PROFILE` names a profile found in neither file, when a profile has a key ID
    ///   without a secret, when a file is larger than 1 MiB or unreadable (a missing file is fine), or
    ///   when the endpoint is not an `http(s)://host[:port]` URL.
    /// - Complexity: reads at most two small files.
    public static func resolve(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(RemoteError) -> S3Configuration {
        func variable(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        let home = variable("HOME") ?? NSHomeDirectory()
        let credentialsPath = variable("AWS_SHARED_CREDENTIALS_FILE") ?? home + "/.aws/credentials"
        let configPath = variable("AWS_CONFIG_FILE") ?? home + "/.aws/config"
        let explicitProfile = variable("AWS_PROFILE") ?? variable("AWS_DEFAULT_PROFILE")
        let profile = explicitProfile ?? "default"

        let credentialsFile = try readConfigFile(credentialsPath)
        let configFile = try readConfigFile(configPath)
        let credentialsSection = credentialsFile?.sections[profile]
        let configSection = configFile?.sections[profile == "default" ? "default" : "profile \(profile)"]
            ?? (profile == "default" ? configFile?.sections["profile default"] : nil)
        if let explicitProfile, credentialsSection == nil, configSection == nil {
            throw RemoteError(
                .invalidConfiguration,
                message: "the config profile (\(explicitProfile)) could not be found in \(credentialsPath) or \(configPath)")
        }

        var credentials: AWSCredentials?
        let keyID = variable("AWS_ACCESS_KEY_ID")
        let secret = variable("AWS_SECRET_ACCESS_KEY")
        if keyID != nil || secret != nil {
            guard let keyID, let secret else {
                throw RemoteError(
                    .invalidConfiguration,
                    message: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together (only one is set)")
            }
            credentials = AWSCredentials(
                accessKeyID: keyID, secretAccessKey: secret,
                sessionToken: variable("AWS_SESSION_TOKEN") ?? variable("AWS_SECURITY_TOKEN"), source: "environment")
        } else {
            for (section, path) in [(credentialsSection, credentialsPath), (configSection, configPath)] {
                guard let section, let keyID = section["aws_access_key_id"], !keyID.isEmpty else { continue }
                guard let secret = section["aws_secret_access_key"], !secret.isEmpty else {
                    throw RemoteError(
                        .invalidConfiguration,
                        message: "profile \(profile) in \(path) has aws_access_key_id but no aws_secret_access_key")
                }
                let token = section["aws_session_token"] ?? section["aws_security_token"]
                credentials = AWSCredentials(
                    accessKeyID: keyID, secretAccessKey: secret, sessionToken: token?.isEmpty == false ? token : nil,
                    source: "\(path) (profile \(profile))")
                break
            }
        }

        let region = variable("AWS_REGION") ?? variable("AWS_DEFAULT_REGION")
            ?? configSection?["region"].flatMap { $0.isEmpty ? nil : $0 } ?? "us-east-1"
        guard !region.isEmpty, region.utf8.count <= 64,
            region.utf8.allSatisfy({ URIEncoding.isUnreserved($0) && $0 != UInt8(ascii: "~") })
        else {
            throw RemoteError(.invalidConfiguration, message: "region '\(region)' is not a region name")
        }

        var endpoint: String?
        if let raw = variable("AWS_ENDPOINT_URL_S3") ?? variable("AWS_ENDPOINT_URL") {
            endpoint = try validateEndpoint(raw)
        }
        return S3Configuration(region: region, endpoint: endpoint, credentials: credentials)
    }

    /// Checks an endpoint URL and returns it without a trailing `/`.
    ///
    /// - Throws: ``RemoteError`` of kind `invalidConfiguration` unless it is `http(s)://host[:port]`.
    static func validateEndpoint(_ raw: String) throws(RemoteError) -> String {
        var text = raw
        while text.hasSuffix("/") { text.removeLast() }
        let parsed: ObjectAddress
        do {
            parsed = try ObjectAddress(text)
        } catch {
            throw RemoteError(.invalidConfiguration, message: "endpoint URL '\(raw)': \(error.message)")
        }
        guard parsed.scheme == .http || parsed.scheme == .https, parsed.key == "/" else {
            throw RemoteError(
                .invalidConfiguration, message: "endpoint URL '\(raw)' must be http(s)://host[:port] without a path")
        }
        return "\(parsed.scheme.rawValue)://\(parsed.authority)"
    }

    /// Reads and parses a shared configuration file; `nil` when it does not exist.
    private static func readConfigFile(_ path: String) throws(RemoteError) -> AWSConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RemoteError(.invalidConfiguration, message: "cannot open \(path)")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: AWSConfigFile.maximumSize + 1) ?? Data()
        } catch {
            throw RemoteError(.invalidConfiguration, message: "cannot read \(path): \(error)")
        }
        guard data.count <= AWSConfigFile.maximumSize else {
            throw RemoteError(.invalidConfiguration, message: "\(path) is larger than 1 MiB")
        }
        return AWSConfigFile(text: String(decoding: data, as: UTF8.self))
    }
}
