import Crypto
import Foundation
import NIOHTTP1

/// The four requests of an S3 multipart upload: initiate, upload a part, complete, abort.
extension S3ObjectStore {
    /// Starts a multipart upload (`POST ?uploads`) and returns its upload ID.
    func initiateMultipartUpload(_ address: ObjectAddress) async throws(RemoteError) -> String {
        let builder = self.builder
        let now = self.now
        let response = try await transport.send(address: address.description, bodyLimit: Self.smallBodyLimit) {
            builder.request(.POST, bucket: address.bucket, key: address.key, query: [("uploads", "")], date: now())
        }
        guard let root = try? S3XMLParser.parse(response.body), root.name == "InitiateMultipartUploadResult",
            let uploadID = root.text(of: "UploadId"), !uploadID.isEmpty
        else {
            throw RemoteError(
                .protocolViolation, address: address.description,
                message: "the answer to CreateMultipartUpload has no UploadId")
        }
        return uploadID
    }

    /// Uploads part `number` (1-based) and returns its ETag.
    func uploadPart(
        _ address: ObjectAddress, uploadID: String, number: Int, bytes: [UInt8]
    ) async throws(RemoteError) -> String {
        let builder = self.builder
        let now = self.now
        let hash = SigV4Signer.hex(SHA256.hash(data: bytes))
        let response = try await transport.send(address: address.description, bodyLimit: Self.smallBodyLimit) {
            builder.request(
                .PUT, bucket: address.bucket, key: address.key,
                query: [("partNumber", String(number)), ("uploadId", uploadID)], body: bytes, bodyHash: hash, date: now())
        }
        guard let etag = response.headers.first(name: "etag"), !etag.isEmpty else {
            throw RemoteError(
                .protocolViolation, address: address.description, message: "the answer to UploadPart \(number) has no ETag")
        }
        return etag
    }

    /// Completes the upload from its parts' ETags, in part order; returns the object's ETag.
    func completeMultipartUpload(
        _ address: ObjectAddress, uploadID: String, etags: [String]
    ) async throws(RemoteError) -> String? {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for (index, etag) in etags.enumerated() {
            xml += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(Self.escapeXML(etag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let body = Array(xml.utf8)
        let builder = self.builder
        let now = self.now
        let hash = SigV4Signer.hex(SHA256.hash(data: body))
        let response = try await transport.send(
            address: address.description, bodyLimit: Self.smallBodyLimit, errorInBody: true
        ) {
            builder.request(
                .POST, bucket: address.bucket, key: address.key, query: [("uploadId", uploadID)],
                headers: [("Content-Type", "application/xml")], body: body, bodyHash: hash, date: now())
        }
        // AWS answers CompleteMultipartUploadResult; moto and some older stores ...Response.
        guard let root = try? S3XMLParser.parse(response.body),
            root.name == "CompleteMultipartUploadResult" || root.name == "CompleteMultipartUploadResponse"
        else {
            throw RemoteError(
                .protocolViolation, address: address.description,
                message: "the answer to CompleteMultipartUpload is not a CompleteMultipartUploadResult: "
                    + String(decoding: response.body.prefix(200), as: UTF8.self))
        }
        return root.text(of: "ETag")
    }

    /// Aborts the upload, deleting its parts; a missing upload (already aborted or completed) is fine.
    func abortMultipartUpload(_ address: ObjectAddress, uploadID: String) async throws(RemoteError) {
        let builder = self.builder
        let now = self.now
        do {
            _ = try await transport.send(address: address.description, bodyLimit: Self.smallBodyLimit) {
                builder.request(.DELETE, bucket: address.bucket, key: address.key, query: [("uploadId", uploadID)], date: now())
            }
        } catch where error.kind == .notFound {
            return
        }
    }

    static func escapeXML(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
